"""The layer store backends by the name settings use, and :func:`open_store` to open one."""

from __future__ import annotations

import os

from layers.errors import StoreUnavailable
from layers.geopackage import GeoPackageStore
from layers.postgis.store import PostGISStore
from layers.store import LayerStore

__all__ = ["BACKENDS", "open_store"]

#: Store backends by the name settings use.
BACKENDS: dict[str, type[LayerStore]] = {"geopackage": GeoPackageStore, "postgis": PostGISStore}


def open_store(
    backend: str,
    location: str | os.PathLike[str],
    max_items: int = 10_000,
    writable: bool = False,
) -> LayerStore:
    """Open the layer store ``backend`` (``geopackage`` or ``postgis``) at ``location`` (a
    path, or a database's connection string); ``writable`` for
    :meth:`~layers.store.LayerStore.replace_layer` and
    :meth:`~layers.store.LayerStore.build_indexes` (opening never writes).

    >>> open_store("oracle", "x")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    layers.errors.StoreUnavailable: unknown layer store backend 'oracle'; available: geopackage, ...
    """
    try:
        cls = BACKENDS[backend]
    except KeyError:
        raise StoreUnavailable(
            f"unknown layer store backend {backend!r}; available: {', '.join(BACKENDS)}"
        ) from None
    return cls(location, max_items=max_items, writable=writable)
