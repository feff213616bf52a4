"""The attribute indexes and the search table of a GeoPackage store: building them, using them.

The search table ``layers_search`` holds folded keys for designations, trakter, kommuner and
addresses, so prefix search is tolerant of case, accents and spacing and still uses an index.
:func:`build_indexes` writes it and the attribute indexes (:data:`INDEXES`) into a file in one
transaction; the store's writes call it before a new file is swapped in, and
:meth:`~layers.geopackage.GeoPackageStore.build_indexes` calls it on the store itself.

A store opened read-only on a file whose table is missing or older than its layers never writes
to the file: :func:`build_search_table` fills a ``TEMP`` table of the same name for that
connection instead (SQLite looks in ``temp`` before ``main``).
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
from collections.abc import Iterable, Iterator
from typing import Any

from layers.address import address_key, street_key
from layers.designation import parse_designation
from layers.errors import InvalidDesignation, StoreUnavailable
from layers.gpkg.connection import GeoPackageConnection, has_table, quote
from layers.models import Suggestion
from layers.text import fold

log = logging.getLogger(__name__)

SEARCH_TABLE = "layers_search"
SEARCH_META = "layers_search_meta"
#: Version of the search table's layout; a table of another version is rebuilt.
SEARCH_VERSION = 1
#: The layers the search table is built from.
SEARCHED = ("parcels", "addresses")

#: Attribute indexes every store has (created by :func:`build_indexes` where missing): the
#: lookups' keys, and the queryables OGC API Features filters on
#: (:data:`layers.features.QUERYABLES`).
INDEXES = {
    "parcels": (
        "unit_id",
        "designation",
        "part_id",
        "registry_area",
        "trakt",
        "kommunkod",
        "unit_type",
        "land_use",
    ),
    "addresses": (
        "unit_id",
        "address_id",
        "designation",
        "street",
        "postcode",
        "postal_town",
        "kommunkod",
    ),
    "buildings": ("unit_id", "building_id", "designation", "use", "roof_shape"),
    "plans": ("plan_id", "status", "plan_type"),
    "plan_uses": ("plan_id", "use_id", "code", "land_form"),
    "plan_rules": ("plan_id", "rule_id", "code", "category"),
    "roof_faces": ("face_id", "building_id", "suitability"),
}

_HIGH = "\U0010ffff"
SearchRow = tuple[str, str, str | None, str, str | None, str | None, str | None]


def _stamp(con: sqlite3.Connection) -> str:
    """What the search table is built from: change time, feature count and top fid."""
    stamp: dict[str, object] = {"version": SEARCH_VERSION}
    for table in SEARCHED:
        if not has_table(con, table):
            continue
        row = con.execute(
            "SELECT last_change FROM gpkg_contents WHERE table_name = ?", (table,)
        ).fetchone()
        top = con.execute(
            f"SELECT max(rowid), count(*) FROM (SELECT rowid FROM {quote(table)} "
            "ORDER BY rowid DESC LIMIT 1)"
        ).fetchone()
        stamp[table] = [row[0] if row else None, top[0]]
    return json.dumps(stamp, sort_keys=True)


def search_current(con: sqlite3.Connection, schema: str = "main") -> bool:
    """True when ``schema`` (``main`` or ``temp``) has a search table built from the layers
    as they are now."""
    if not con.execute(
        f"SELECT 1 FROM {schema}.sqlite_master WHERE name = ?", (SEARCH_META,)
    ).fetchone():
        return False
    row = con.execute(f"SELECT stamp FROM {schema}.{SEARCH_META}").fetchone()
    return row is not None and row[0] == _stamp(con)


def build_search_table(con: sqlite3.Connection, schema: str = "main") -> None:
    """(Re)build the search table and its stamp in ``schema``, inside the caller's transaction
    (``temp`` for a connection that must not write to its file)."""
    con.execute(f"DROP TABLE IF EXISTS {schema}.{SEARCH_TABLE}")
    con.execute(f"DROP TABLE IF EXISTS {schema}.{SEARCH_META}")
    con.execute(
        f"CREATE TABLE {schema}.{SEARCH_TABLE} (kind TEXT NOT NULL, key TEXT NOT NULL, "
        "unit_id TEXT, label TEXT NOT NULL, designation TEXT, town TEXT, ref TEXT)"
    )
    con.executemany(
        f"INSERT INTO {schema}.{SEARCH_TABLE} VALUES (?, ?, ?, ?, ?, ?, ?)", _search_rows(con)
    )
    con.execute(f"CREATE INDEX {schema}.{SEARCH_TABLE}_key ON {SEARCH_TABLE} (kind, key)")
    con.execute(f"CREATE TABLE {schema}.{SEARCH_META} (stamp TEXT NOT NULL)")
    con.execute(f"INSERT INTO {schema}.{SEARCH_META} VALUES (?)", (_stamp(con),))


def build_indexes(path: str | os.PathLike[str]) -> None:
    """Build the attribute indexes and the search table of a GeoPackage, in one transaction.

    Readers see the file either without or with the new search table, never a part of it. A
    current search table is kept as it is.
    """
    try:
        con = sqlite3.connect(path, timeout=30, isolation_level=None)
    except sqlite3.Error as err:
        raise StoreUnavailable(f"cannot open {path} to index it: {err}") from err
    try:
        con.execute("BEGIN IMMEDIATE")
        for table, columns in INDEXES.items():
            if not has_table(con, table):
                continue
            for column in columns:
                con.execute(
                    f"CREATE INDEX IF NOT EXISTS {quote(f'idx_{table}_{column}')} "
                    f"ON {quote(table)} ({quote(column)})"
                )
        if not search_current(con):  # else current, or another writer was first
            build_search_table(con)
        con.execute("COMMIT")
    except sqlite3.Error as err:
        if con.in_transaction:
            con.execute("ROLLBACK")
        raise StoreUnavailable(f"cannot index {path}: {err}") from err
    finally:
        con.close()


def _search_rows(con: sqlite3.Connection) -> Iterator[SearchRow]:
    if has_table(con, "parcels"):
        yield from _designation_rows(con)
    if has_table(con, "addresses"):
        yield from _address_rows(con)


def _designation_rows(con: sqlite3.Connection) -> Iterator[SearchRow]:
    yield from designation_rows(
        con.execute(
            "SELECT unit_id, designation, registry_area FROM main.parcels ORDER BY designation"
        )
    )


def designation_rows(rows: Iterable[tuple[str, str, str | None]]) -> Iterator[SearchRow]:
    """The search rows of parcels' (unit id, designation, registerområde), by designation:
    designations, trakter, kommuner and each trakt's kommun (any backend's search table)."""
    areas: set[str] = set()
    trakts: set[tuple[str, str]] = set()
    seen: set[str] = set()
    for unit_id, text, area in rows:
        if unit_id in seen or not text:
            continue
        seen.add(unit_id)
        try:
            d = parse_designation(text, [area] if area else ())
        except InvalidDesignation:
            log.warning("skipping malformed designation %r in the search index", text)
            continue
        if d.registry_area is None:
            continue
        areas.add(d.registry_area)
        trakts.add((d.trakt, d.registry_area))
        yield ("designation", d.key(), unit_id, str(d), str(d), None, None)
        yield ("trakt", d.key(with_area=False), unit_id, str(d), str(d), None, None)
    # Sorted: set order follows string hashing, which changes between processes, and the
    # sample's files must come out byte-identical on every run.
    for area in sorted(areas):
        yield ("area", fold(area), None, area, None, None, None)
    for trakt, area in sorted(trakts):
        yield ("trakt_area", fold(trakt), None, area, None, None, None)


def _address_rows(con: sqlite3.Connection) -> Iterator[SearchRow]:
    yield from address_rows(
        con.execute(
            "SELECT address_id, unit_id, designation, street, number, letter, "
            "postcode, postal_town, label FROM main.addresses"
        )
    )


def address_rows(rows: Iterable[tuple[Any, ...]]) -> Iterator[SearchRow]:
    """The search rows of addresses' (address id, unit id, designation, street, number,
    letter, postcode, postal town, label), in their order (any backend's search table)."""
    for address_id, unit_id, text, street, number, letter, postcode, town, label in rows:
        if not street:
            continue
        place = " ".join(v for v in (postcode, town) if v)
        full = f"{label}, {place}" if place else label
        yield (
            "address",
            address_key(street, number, letter),
            unit_id,
            full,
            text,
            street_key(town or ""),
            address_id,
        )


class GeoPackageSearch:
    """The queries the search table answers: kommuner, trakter and prefix suggestions.

    Parameters
    ----------
    connection
        The store's connection; its search table must be current (in the file or, for a
        file that is not indexed, in ``temp``).
    """

    def __init__(self, connection: GeoPackageConnection) -> None:
        self._connection = connection
        self._areas: tuple[str, ...] | None = None

    def registry_areas(self) -> tuple[str, ...]:
        """The kommuner of the store, upper case (read once per connection)."""
        if self._areas is None:
            rows = self._connection.query(
                f"SELECT label FROM {SEARCH_TABLE} WHERE kind = 'area' ORDER BY key"
            )
            self._areas = tuple(label for (label,) in rows)
        return self._areas

    def trakt_areas(self, trakt: str) -> tuple[str, ...]:
        """The kommuner in which a trakt exists."""
        rows = self._connection.query(
            f"SELECT label FROM {SEARCH_TABLE} WHERE kind = 'trakt_area' "
            "AND key = ? ORDER BY label",
            (fold(trakt),),
        )
        return tuple(label for (label,) in rows)

    def keys(self, kind: str) -> tuple[str, ...]:
        """The distinct keys of ``kind``, sorted (what a misspelt name is matched against)."""
        rows = self._connection.query(
            f"SELECT DISTINCT key FROM {SEARCH_TABLE} WHERE kind = ? ORDER BY key", (kind,)
        )
        return tuple(key for (key,) in rows)

    def suggest(
        self, kind: str, prefixes: Iterable[str], limit: int, town: str = ""
    ) -> list[Suggestion]:
        """Matches of ``kind`` for each prefix in turn, each in key order, without repeats."""
        found: list[Suggestion] = []
        seen: set[str] = set()
        town_sql = " AND town >= ? AND town < ?" if town else ""
        for prefix in prefixes:
            params = [kind, prefix, prefix + _HIGH] + ([town, town + _HIGH] if town else [])
            rows = self._connection.query(
                f"SELECT unit_id, label, designation, ref FROM {SEARCH_TABLE} "
                f"WHERE kind = ? AND key >= ? AND key < ?{town_sql} ORDER BY key LIMIT ?",
                (*params, limit + len(found)),
            )
            for unit_id, label, designation, ref in rows:
                ident = ref or unit_id
                if ident in seen:
                    continue
                seen.add(ident)
                found.append(
                    Suggestion(
                        "address" if kind == "address" else "designation",
                        label,
                        unit_id,
                        designation,
                        ref,
                    )
                )
                if len(found) >= limit:
                    return found
        return found


__all__ = [
    "INDEXES",
    "SEARCH_META",
    "SEARCH_TABLE",
    "GeoPackageSearch",
    "address_rows",
    "build_indexes",
    "build_search_table",
    "designation_rows",
    "search_current",
]
