"""The decoded-block cache: same answers from it, its byte bound, no stale blocks."""

from __future__ import annotations

import os

import numpy as np
import rasterio
import shapely
from affine import Affine

from solar.block_cache import BlockCache, file_key
from solar.blocks import BlockReader
from solar.raster import CogMosaic
from solar.zonal import zonal_stats

PROFILE = {
    "driver": "GTiff",
    "count": 1,
    "dtype": "float32",
    "crs": "EPSG:3006",
    "transform": Affine(1.0, 0, 600000.0, 0, -1.0, 6900000.0),
    "nodata": -9999.0,
    "tiled": True,
    "blockxsize": 16,
    "blockysize": 16,
    "compress": "deflate",
    "predictor": 3,
}


def _write(path, values):
    with rasterio.open(path, "w", width=64, height=64, **PROFILE) as dst:
        dst.write(values, 1)


def _values(seed):
    return np.random.default_rng(seed).uniform(500, 1200, (64, 64)).astype(np.float32)


PARCEL = shapely.box(600010.3, 6899950.2, 600031.7, 6899985.9)


def test_requeried_parcel_is_identical_and_decodes_nothing(tmp_path, monkeypatch):
    path = tmp_path / "map.tif"
    _write(path, _values(1))
    cache = BlockCache(1 << 20)
    monkeypatch.setattr("solar.blocks.SHARED", cache)
    with CogMosaic([path]) as source:
        first = zonal_stats(source, PARCEL)
        held = len(cache)
        assert held > 0
        reader = source._direct[0]
        monkeypatch.setattr(reader, "_decode", _decoded_again)
        again = zonal_stats(source, PARCEL)
    assert again == first
    assert len(cache) == held
    with CogMosaic([path], direct=False) as through_gdal:
        assert zonal_stats(through_gdal, PARCEL) == first


def _decoded_again(*_: object) -> None:
    raise AssertionError("a cached block was decoded again")


def test_the_bound_in_bytes_is_kept(tmp_path):
    path = tmp_path / "map.tif"
    _write(path, _values(2))
    block_bytes = 16 * 16 * 4
    cache = BlockCache(3 * block_bytes)
    with rasterio.open(path) as src:
        reader = BlockReader(src, cache=cache)
        out = np.empty((64, 64), np.float32)
        reader.read(0, 0, 64, 64, out)  # 16 blocks through a cache of 3
        reader.close()
        np.testing.assert_array_equal(out, src.read(1))
    assert cache.nbytes == 3 * block_bytes == sum(b.nbytes for b in cache._blocks.values())
    cache.resize(block_bytes)
    assert len(cache) == 1
    assert cache.nbytes == block_bytes
    cache.resize(0)
    assert len(cache) == 0
    assert cache.nbytes == 0


def test_a_changed_file_is_not_served_from_the_cache(tmp_path, monkeypatch):
    path = tmp_path / "map.tif"
    old, new = _values(3), _values(4)
    _write(path, old)
    cache = BlockCache(1 << 20)
    monkeypatch.setattr("solar.blocks.SHARED", cache)
    with CogMosaic([path]) as source:
        before = zonal_stats(source, PARCEL)
        fd = os.open(path, os.O_RDONLY)
        identity = file_key(fd)
        os.close(fd)
    _write(path, new)  # rewritten under the same name (same size)
    fd = os.open(path, os.O_RDONLY)
    assert file_key(fd) != identity
    os.close(fd)
    with CogMosaic([path]) as source:
        after = zonal_stats(source, PARCEL)
    with CogMosaic([path], direct=False) as through_gdal:
        assert after == zonal_stats(through_gdal, PARCEL)
    assert after != before
