"""Ready elevation grids (GeoTIFF in SWEREF 99 TM, a local zone or with RH 2000) as they are."""

from __future__ import annotations

import numpy as np
import pytest
import rasterio
from affine import Affine

from solar.delivery import NODATA, grid_kind, surface_from_delivery
from solar.errors import InvalidSurface
from solar.grids import open_grid, swedish_crs
from sweref import transformer

#: Lower-left corner of the test grids in EPSG:3006 (the sample municipality's area).
ORIGIN = (617000.0, 6918000.0)


def _write(path, values, crs, origin, res=1.0, nodata=-9999.0):
    profile = {
        "driver": "GTiff",
        "width": values.shape[1],
        "height": values.shape[0],
        "count": 1,
        "dtype": "float32",
        "crs": crs,
        "transform": Affine(res, 0.0, origin[0], 0.0, -res, origin[1] + values.shape[0] * res),
        "nodata": nodata,
    }
    with rasterio.open(path, "w", **profile) as dst:
        dst.write(values.astype(np.float32), 1)
    return path


def _terrain(shape=(50, 50)):
    rows, cols = np.mgrid[0 : shape[0], 0 : shape[1]]
    return (30.0 + 0.1 * cols - 0.05 * rows).astype(np.float32)


def test_sweref99_tm_grid_is_copied_cell_for_cell(tmp_path):
    values = _terrain()
    values[3, 4] = -9999.0
    dtm = _write(tmp_path / "63900_3200_25.tif", values, "EPSG:3006", ORIGIN)
    dsm = _write(tmp_path / "ytmodell.tif", values + 5.0, "EPSG:5845", ORIGIN)
    result = surface_from_delivery([tmp_path], tmp_path / "out")
    assert result.resolution == 1.0
    assert result.bounds == (ORIGIN[0], ORIGIN[1], ORIGIN[0] + 50, ORIGIN[1] + 50)
    assert result.sources == (dtm.name, dsm.name)
    with rasterio.open(result.dtm) as src:
        assert src.crs.to_string() == "EPSG:3006"
        assert src.tags()["VERTICAL_DATUM"] == "RH 2000"
        np.testing.assert_array_equal(src.read(1), np.where(values == -9999, NODATA, values))
    with rasterio.open(result.dsm) as src:
        np.testing.assert_allclose(src.read(1)[10:20, 10:20], values[10:20, 10:20] + 5.0)
        assert "RH2000 height" in src.tags()["METHOD"]


def test_local_zone_grid_is_reprojected_to_sweref99_tm(tmp_path):
    """A DSM in SWEREF 99 17 15 (EPSG:3016, Sundsvall's zone) lands on a 3006 grid with the
    same heights at the same places."""
    x, y = transformer("EPSG:3006", "EPSG:3016").transform(*ORIGIN)
    values = _terrain((80, 80))
    _write(tmp_path / "dsm_zone.tif", values, "EPSG:3016", (round(x), round(y)))
    result = surface_from_delivery([tmp_path / "dsm_zone.tif"], tmp_path / "out")
    assert result.dtm is None
    to_zone = transformer("EPSG:3006", "EPSG:3016")
    with rasterio.open(result.dsm) as src:
        assert src.crs.to_string() == "EPSG:3006"
        surface = src.read(1)
        for east, north in ((20.0, 20.0), (40.5, 30.5)):
            px, py = ORIGIN[0] + (round(x) - x) + east, ORIGIN[1] + (round(y) - y) + north
            row, col = src.index(px, py)
            zx, zy = to_zone.transform(px, py)
            expected = 30.0 + 0.1 * (zx - round(x) - 0.5) - 0.05 * (round(y) + 80 - zy - 0.5)
            assert surface[row, col] == pytest.approx(expected, abs=0.1)


def test_tiles_of_a_grid_make_one_mosaic(tmp_path):
    values = _terrain()
    _write(tmp_path / "dsm_a.tif", values, "EPSG:3006", ORIGIN)
    _write(tmp_path / "dsm_b.tif", values, "EPSG:3006", (ORIGIN[0] + 50, ORIGIN[1]))
    result = surface_from_delivery([tmp_path], tmp_path / "out")
    with rasterio.open(result.dsm) as src:
        assert src.shape == (50, 100)
        mosaic = src.read(1)
    np.testing.assert_array_equal(mosaic[:, :50], values)
    np.testing.assert_array_equal(mosaic[:, 50:], values)


@pytest.mark.parametrize(
    ("crs", "message"),
    [
        ("EPSG:4326", "not SWEREF 99 TM"),
        ("EPSG:3021", "not SWEREF 99 TM"),  # RT90: heights not in RH 2000
        ("EPSG:31256", "not SWEREF 99 TM"),
    ],
)
def test_grids_outside_sweref99_are_refused(tmp_path, crs, message):
    origin = (17.0, 62.0) if crs == "EPSG:4326" else (1000.0, 1000.0)
    res = 0.0001 if crs == "EPSG:4326" else 1.0
    path = _write(tmp_path / "dsm.tif", _terrain(), crs, origin, res)
    with pytest.raises(InvalidSurface, match=message):
        surface_from_delivery([path], tmp_path / "out")


def test_grid_kind_and_bad_inputs(tmp_path):
    assert grid_kind(tmp_path / "m641_72.tif") == "dtm"
    assert grid_kind(tmp_path / "Markhojdmodell_2281.tif") == "dtm"
    with pytest.raises(InvalidSurface, match="put dsm or dtm in its name"):
        grid_kind(tmp_path / "heights.tif")
    with pytest.raises(InvalidSurface, match="no point cloud"):
        surface_from_delivery(
            [_write(tmp_path / "dtm.tif", _terrain(), "EPSG:3006", ORIGIN)], tmp_path / "o"
        )
    with pytest.raises(InvalidSurface, match="does not exist"):
        surface_from_delivery([tmp_path / "missing.laz"], tmp_path / "o")
    (tmp_path / "broken_dsm.tif").write_bytes(b"II*\x00 not a tiff")
    with pytest.raises(InvalidSurface, match="cannot read"):
        open_grid(tmp_path / "broken_dsm.tif")
    assert swedish_crs("EPSG:5857") == ("EPSG:3018", "RH2000 height")
