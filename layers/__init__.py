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

The names below are imported from their modules on first use (PEP 562), so that
``import layers.errors`` stays light.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from layers.backends import BACKENDS, open_store
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
    from layers.postgis.store import PostGISStore
    from layers.store import LAYERS, LayerStore
    from layers.zoning import ZoningReport, zoning_report

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
    "PostGISStore",
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

#: The module each public name lives in.
_HOMES = {
    "BACKENDS": "layers.backends",
    "open_store": "layers.backends",
    "STORAGE_CRS": "layers.crs",
    "SUPPORTED_CRS": "layers.crs",
    "Designation": "layers.designation",
    "format_designation": "layers.designation",
    "parse_designation": "layers.designation",
    **dict.fromkeys(
        (
            "AddressNotFound",
            "AmbiguousDesignation",
            "ImportRefused",
            "InvalidCoordinates",
            "InvalidDesignation",
            "LayerError",
            "MissingCRS",
            "NotFound",
            "OutsideSweden",
            "ParcelNotFound",
            "StoreUnavailable",
            "UnknownLayer",
            "UnsupportedCRS",
        ),
        "layers.errors",
    ),
    "GeoPackageStore": "layers.geopackage",
    "PostGISStore": "layers.postgis.store",
    "find": "layers.lookup",
    **dict.fromkeys(
        ("Address", "Building", "FindResult", "Property", "PropertyPage", "Suggestion"),
        "layers.models",
    ),
    "LAYERS": "layers.store",
    "LayerStore": "layers.store",
    "ZoningReport": "layers.zoning",
    "zoning_report": "layers.zoning",
}


def __getattr__(name: str) -> object:
    """Import a public name from its module when it is first asked for (PEP 562)."""
    if name not in _HOMES:
        raise AttributeError(f"module 'layers' has no attribute {name!r}")
    return getattr(importlib.import_module(_HOMES[name]), name)
