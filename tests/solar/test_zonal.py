"""Coverage-weighted zonal statistics on synthetic COGs where every answer is known."""

from __future__ import annotations

import numpy as np
import pytest
import rasterio
import shapely
from affine import Affine

from solar.coverage import coverage
from solar.errors import InvalidGeometry, InvalidRaster
from solar.raster import CogMosaic
from solar.zonal import coverage_window, zonal_stats, zonal_table
from solar.zonal_sweep import _layout, _plan, _prepare

WEST, NORTH, RES = 617000.0, 6918000.0, 0.5
NODATA = -9999.0


def assert_close(got: dict, expected: dict) -> None:
    """Key by key: pytest.approx takes lists, but not lists nested in a dict (pytest ≥ 9.2)."""
    assert got.keys() == expected.keys()
    for key, value in expected.items():
        assert got[key] == pytest.approx(value, nan_ok=True), key


def write(
    path,
    values: np.ndarray,
    west: float = WEST,
    north: float = NORTH,
    crs: str = "EPSG:3006",
    nodata: float | None = NODATA,
) -> str:
    profile = {
        "driver": "GTiff",
        "width": values.shape[1],
        "height": values.shape[0],
        "count": 1,
        "dtype": "float32",
        "crs": crs,
        "nodata": nodata,
        "transform": Affine(RES, 0, west, 0, -RES, north),
        "tiled": True,
        "blockxsize": 16,
        "blockysize": 16,
        "compress": "deflate",
    }
    with rasterio.open(path, "w", **profile) as dst:
        dst.write(values.astype(np.float32), 1)
    return str(path)


def box(col0: float, row0: float, col1: float, row1: float) -> shapely.Polygon:
    """A box given in pixel coordinates of the synthetic grid."""
    return shapely.box(WEST + col0 * RES, NORTH - row1 * RES, WEST + col1 * RES, NORTH - row0 * RES)


@pytest.fixture
def ramp(tmp_path) -> str:
    """64 × 64 px: value = 100 × column (0 … 6300), nodata in rows 40–47."""
    values = np.tile(np.arange(64, dtype=np.float32) * 100, (64, 1))
    values[40:48] = NODATA
    return write(tmp_path / "ramp.tif", values)


def pixel_areas(polygon, shape) -> np.ndarray:
    rows, cols = np.mgrid[0 : shape[0], 0 : shape[1]]
    cells = shapely.box(cols.ravel(), rows.ravel(), cols.ravel() + 1, rows.ravel() + 1)
    return shapely.area(shapely.intersection(cells, polygon)).reshape(shape)


@pytest.mark.parametrize(
    "polygon",
    [
        shapely.Point(10, 10).buffer(7.3),
        shapely.Point(10, 10).buffer(7.3).difference(shapely.Point(11, 9).buffer(2.2)),
        shapely.MultiPolygon([shapely.box(1.2, 1.3, 4.7, 3.1), shapely.box(12.5, 15.25, 19, 19)]),
        shapely.Polygon([(0, 0), (20, 3.3), (4.1, 19.9)]),
        shapely.box(0, 0, 20, 20),
        shapely.Polygon([(3, 3), (17, 3), (17, 17), (3, 17)]).reverse(),  # clockwise exterior
    ],
)
def test_coverage_is_the_exact_area_of_each_pixel(polygon):
    _, xy, offsets = shapely.to_ragged_array([polygon])
    parts = offsets[1] if len(offsets) > 1 else np.array([0, 1])
    last = offsets[2][1] if len(offsets) == 3 else 1
    fractions = coverage(xy[:, 0], xy[:, 1], offsets[0], parts, 0, last, 20, 20)
    np.testing.assert_allclose(fractions, pixel_areas(polygon, (20, 20)), atol=1e-9)


def test_whole_pixels_give_exact_count_sum_mean_and_classes(ramp):
    with CogMosaic([ramp]) as source:
        stats = zonal_stats(source, box(2, 2, 6, 12), edges=[300, 450])
    # columns 2..5 (200, 300, 400, 500), 10 rows each
    assert stats.count == pytest.approx(40)
    assert stats.sum == pytest.approx(10 * (200 + 300 + 400 + 500))
    assert stats.mean == pytest.approx(350)
    assert (stats.min, stats.max) == (200, 500)
    assert stats.area_m2 == pytest.approx(40 * 0.25)
    assert stats.class_m2 == pytest.approx((2.5, 5.0, 2.5))
    assert stats.nodata == 0


def test_partial_pixels_count_with_their_coverage(ramp):
    with CogMosaic([ramp]) as source:
        stats = zonal_stats(source, box(2.5, 2, 4.25, 4))
    # half of column 2 (200), all of column 3 (300), a quarter of column 4 (400), 2 rows
    assert stats.count == pytest.approx(2 * (0.5 + 1 + 0.25))
    assert stats.mean == pytest.approx((0.5 * 200 + 300 + 0.25 * 400) / 1.75)
    assert stats.min == 200
    assert stats.max == 400


