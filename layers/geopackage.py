"""The GeoPackage layer store: one SQLite file read through the standard library's ``sqlite3``.

Each query goes to the R-tree of a layer (``rtree_<table>_<geom>``) for bounding-box candidates
and then tests the exact geometry with shapely, or to an attribute index (``unit_id``,
``designation``, the search keys); no query scans a layer or loads it whole. Geometries are
decoded straight from the GeoPackage binary header + WKB, which keeps a lookup well under a
millisecond on a 200 000-parcel store.

The store opens the file read-only. A store needs, besides the layers, the derived search table
``layers_search`` (folded keys for designations, trakter, kommuner and addresses, so prefix
search is tolerant of case, accents and spacing and still uses an index). :func:`prepare`
builds it and the attribute indexes in one transaction; the store calls it by itself when the
table is missing or older than the layers, and the importer builds it into every new file before
swapping it in.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

import shapely
from shapely import Point
from shapely.geometry.base import BaseGeometry

from layers.address import address_key, street_key
from layers.designation import KINDS, Designation, parse_designation
from layers.errors import AddressNotFound, InvalidDesignation, ParcelNotFound, StoreUnavailable
from layers.gpkg_features import GeoPackageFeatures
from layers.models import Address, Building, ParcelPart, Property, PropertyPage, Suggestion
from layers.plan import Plan, PlanRule, PlanUse
from layers.store import LAYERS, LayerStore
from layers.text import fold

log = logging.getLogger(__name__)

SEARCH_TABLE = "layers_search"
SEARCH_META = "layers_search_meta"
#: Version of the search table's layout; a store with another version is re-prepared.
SEARCH_VERSION = 1

#: Attribute indexes every store has (created by :func:`prepare` where missing): the lookups'
#: keys, and the queryables OGC API Features filters on (:data:`layers.features.QUERYABLES`).
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

_ENVELOPE_BYTES = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}
_HIGH = "\U0010ffff"

PARCEL_COLUMNS = (
    "unit_id",
    "part_id",
    "designation",
    "kommunkod",
    "registry_area",
    "trakt",
    "block",
    "unit",
    "unit_type",
    "part",
)
ADDRESS_COLUMNS = (
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
BUILDING_COLUMNS = (
    "building_id",
    "unit_id",
    "use",
    "floors",
    "roof_shape",
    "height",
    "ground_height",
)
PLAN_COLUMNS = (
    "plan_id",
    "name",
    "plan_type",
    "status",
    "adopted",
    "legal_force",
    "implementation_years",
    "authority",
    "document",
)
USE_COLUMNS = ("use_id", "plan_id", "code", "wording", "land_form", "catalogue_code")
RULE_COLUMNS = (
    "rule_id",
    "plan_id",
    "code",
    "category",
    "wording",
    "value",
    "unit",
    "catalogue_code",
)


def decode_geometry(blob: bytes | None) -> BaseGeometry | None:
    """A shapely geometry from a GeoPackage geometry blob (header, optional envelope, WKB).

    >>> import struct
    >>> wkb = shapely.to_wkb(Point(1, 2))
    >>> decode_geometry(b"GP\\x00\\x01" + struct.pack("<i", 3006) + wkb)
    <POINT (1 2)>
    """
    if blob is None:
        return None
    if blob[:2] != b"GP":
        raise StoreUnavailable("a geometry in the store is not a GeoPackage geometry")
    envelope = (blob[3] >> 1) & 0b111
    return shapely.from_wkb(bytes(blob[8 + _ENVELOPE_BYTES.get(envelope, 0) :]))


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _stamp(con: sqlite3.Connection, tables: Iterable[str]) -> str:
    """What the search table was built from: change time, feature count and top fid."""
    stamp = {"version": SEARCH_VERSION}
    for table in tables:
        if not _has_table(con, table):
            continue
        row = con.execute(
            "SELECT last_change FROM gpkg_contents WHERE table_name = ?", (table,)
        ).fetchone()
        top = con.execute(
            f"SELECT max(rowid), count(*) FROM (SELECT rowid FROM {_quote(table)} "
            "ORDER BY rowid DESC LIMIT 1)"
        ).fetchone()
        stamp[table] = [row[0] if row else None, top[0]]
    return json.dumps(stamp, sort_keys=True)


def _has_table(con: sqlite3.Connection, name: str) -> bool:
    return con.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (name,)).fetchone() is not None


def _current(con: sqlite3.Connection) -> bool:
    row = con.execute(f"SELECT stamp FROM {SEARCH_META}").fetchone()
    return row is not None and row[0] == _stamp(con, ("parcels", "addresses"))


def prepare(path: str | os.PathLike) -> None:
    """Build the attribute indexes and the search table of a GeoPackage, in one transaction.

    Readers see the file either without or with the new search table, never a part of it.
    """
    try:
        con = sqlite3.connect(path, timeout=30, isolation_level=None)
    except sqlite3.Error as err:
        raise StoreUnavailable(f"cannot open {path} to index it: {err}") from err
    try:
        con.execute("BEGIN IMMEDIATE")
        for table, columns in INDEXES.items():
            if not _has_table(con, table):
                continue
            for column in columns:
                con.execute(
                    f"CREATE INDEX IF NOT EXISTS {_quote(f'idx_{table}_{column}')} "
                    f"ON {_quote(table)} ({_quote(column)})"
                )
        if _has_table(con, SEARCH_META) and _current(con):  # current, or another was first
            con.execute("COMMIT")
            return
        con.execute(f"DROP TABLE IF EXISTS {SEARCH_TABLE}")
        con.execute(f"DROP TABLE IF EXISTS {SEARCH_META}")
        con.execute(
            f"CREATE TABLE {SEARCH_TABLE} (kind TEXT NOT NULL, key TEXT NOT NULL, "
            "unit_id TEXT, label TEXT NOT NULL, designation TEXT, town TEXT, ref TEXT)"
        )
        con.executemany(
            f"INSERT INTO {SEARCH_TABLE} VALUES (?, ?, ?, ?, ?, ?, ?)", _search_rows(con)
        )
        con.execute(f"CREATE INDEX {SEARCH_TABLE}_key ON {SEARCH_TABLE} (kind, key)")
        con.execute(f"CREATE TABLE {SEARCH_META} (stamp TEXT NOT NULL)")
        con.execute(
            f"INSERT INTO {SEARCH_META} VALUES (?)", (_stamp(con, ("parcels", "addresses")),)
        )
        con.execute("COMMIT")
    except sqlite3.Error as err:
        if con.in_transaction:
            con.execute("ROLLBACK")
        raise StoreUnavailable(f"cannot index {path}: {err}") from err
    finally:
        con.close()


def _search_rows(con: sqlite3.Connection):
    if _has_table(con, "parcels"):
        yield from _designation_rows(con)
    if _has_table(con, "addresses"):
        yield from _address_rows(con)


def _designation_rows(con: sqlite3.Connection):
    areas, trakts, seen = set(), set(), set()
    rows = con.execute(
        "SELECT unit_id, designation, registry_area FROM parcels ORDER BY designation"
    )
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


def _address_rows(con: sqlite3.Connection):
    rows = con.execute(
        "SELECT address_id, unit_id, designation, street, number, letter, "
        "postcode, postal_town, label FROM addresses"
    )
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


class GeoPackageStore(GeoPackageFeatures, LayerStore):
    """The layer store in one GeoPackage file.

    Parameters
    ----------
    path
        The GeoPackage.
    max_items
        Largest page :meth:`properties_in` hands out.
    prepare_if_needed
        Build the search table when it is missing or stale (needs write access once).
    """

    def __init__(
        self, path: str | os.PathLike, max_items: int = 10_000, prepare_if_needed: bool = True
    ) -> None:
        self.path = Path(path)
        self.max_items = max_items
        if not self.path.is_file():
            raise StoreUnavailable(
                f"the layer store {self.path} does not exist; build the sample "
                "with 'minfastighet sample-data' or import layers with "
                "'minfastighet import'"
            )
        self._con = self._connect()
        try:
            self._check(prepare_if_needed)
        except BaseException:
            self.close()
            raise
        self._areas: tuple[str, ...] | None = None

    def _connect(self) -> sqlite3.Connection:
        try:
            con = sqlite3.connect(self.path.resolve().as_uri() + "?mode=ro", uri=True, timeout=30)
            con.execute("SELECT count(*) FROM gpkg_geometry_columns").fetchone()
        except sqlite3.Error as err:
            raise StoreUnavailable(f"{self.path} is not a readable GeoPackage: {err}") from err
        return con

    def _check(self, prepare_if_needed: bool) -> None:
        self._geom = dict(
            self._con.execute("SELECT table_name, column_name FROM gpkg_geometry_columns")
        )
        missing = [layer for layer in LAYERS if layer not in self._geom]
        if missing:
            raise StoreUnavailable(
                f"the layer store {self.path} lacks the layers "
                f"{', '.join(missing)}; import them with 'minfastighet import'"
            )
        for layer, column in self._geom.items():
            if layer in LAYERS and not _has_table(self._con, f"rtree_{layer}_{column}"):
                raise StoreUnavailable(f"layer {layer} in {self.path} has no spatial index")
        if self._search_current():
            return
        if not prepare_if_needed:
            raise StoreUnavailable(
                f"{self.path} has no current search index; run layers.geopackage.prepare on it"
            )
        log.info("indexing %s for search", self.path)
        self._con.close()
        prepare(self.path)
        self._con = self._connect()

    def _search_current(self) -> bool:
        return _has_table(self._con, SEARCH_META) and _current(self._con)

    def close(self) -> None:
        con, self._con = getattr(self, "_con", None), None
        if con is not None:
            con.close()

    @property
    def con(self) -> sqlite3.Connection:
        if self._con is None:
            raise StoreUnavailable("the layer store is closed")
        return self._con

    def _query(self, sql: str, params=()) -> list[tuple]:
        try:
            return self.con.execute(sql, params).fetchall()
        except sqlite3.Error as err:
            raise StoreUnavailable(f"could not read {self.path}: {err}") from err

    # -- kommuner and trakter --------------------------------------------------------------

    def registry_areas(self) -> tuple[str, ...]:
        if self._areas is None:
            rows = self._query(f"SELECT label FROM {SEARCH_TABLE} WHERE kind = 'area' ORDER BY key")
            self._areas = tuple(label for (label,) in rows)
        return self._areas

    def trakt_areas(self, trakt: str) -> tuple[str, ...]:
        rows = self._query(
            f"SELECT label FROM {SEARCH_TABLE} WHERE kind = 'trakt_area' "
            "AND key = ? ORDER BY label",
            (fold(trakt),),
        )
        return tuple(label for (label,) in rows)

    # -- properties ------------------------------------------------------------------------

    def _spatial(self, layer: str, columns: tuple[str, ...], bounds) -> list[tuple]:
        geom = self._geom[layer]
        minx, miny, maxx, maxy = bounds
        names = ", ".join(f"t.{_quote(c)}" for c in columns)
        sql = (
            f"SELECT t.{_quote(geom)}, {names} FROM {_quote(f'rtree_{layer}_{geom}')} r "
            f"JOIN {_quote(layer)} t ON t.rowid = r.id "
            "WHERE r.maxx >= ? AND r.minx <= ? AND r.maxy >= ? AND r.miny <= ?"
        )
        return self._query(sql, (minx, maxx, miny, maxy))

    def _by(self, layer: str, columns: tuple[str, ...], key: str, value) -> list[tuple]:
        names = ", ".join(_quote(c) for c in columns)
        return self._query(
            f"SELECT {_quote(self._geom[layer])}, {names} FROM {_quote(layer)} "
            f"WHERE {_quote(key)} = ?",
            (value,),
        )

    def _property(self, rows: list[tuple]) -> Property:
        parts = []
        for blob, _unit, part_id, *_, part in rows:
            geometry = decode_geometry(blob)
            parts.append(ParcelPart(part_id, int(part or 1), geometry, round(geometry.area, 1)))
        _, unit_id, _, text, kommunkod, area, trakt, block, unit, unit_type, _ = rows[0]
        kind = unit_type if unit_type in KINDS else "fastighet"
        designation = Designation(
            area, trakt, None if block is None else int(block), int(unit), kind
        )
        if str(designation) != text:
            designation = parse_designation(text, [area] if area else ())
        return Property.from_parts(unit_id, designation, kind, kommunkod, parts)

    def _geometry(self, layer: str, rowid: int) -> BaseGeometry:
        rows = self._query(
            f"SELECT {_quote(self._geom[layer])} FROM {_quote(layer)} WHERE rowid = ?", (rowid,)
        )
        return decode_geometry(rows[0][0])

    def get_property(self, unit_id: str) -> Property:
        rows = self._by("parcels", PARCEL_COLUMNS, "unit_id", unit_id)
        if not rows:
            raise ParcelNotFound(f"no property with id {unit_id!r} in the store")
        return self._property(rows)

    def property_by_designation(self, designation: str) -> Property | None:
        rows = self._by("parcels", PARCEL_COLUMNS, "designation", designation)
        return self._property(rows) if rows else None

    def properties_at_point(self, point: Point) -> list[Property]:
        units = []
        for blob, unit_id in self._spatial("parcels", ("unit_id",), point.bounds * 1):
            if unit_id not in units and decode_geometry(blob).covers(point):
                units.append(unit_id)
        return sorted((self.get_property(u) for u in units), key=lambda p: str(p.designation))

    def properties_in_bounds(self, bounds, limit: int, offset: int) -> PropertyPage:
        geom = self._geom["parcels"]
        minx, miny, maxx, maxy = bounds
        query_box = shapely.box(*bounds)
        sql = (
            "SELECT t.rowid, t.unit_id, r.minx, r.miny, r.maxx, r.maxy "
            f"FROM {_quote(f'rtree_parcels_{geom}')} r JOIN parcels t ON t.rowid = r.id "
            "WHERE r.maxx >= ? AND r.minx <= ? AND r.maxy >= ? AND r.miny <= ? "
            "ORDER BY t.designation, t.part"
        )
        units: list[str] = []
        cursor = self.con.execute(sql, (minx, maxx, miny, maxy))
        for rowid, unit_id, x0, y0, x1, y1 in cursor:
            if unit_id in units:
                continue
            inside = x0 >= minx and y0 >= miny and x1 <= maxx and y1 <= maxy
            if inside or self._geometry("parcels", rowid).intersects(query_box):
                units.append(unit_id)
                if len(units) > offset + limit:
                    break
        cursor.close()
        page = units[offset : offset + limit]
        return PropertyPage(
            tuple(self.get_property(u) for u in page), offset, limit, len(units) > offset + limit
        )

    # -- search ----------------------------------------------------------------------------

    def suggest(
        self, kind: str, prefixes: list[str], limit: int, town: str = ""
    ) -> list[Suggestion]:
        found: list[Suggestion] = []
        seen: set[str] = set()
        town_sql = " AND town >= ? AND town < ?" if town else ""
        for prefix in prefixes:
            params = [kind, prefix, prefix + _HIGH] + ([town, town + _HIGH] if town else [])
            rows = self._query(
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

    # -- addresses and buildings -----------------------------------------------------------

    def _address(self, row: tuple) -> Address:
        blob, address_id, unit_id, designation, street, number, letter, code, town, label = row
        return Address(
            address_id,
            unit_id,
            designation,
            street,
            None if number is None else int(number),
            letter or None,
            code,
            town,
            label,
            decode_geometry(blob),
        )

    def addresses_of(self, unit_id: str) -> list[Address]:
        rows = self._by("addresses", ADDRESS_COLUMNS, "unit_id", unit_id)
        return sorted(
            (self._address(r) for r in rows),
            key=lambda a: (a.street, a.number or 0, a.letter or ""),
        )

    def address(self, address_id: str) -> Address:
        rows = self._by("addresses", ADDRESS_COLUMNS, "address_id", address_id)
        if not rows:
            raise AddressNotFound(f"no address with id {address_id!r} in the store")
        return self._address(rows[0])

    def buildings_of(self, unit_id: str) -> list[Building]:
        out = []
        for blob, building_id, unit, use, floors, roof, height, ground in self._by(
            "buildings", BUILDING_COLUMNS, "unit_id", unit_id
        ):
            geometry = decode_geometry(blob)
            out.append(
                Building(
                    building_id,
                    unit,
                    use,
                    None if floors is None else int(floors),
                    roof,
                    height,
                    ground,
                    round(geometry.area, 1),
                    geometry,
                )
            )
        return sorted(out, key=lambda b: b.building_id)

    # -- plans -----------------------------------------------------------------------------

    def _over(self, layer: str, columns: tuple[str, ...], geometry: BaseGeometry):
        for blob, *values in self._spatial(layer, columns, geometry.bounds):
            shape = decode_geometry(blob)
            if shape is not None and shape.intersects(geometry):
                yield shape, values

    def plans_over(self, geometry: BaseGeometry) -> list[Plan]:
        import datetime as dt

        def day(value):
            return dt.date.fromisoformat(str(value)[:10]) if value else None

        plans = []
        for shape, (
            pid,
            name,
            ptype,
            status,
            adopted,
            legal,
            years,
            authority,
            document,
        ) in self._over("plans", PLAN_COLUMNS, geometry):
            plans.append(
                Plan(
                    pid,
                    name,
                    ptype,
                    status,
                    day(adopted),
                    day(legal),
                    None if years is None else int(years),
                    authority,
                    document,
                    shape,
                )
            )
        return sorted(plans, key=lambda p: p.plan_id)

    def plan_uses_over(self, geometry: BaseGeometry) -> list[PlanUse]:
        return sorted(
            (
                PlanUse(*values, shape)
                for shape, values in self._over("plan_uses", USE_COLUMNS, geometry)
            ),
            key=lambda u: u.use_id,
        )

    def plan_rules_over(self, geometry: BaseGeometry) -> list[PlanRule]:
        return sorted(
            (
                PlanRule(*values, shape)
                for shape, values in self._over("plan_rules", RULE_COLUMNS, geometry)
            ),
            key=lambda r: r.rule_id,
        )


def group_rows(rows: Iterable[tuple], key_index: int) -> dict:
    """Rows grouped by one column, in first-seen order.

    >>> group_rows([("a", 1), ("b", 2), ("a", 3)], 0)
    {'a': [('a', 1), ('a', 3)], 'b': [('b', 2)]}
    """
    groups: dict = defaultdict(list)
    for row in rows:
        groups[row[key_index]].append(row)
    return dict(groups)
