"""Copying a GeoPackage store into a PostGIS store (``minfastighet db copy-from GPKG``).

Each layer is read with pyogrio in ``fid`` order and swapped in as it is in the GeoPackage: its
geometry type, its columns' declared types (an integer column with empty cells stays integer),
its last change and the record of its last import. Each layer is its own transaction.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

from layers.errors import StoreUnavailable
from layers.gpkg.imports import IMPORTS_TABLE
from layers.import_report import no_progress
from layers.postgis.store import PostGISStore

_Meta = tuple[
    dict[str, str],
    dict[str, dict[str, str]],
    dict[str, tuple[str, dict[str, Any]]],
    dict[str, list[float] | None],
]


def _gpkg_meta(path: Path) -> _Meta:
    con = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
    try:
        layers = dict(
            con.execute(
                "SELECT c.table_name, c.last_change FROM gpkg_contents c "
                "JOIN gpkg_geometry_columns g ON g.table_name = c.table_name"
            ).fetchall()
        )
        declared = {
            layer: {row[1]: row[2].upper() for row in con.execute(f'PRAGMA table_info("{layer}")')}
            for layer in layers
        }
        extents = {layer: _rtree_extent(con, layer) for layer in layers}
        records: dict[str, tuple[str, dict[str, Any]]] = {}
        if con.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (IMPORTS_TABLE,)).fetchone():
            for layer, at, report in con.execute(
                f"SELECT layer, imported_at, report FROM {IMPORTS_TABLE}"
            ):
                records[layer] = (at, json.loads(report))
    except sqlite3.Error as err:
        raise StoreUnavailable(f"{path} is not a readable GeoPackage: {err}") from err
    finally:
        con.close()
    return layers, declared, records, extents


def _rtree_extent(con: sqlite3.Connection, layer: str) -> list[float] | None:
    """The extent a GeoPackage store reports for a layer (its R-tree's), None without one."""
    (column,) = con.execute(
        "SELECT column_name FROM gpkg_geometry_columns WHERE table_name = ?", (layer,)
    ).fetchone()
    try:
        row = con.execute(
            f'SELECT min(minx), min(miny), max(maxx), max(maxy) FROM "rtree_{layer}_{column}"'
        ).fetchone()
    except sqlite3.Error:
        return None
    return None if row is None or row[0] is None else [float(v) for v in row]


def copy_from_geopackage(
    path: Path, store: PostGISStore, say: Callable[[str], None] = no_progress
) -> dict[str, int]:
    """Copy every layer of the GeoPackage ``path`` into ``store``; features per layer."""
    import pyogrio

    if not path.is_file():
        raise StoreUnavailable(f"{path} does not exist")
    layers, declared, records, extents = _gpkg_meta(path)
    copied = {}
    for layer, last_change in layers.items():
        frame = pyogrio.read_dataframe(path, layer=layer)
        for column, kind in declared[layer].items():
            if column in frame and "INT" in kind and frame[column].dtype.kind == "f":
                frame[column] = frame[column].astype("Int64")
        say(f"{layer}: {len(frame)} features")
        store.copy_layer(layer, frame, records.get(layer), last_change, extents[layer], say)
        copied[layer] = len(frame)
    return copied


__all__ = ["copy_from_geopackage"]
