"""Properties, addresses, buildings and plans from a PostGIS store.

The row-to-model code is the GeoPackage backend's (:class:`~layers.gpkg.lookups.GeoPackageLookups`),
run over the pool's rows: keys through the B-tree indexes (``where_equal``), geometries through
the GiST index (``geom && box``) and then the same exact test with shapely, so both backends
answer alike. Only the page of properties in a box is PostGIS's own: ``ST_Intersects`` in the
database, grouped by property and ordered by designation, one page at a time.
"""

from __future__ import annotations

from layers.gpkg.lookups import GeoPackageLookups
from layers.models import PropertyPage
from layers.postgis.connection import SRID, Bounds, PostGISConnection

_PAGE = (
    "SELECT unit_id FROM parcels "
    f"WHERE geom && ST_MakeEnvelope(%s, %s, %s, %s, {SRID}) "
    f"AND ST_Intersects(geom, ST_MakeEnvelope(%s, %s, %s, %s, {SRID})) "
    "GROUP BY unit_id ORDER BY min(designation), min(part), unit_id LIMIT %s"
)


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

    def properties_in_bounds(self, bounds: Bounds, limit: int, offset: int) -> PropertyPage:
        """One page of the properties intersecting a box, by designation and part."""
        rows = self._pool.fetch(_PAGE, (*bounds, *bounds, offset + limit + 1))
        units = [unit for (unit,) in rows]
        page = units[offset : offset + limit]
        return PropertyPage(
            tuple(self.get_property(u) for u in page), offset, limit, len(units) > offset + limit
        )


__all__ = ["PostGISLookups"]
