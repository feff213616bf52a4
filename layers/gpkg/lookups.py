"""Properties, addresses, buildings and plans from a GeoPackage store.

Each lookup goes to the R-tree of a layer for bounding-box candidates and then tests the exact
geometry with shapely, or to an attribute index (``unit_id``, ``designation``, ``address_id``);
no lookup scans a layer or loads it whole, which keeps one well under a millisecond on a
200 000-parcel store.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from typing import Any

import shapely
from shapely import Point
from shapely.geometry.base import BaseGeometry

from layers.designation import KINDS, Designation, parse_designation
from layers.errors import AddressNotFound, ParcelNotFound
from layers.gpkg.connection import Bounds, GeoPackageConnection, Row, geometry_of, quote
from layers.models import Address, Building, ParcelPart, Property, PropertyPage
from layers.plan import Plan, PlanRule, PlanUse

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


def _int(value: Any) -> int | None:
    """An integer column's value, None kept.

    >>> _int(None), _int(3.0), _int("2")
    (None, 3, 2)
    """
    return None if value is None else int(value)


def _day(value: Any) -> dt.date | None:
    """A date column's value (ISO text, a time part ignored), None or empty kept as None.

    >>> _day("2021-03-15T00:00:00"), _day(None)
    (datetime.date(2021, 3, 15), None)
    """
    return dt.date.fromisoformat(str(value)[:10]) if value else None


class GeoPackageLookups:
    """The property, address, building and plan queries of :class:`~layers.store.LayerStore`.

    Parameters
    ----------
    connection
        The store's connection.
    """

    def __init__(self, connection: GeoPackageConnection) -> None:
        self._connection = connection

    # -- properties ------------------------------------------------------------------------

    def _property(self, rows: list[Row]) -> Property:
        parts = []
        for blob, _unit, part_id, *_, part in rows:
            geometry = geometry_of(blob)
            parts.append(ParcelPart(part_id, int(part or 1), geometry, round(geometry.area, 1)))
        _, unit_id, _, text, kommunkod, area, trakt, block, unit, unit_type, _ = rows[0]
        kind = unit_type if unit_type in KINDS else "fastighet"
        designation = Designation(
            area, trakt, None if block is None else int(block), int(unit), kind
        )
        if str(designation) != text:
            designation = parse_designation(text, [area] if area else ())
        return Property.from_parts(unit_id, designation, kind, kommunkod, parts)

    def get_property(self, unit_id: str) -> Property:
        """A property by its register unit id; :class:`ParcelNotFound`."""
        rows = self._connection.where_equal("parcels", PARCEL_COLUMNS, "unit_id", unit_id)
        if not rows:
            raise ParcelNotFound(f"no property with id {unit_id!r} in the store")
        return self._property(rows)

    def property_by_designation(self, designation: str) -> Property | None:
        """A property by its canonical designation text, or None."""
        rows = self._connection.where_equal("parcels", PARCEL_COLUMNS, "designation", designation)
        return self._property(rows) if rows else None

    def properties_at_point(self, point: Point) -> list[Property]:
        """The properties covering a point, by designation."""
        units: list[str] = []
        for blob, unit_id in self._connection.in_bounds("parcels", ("unit_id",), point.bounds):
            if unit_id not in units and geometry_of(blob).covers(point):
                units.append(unit_id)
        return sorted((self.get_property(u) for u in units), key=lambda p: str(p.designation))

    def properties_in_bounds(self, bounds: Bounds, limit: int, offset: int) -> PropertyPage:
        """One page of the properties intersecting a box, by designation and part."""
        minx, miny, maxx, maxy = bounds
        query_box = shapely.box(*bounds)
        connection = self._connection
        sql = (
            "SELECT t.rowid, t.unit_id, r.minx, r.miny, r.maxx, r.maxy "
            f"FROM {quote(connection.rtree('parcels'))} r JOIN parcels t ON t.rowid = r.id "
            "WHERE r.maxx >= ? AND r.minx <= ? AND r.maxy >= ? AND r.miny <= ? "
            "ORDER BY t.designation, t.part"
        )
        units: list[str] = []
        cursor = connection.con.execute(sql, (minx, maxx, miny, maxy))
        for rowid, unit_id, x0, y0, x1, y1 in cursor:
            if unit_id in units:
                continue
            inside = x0 >= minx and y0 >= miny and x1 <= maxx and y1 <= maxy
            if inside or self._parcel_geometry(rowid).intersects(query_box):
                units.append(unit_id)
                if len(units) > offset + limit:
                    break
        cursor.close()
        page = units[offset : offset + limit]
        return PropertyPage(
            tuple(self.get_property(u) for u in page), offset, limit, len(units) > offset + limit
        )

    def _parcel_geometry(self, rowid: int) -> BaseGeometry:
        column = quote(self._connection.geometry_columns["parcels"])
        rows = self._connection.query(f"SELECT {column} FROM parcels WHERE rowid = ?", (rowid,))
        return geometry_of(rows[0][0])

    # -- addresses and buildings -----------------------------------------------------------

    @staticmethod
    def _address(row: Row) -> Address:
        blob, address_id, unit_id, designation, street, number, letter, code, town, label = row
        return Address(
            address_id,
            unit_id,
            designation,
            street,
            _int(number),
            letter or None,
            code,
            town,
            label,
            geometry_of(blob),
        )

    def addresses_of(self, unit_id: str) -> list[Address]:
        """A property's addresses, by street, number and letter."""
        rows = self._connection.where_equal("addresses", ADDRESS_COLUMNS, "unit_id", unit_id)
        return sorted(
            (self._address(r) for r in rows),
            key=lambda a: (a.street, a.number or 0, a.letter or ""),
        )

    def address(self, address_id: str) -> Address:
        """An address by id; :class:`AddressNotFound`."""
        rows = self._connection.where_equal("addresses", ADDRESS_COLUMNS, "address_id", address_id)
        if not rows:
            raise AddressNotFound(f"no address with id {address_id!r} in the store")
        return self._address(rows[0])

    def buildings_of(self, unit_id: str) -> list[Building]:
        """A property's buildings, by id."""
        out = []
        for (
            blob,
            building_id,
            unit,
            use,
            floors,
            roof,
            height,
            ground,
        ) in self._connection.where_equal("buildings", BUILDING_COLUMNS, "unit_id", unit_id):
            geometry = geometry_of(blob)
            out.append(
                Building(
                    building_id,
                    unit,
                    use,
                    _int(floors),
                    roof,
                    height,
                    ground,
                    round(geometry.area, 1),
                    geometry,
                )
            )
        return sorted(out, key=lambda b: b.building_id)

    # -- plans -----------------------------------------------------------------------------

    def _over(
        self, layer: str, columns: Sequence[str], geometry: BaseGeometry
    ) -> Iterator[tuple[BaseGeometry, list[Any]]]:
        for blob, *values in self._connection.in_bounds(layer, columns, geometry.bounds):
            shape = geometry_of(blob)
            if shape.intersects(geometry):
                yield shape, values

    def plans_over(self, geometry: BaseGeometry) -> list[Plan]:
        """The plans intersecting a geometry, by plan id."""
        plans = []
        for shape, values in self._over("plans", PLAN_COLUMNS, geometry):
            pid, name, ptype, status, adopted, legal, years, authority, document = values
            plans.append(
                Plan(
                    pid,
                    name,
                    ptype,
                    status,
                    _day(adopted),
                    _day(legal),
                    _int(years),
                    authority,
                    document,
                    shape,
                )
            )
        return sorted(plans, key=lambda p: p.plan_id)

    def plan_uses_over(self, geometry: BaseGeometry) -> list[PlanUse]:
        """The användningsbestämmelser intersecting a geometry, by id."""
        uses = []
        for shape, values in self._over("plan_uses", USE_COLUMNS, geometry):
            use_id, plan_id, code, wording, land_form, catalogue_code = values
            uses.append(PlanUse(use_id, plan_id, code, wording, land_form, catalogue_code, shape))
        return sorted(uses, key=lambda u: u.use_id)

    def plan_rules_over(self, geometry: BaseGeometry) -> list[PlanRule]:
        """The egenskapsbestämmelser intersecting a geometry, by id."""
        rules = []
        for shape, values in self._over("plan_rules", RULE_COLUMNS, geometry):
            rule_id, plan_id, code, category, wording, value, unit, catalogue_code = values
            rules.append(
                PlanRule(
                    rule_id, plan_id, code, category, wording, value, unit, catalogue_code, shape
                )
            )
        return sorted(rules, key=lambda r: r.rule_id)


__all__ = ["GeoPackageLookups"]
