"""Replacing a layer of a PostGIS store atomically: COPY into staging, check, index, swap.

All of it is one transaction on one connection, under an advisory lock that serialises the
writers of a database:

1. ``CREATE TABLE <layer>__staging`` with ``fid``, a typed ``geom geometry(<type>, 3006)`` and
   the frame's columns, filled with ``COPY … FROM STDIN`` (geometries as EWKB);
2. checked: the row count is the frame's, no geometry is missing (the typed column has already
   refused a wrong type or SRID);
3. indexed: the primary key on ``fid``, a GiST index on ``geom``, B-trees on the lookups' keys
   and the queryables (:data:`layers.gpkg.search.INDEXES`), then ``ANALYZE``;
4. swapped: ``DROP TABLE <layer>`` and ``ALTER TABLE … RENAME``, the layer's row in
   ``layers_meta``, its search rows and the import's report and licence in ``layers_imports``.

``COMMIT`` makes all of it visible at once. A reader's query that meets the swap waits for
the commit and then reads the new table (PostgreSQL looks the name up again once it has the
lock); one that started before reads the old one to its end. An importer killed at any moment,
even with SIGKILL, drops its connection, and the server rolls the transaction back: the live
layer is untouched and no staging table remains.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import psycopg
import shapely
from psycopg import sql as pgsql

from layers.errors import StoreUnavailable
from layers.gpkg.search import INDEXES, SEARCHED, SearchRow, address_rows, designation_rows
from layers.import_report import Progress
from layers.postgis.connection import SRID, ident
from layers.postgis.migrations import MIGRATION_LOCK

if TYPE_CHECKING:
    import geopandas as gpd

#: Advisory lock key that serialises the writers of a database.
WRITE_LOCK = MIGRATION_LOCK + 1
#: The search kinds built from each searched layer.
SEARCH_KINDS = {
    "parcels": ("designation", "trakt", "area", "trakt_area"),
    "addresses": ("address",),
}
#: PostgreSQL column types by the GeoPackage-style type a column is declared with.
PG_TYPES = {"INTEGER": "bigint", "REAL": "double precision", "TEXT": "text"}
_PARCEL_KEYS = ("unit_id", "designation", "registry_area")
_ADDRESS_KEYS = (
    "address_id",
    "unit_id",
    "designation",
    "street",
    "number",
    "letter",
    "postcode",
    "postal_town",
    "label",
)


def declared_type(dtype: Any) -> str:
    """The GeoPackage-style type a column of ``dtype`` is declared with.

    >>> declared_type(np.dtype("int32")), declared_type(pd.Int64Dtype()), declared_type(float)
    ('INTEGER', 'INTEGER', 'REAL')
    >>> declared_type(np.dtype("bool")), declared_type(np.dtype("O"))
    ('INTEGER', 'TEXT')
    """
    if pd.api.types.is_bool_dtype(dtype) or pd.api.types.is_integer_dtype(dtype):
        return "INTEGER"
    if pd.api.types.is_float_dtype(dtype):
        return "REAL"
    return "TEXT"


def rtree_extent(bounds: Iterable[float]) -> list[float] | None:
    """A layer's extent rounded outwards to float32, as SQLite's R-tree keeps envelopes (so
    both backends report the same extent); None for an empty layer.

    >>> rtree_extent([0.1, 0.1, 0.2, 0.2])[0] <= 0.1 <= rtree_extent([0.1, 0.1, 0.2, 0.2])[2]
    True
    >>> rtree_extent([float("nan")] * 4) is None
    True
    """
    values = [float(v) for v in bounds]
    if any(np.isnan(values)):
        return None
    out = []
    for i, value in enumerate(values):
        rounded = np.float32(value)
        if i < 2 and float(rounded) > value:
            rounded = np.nextafter(rounded, np.float32(-np.inf))
        elif i >= 2 and float(rounded) < value:
            rounded = np.nextafter(rounded, np.float32(np.inf))
        out.append(float(rounded))
    return out


def now_text() -> str:
    """The time now as GDAL writes a GeoPackage's ``last_change`` (UTC, milliseconds)."""
    now = dt.datetime.now(dt.UTC)
    return now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}Z"


