"""The read-only connection to a GeoPackage that every reading part of the store goes through.

A :class:`GeoPackageConnection` opens the file read-only (``mode=ro``: it never writes to the
file it opens), knows each layer's geometry column and its R-tree, and turns SQLite errors into
:class:`~layers.errors.StoreUnavailable`. Geometries are decoded straight from the GeoPackage
binary header + WKB (:func:`decode_geometry`).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import Any

import shapely
from shapely.geometry.base import BaseGeometry

from layers.errors import StoreUnavailable

#: Envelope sizes (bytes) by the envelope code of a GeoPackage geometry header.
_ENVELOPE_BYTES = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}

Row = tuple[Any, ...]
Bounds = tuple[float, float, float, float]


def quote(name: str) -> str:
    """An SQL identifier in double quotes.

    >>> quote('a"b')
    '"a""b"'
    """
    return '"' + name.replace('"', '""') + '"'


def decode_geometry(blob: bytes | None) -> BaseGeometry | None:
    """A shapely geometry from a GeoPackage geometry blob (header, optional envelope, WKB).

    >>> import struct
    >>> wkb = shapely.to_wkb(shapely.Point(1, 2))
    >>> decode_geometry(b"GP\\x00\\x01" + struct.pack("<i", 3006) + wkb)
    <POINT (1 2)>
    """
    if blob is None:
        return None
    if blob[:2] != b"GP":
        raise StoreUnavailable("a geometry in the store is not a GeoPackage geometry")
    envelope = (blob[3] >> 1) & 0b111
    geometry: BaseGeometry = shapely.from_wkb(bytes(blob[8 + _ENVELOPE_BYTES.get(envelope, 0) :]))
    return geometry


def geometry_of(blob: bytes | None) -> BaseGeometry:
    """The geometry of a blob that must have one (a layer's features all do).

    >>> geometry_of(None)
    Traceback (most recent call last):
    ...
    layers.errors.StoreUnavailable: a feature in the store has no geometry
    """
    geometry = decode_geometry(blob)
    if geometry is None:
        raise StoreUnavailable("a feature in the store has no geometry")
    return geometry


def has_table(con: sqlite3.Connection, name: str) -> bool:
    """True when the database has a table (or index, view) of that name.

    >>> has_table(sqlite3.connect(":memory:"), "parcels")
    False
    """
    return con.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (name,)).fetchone() is not None


class GeoPackageConnection:
    """A read-only connection to one GeoPackage file.

    Parameters
    ----------
    path
        The GeoPackage; :class:`~layers.errors.StoreUnavailable` when it is not a readable one.

    Attributes
    ----------
    geometry_columns
        Each layer's geometry column, from ``gpkg_geometry_columns``.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            con = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True, timeout=30)
        except sqlite3.Error as err:
            raise StoreUnavailable(f"{path} is not a readable GeoPackage: {err}") from err
        try:
            rows = con.execute("SELECT table_name, column_name FROM gpkg_geometry_columns")
            self.geometry_columns: dict[str, str] = dict(rows.fetchall())
        except sqlite3.Error as err:
            con.close()
            raise StoreUnavailable(f"{path} is not a readable GeoPackage: {err}") from err
        self._con: sqlite3.Connection | None = con
        self._thread = threading.get_ident()

    @property
    def con(self) -> sqlite3.Connection:
        """The SQLite connection; :class:`~layers.errors.StoreUnavailable` once closed."""
        if self._con is None:
            raise StoreUnavailable("the layer store is closed")
        return self._con

    def close(self) -> None:
        """Close the connection (idempotent).

        SQLite connections may only be closed by the thread that opened them; from any other
        thread (a finaliser run by the garbage collector, an app closing at exit) the reference
        is dropped instead, and the connection closes itself when it is collected.
        """
        con, self._con = self._con, None
        if con is not None and threading.get_ident() == self._thread:
            con.close()

    def __enter__(self) -> GeoPackageConnection:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        """All rows of a query; SQLite errors become :class:`~layers.errors.StoreUnavailable`."""
        try:
            return self.con.execute(sql, params).fetchall()
        except sqlite3.Error as err:
            raise StoreUnavailable(f"could not read {self.path}: {err}") from err

    def has_table(self, name: str) -> bool:
        """True when the file has a table of that name."""
        return has_table(self.con, name)

    def rtree(self, layer: str) -> str:
        """The name of a layer's R-tree (``rtree_<layer>_<geometry column>``)."""
        return f"rtree_{layer}_{self.geometry_columns[layer]}"

    def in_bounds(self, layer: str, columns: Sequence[str], bounds: Bounds) -> list[Row]:
        """Geometry blob and ``columns`` of the features whose envelope meets ``bounds``."""
        minx, miny, maxx, maxy = bounds
        names = ", ".join(f"t.{quote(c)}" for c in columns)
        return self.query(
            f"SELECT t.{quote(self.geometry_columns[layer])}, {names} "
            f"FROM {quote(self.rtree(layer))} r JOIN {quote(layer)} t ON t.rowid = r.id "
            "WHERE r.maxx >= ? AND r.minx <= ? AND r.maxy >= ? AND r.miny <= ?",
            (minx, maxx, miny, maxy),
        )

    def where_equal(self, layer: str, columns: Sequence[str], key: str, value: Any) -> list[Row]:
        """Geometry blob and ``columns`` of the features whose ``key`` equals ``value``."""
        names = ", ".join(quote(c) for c in columns)
        return self.query(
            f"SELECT {quote(self.geometry_columns[layer])}, {names} FROM {quote(layer)} "
            f"WHERE {quote(key)} = ?",
            (value,),
        )


__all__ = [
    "GeoPackageConnection",
    "decode_geometry",
    "geometry_of",
    "has_table",
    "quote",
]
