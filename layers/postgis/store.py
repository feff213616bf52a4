"""The PostGIS layer store: the layers in a PostgreSQL/PostGIS database, read through a pool.

:class:`PostGISStore` composes the parts in :mod:`layers.postgis` around one
:class:`~layers.postgis.connection.PostGISConnection`: the search queries and lookups shared
with the GeoPackage backend (:class:`~layers.gpkg.search.GeoPackageSearch`,
:class:`~layers.postgis.lookups.PostGISLookups`) and
:class:`~layers.postgis.features.PostGISFeatures`.
Writes go to :func:`~layers.postgis.write.swap_layer`, one transaction per layer.

The schema is the project's (:mod:`layers.postgis.migrations`); a store refuses a database
whose schema version is not this code's, and says which command to run. Opening never writes.
"""

from __future__ import annotations

import datetime as dt
import os
from typing import TYPE_CHECKING, Any

import numpy as np
import shapely
from shapely import Point
from shapely.geometry.base import BaseGeometry

from layers.designation import parse_designation
from layers.errors import LayerError, ParcelNotFound, StoreUnavailable
from layers.features import FeaturePage, FeatureQuery, FeatureRecord, LayerInfo
from layers.gpkg.search import GeoPackageSearch
from layers.import_report import Progress, no_progress
from layers.models import Address, Building, Property, PropertyPage, Suggestion
from layers.plan import Plan, PlanRule, PlanUse
from layers.postgis import migrations
from layers.postgis.connection import PostGISConnection
from layers.postgis.features import PostGISFeatures
from layers.postgis.lookups import PostGISLookups
from layers.postgis.write import swap_layer
from layers.schema import LAYER_SCHEMAS
from layers.store import LAYERS, LayerStore

if TYPE_CHECKING:
    import geopandas as gpd

#: shapely's geometry type names by type id, as a typed column names them.
_TYPE_NAMES = {
    0: "Point",
    1: "LineString",
    3: "Polygon",
    4: "MultiPoint",
    5: "MultiLineString",
    6: "MultiPolygon",
}


def geometry_type(frame: gpd.GeoDataFrame, promote: bool) -> str:
    """The typed column a frame's geometries go in: their one type, Multi… when single and
    multi parts mix (or ``promote`` asks for it, as the GeoPackage writer does for polygon
    layers), else any geometry."""
    kinds = set(np.unique(shapely.get_type_id(frame.geometry.values)).tolist())
    if kinds and kinds <= {3, 6} and (promote or kinds == {3, 6}):
        return "MultiPolygon"
    if kinds and kinds <= {0, 4} and kinds == {0, 4}:
        return "MultiPoint"
    if len(kinds) == 1 and next(iter(kinds)) in _TYPE_NAMES:
        return _TYPE_NAMES[next(iter(kinds))]
    return "Geometry"


def _promoted(frame: gpd.GeoDataFrame, kind: str) -> gpd.GeoDataFrame:
    if kind not in ("MultiPolygon", "MultiPoint"):
        return frame
    out = frame.copy()
    single = shapely.get_type_id(out.geometry.values) == (3 if kind == "MultiPolygon" else 0)
    if single.any():
        maker = shapely.multipolygons if kind == "MultiPolygon" else shapely.multipoints
        values = np.asarray(out.geometry.values, dtype=object)
        values[single] = [maker([g]) for g in values[single]]
        out[out.geometry.name] = values
    return out


