"""Blocks decoded directly are bit for bit what GDAL reads; unsupported files go through GDAL."""

from __future__ import annotations

import numpy as np
import pytest
import rasterio
from affine import Affine
from rasterio.windows import Window

from solar.block_cache import BlockCache
from solar.blocks import BlockReader
from solar.raster import CogMosaic


def _write(path, options: dict, shape=(100, 90), nodata=-9999.0) -> np.ndarray:
    rng = np.random.default_rng(1)
    values = (rng.normal(800, 150, shape)).astype(np.float32)
    values[10:30, 5:50] = nodata
    values[60:, 70:] = np.nan
    profile = {
        "driver": "GTiff",
        "width": shape[1],
        "height": shape[0],
        "count": 1,
        "dtype": "float32",
        "crs": "EPSG:3006",
        "nodata": nodata,
        "transform": Affine(0.5, 0, 617000, 0, -0.5, 6918000),
        **options,
    }
    with rasterio.open(path, "w", **profile) as dst:
        dst.write(values, 1)
    return values


TILED = {"tiled": True, "blockxsize": 32, "blockysize": 16}


@pytest.mark.parametrize(
    "options",
    [
        {**TILED, "compress": "deflate", "predictor": 3},
        {**TILED, "compress": "deflate", "predictor": 1},
        {**TILED, "compress": "deflate", "predictor": 3, "zlevel": 9},
        {**TILED, "compress": "zstd", "predictor": 1},
        {**TILED, "compress": "zstd", "predictor": 3},
        TILED,
        {"tiled": True, "blockxsize": 16, "blockysize": 16, "compress": "deflate", "predictor": 3},
    ],
)
def test_direct_reads_equal_gdal(tmp_path, options):
    path = tmp_path / "map.tif"
    values = _write(path, options)
    with rasterio.open(path) as src:
        assert BlockReader.supports(src)
        reader = BlockReader(src, cache=BlockCache(4 * 16 * 16 * 4))
        rng = np.random.default_rng(2)
        for _ in range(40):
            row, col = int(rng.integers(0, 100)), int(rng.integers(0, 90))
            height, width = int(rng.integers(1, 101 - row)), int(rng.integers(1, 91 - col))
            out = np.empty((height, width), np.float32)
            reader.read(row, col, height, width, out)
            gdal = src.read(1, window=Window(col, row, width, height))
            np.testing.assert_array_equal(out.view(np.uint32), gdal.view(np.uint32))
        reader.close()
    with CogMosaic([path]) as direct, CogMosaic([path], direct=False) as through_gdal:
        window = Window(-5, -3, 120, 110)  # past every edge
        np.testing.assert_array_equal(
            direct.read(window).view(np.uint32), through_gdal.read(window).view(np.uint32)
        )
    np.testing.assert_array_equal(direct_values(path), values.view(np.uint32))


def direct_values(path) -> np.ndarray:
    with CogMosaic([path]) as source:
        return source.read(Window(0, 0, source.width, source.height)).view(np.uint32)


@pytest.mark.parametrize(
    "options",
    [
        {**TILED, "compress": "lzw"},
        {**TILED, "compress": "lerc"},
        {"compress": "deflate", "predictor": 3},  # strips, the last one short
    ],
)
def test_other_layouts_go_through_gdal(tmp_path, options):
    path = tmp_path / "map.tif"
    values = _write(path, options)
    with rasterio.open(path) as src:
        assert not BlockReader.supports(src)
    np.testing.assert_array_equal(direct_values(path), values.view(np.uint32))


def test_sparse_blocks_read_as_nodata(tmp_path):
    path = tmp_path / "sparse.tif"
    profile = {
        "driver": "GTiff",
        "width": 64,
        "height": 64,
        "count": 1,
        "dtype": "float32",
        "crs": "EPSG:3006",
        "nodata": -9999.0,
        "tiled": True,
        "blockxsize": 32,
        "blockysize": 32,
        "compress": "deflate",
        "predictor": 3,
        "sparse_ok": True,
        "transform": Affine(0.5, 0, 617000, 0, -0.5, 6918000),
    }
    with rasterio.open(path, "w", **profile) as dst:
        dst.write(np.full((32, 32), 5.0, np.float32), 1, window=Window(0, 0, 32, 32))
    with CogMosaic([path]) as source:
        values = source.read(Window(0, 0, 64, 64))
    assert (values[:32, :32] == 5).all()
    assert (values[32:] == -9999).all()


@pytest.mark.parametrize(
    ("rows", "cols"), [((0, 16), (0, 24)), ((3, 11), (5, 19)), ((15, 16), (23, 24))]
)
def test_unpredict_equals_the_predictors_definition(rows, cols):
    from solar.predictor import unpredict_into

    height, width = 16, 24
    raw = np.random.default_rng(3).integers(0, 256, height * width * 4, dtype=np.uint8)
    # TIFF predictor 3: per row, bytes are differences; their running sums (mod 256) are the
    # byte planes, most significant first, each ``width`` long
    planes = np.cumsum(raw.reshape(height, 4 * width), axis=1, dtype=np.uint8)
    words = planes.reshape(height, 4, width)[:, ::-1, :].transpose(0, 2, 1)
    expected = np.ascontiguousarray(words).view("<u4").reshape(height, width)
    out = np.zeros((rows[1] - rows[0], cols[1] - cols[0]), np.uint32)
    unpredict_into(raw, width, rows, cols, out)
    np.testing.assert_array_equal(out, expected[rows[0] : rows[1], cols[0] : cols[1]])


@pytest.mark.parametrize("compress", ["deflate", "zstd"])
def test_a_corrupt_block_is_an_error_that_names_it(tmp_path, compress):
    path = tmp_path / "map.tif"
    _write(path, {**TILED, "compress": compress})
    with rasterio.open(path) as src:
        offset = int(src.get_tag_item("BLOCK_OFFSET_1_2", "TIFF", bidx=1))
    with open(path, "r+b") as f:
        f.seek(offset)
        f.write(b"\xff" * 64)
    with rasterio.open(path) as src:
        reader = BlockReader(src, cache=BlockCache(0))
        assert reader.block(0, 0) is not None  # the other blocks still read
        with pytest.raises(ValueError, match="block 1,2 of"):
            reader.block(1, 2)
        reader.close()