def test_nodata_is_counted_apart(ramp):
    with CogMosaic([ramp]) as source:
        stats = zonal_stats(source, box(0, 36, 4, 44))
        empty = zonal_stats(source, box(0, 40, 4, 48))
    assert stats.count == pytest.approx(16)
    assert stats.nodata == pytest.approx(16)
    assert stats.nodata_m2 == pytest.approx(4.0)
    assert np.isnan(empty.mean)
    assert np.isnan(empty.min)
    assert empty.count == 0
    assert empty.to_dict()["mean"] is None


def test_outside_the_raster_is_nodata(ramp):
    with CogMosaic([ramp]) as source:
        stats = zonal_stats(source, box(-4, 0, 2, 2))
    assert stats.count == pytest.approx(4)
    assert stats.nodata == pytest.approx(8)


def test_two_part_property_counts_both_parts(ramp):
    parts = shapely.MultiPolygon([box(0, 0, 2, 2), box(10, 10, 12.5, 12)])
    with CogMosaic([ramp]) as source:
        stats = zonal_stats(source, parts)
    assert stats.count == pytest.approx(4 + 5)
    assert stats.sum == pytest.approx(2 * (0 + 100) + 2 * (1000 + 1100 + 0.5 * 1200))


def test_across_two_tiles_equals_one_file(tmp_path, ramp):
    with rasterio.open(ramp) as src:
        values = src.read(1)
    west = write(tmp_path / "west.tif", values[:, :32])
    east = write(tmp_path / "east.tif", values[:, 32:], west=WEST + 32 * RES)
    polygon = shapely.Point(WEST + 16.3, NORTH - 9.7).buffer(4.1)  # spans columns 24–41
    with CogMosaic([ramp]) as one, CogMosaic([west, east]) as two:
        assert (two.width, two.height) == (64, 64)
        a, b = zonal_stats(one, polygon, [1000, 3000]), zonal_stats(two, polygon, [1000, 3000])
    assert a.count > 0
    assert_close(b.to_dict(), a.to_dict())


def test_misaligned_tiles_are_refused(tmp_path, ramp):
    shifted = write(tmp_path / "shifted.tif", np.zeros((8, 8)), west=WEST + 100.25)
    with pytest.raises(InvalidRaster, match="not aligned"):
        CogMosaic([ramp, shifted])


def test_table_equals_one_at_a_time_in_any_order(ramp):
    rng = np.random.default_rng(5)
    centres = rng.uniform(2, 30, (40, 2))
    polygons = [
        shapely.Point(WEST + x, NORTH - y).buffer(r)
        for (x, y), r in zip(centres, rng.uniform(0.3, 3, 40), strict=True)
    ]
    polygons += [shapely.Polygon(), None]
    with CogMosaic([ramp]) as source:
        table = zonal_table(source, polygons, edges=[1000, 2000])
        single = [zonal_stats(source, p, [1000, 2000]) for p in polygons[:40]]
    assert len(table) == 42
    for i, one in enumerate(single):
        assert_close(table[i].to_dict(), one.to_dict())
    assert table.count[40] == 0
    assert table.count[41] == 0
    frame = table.to_frame()
    assert list(frame.columns[:6]) == ["count", "sum", "mean", "min", "max", "nodata"]


def test_table_with_a_small_band_reads_blocks_in_steps(ramp):
    polygons = [box(c, r, c + 7.5, r + 9.25) for r in range(0, 56, 7) for c in range(0, 56, 9)]
    with CogMosaic([ramp]) as source:
        table = zonal_table(source, polygons, band_blocks=1)
        single = [zonal_stats(source, p) for p in polygons]
    np.testing.assert_allclose(table.count, [s.count for s in single])
    np.testing.assert_allclose(table.sum, [s.sum for s in single])


def test_long_sweep_moves_the_band_within_its_buffer_and_keeps_every_answer(tmp_path):
    """A map much taller than its bands: the band's buffer fills up and the rows still needed
    move to its start (more than once); every parcel's answer stays the one-at-a-time one."""
    values = np.add.outer(np.arange(640) * 7.0, np.arange(48) * 0.5) % 997
    values[300:310, 10:30] = NODATA
    raster = write(tmp_path / "tall.tif", values)
    rng = np.random.default_rng(17)
    polygons = [
        box(c, r, c + rng.uniform(2, 20), r + rng.uniform(3, 45))
        for r, c in zip(rng.uniform(-5, 600, 300), rng.uniform(-3, 40, 300), strict=True)
    ]
    windows = _prepare(polygons, Affine(RES, 0, WEST, 0, -RES, NORTH)).windows
    tops = np.sort(windows[:, 0])
    order = np.argsort(windows[:, 0], kind="stable")
    steps = _plan(tops, tops + windows[order, 2], 16)
    moves = [place[2] for place in _layout(steps)[1] if place[2] is not None]
    assert len(moves) >= 2
    with CogMosaic([raster]) as source:
        table = zonal_table(source, polygons, edges=[100, 500], band_blocks=1)
        single = [zonal_stats(source, p, [100, 500]) for p in polygons]
    for i, one in enumerate(single):
        assert_close(table[i].to_dict(), one.to_dict())


