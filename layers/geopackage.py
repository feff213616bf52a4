"""The GeoPackage layer store: one SQLite file read through the standard library's ``sqlite3``.

:class:`GeoPackageStore` composes the parts in :mod:`layers.gpkg` around one read-only
connection: :class:`~layers.gpkg.search.GeoPackageSearch` (kommuner, trakter, suggestions),
:class:`~layers.gpkg.lookups.GeoPackageLookups` (properties, addresses, buildings, plans) and
:class:`~layers.gpkg.features.GeoPackageFeatures` (any layer's pages). Writes go to
:mod:`layers.gpkg.write` (a layer swapped in atomically) and :mod:`layers.gpkg.search` (the
indexes and the search table, built in one transaction).

Opening a store never writes to its file. A file whose search table is missing or older than
its layers (one written by other tools) is still served: the store builds the table in memory
for its connection, and says so in the log; :meth:`GeoPackageStore.build_indexes` writes it
into the file once.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from shapely import Point
from shapely.geometry.base import BaseGeometry

from layers.errors import StoreUnavailable
from layers.features import FeaturePage, FeatureQuery, FeatureRecord, LayerInfo
from layers.gpkg import search, write
from layers.gpkg.connection import GeoPackageConnection
from layers.gpkg.features import GeoPackageFeatures
from layers.gpkg.lookups import GeoPackageLookups
from layers.gpkg.search import GeoPackageSearch
from layers.import_report import Progress
from layers.models import Address, Building, Property, PropertyPage, Suggestion
from layers.plan import Plan, PlanRule, PlanUse
from layers.store import LAYERS, LayerStore

if TYPE_CHECKING:
    import geopandas as gpd

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class _Reader:
    """The parts that answer queries, all on one connection."""

    connection: GeoPackageConnection
    search: GeoPackageSearch
    lookups: GeoPackageLookups
    features: GeoPackageFeatures


def _check_layers(connection: GeoPackageConnection) -> None:
    """Refuse a file without the store's layers or their spatial indexes."""
    path, columns = connection.path, connection.geometry_columns
    missing = [layer for layer in LAYERS if layer not in columns]
    if missing:
        raise StoreUnavailable(
            f"the layer store {path} lacks the layers "
            f"{', '.join(missing)}; import them with 'minfastighet import'"
        )
    for layer in LAYERS:
        if not connection.has_table(connection.rtree(layer)):
            raise StoreUnavailable(f"layer {layer} in {path} has no spatial index")


def _searchable(connection: GeoPackageConnection) -> None:
    """Make sure the connection has a current search table, without writing to the file."""
    con = connection.con
    if search.search_current(con):
        return
    log.warning(
        "%s has no current search index; building one in memory for this connection "
        "(index the file once with LayerStore.build_indexes)",
        connection.path,
    )
    search.build_search_table(con, "temp")
    con.commit()


