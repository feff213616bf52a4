"""The STAC catalog of solar maps: items, extensions, validation, lookup by geometry."""

from __future__ import annotations

import json

import numpy as np
import pytest
import shapely
from pyproj import Transformer

from solar.catalog import (
    COLLECTION_ID,
    add_to_catalog,
    find_tiles,
    list_tiles,
    open_catalog,
    validate_catalog,
)
from solar.cog import Draft
from solar.errors import CatalogError, SolarMapNotFound

from .conftest import ORIGIN, transform


def _cog(path, value: float = 900.0, size: int = 64):
    profile = {"width": size, "height": size, "crs": "EPSG:3006", "transform": transform()}
    values = np.full((size, size), value, np.float32)
    values[:8] = -9999.0
    with Draft(path, profile, -9999.0) as draft:
        from rasterio.windows import Window

        draft.write(values, Window(0, 0, size, size))
        draft.finish(tags={}, band_tags={"UNIT": "kWh/m2/year"}, description="test")
    return path


@pytest.fixture
def catalog(tmp_path):
    path = tmp_path / "stac" / "catalog.json"
    cog = _cog(tmp_path / "solar" / "a.tif") if (tmp_path / "solar").mkdir() is None else None
    add_to_catalog(path, cog, "2024-06-01", source="test", parameters={"model": "x"})
    return path


def test_item_has_projection_raster_date_and_model(catalog):
    item_file = next(catalog.parent.rglob("a.json"))
    item = json.loads(item_file.read_text())
    props = item["properties"]
    assert props["proj:code"] == "EPSG:3006"
    assert props["proj:shape"] == [64, 64]
    assert props["datetime"].startswith("2024-06-01")
    assert props["solar:model"] == {"model": "x"}
    band = item["assets"]["irradiation"]["raster:bands"][0]
    assert band["unit"] == "kWh/m2/year"
    assert band["nodata"] == -9999.0
    assert band["statistics"]["maximum"] == pytest.approx(900.0)
    assert not item["assets"]["irradiation"]["href"].startswith("/")  # relative: movable
    lon, lat = shapely.geometry.shape(item["geometry"]).centroid.coords[0]
    assert 17.2 < lon < 17.4
    assert 62.3 < lat < 62.5


def test_catalog_validates_with_pystac(catalog):
    skipped = validate_catalog(catalog)
    assert all("stac-extensions" in uri for uri in skipped)


def test_invalid_item_fails_validation(catalog):
    item_file = next(catalog.parent.rglob("a.json"))
    item = json.loads(item_file.read_text())
    del item["properties"]["datetime"]
    item_file.write_text(json.dumps(item))
    with pytest.raises(CatalogError, match="not valid STAC"):
        validate_catalog(catalog)


def test_find_tiles_by_geometry_in_any_crs(catalog):
    inside = shapely.Point(ORIGIN[0] + 10, ORIGIN[1] - 10)
    assert [t.id for t in find_tiles(catalog, inside)] == ["a"]
    lon, lat = Transformer.from_crs("EPSG:3006", "EPSG:4326", always_xy=True).transform(
        ORIGIN[0] + 10, ORIGIN[1] - 10
    )
    assert find_tiles(catalog, shapely.Point(lon, lat), crs="EPSG:4326")
    with pytest.raises(SolarMapNotFound):
        find_tiles(catalog, shapely.Point(ORIGIN[0] - 500, ORIGIN[1]))
    tile = find_tiles(catalog, inside.__geo_interface__)[0]
    assert tile.href.is_file()


def test_adding_the_same_id_replaces_it(catalog, tmp_path):
    _cog(tmp_path / "solar" / "a.tif", value=700.0)
    add_to_catalog(catalog, tmp_path / "solar" / "a.tif", "2025-01-01", source="again")
    tiles = list_tiles(catalog)
    assert [(t.id, t.scan_date, t.source) for t in tiles] == [("a", "2025-01-01", "again")]
    assert open_catalog(catalog).get_child(COLLECTION_ID) is not None


def test_missing_catalog_and_bad_date_are_clear_errors(tmp_path):
    with pytest.raises(CatalogError, match="no solar catalog"):
        list_tiles(tmp_path / "none" / "catalog.json")
    with pytest.raises(CatalogError, match="not a date"):
        add_to_catalog(
            tmp_path / "c" / "catalog.json", _cog(tmp_path / "x.tif"), "spring", source="x"
        )
