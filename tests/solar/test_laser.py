"""Laser tiles (LAS 1.2 and 1.4, LAZ) to a 0.5 m DSM and DTM: values, noise, gaps, roofs."""

from __future__ import annotations

import json

import numpy as np
import pytest
import rasterio
import shapely
from affine import Affine

from solar.delivery import NODATA, surface_from_delivery
from solar.errors import InvalidSurface
from solar.gapfill import SurfaceOptions
from solar.laser import grid_tile, open_tile
from solar.roofs import RoofMask
from tests.solar.laz import (
    HOUSE,
    ORIGIN,
    SIZE,
    TREE,
    ground,
    make_points,
    roof_height,
    write_points,
    write_tile,
)


def _read(path):
    with rasterio.open(path) as src:
        return src.read(1), src.transform, src.crs, src.tags(), src.tags(1)


def _at(values, transform, dx, dy):
    """The value of the cell at offset (dx, dy) metres from the tiles' origin."""
    row, col = rasterio.transform.rowcol(transform, ORIGIN[0] + dx, ORIGIN[1] + dy)
    return float(values[row, col])


def _ground(dx, dy=0.0):
    return float(ground(np.array([ORIGIN[0] + dx]), np.array([ORIGIN[1] + dy]))[0])


@pytest.fixture(scope="module", params=[("1.2", 1), ("1.4", 1), ("1.4", 6)], ids=str)
def models(request, tmp_path_factory):
    """DSM and DTM of one tile: LAS 1.2 (scans 1-2) and 1.4 (scan 3), roofs unclassified as in
    Laserdata skog or in the building class."""
    version, building_class = request.param
    folder = tmp_path_factory.mktemp("laz")
    laz = write_tile(folder / "699_65_7500.laz", version, building_class)
    result = surface_from_delivery([laz], folder / "out", chunk_points=5_000)
    return result, _read(result.dsm), _read(result.dtm)


def test_models_are_cogs_in_sweref_with_rh2000(models):
    from solar.cog import validate_cog

    result, (dsm, transform, crs, tags, band), _ = models
    for path in (result.dsm, result.dtm):
        validate_cog(path)
    assert crs.to_string() == "EPSG:3006"
    assert transform.a == 0.5
    assert -transform.e == 0.5
    assert dsm.shape == (80, 80)
    assert (transform.c, transform.f) == (ORIGIN[0], ORIGIN[1] + SIZE)
    assert tags["VERTICAL_DATUM"] == "RH 2000"
    assert tags["COMPOUND_CRS"] == "EPSG:5845"
    assert band == {"UNIT": "metre", "VERTICAL_DATUM": "RH 2000"}
    assert json.loads(tags["SOURCES"]) == ["699_65_7500.laz"]
    assert result.to_dict()["vertical_datum"] == "RH 2000"


def test_gaps_are_filled(models):
    _, (dsm, *_), (dtm, *_) = models
    # at 4 points/m² most 0.5 m cells hold no return; after filling none is empty
    assert not (dsm == NODATA).any()
    assert not (dtm == NODATA).any()


def test_noise_and_stray_returns_are_dropped(models):
    result, (dsm, *_), (dtm, *_) = models
    highest_real = _ground(TREE[0]) + TREE[3]
    assert dsm.max() <= highest_real + 0.01  # no bird (45 m), no high noise (60 m)
    assert dsm.min() >= _ground(0.0) - 0.05  # no low noise, no multipath pit
    assert dtm.min() >= _ground(0.0) - 0.05
    assert result.noise_points == 3  # classes 7 and 18
    assert result.outlier_cells >= 2  # the bird and the pit


def test_dsm_holds_roof_ground_and_tree(models):
    _, (dsm, transform, *_), _ = models
    assert _at(dsm, transform, 15.0, 15.0) == pytest.approx(roof_height(), abs=0.02)
    assert _at(dsm, transform, 2.0, 25.0) == pytest.approx(_ground(2.0), abs=0.05)
    assert _at(dsm, transform, 36.0, 20.0) == pytest.approx(_ground(36.0), abs=0.05)
    assert _at(dsm, transform, TREE[0], TREE[1]) > _ground(TREE[0]) + TREE[3] - 2.0


def test_dtm_is_the_ground_under_roof_and_tree(models):
    _, _, (dtm, transform, *_) = models
    for dx, dy in ((15.0, 15.0), (TREE[0], TREE[1]), (2.0, 2.0)):
        assert _at(dtm, transform, dx, dy) == pytest.approx(_ground(dx), abs=0.1)


