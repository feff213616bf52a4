"""Solar maps as files: blocks, buildings, the COG, its metadata and bad input."""

from __future__ import annotations

import json

import geopandas as gpd
import numpy as np
import pytest
import rasterio
import shapely
from rasterio.transform import array_bounds

from solar import SolarModel, compute_solar_map, compute_solar_tiles, irradiation
from solar.cog import validate_cog
from solar.errors import InvalidBuildings, InvalidModel, InvalidSurface, SolarError
from solar.solar_map import NODATA

from .conftest import CRS, ORIGIN, plane, transform, write_dsm

MODEL = SolarModel(step_minutes=30, margin_m=8.0, directions=32)


def _town(size: int = 150, seed: int = 4) -> tuple[np.ndarray, list[shapely.Polygon]]:
    """Gently sloping ground with a few houses (gabled and flat roofs) and their footprints."""
    rng = np.random.default_rng(seed)
    z = plane(3, 200, size=size, base=10.0)
    houses = []
    for _ in range(12):
        r, c = rng.integers(5, size - 25, 2)
        h, w = rng.integers(8, 20, 2)
        ridge = rng.random() < 0.5
        roof = z[r : r + h, c : c + w].max() + rng.uniform(3, 9)
        if ridge:
            rows = np.abs(np.arange(h) - (h - 1) / 2)[:, None]
            z[r : r + h, c : c + w] = roof - rows * 0.5 * np.tan(np.radians(35))
        else:
            z[r : r + h, c : c + w] = roof
        x0, y0 = ORIGIN[0] + c * 0.5, ORIGIN[1] - (r + h) * 0.5
        houses.append(shapely.box(x0, y0, x0 + w * 0.5, y0 + h * 0.5))
    return z.astype(np.float32), houses


@pytest.fixture(scope="module")
def town(tmp_path_factory):
    folder = tmp_path_factory.mktemp("town")
    z, houses = _town()
    dsm = write_dsm(folder / "dsm.tif", z)
    buildings = folder / "buildings.gpkg"
    gpd.GeoDataFrame({"id": range(len(houses))}, geometry=houses, crs=CRS).to_file(
        buildings, layer="buildings"
    )
    return folder, dsm, buildings, z


def _read(path) -> np.ndarray:
    with rasterio.open(path) as src:
        return src.read(1)


def test_blocks_give_the_same_map_as_one_block(town):
    folder, dsm, _, _ = town
    one = compute_solar_map(dsm, folder / "one.tif", model=MODEL, block=512)
    small = compute_solar_map(dsm, folder / "small.tif", model=MODEL, block=32)
    assert np.array_equal(_read(one.path), _read(small.path))


def test_the_file_matches_the_in_memory_model(town):
    folder, dsm, _, z = town
    result = compute_solar_map(dsm, folder / "whole.tif", model=MODEL, block=64)
    np.testing.assert_allclose(
        _read(result.path), irradiation(z, transform(), CRS, MODEL), rtol=1e-6
    )


def test_buildings_leave_nodata_off_roofs_and_roofs_as_computed(town):
    folder, dsm, buildings, z = town
    result = compute_solar_map(
        dsm, folder / "roofs.tif", buildings=buildings, model=MODEL, block=64
    )
    values = _read(result.path)
    with rasterio.open(result.path) as src:
        assert src.nodata == NODATA
    on_roof = values != NODATA
    assert 0 < on_roof.sum() < values.size / 2
    assert result.pixels == on_roof.sum()
    whole = irradiation(z, transform(), CRS, MODEL)
    # away from roof edges (where slopes are one-sided) roofs get what the whole map gets
    inner = (
        on_roof
        & np.roll(on_roof, 1, 0)
        & np.roll(on_roof, -1, 0)
        & np.roll(on_roof, 1, 1)
        & np.roll(on_roof, -1, 1)
    )
    np.testing.assert_allclose(values[inner], whole[inner], rtol=1e-5)


def test_output_is_a_valid_cog_with_overviews_and_model_metadata(tmp_path):
    dsm = write_dsm(tmp_path / "dsm.tif", plane(10, 150, size=600))
    result = compute_solar_map(dsm, tmp_path / "cog.tif", model=MODEL, scan_date="2024-05-02")
    validate_cog(result.path)
    with rasterio.open(result.path) as src, rasterio.open(dsm) as ref:
        assert src.dtypes[0] == "float32"
        assert src.crs == ref.crs
        assert src.transform == ref.transform
        assert src.shape == ref.shape
        assert src.overviews(1)
        tags = src.tags()
        assert src.tags(1)["UNIT"] == "kWh/m2/year"
    model = json.loads(tags["SOLAR_MODEL"])
    assert model["step_minutes"] == 30
    assert model["margin_m"] == 8.0
    assert model["scan_date"] == "2024-05-02"
    assert model["climate"]["annual_ghi_kwh_m2"] == pytest.approx(910, abs=0.5)


