"""The STAC catalog of solar maps: one collection, one item per Cloud-Optimized GeoTIFF.

The catalog is a self-contained static STAC catalog (``catalog.json``) holding the collection
:data:`COLLECTION_ID`; each item is one COG tile with its bbox and WGS 84 footprint, the
projection extension (grid, CRS), the raster extension (unit, nodata, statistics), the date of
the laser scan as its datetime and the model's parameters under ``solar:model``. Readers find
the tiles covering a geometry with :func:`find_tiles`; asset paths are resolved from the
catalog, never taken from a request, and every href of the catalog must name a local file in
its data directory (:mod:`solar.hrefs`).
"""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pystac
import rasterio
import shapely
from pyproj import CRS
from pystac.extensions.projection import ProjectionExtension
from pystac.extensions.raster import DataType, RasterBand, RasterExtension, Statistics

from solar.errors import CatalogError, SolarMapNotFound
from solar.hrefs import ConfinedIO, catalog_root, confined
from sweref import STORAGE_CRS, WGS84, reproject, transformer

if TYPE_CHECKING:
    from rasterio.io import DatasetReader

__all__ = [
    "COLLECTION_ID",
    "SolarTile",
    "add_to_catalog",
    "find_tiles",
    "open_catalog",
    "tile_item",
    "validate_catalog",
]

CATALOG_ID = "minfastighet-solar"
COLLECTION_ID = "solkarta"
UNIT = "kWh/m2/year"
ASSET_KEY = "irradiation"
COG_MEDIA_TYPE = pystac.MediaType.COG

#: A CRS as pyproj takes it: ``"EPSG:3006"`` or a CRS object.
CRSLike = str | CRS


@dataclass(frozen=True)
class SolarTile:
    """A catalogued solar map tile: its id, file and bbox in its own CRS."""

    id: str
    href: Path
    crs: str
    bounds: tuple[float, float, float, float]
    scan_date: str
    source: str

    def to_dict(self) -> dict[str, Any]:
        """The tile as JSON-ready values."""
        return {
            "id": self.id,
            "href": str(self.href),
            "crs": self.crs,
            "bounds": list(self.bounds),
            "scan_date": self.scan_date,
            "source": self.source,
        }

    @property
    def __geo_interface__(self) -> dict[str, Any]:
        """The tile's bounds as a GeoJSON polygon in its own CRS."""
        box: dict[str, Any] = shapely.box(*self.bounds).__geo_interface__
        return box


def _new_catalog() -> pystac.Catalog:
    catalog = pystac.Catalog(
        id=CATALOG_ID,
        title="Min fastighet: solkartor",
        description="Solar maps (annual irradiation on roofs, kWh/m²·year) as Cloud-Optimized "
        "GeoTIFFs in SWEREF 99 TM.",
    )
    open_interval: list[list[dt.datetime | None]] = [[None, None]]
    extent = pystac.Extent(
        pystac.SpatialExtent([[-180.0, -90.0, 180.0, 90.0]]), pystac.TemporalExtent(open_interval)
    )
    collection = pystac.Collection(
        id=COLLECTION_ID,
        title="Solkarta",
        extent=extent,
        license="other",
        description="Annual solar irradiation (kWh/m²·year) on every roof pixel, computed from "
        "a laser-scanned surface model or imported from another solar map.",
        keywords=["solkarta", "solar", "irradiation", "SOLEY"],
    )
    ProjectionExtension.add_to(collection)
    RasterExtension.add_to(collection)
    catalog.add_child(collection)
    return catalog


def open_catalog(path: str | os.PathLike[str], create: bool = False) -> pystac.Catalog:
    """Read the catalog at ``path`` (``catalog.json``); with ``create``, start one if missing."""
    path = Path(path)
    if not path.exists():
        if create:
            catalog = _new_catalog()
            catalog.normalize_hrefs(str(path.parent.resolve()))
            return catalog
        raise CatalogError(
            f"there is no solar catalog at {path}; compute a solar map or add "
            "one with 'minfastighet catalog add'"
        )
    try:
        return pystac.Catalog.from_file(str(path.resolve()), stac_io=ConfinedIO(catalog_root(path)))
    except (OSError, json.JSONDecodeError, pystac.STACError, KeyError) as err:
        raise CatalogError(f"cannot read the solar catalog {path}: {err}") from err