def _cell(value: Any, kind: str) -> Any:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if kind == "INTEGER":
        return int(value)
    if kind == "REAL":
        return float(value)
    return value if isinstance(value, str) else str(value)


def columns_of(frame: gpd.GeoDataFrame) -> list[tuple[str, str]]:
    """The frame's attribute columns and their declared types, in order."""
    geometry = frame.geometry.name
    return [(str(c), declared_type(frame[c].dtype)) for c in frame.columns if c != geometry]


def _rows(frame: gpd.GeoDataFrame, columns: list[tuple[str, str]]) -> Iterator[tuple[Any, ...]]:
    geometries = shapely.set_srid(np.asarray(frame.geometry.values, dtype=object), SRID)
    wkb = shapely.to_wkb(geometries, hex=True, include_srid=True)
    values = [frame[name].to_numpy(dtype=object) for name, _ in columns]
    for i in range(len(frame)):
        yield (
            i + 1,
            wkb[i],
            *(_cell(v[i], kind) for v, (_, kind) in zip(values, columns, strict=True)),
        )


def _search_rows(layer: str, frame: gpd.GeoDataFrame) -> Iterator[SearchRow]:
    def column(name: str) -> list[Any]:
        return (
            [None if pd.isna(v) else v for v in frame[name]]
            if name in frame
            else [None] * len(frame)
        )

    if layer == "parcels":
        rows = list(zip(*(column(c) for c in _PARCEL_KEYS), strict=True))
        rows.sort(key=lambda r: r[1] or "")
        yield from designation_rows(rows)
    elif layer == "addresses":
        yield from address_rows(zip(*(column(c) for c in _ADDRESS_KEYS), strict=True))


def _create_staging(
    con: psycopg.Connection[Any], layer: str, geometry_type: str, columns: list[tuple[str, str]]
) -> str:
    staging = f"{layer}__staging"
    con.execute(pgsql.SQL("DROP TABLE IF EXISTS {}").format(ident(staging)))
    parts = [
        pgsql.SQL("fid bigint NOT NULL"),
        pgsql.SQL("geom geometry({kind}, {srid}) NOT NULL").format(
            kind=pgsql.SQL(geometry_type), srid=pgsql.Literal(SRID)
        ),
    ]
    for name, kind in columns:
        collate = ' COLLATE "C"' if kind == "TEXT" else ""
        parts.append(pgsql.SQL("{} " + PG_TYPES[kind] + collate).format(ident(name)))
    con.execute(
        pgsql.SQL("CREATE TABLE {} ({})").format(ident(staging), pgsql.SQL(", ").join(parts))
    )
    return staging


def _index(
    con: psycopg.Connection[Any], table: str, layer: str, names: Iterable[str], tag: str
) -> None:
    """The GiST and B-tree indexes of a layer's table (names carry ``tag``: unique per swap)."""
    con.execute(
        pgsql.SQL("ALTER TABLE {t} ADD CONSTRAINT {k} PRIMARY KEY (fid)").format(
            t=ident(table), k=ident(f"{layer}_{tag}_pkey")
        )
    )
    con.execute(
        pgsql.SQL("CREATE INDEX {i} ON {t} USING gist (geom)").format(
            i=ident(f"{layer}_{tag}_geom"), t=ident(table)
        )
    )
    for column in INDEXES.get(layer, ()):
        if column in names:
            con.execute(
                pgsql.SQL("CREATE INDEX {i} ON {t} ({c})").format(
                    i=ident(f"{layer}_{tag}_{column}"), t=ident(table), c=ident(column)
                )
            )
    con.execute(pgsql.SQL("ANALYZE {}").format(ident(table)))