def test_no_partial_file_is_left_on_failure(tmp_path):
    dsm = write_dsm(tmp_path / "dsm.tif", plane(0, 180, size=16))
    out = tmp_path / "out.tif"
    with pytest.raises(InvalidBuildings):
        compute_solar_map(dsm, out, buildings=tmp_path / "missing.gpkg", model=MODEL)
    assert list(tmp_path.iterdir()) == [tmp_path / "dsm.tif"]


@pytest.mark.parametrize("crs", ["EPSG:4326", None])
def test_geographic_or_missing_crs_is_refused(tmp_path, crs):
    dsm = write_dsm(tmp_path / "dsm.tif", plane(0, 180, size=8), crs=crs)
    with pytest.raises(InvalidSurface, match="projected CRS"):
        compute_solar_map(dsm, tmp_path / "out.tif", model=MODEL)


def test_all_nodata_and_unreadable_surfaces_are_refused(tmp_path):
    dsm = write_dsm(tmp_path / "dsm.tif", np.full((8, 8), -1.0, np.float32), nodata=-1.0)
    with pytest.raises(InvalidSurface, match="no valid heights"):
        compute_solar_map(dsm, tmp_path / "out.tif", model=MODEL)
    (tmp_path / "junk.tif").write_text("not a raster")
    with pytest.raises(InvalidSurface, match="cannot read"):
        compute_solar_map(tmp_path / "junk.tif", tmp_path / "out.tif", model=MODEL)


def test_nodata_holes_get_nodata_and_do_not_shade(tmp_path):
    z = plane(0, 180, size=24)
    z[10:14, 10:14] = -9999
    dsm = write_dsm(tmp_path / "dsm.tif", z, nodata=-9999)
    values = _read(compute_solar_map(dsm, tmp_path / "out.tif", model=MODEL).path)
    assert np.all(values[10:14, 10:14] == NODATA)
    assert np.all(values[values != NODATA] == pytest.approx(values[0, 0], rel=1e-6))


def test_footprints_without_polygons_are_refused(tmp_path):
    dsm = write_dsm(tmp_path / "dsm.tif", plane(0, 180, size=8))
    points = tmp_path / "points.gpkg"
    gpd.GeoDataFrame(geometry=[shapely.Point(ORIGIN)], crs=CRS).to_file(points)
    with pytest.raises(InvalidBuildings, match="no polygons"):
        compute_solar_map(dsm, tmp_path / "out.tif", buildings=points, model=MODEL)


def test_buildings_in_another_crs_are_reprojected(tmp_path):
    z = plane(0, 180, size=40)
    dsm = write_dsm(tmp_path / "dsm.tif", z)
    box = shapely.box(*array_bounds(20, 20, transform()))  # the upper-left quarter
    footprints = gpd.GeoDataFrame(geometry=[box], crs=CRS).to_crs("EPSG:3014")
    footprints.to_file(tmp_path / "b.gpkg", layer="hus")
    values = _read(
        compute_solar_map(
            dsm, tmp_path / "out.tif", buildings=tmp_path / "b.gpkg", model=MODEL
        ).path
    )
    assert (values[2:18, 2:18] != NODATA).all()
    assert (values[22:, 22:] == NODATA).all()


@pytest.mark.parametrize(
    "kwargs",
    [
        {"step_minutes": 0},
        {"directions": 4},
        {"margin_m": -1},
        {"albedo": 1.5},
        {"sky_diffuse": "perez"},
    ],
)
def test_bad_parameters_are_refused(kwargs):
    with pytest.raises(InvalidModel):
        SolarModel(**kwargs)
    assert issubclass(InvalidModel, SolarError)
    assert issubclass(InvalidModel, ValueError)


def test_tiles_put_together_equal_the_single_map(town):
    folder, dsm, buildings, _ = town
    whole = _read(compute_solar_map(dsm, folder / "all.tif", buildings=buildings, model=MODEL).path)
    tiles = compute_solar_tiles(
        dsm, folder / "tiles", 25.0, buildings=buildings, model=MODEL, block=32
    )
    assert tiles
    mosaic = np.full_like(whole, NODATA)
    for tile in tiles:
        validate_cog(tile.path)
        with rasterio.open(tile.path) as src:
            left, top = src.transform.c, src.transform.f
            r0, c0 = round((ORIGIN[1] - top) / 0.5), round((left - ORIGIN[0]) / 0.5)
            mosaic[r0 : r0 + src.height, c0 : c0 + src.width] = src.read(1)
        east, north = (int(v) for v in tile.path.stem.split("_")[1:])
        assert (east, north) == (round(tile.bounds[0]), round(tile.bounds[1]))
        assert tile.pixels > 0
    assert np.array_equal(mosaic, whole)


def test_tile_size_must_be_whole_pixels(town):
    folder, dsm, _, _ = town
    with pytest.raises(InvalidModel, match="whole number of pixels"):
        compute_solar_tiles(dsm, folder / "bad", 10.25, model=MODEL)