def _collection(catalog: pystac.Catalog) -> pystac.Collection:
    child = catalog.get_child(COLLECTION_ID)
    if not isinstance(child, pystac.Collection):
        raise CatalogError(f"the catalog has no '{COLLECTION_ID}' collection")
    return child


def _footprint(src: DatasetReader) -> tuple[shapely.Polygon, list[float]]:
    to_wgs84 = transformer(src.crs, WGS84)
    box = shapely.box(*src.bounds).segmentize(
        max(src.bounds.right - src.bounds.left, src.bounds.top - src.bounds.bottom) / 4
    )
    xy = shapely.get_coordinates(box)
    lon, lat = to_wgs84.transform(xy[:, 0], xy[:, 1])
    polygon = shapely.Polygon(np.column_stack([np.round(lon, 7), np.round(lat, 7)]))
    return polygon, [round(v, 7) for v in polygon.bounds]


def _statistics(src: DatasetReader) -> Statistics:
    factor = max(1, max(src.width, src.height) // 1024)
    values = src.read(
        1, masked=True, out_shape=(max(1, src.height // factor), max(1, src.width // factor))
    )
    valid = values.compressed()
    if valid.size == 0:
        return Statistics.create(valid_percent=0.0)
    return Statistics.create(
        minimum=round(float(valid.min()), 2),
        maximum=round(float(valid.max()), 2),
        mean=round(float(valid.mean()), 2),
        valid_percent=round(100.0 * valid.size / values.size, 2),
    )


def _item(
    cog: Path,
    item_id: str,
    scan_date: dt.datetime,
    source: str,
    parameters: dict[str, Any] | None,
) -> pystac.Item:
    with rasterio.open(cog) as src:
        polygon, bbox = _footprint(src)
        item = pystac.Item(
            id=item_id,
            geometry=shapely.geometry.mapping(polygon),
            bbox=bbox,
            datetime=scan_date,
            properties={"solar:source": source},
            collection=COLLECTION_ID,
        )
        item.properties["solar:model"] = parameters or {}
        item.add_asset(
            ASSET_KEY,
            pystac.Asset(
                href=str(cog.resolve()),
                media_type=COG_MEDIA_TYPE,
                roles=["data"],
                title="Annual irradiation (kWh/m²·year)",
            ),
        )
        proj = ProjectionExtension.ext(item, add_if_missing=True)
        proj.code = src.crs.to_string()
        proj.shape = [src.height, src.width]
        proj.transform = list(src.transform)[:6]
        proj.bbox = [round(v, 3) for v in src.bounds]
        band = RasterBand.create(
            nodata=src.nodata,
            data_type=DataType.FLOAT32,
            unit=UNIT,
            spatial_resolution=float(src.res[0]),
            statistics=_statistics(src),
        )
        RasterExtension.ext(item.assets[ASSET_KEY], add_if_missing=True).bands = [band]
    return item


def tile_item(
    cog: str | os.PathLike[str],
    item_id: str,
    scan_date: dt.date | str,
    source: str,
    parameters: dict[str, Any] | None = None,
) -> pystac.Item:
    """The STAC item of the COG ``cog``, in no catalog (as :func:`add_to_catalog` makes it)."""
    return _item(Path(cog), item_id, _datetime(scan_date), source, parameters)


def add_to_catalog(
    catalog_path: str | os.PathLike[str],
    cog: str | os.PathLike[str],
    scan_date: dt.date | str,
    source: str,
    item_id: str | None = None,
    parameters: dict[str, Any] | None = None,
) -> SolarTile:
    """Catalogue the COG ``cog`` (left where it is) in the catalog at ``catalog_path``.

    An item with the same id is replaced. The catalog is written self-contained, with relative
    links and asset paths, so the data directory can be moved.
    """
    catalog_path, cog = Path(catalog_path), Path(cog)
    root = catalog_root(catalog_path)
    confined(str(cog.resolve()), root)  # a catalog names files in its data directory only
    when = _datetime(scan_date)
    catalog = open_catalog(catalog_path, create=True)
    collection = _collection(catalog)
    item_id = item_id or cog.stem
    if collection.get_item(item_id) is not None:
        collection.remove_item(item_id)
    item = _item(cog, item_id, when, source, parameters)
    collection.add_item(item)
    collection.update_extent_from_items()
    catalog.normalize_hrefs(str(catalog_path.parent.resolve()))
    catalog.make_all_asset_hrefs_relative()
    catalog_path.parent.mkdir(parents=True, exist_ok=True)
    catalog.save(catalog_type=pystac.CatalogType.SELF_CONTAINED)
    return _tile(item, root)


def _datetime(value: dt.date | str) -> dt.datetime:
    try:
        day = dt.date.fromisoformat(value) if isinstance(value, str) else value
    except ValueError as err:
        raise CatalogError(f"the scan date {value!r} is not a date (YYYY-MM-DD)") from err
    if day is None:
        raise CatalogError("a solar map needs the date of its laser scan (YYYY-MM-DD)")
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def _tile(item: pystac.Item, root: Path) -> SolarTile:
    asset = item.assets[ASSET_KEY]
    proj = ProjectionExtension.ext(item)
    return SolarTile(
        id=item.id,
        href=confined(asset.get_absolute_href() or asset.href, root),
        crs=proj.code or "",
        bounds=_bounds(proj.bbox or item.bbox, item.id),
        scan_date=item.datetime.date().isoformat() if item.datetime else "",
        source=item.properties.get("solar:source", ""),
    )


def _bounds(bbox: list[float] | None, item_id: str) -> tuple[float, float, float, float]:
    if bbox is None or len(bbox) != 4:
        raise CatalogError(f"the solar map {item_id} has no two-dimensional bbox")
    minx, miny, maxx, maxy = bbox
    return minx, miny, maxx, maxy


def list_tiles(catalog_path: str | os.PathLike[str]) -> list[SolarTile]:
    """Every catalogued tile."""
    catalog = open_catalog(catalog_path)
    root = catalog_root(catalog_path)
    try:
        return [_tile(item, root) for item in _collection(catalog).get_items()]
    except pystac.STACError as err:  # a link pystac could not (or may not) follow
        raise CatalogError(f"cannot read the solar catalog {catalog_path}: {err}") from err


def find_tiles(
    catalog_path: str | os.PathLike[str],
    geometry: shapely.Geometry | dict[str, Any],
    crs: CRSLike = STORAGE_CRS,
) -> list[SolarTile]:
    """The tiles whose footprint intersects ``geometry`` (shapely or GeoJSON-like, in ``crs``).

    Raises :class:`SolarMapNotFound` when none does.
    """
    shape = shapely.geometry.shape(geometry) if isinstance(geometry, dict) else geometry
    hits = []
    for tile in list_tiles(catalog_path):
        moved = reproject(shape, crs, tile.crs) if tile.crs else shape
        if shapely.box(*tile.bounds).intersects(moved):
            hits.append(tile)
    if not hits:
        raise SolarMapNotFound("no solar map covers that place")
    return hits


def validate_catalog(catalog_path: str | os.PathLike[str], fetch: bool = False) -> list[str]:
    """Validate every object against the STAC JSON schemas with pystac; raise on failure.

    The core schemas ship with pystac and are always checked. The projection and raster
    extension schemas are checked only with ``fetch`` (pystac downloads them); their fields are
    always checked here. Returns the extension schema URIs that were not checked.
    """
    from solar.stac_validation import validate

    catalog = open_catalog(catalog_path)
    try:
        return validate(catalog, fetch)
    except (pystac.STACValidationError, pystac.STACError) as err:
        raise CatalogError(f"the solar catalog {catalog_path} is not valid STAC: {err}") from err
