"""Replacing a layer of a GeoPackage store atomically.

**Atomic swap.** The new layer is written into a complete copy of the store next to it
(``.minfastighet.gpkg.import-<pid>.gpkg``, made with SQLite's online backup), indexed, checked,
fsynced and then renamed over the store with ``os.replace``. A rename is atomic on POSIX: a
reader opening the store sees the old file or the new one, never a part, and a reader that
already has it open keeps reading the old file until it closes. A write that fails or is
killed (even with SIGKILL) before the rename leaves the store untouched; the stale copy is
removed by the next write. Writes to one store are serialised with a lock file next to it
(:func:`lock_path`; it stays, as removing it would race a writer waiting on it). The price is a
copy of the store per write, which suits a municipality's store (tens to hundreds of MB); one
SQLite transaction instead would hold the write lock while GDAL writes and could not use GDAL's
GeoPackage writer (its triggers need GDAL's SQL functions).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import shapely

from layers.errors import StoreUnavailable
from layers.gpkg import search
from layers.gpkg.connection import quote
from layers.gpkg.imports import forget_import, record_import
from layers.import_report import Progress, no_progress
from layers.schema import LAYER_SCHEMAS

if TYPE_CHECKING:
    import geopandas as gpd

#: Geometry type ids of shapely that a polygon layer holds (Polygon, MultiPolygon).
_POLYGONAL = (3, 6)


def lock_path(store: Path) -> Path:
    """The lock file that serialises the writes to a store.

    >>> lock_path(Path("data/minfastighet.gpkg")).name
    'minfastighet.gpkg.lock'
    """
    return store.with_name(store.name + ".lock")


@contextlib.contextmanager
def locked(store: Path) -> Iterator[None]:
    """Hold the store's write lock (waits for another writer to finish)."""
    with open(lock_path(store), "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _copy_store(store: Path, work: Path) -> None:
    if not store.exists():
        return
    try:
        source = sqlite3.connect(store.resolve().as_uri() + "?mode=ro", uri=True, timeout=30)
        target = sqlite3.connect(work)
        with target:
            source.backup(target)
        source.close()
        target.close()
    except sqlite3.Error as err:
        raise StoreUnavailable(f"cannot copy the store {store}: {err}") from err


def _polygonal(layer: str, frame: gpd.GeoDataFrame) -> bool:
    """Whether a layer holds polygons (stored as MultiPolygon): by its schema, else its data."""
    if layer in LAYER_SCHEMAS:
        return LAYER_SCHEMAS[layer].geometry == "polygon"
    kinds = shapely.get_type_id(frame.geometry.values)
    return len(kinds) > 0 and bool(np.isin(kinds, _POLYGONAL).all())


def _write_frame(path: Path, layer: str, frame: gpd.GeoDataFrame) -> None:
    import pyogrio  # GDAL loads only when a store writes, not for every reader

    pyogrio.write_dataframe(
        frame,
        path,
        layer=layer,
        driver="GPKG",
        promote_to_multi=_polygonal(layer, frame),
        layer_options={"SPATIAL_INDEX": "YES"},
    )


def _record(path: Path, layer: str, record: dict[str, Any] | None) -> None:
    """Keep the import's report in the new file (the layer's information shows it), or forget
    the previous one of a layer replaced without a report."""
    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    con = sqlite3.connect(path)
    try:
        with con:
            if record is None:
                forget_import(con, layer)
            else:
                record_import(con, layer, now, record)
    finally:
        con.close()


def _verify(path: Path, layer: str, expected: int) -> None:
    con = sqlite3.connect(path)
    try:
        ok = con.execute("PRAGMA quick_check").fetchone()[0]
        count = con.execute(f"SELECT count(*) FROM {quote(layer)}").fetchone()[0]
    finally:
        con.close()
    if ok != "ok" or count != expected:
        raise StoreUnavailable(
            f"the new {layer} layer did not verify ({ok}, {count} of "
            f"{expected} features); the store is unchanged"
        )


def replace_layer(
    store: Path,
    layer: str,
    frame: gpd.GeoDataFrame,
    record: dict[str, Any] | None = None,
    progress: Progress = no_progress,
) -> None:
    """Replace (or add) ``layer`` in the GeoPackage ``store`` by ``frame``, atomically (see the
    module docstring), with its indexes, the search table and ``record`` (the import's report,
    JSON-ready; None forgets the layer's previous one) in the same swap."""
    store.parent.mkdir(parents=True, exist_ok=True)
    with locked(store):
        for stale in store.parent.glob(f".{store.name}.import-*"):
            stale.unlink(missing_ok=True)
        work = store.with_name(f".{store.name}.import-{os.getpid()}.gpkg")
        try:
            progress("copying the store")
            _copy_store(store, work)
            progress(f"writing {len(frame)} features")
            _write_frame(work, layer, frame)
            progress("indexing")
            search.build_indexes(work)
            _record(work, layer, record)
            _verify(work, layer, len(frame))
            _fsync(work)
            os.replace(work, store)
            _fsync(store.parent)
        finally:
            work.unlink(missing_ok=True)


__all__ = ["lock_path", "locked", "replace_layer"]