class PostGISStore(LayerStore):
    """The layer store in a PostGIS database.

    Parameters
    ----------
    dsn
        A libpq connection string or URI (``postgresql://user@host/db``); empty for libpq's
        ``PG*`` variables.
    max_items
        Largest page :meth:`properties_in` hands out.
    writable
        Allow :meth:`replace_layer` and :meth:`build_indexes`; the database may then lack
        layers (its schema must exist: ``minfastighet db init``).
    pool_size
        Largest number of connections the store's pool opens.
    """

    def __init__(
        self,
        dsn: str | os.PathLike[str],
        max_items: int = 10_000,
        writable: bool = False,
        pool_size: int = 8,
    ) -> None:
        super().__init__(dsn, max_items, writable)
        self.dsn = os.fspath(dsn)
        self._connection = PostGISConnection(self.dsn, pool_size)
        try:
            self._connection.run(lambda con: migrations.check_version(con, self._connection.name))
            if not writable:
                self._check_layers()
        except BaseException:
            self._connection.close()
            raise
        self._search = GeoPackageSearch(self._connection)  # type: ignore[arg-type]  # duck-typed connection
        self._lookups = PostGISLookups(self._connection)
        self._features = PostGISFeatures(self._connection)
        #: The parcels layer's generation and the kommuner last read with it (None before the
        #: first read); see :meth:`find_property`.
        self._areas: tuple[int | None, tuple[str, ...]] | None = None

    def _check_layers(self) -> None:
        present = {name for (name,) in self._connection.fetch("SELECT layer FROM layers_meta")}
        missing = [layer for layer in LAYERS if layer not in present]
        if missing:
            raise StoreUnavailable(
                f"{self._connection.name} lacks the layers {', '.join(missing)}; import them with "
                "'minfastighet import' or 'minfastighet db copy-from'"
            )

    def close(self) -> None:
        self._connection.close()

    @property
    def connection(self) -> PostGISConnection:
        """The store's pool (for the health check and the benchmarks)."""
        return self._connection

    def ping(self) -> bool:
        """Whether the database answers (one short query, retried as any other)."""
        try:
            return self._connection.fetch("SELECT 1") == [(1,)]
        except StoreUnavailable:
            return False

    # -- writing ---------------------------------------------------------------------------

    def _writing(self) -> None:
        self._connection.pool  # noqa: B018  # raises once closed
        if not self.writable:
            raise StoreUnavailable(
                f"the layer store {self._connection.name} is open read-only; "
                "open it with writable=True"
            )

    def _replace_layer(
        self,
        name: str,
        frame: gpd.GeoDataFrame,
        record: dict[str, Any] | None,
        progress: Progress,
    ) -> None:
        self._writing()
        schema = LAYER_SCHEMAS.get(name)
        kind = geometry_type(frame, promote=schema is not None and schema.geometry == "polygon")
        now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        swap_layer(
            self.dsn,
            name,
            _promoted(frame, kind),
            kind,
            None if record is None else (now, record),
            progress,
        )

    def copy_layer(
        self,
        name: str,
        frame: gpd.GeoDataFrame,
        record: tuple[str, dict[str, Any]] | None,
        last_change: str | None,
        extent: list[float] | None = None,
        progress: Progress = no_progress,
    ) -> None:
        """Copy a layer from another store as it is there: its geometry types (no promotion),
        its import record (imported at, report), its last change and the extent it reports
        (GDAL rounds a GeoPackage's R-tree envelopes its own way), in one swap."""
        self._writing()
        kind = geometry_type(frame, promote=False)
        swap_layer(
            self.dsn, name, _promoted(frame, kind), kind, record, progress, last_change, extent
        )

    def build_indexes(self) -> None:
        """Nothing to build: each swap builds its layer's indexes and search rows; refuses on
        a read-only store as the interface says."""
        self._writing()

    # -- kommuner, trakter and search ------------------------------------------------------

    def registry_areas(self) -> tuple[str, ...]:
        self._areas = self._lookups.registry_areas()
        return self._areas[1]

    def find_property(self, text: str) -> Property:
        """As :meth:`LayerStore.find_property <layers.store.LayerStore.find_property>`, in one
        round trip when the text names its kommun: the text is parsed with the kommuner last
        read, and the query reads the parcels layer's generation with the property; when that
        changed since the kommuner were read (a swap of the parcels, which rewrites them), or
        the text leaves the kommun out, or does not parse, the lookup is made afresh, as the
        interface makes it."""
        known = self._areas
        try:
            designation = None if known is None else parse_designation(text, known[1])
        except LayerError:
            designation = None
        if known is not None and designation is not None and designation.registry_area is not None:
            generation, found = self._lookups.by_designation(str(designation))
            if generation is not None and generation == known[0]:
                if found is None:
                    raise ParcelNotFound(f"no property {designation} in the store")
                return found
        return super().find_property(text)

    def trakt_areas(self, trakt: str) -> tuple[str, ...]:
        return self._search.trakt_areas(trakt)

    def suggest(
        self, kind: str, prefixes: list[str], limit: int, town: str = ""
    ) -> list[Suggestion]:
        return self._search.suggest(kind, prefixes, limit, town)

    def search_keys(self, kind: str) -> tuple[str, ...]:
        return self._search.keys(kind)

    # -- properties, addresses, buildings, plans -------------------------------------------

    def get_property(self, unit_id: str) -> Property:
        return self._lookups.get_property(unit_id)

    def property_by_designation(self, designation: str) -> Property | None:
        return self._lookups.property_by_designation(designation)

    def properties_at_point(self, point: Point) -> list[Property]:
        return self._lookups.properties_at_point(point)

    def properties_in_bounds(
        self, bounds: tuple[float, float, float, float], limit: int, offset: int
    ) -> PropertyPage:
        return self._lookups.properties_in_bounds(bounds, limit, offset)

    def addresses_of(self, unit_id: str) -> list[Address]:
        return self._lookups.addresses_of(unit_id)

    def address(self, address_id: str) -> Address:
        return self._lookups.address(address_id)

    def buildings_of(self, unit_id: str) -> list[Building]:
        return self._lookups.buildings_of(unit_id)

    def plans_over(self, geometry: BaseGeometry) -> list[Plan]:
        return self._lookups.plans_over(geometry)

    def plan_uses_over(self, geometry: BaseGeometry) -> list[PlanUse]:
        return self._lookups.plan_uses_over(geometry)

    def plan_rules_over(self, geometry: BaseGeometry) -> list[PlanRule]:
        return self._lookups.plan_rules_over(geometry)

    # -- features of any layer -------------------------------------------------------------

    def layer_names(self) -> tuple[str, ...]:
        return self._features.layer_names()

    def layer_info(self, layer: str) -> LayerInfo:
        return self._features.layer_info(layer)

    def page_description(self, layer: str) -> LayerInfo:
        return self._features.cached_info(layer) or self.layer_info(layer)

    def feature_page(self, query: FeatureQuery) -> FeaturePage:
        return self._features.feature_page(query)

    def feature(self, layer: str, feature_id: str) -> FeatureRecord:
        return self._features.feature(layer, feature_id)


def init_database(dsn: str) -> list[int]:
    """Create or upgrade the schema of the database at ``dsn``; the versions applied."""
    return migrations.upgrade(dsn)


__all__ = ["PostGISStore", "geometry_type", "init_database"]