class GeoPackageStore(LayerStore):
    """The layer store in one GeoPackage file.

    Parameters
    ----------
    path
        The GeoPackage.
    max_items
        Largest page :meth:`properties_in` hands out.
    writable
        Allow :meth:`replace_layer` and :meth:`build_indexes`; the file may then be missing
        or lack layers (it is opened for reading on the first query).
    """

    def __init__(
        self, path: str | os.PathLike[str], max_items: int = 10_000, writable: bool = False
    ) -> None:
        super().__init__(path, max_items, writable)
        self.path = Path(path)
        self._open: _Reader | None = None
        self._closed = False
        if not writable:
            self._open = self._connect()

    def _connect(self) -> _Reader:
        if not self.path.is_file():
            raise StoreUnavailable(
                f"the layer store {self.path} does not exist; build the sample "
                "with 'minfastighet sample-data' or import layers with "
                "'minfastighet import'"
            )
        connection = GeoPackageConnection(self.path)
        try:
            _check_layers(connection)
            _searchable(connection)
        except BaseException:
            connection.close()
            raise
        return _Reader(
            connection,
            GeoPackageSearch(connection),
            GeoPackageLookups(connection),
            GeoPackageFeatures(connection),
        )

    @property
    def _reader(self) -> _Reader:
        if self._closed:
            raise StoreUnavailable("the layer store is closed")
        if self._open is None:
            self._open = self._connect()
        return self._open

    def _drop_reader(self) -> None:
        reader, self._open = self._open, None
        if reader is not None:
            reader.connection.close()

    def close(self) -> None:
        self._closed = True
        self._drop_reader()

    # -- writing ---------------------------------------------------------------------------

    @property
    def lock_path(self) -> Path:
        """The lock file writers serialise on; it stays after a write (removing it would race
        a writer waiting on it), so only a private build directory may remove it."""
        return write.lock_path(self.path)

    def _writing(self) -> None:
        if self._closed:
            raise StoreUnavailable("the layer store is closed")
        if not self.writable:
            raise StoreUnavailable(
                f"the layer store {self.path} is open read-only; open it with writable=True"
            )

    def _replace_layer(
        self,
        name: str,
        frame: gpd.GeoDataFrame,
        record: dict[str, Any] | None,
        progress: Progress,
    ) -> None:
        self._writing()
        write.replace_layer(self.path, name, frame, record, progress)
        self._drop_reader()  # the next query reads the new file

    def build_indexes(self) -> None:
        self._writing()
        if not self.path.is_file():
            raise StoreUnavailable(f"the layer store {self.path} does not exist")
        search.build_indexes(self.path)
        self._drop_reader()

    # -- kommuner, trakter and search ------------------------------------------------------

    def registry_areas(self) -> tuple[str, ...]:
        return self._reader.search.registry_areas()

    def trakt_areas(self, trakt: str) -> tuple[str, ...]:
        return self._reader.search.trakt_areas(trakt)

    def suggest(
        self, kind: str, prefixes: list[str], limit: int, town: str = ""
    ) -> list[Suggestion]:
        return self._reader.search.suggest(kind, prefixes, limit, town)

    def search_keys(self, kind: str) -> tuple[str, ...]:
        return self._reader.search.keys(kind)

    # -- properties, addresses, buildings, plans -------------------------------------------

    def get_property(self, unit_id: str) -> Property:
        return self._reader.lookups.get_property(unit_id)

    def property_by_designation(self, designation: str) -> Property | None:
        return self._reader.lookups.property_by_designation(designation)

    def properties_at_point(self, point: Point) -> list[Property]:
        return self._reader.lookups.properties_at_point(point)

    def properties_in_bounds(
        self, bounds: tuple[float, float, float, float], limit: int, offset: int
    ) -> PropertyPage:
        return self._reader.lookups.properties_in_bounds(bounds, limit, offset)

    def addresses_of(self, unit_id: str) -> list[Address]:
        return self._reader.lookups.addresses_of(unit_id)

    def address(self, address_id: str) -> Address:
        return self._reader.lookups.address(address_id)

    def buildings_of(self, unit_id: str) -> list[Building]:
        return self._reader.lookups.buildings_of(unit_id)

    def plans_over(self, geometry: BaseGeometry) -> list[Plan]:
        return self._reader.lookups.plans_over(geometry)

    def plan_uses_over(self, geometry: BaseGeometry) -> list[PlanUse]:
        return self._reader.lookups.plan_uses_over(geometry)

    def plan_rules_over(self, geometry: BaseGeometry) -> list[PlanRule]:
        return self._reader.lookups.plan_rules_over(geometry)

    # -- features of any layer -------------------------------------------------------------

    def layer_names(self) -> tuple[str, ...]:
        return self._reader.features.layer_names()

    def layer_info(self, layer: str) -> LayerInfo:
        return self._reader.features.layer_info(layer)

    def feature_page(self, query: FeatureQuery) -> FeaturePage:
        return self._reader.features.feature_page(query)

    def feature(self, layer: str, feature_id: str) -> FeatureRecord:
        return self._reader.features.feature(layer, feature_id)


__all__ = ["GeoPackageStore"]
