"""Properties, addresses, buildings and plans from a PostGIS store.

The row-to-model code is the GeoPackage backend's (:class:`~layers.gpkg.lookups.GeoPackageLookups`),
run over the pool's rows: keys through the B-tree indexes (``where_equal``), geometries through
the GiST index (``geom && box``) and then the same exact test with shapely, so both backends
answer alike. Only the page of properties in a box is PostGIS's own: ``ST_Intersects`` in the
database, grouped by property and ordered by designation, one page at a time.

The two lookups people make most are one round trip each: a property by designation comes with
the parcels layer's generation read in the same snapshot (:meth:`PostGISLookups.by_designation`,
so the store can parse with the kommuner it read with that generation and confirm in the same
query that they still hold), and the
properties at a point come with all their parts (:meth:`PostGISLookups.properties_at_point`).
"""

from __future__ import annotations

from shapely import Point

from layers.gpkg.connection import geometry_of
from layers.gpkg.lookups import PARCEL_COLUMNS, GeoPackageLookups
from layers.models import Property, PropertyPage
from layers.postgis.connection import SRID, Bounds, PostGISConnection, Row, as_gpkg

#: The properties meeting a box, numbered by designation and part (up to one past the page),
#: with every part of those on the page (``offset < n <= offset + limit``).
_PAGE = (
    "WITH ids AS (SELECT unit_id, row_number() OVER "
    "(ORDER BY min(designation), min(part), unit_id) AS n FROM parcels "
    f"WHERE geom && ST_MakeEnvelope(%s, %s, %s, %s, {SRID}) "
    f"AND ST_Intersects(geom, ST_MakeEnvelope(%s, %s, %s, %s, {SRID})) "
    "GROUP BY unit_id ORDER BY n LIMIT %s) "
    f"SELECT ids.n, ST_AsBinary(p.geom), {', '.join('p.' + c for c in PARCEL_COLUMNS)}, p.fid "
    "FROM ids LEFT JOIN parcels p "
    "ON p.unit_id = ids.unit_id AND ids.n > %s AND ids.n <= %s ORDER BY ids.n, p.fid"
)
_PARCEL = f"ST_AsBinary(geom), {', '.join(PARCEL_COLUMNS)}, fid"
#: The parcels layer's generation: its swap rewrites the store's kommuner (``layers_search``)
#: in the same transaction, so the kommuner read with one generation hold until it changes.
_GENERATION = "(SELECT generation FROM layers_meta WHERE layer = 'parcels')"
#: The store's kommuner (as ``registry_areas`` reads them) with the parcels' generation.
_AREAS = (
    f"SELECT {_GENERATION}, (SELECT coalesce(array_agg(label ORDER BY key), '{{}}') "
    "FROM layers_search WHERE kind = 'area')"
)
#: The parcels' generation and the parts of one designation.
_BY_DESIGNATION = (
    f"SELECT {_GENERATION}, p.* FROM (SELECT 1) AS one LEFT JOIN LATERAL "
    f"(SELECT {_PARCEL} FROM parcels WHERE designation = %s) AS p ON true ORDER BY p.fid"
)
#: Every part of the properties with a part whose box meets the point's.
_AT_POINT = (
    f"SELECT {_PARCEL} FROM parcels WHERE unit_id IN (SELECT unit_id FROM parcels "
    f"WHERE geom && ST_MakeEnvelope(%s, %s, %s, %s, {SRID})) ORDER BY fid"
)


def _parts(rows: list[Row]) -> dict[str, list[Row]]:
    """Parcel rows (WKB first, fid last) as the shared row-to-model code reads them, by unit.

    >>> _parts([(None, "u1", "p1", 7), (None, "u2", "p2", 8), (None, "u1", "p3", 9)])
    {'u1': [(None, 'u1', 'p1'), (None, 'u1', 'p3')], 'u2': [(None, 'u2', 'p2')]}
    """
    units: dict[str, list[Row]] = {}
    for wkb, unit_id, *rest in rows:
        units.setdefault(unit_id, []).append((as_gpkg(wkb), unit_id, *rest[:-1]))
    return units


class PostGISLookups(GeoPackageLookups):
    """The property, address, building and plan queries of :class:`~layers.store.LayerStore`.

    Parameters
    ----------
    connection
        The store's connection pool.
    """

    def __init__(self, connection: PostGISConnection) -> None:
        # The shared lookups call only query, where_equal and in_bounds, which the pool has.
        super().__init__(connection)  # type: ignore[arg-type]  # duck-typed connection
        self._pool = connection

    def registry_areas(self) -> tuple[int | None, tuple[str, ...]]:
        """The parcels layer's generation and the store's kommuner, from one snapshot."""
        ((generation, areas),) = self._pool.fetch(_AREAS)
        return generation, tuple(areas)

    def by_designation(self, designation: str) -> tuple[int | None, Property | None]:
        """The parcels layer's generation and the property of a canonical designation (or
        None), read in one query and so from one snapshot."""
        rows = self._pool.fetch(_BY_DESIGNATION, (designation,))
        parts = _parts([row[1:] for row in rows if row[1] is not None])
        return rows[0][0], self._property(parts[next(iter(parts))]) if parts else None

    def properties_at_point(self, point: Point) -> list[Property]:
        """The properties covering a point, by designation: every part of the candidates in
        one query, then the GeoPackage backend's exact test (shapely's ``covers``)."""
        found = [
            self._property(parts)
            for parts in _parts(self._pool.fetch(_AT_POINT, point.bounds)).values()
            if any(geometry_of(part[0]).covers(point) for part in parts)
        ]
        return sorted(found, key=lambda p: str(p.designation))

    def properties_in_bounds(self, bounds: Bounds, limit: int, offset: int) -> PropertyPage:
        """One page of the properties intersecting a box, by designation and part, with all
        their parts, in one query."""
        end = offset + limit
        rows = self._pool.fetch(_PAGE, (*bounds, *bounds, end + 1, offset, end))
        parts = _parts([row[1:] for row in rows if row[1] is not None])
        count = rows[-1][0] if rows else 0
        return PropertyPage(
            tuple(self._property(p) for p in parts.values()), offset, limit, count > end
        )


__all__ = ["PostGISLookups"]