def test_other_crs_is_reprojected(ramp):
    polygon = box(2, 2, 6, 12)
    with CogMosaic([ramp]) as source:
        plain = zonal_stats(source, polygon)
        from pyproj import Transformer

        move = Transformer.from_crs("EPSG:3006", "EPSG:3014", always_xy=True)
        local = shapely.transform(
            polygon, lambda xy: np.column_stack(move.transform(xy[:, 0], xy[:, 1]))
        )
        moved = zonal_stats(source, local, crs="EPSG:3014")
    assert moved.count == pytest.approx(plain.count, rel=1e-3)
    assert moved.mean == pytest.approx(plain.mean, rel=1e-3)


def test_coverage_window_on_the_grid(ramp):
    with CogMosaic([ramp]) as source:
        window, fractions = coverage_window(source, box(2.5, 3, 4, 4))
    assert (window.col_off, window.row_off, window.width, window.height) == (2, 3, 2, 1)
    assert fractions.tolist() == [[0.5, 1.0]]


def test_points_are_refused(ramp):
    with CogMosaic([ramp]) as source, pytest.raises(InvalidGeometry, match="polygons"):
        zonal_stats(source, shapely.Point(WEST, NORTH))


def test_exactextract_agrees(ramp):
    exactextract = pytest.importorskip("exactextract")
    geopandas = pytest.importorskip("geopandas")
    rng = np.random.default_rng(9)
    polygons = [
        shapely.Point(WEST + x, NORTH - y).buffer(r, quad_segs=5)
        for (x, y), r in zip(rng.uniform(2, 30, (25, 2)), rng.uniform(0.4, 4, 25), strict=True)
    ]
    frame = geopandas.GeoDataFrame(geometry=polygons, crs="EPSG:3006")
    theirs = exactextract.exact_extract(
        ramp, frame, ["count", "sum", "min", "max"], output="pandas"
    )
    with CogMosaic([ramp]) as source:
        ours = zonal_table(source, polygons)
    np.testing.assert_allclose(ours.count, theirs["count"], rtol=1e-6)
    np.testing.assert_allclose(ours.sum, theirs["sum"], rtol=1e-6)
    np.testing.assert_allclose(ours.min, theirs["min"], equal_nan=True)
    np.testing.assert_allclose(ours.max, theirs["max"], equal_nan=True)


@pytest.mark.parametrize(
    "edges",
    [[], [0.5], [-1.0, 0.0, 1.0], [-1.5, -0.5, 0.5, 1.5], [-2, -1, -0.3, 0.2, 0.9, 1.7]],
)
def test_statistics_equal_a_plain_numpy_reference(tmp_path, edges):
    """Random values straddling every edge, with nodata, NaN and partly covered pixels; four
    edges or fewer take the branch-free class pass, more take the general one."""
    rng = np.random.default_rng(len(edges))
    values = rng.normal(0, 1, (48, 48)).astype(np.float32)
    values[rng.random(values.shape) < 0.1] = NODATA
    values[rng.random(values.shape) < 0.05] = np.nan
    path = write(tmp_path / "noise.tif", values)
    pixels = shapely.Point(20, 22).buffer(17.3).difference(shapely.box(15, 15, 19.5, 30.2))
    polygon = shapely.affinity.affine_transform(pixels, [RES, 0, 0, -RES, WEST, NORTH])
    with CogMosaic([path]) as source:
        window, fractions = coverage_window(source, polygon)
        stats = zonal_stats(source, polygon, edges=edges)
    rows = slice(window.row_off, window.row_off + window.height)
    cols = slice(window.col_off, window.col_off + window.width)
    x = values[rows, cols].astype(np.float64)
    ok = (x != NODATA) & ~np.isnan(x) & (fractions > 0)
    w = np.where(ok, fractions, 0.0)
    assert stats.count == pytest.approx(w.sum())
    assert stats.sum == pytest.approx((w * np.where(ok, x, 0)).sum())
    assert (stats.min, stats.max) == (x[ok].min(), x[ok].max())
    assert stats.nodata == pytest.approx(fractions[~ok & (fractions > 0)].sum())
    klass = np.searchsorted(np.asarray(edges, float), x, side="right")
    expected = [w[klass == k].sum() * RES * RES for k in range(len(edges) + 1)]
    assert stats.class_m2 == pytest.approx(expected)