def write_search(con: psycopg.Connection[Any], layer: str, rows: Iterable[SearchRow]) -> None:
    """Replace the search rows of ``layer`` (inside the caller's transaction)."""
    con.execute("DELETE FROM layers_search WHERE kind = ANY(%s)", (list(SEARCH_KINDS[layer]),))
    with con.cursor().copy(
        "COPY layers_search (kind, key, unit_id, label, designation, town, ref) FROM STDIN"
    ) as copy:
        for row in rows:
            copy.write_row(row)


def swap_layer(
    dsn: str,
    layer: str,
    frame: gpd.GeoDataFrame,
    geometry_type: str,
    record: tuple[str, dict[str, Any]] | None,
    progress: Progress,
    last_change: str | None = None,
    extent: list[float] | None = None,
) -> None:
    """Replace (or add) ``layer`` by ``frame`` in one transaction (see the module docstring);
    ``record`` is (imported at, report) kept with it, None forgets the previous one;
    ``last_change`` and ``extent`` (a copied layer's) default to now and the frame's."""
    columns = columns_of(frame)
    try:
        with psycopg.connect(dsn, connect_timeout=10) as con, con.transaction():
            con.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK,))
            row = con.execute(
                "SELECT generation FROM layers_meta WHERE layer = %s", (layer,)
            ).fetchone()
            generation = 1 if row is None else int(row[0]) + 1
            staging = _create_staging(con, layer, geometry_type, columns)
            progress(f"copying {len(frame)} features")
            names = pgsql.SQL(", ").join(
                ident(c) for c in ["fid", "geom", *(n for n, _ in columns)]
            )
            with con.cursor().copy(
                pgsql.SQL("COPY {} ({}) FROM STDIN").format(ident(staging), names)
            ) as copy:
                for values in _rows(frame, columns):
                    copy.write_row(values)
            progress("checking")
            found = con.execute(
                pgsql.SQL(
                    "SELECT count(*), count(*) FILTER (WHERE ST_IsEmpty(geom)) FROM {}"
                ).format(ident(staging))
            ).fetchone()
            if found is None or found[0] != len(frame):
                raise StoreUnavailable(
                    f"the new {layer} layer did not verify ({found} of {len(frame)} features); "
                    "the store is unchanged"
                )
            progress("indexing")
            _index(con, staging, layer, {n for n, _ in columns}, f"g{generation}")
            progress("swapping")
            con.execute(pgsql.SQL("DROP TABLE IF EXISTS {}").format(ident(layer)))
            con.execute(
                pgsql.SQL("ALTER TABLE {} RENAME TO {}").format(ident(staging), ident(layer))
            )
            con.execute(
                "INSERT INTO layers_meta (layer, geometry_type, columns, extent, feature_count, "
                "last_change, generation) VALUES (%s, %s, %s, %s, %s, %s, %s) "
                "ON CONFLICT (layer) DO UPDATE SET geometry_type = EXCLUDED.geometry_type, "
                "columns = EXCLUDED.columns, extent = EXCLUDED.extent, "
                "feature_count = EXCLUDED.feature_count, last_change = EXCLUDED.last_change, "
                "generation = EXCLUDED.generation",
                (
                    layer,
                    geometry_type,
                    json.dumps(columns),
                    extent or (rtree_extent(frame.total_bounds) if len(frame) else None),
                    len(frame),
                    last_change or now_text(),
                    generation,
                ),
            )
            if layer in SEARCHED:
                write_search(con, layer, _search_rows(layer, frame))
            con.execute("DELETE FROM layers_imports WHERE layer = %s", (layer,))
            if record is not None:
                con.execute(
                    "INSERT INTO layers_imports VALUES (%s, %s, %s)",
                    (layer, record[0], json.dumps(record[1], ensure_ascii=False)),
                )
    except psycopg.Error as err:
        raise StoreUnavailable(
            f"cannot write the {layer} layer: {err}; the store is unchanged"
        ) from err


__all__ = [
    "WRITE_LOCK",
    "columns_of",
    "declared_type",
    "rtree_extent",
    "swap_layer",
    "write_search",
]
