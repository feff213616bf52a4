"""Vector layers of Min fastighet: properties, addresses, buildings and detaljplaner.

The core that finds a property by designation, address or point and reads what its detaljplan
allows. It never imports Flask (nor :mod:`solar`): the web service, notebooks and batch reports
call it directly.

>>> from layers import parse_designation
>>> str(parse_designation("sundsvall lärkan 2"))
'SUNDSVALL LÄRKAN 2'

Open a store with :func:`open_store` and use it as a context manager::

    with open_store("geopackage", "minfastighet.gpkg") as store:
        prop = store.find_property("Björkåsen 3:12")
        report = zoning_report(store, prop)
"""

from __future__ import annotations

import os

from layers.crs import STORAGE_CRS, SUPPORTED_CRS
from layers.designation import Designation, format_designation, parse_designation
from layers.errors import (
    AddressNotFound,
    AmbiguousDesignation,
    ImportRefused,
    InvalidCoordinates,
    InvalidDesignation,
    LayerError,
    MissingCRS,
    NotFound,
    OutsideSweden,
    ParcelNotFound,
    StoreUnavailable,
    UnknownLayer,
    UnsupportedCRS,
)
from layers.geopackage import GeoPackageStore
from layers.lookup import find
from layers.models import Address, Building, FindResult, Property, PropertyPage, Suggestion
from layers.store import LAYERS, LayerStore
from layers.zoning import ZoningReport, zoning_report

#: Store backends by the name settings use.
BACKENDS: dict[str, type[LayerStore]] = {"geopackage": GeoPackageStore}


def open_store(backend: str, location: str | os.PathLike, max_items: int = 10_000) -> LayerStore:
    """Open the layer store ``backend`` (``geopackage``) at ``location``.

    >>> open_store("postgis", "x")
    Traceback (most recent call last):
    ...
    layers.errors.StoreUnavailable: unknown layer store backend 'postgis'; available: geopackage
    """
    try:
        cls = BACKENDS[backend]
    except KeyError:
        raise StoreUnavailable(
            f"unknown layer store backend {backend!r}; available: {', '.join(BACKENDS)}"
        ) from None
    return cls(location, max_items=max_items)


__all__ = [
    "BACKENDS",
    "LAYERS",
    "STORAGE_CRS",
    "SUPPORTED_CRS",
    "Address",
    "AddressNotFound",
    "AmbiguousDesignation",
    "Building",
    "Designation",
    "FindResult",
    "GeoPackageStore",
    "ImportRefused",
    "InvalidCoordinates",
    "InvalidDesignation",
    "LayerError",
    "LayerStore",
    "MissingCRS",
    "NotFound",
    "OutsideSweden",
    "ParcelNotFound",
    "Property",
    "PropertyPage",
    "StoreUnavailable",
    "Suggestion",
    "UnknownLayer",
    "UnsupportedCRS",
    "ZoningReport",
    "find",
    "format_designation",
    "open_store",
    "parse_designation",
    "zoning_report",
]