def test_roof_edges_stay_sharp_with_building_class_or_footprints(tmp_path):
    """A cell just outside the wall is ground, one just inside is roof, when buildings are known
    (class 6 in the points, or footprints); an interpolation across the wall would mix them."""
    footprint = shapely.box(
        ORIGIN[0] + HOUSE[0], ORIGIN[1] + HOUSE[1], ORIGIN[0] + HOUSE[2], ORIGIN[1] + HOUSE[3]
    )
    runs = {
        "class": (write_tile(tmp_path / "c6.laz", "1.4", 6, density=1.5), None),
        "footprints": (
            write_tile(tmp_path / "c1.laz", "1.2", 1, density=1.5),
            RoofMask.from_geometries([footprint]),
        ),
    }
    for name, (laz, buildings) in runs.items():
        result = surface_from_delivery([laz], tmp_path / name, buildings=buildings)
        dsm, transform, *_ = _read(result.dsm)
        for dy in (11.0, 14.0, 19.0):
            inside = _at(dsm, transform, HOUSE[2] - 0.25, dy)
            outside = _at(dsm, transform, HOUSE[2] + 0.25, dy)
            assert inside == pytest.approx(roof_height(), abs=0.02), name
            assert outside == pytest.approx(_ground(HOUSE[2] + 0.25), abs=0.1), name


def test_chunks_do_not_change_the_grid(tmp_path):
    tile = open_tile(write_tile(tmp_path / "t.laz", "1.4"))
    transform = Affine(0.5, 0.0, ORIGIN[0], 0.0, -0.5, ORIGIN[1] + SIZE)
    whole = grid_tile(tile, transform, (80, 80))
    chunked = grid_tile(tile, transform, (80, 80), chunk_points=777)
    np.testing.assert_array_equal(whole.highest, chunked.highest)
    np.testing.assert_array_equal(whole.ground, chunked.ground)
    assert whole.used == chunked.used == tile.points - 3
    assert not whole.has_building_class


def test_tiles_make_one_mosaic(tmp_path):
    """Two tiles with a gap between them: one grid over both, nodata in the gap."""
    east = (ORIGIN[0] + 2 * SIZE, ORIGIN[1])
    write_points(tmp_path / "a.laz", make_points())
    write_points(tmp_path / "b.las", make_points(origin=east, seed=2), "1.4")
    result = surface_from_delivery([tmp_path], tmp_path / "out")
    dsm, transform, *_ = _read(result.dsm)
    assert dsm.shape == (80, 240)
    assert result.sources == ("a.laz", "b.las")
    assert (dsm[:, 85:155] == NODATA).all()
    assert _at(dsm, transform, 2 * SIZE + 15.0, 15.0) == pytest.approx(roof_height(), abs=0.02)


def test_tile_without_crs_is_sweref99_tm_and_local_zone_is_reprojected(tmp_path):
    points = make_points()
    assert open_tile(write_points(tmp_path / "none.laz", points, crs=None)).crs == "EPSG:3006"
    from sweref import transformer

    x, y = transformer("EPSG:3006", "EPSG:3014").transform(points.x, points.y)
    moved = type(points)(np.asarray(x), np.asarray(y), points.z, points.classification)
    zone = write_points(tmp_path / "zone.laz", moved, crs="EPSG:3014")
    result = surface_from_delivery([zone], tmp_path / "out")
    dsm, transform, *_ = _read(result.dsm)
    assert _at(dsm, transform, 15.0, 15.0) == pytest.approx(roof_height(), abs=0.05)


@pytest.mark.parametrize(
    ("content", "crs", "message"),
    [
        (b"not a point cloud", None, "cannot read the point cloud"),
        (None, "EPSG:4326", "not SWEREF 99 TM"),
        (None, "EPSG:3021", "not SWEREF 99 TM"),
    ],
)
def test_bad_point_clouds_are_refused(tmp_path, content, crs, message):
    path = tmp_path / "bad.laz"
    if content is not None:
        path.write_bytes(content)
    else:
        write_points(path, make_points(), crs=crs)
    with pytest.raises(InvalidSurface, match=message):
        surface_from_delivery([path], tmp_path / "out")
    assert not (tmp_path / "out" / "dsm.tif").exists()


def test_options_are_checked():
    with pytest.raises(ValueError, match="resolution"):
        SurfaceOptions(resolution_m=0.0)
    with pytest.raises(ValueError, match="positive"):
        SurfaceOptions(outlier_m=-1.0)
