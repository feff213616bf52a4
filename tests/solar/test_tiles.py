"""Solar map tiles: placement, colours, transparency, range checks, threads, mosaics.

The reference is GDAL's own warper (rasterio.warp.reproject, nearest neighbour) onto the same
WebMercatorQuad tile grid — what rio-tiler uses underneath.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import warnings

import morecantile
import numpy as np
import pytest
import rasterio
from affine import Affine
from rasterio.errors import NotGeoreferencedWarning
from rasterio.io import MemoryFile
from rasterio.warp import Resampling, reproject

from solar.colormap import DEFAULT_RAMP
from solar.errors import TileOutOfRange
from solar.raster import CogMosaic
from solar.tiles import TMS, TileRenderer

NODATA = -9999.0
ORIGIN = (616_400.0, 6_918_600.0)  # upper-left corner in EPSG:3006


def write_cog(path, values, origin=ORIGIN, res=0.5):
    profile = {
        "driver": "COG",
        "width": values.shape[1],
        "height": values.shape[0],
        "count": 1,
        "dtype": "float32",
        "crs": "EPSG:3006",
        "nodata": NODATA,
        "transform": Affine(res, 0, origin[0], 0, -res, origin[1]),
        "blocksize": 256,
        "compress": "DEFLATE",
        "overview_resampling": "nearest",
    }
    with rasterio.open(path, "w", **profile) as dst:
        dst.write(values.astype("float32"), 1)
    return path


@pytest.fixture(scope="module")
def cog(tmp_path_factory):
    """600 × 600 px at 0.5 m: a gradient 400–1100 with a nodata square in the middle."""
    values = np.tile(np.linspace(400, 1100, 600, dtype=np.float32), (600, 1))
    values[250:350, 250:350] = NODATA
    return write_cog(tmp_path_factory.mktemp("tiles") / "solar.tif", values)


@contextlib.contextmanager
def renderer_of(*paths, mosaic=True):
    """A renderer reading an open mosaic of ``paths`` (as the service does), or the files."""
    if not mosaic:
        yield TileRenderer(paths)
        return
    with CogMosaic(paths) as opened:
        yield TileRenderer(opened)


def tiles_over(path, zoom):
    with rasterio.open(path) as src:
        lonlat = rasterio.warp.transform_bounds(src.crs, "EPSG:4326", *src.bounds)
    return list(TMS.tiles(*lonlat, zooms=[zoom]))


def decode(png: bytes) -> np.ndarray:
    """RGBA of a PNG, decoded by GDAL's PNG driver (an independent decoder)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NotGeoreferencedWarning)  # a PNG has no georeference
        with MemoryFile(png) as memory, memory.open() as image:
            return np.moveaxis(image.read(), 0, -1)


def gdal_reference(path, tile) -> np.ndarray:
    left, _bottom, right, top = TMS.xy_bounds(tile)
    out = np.full((256, 256), np.nan, dtype=np.float32)
    with rasterio.open(path) as src:
        size = (right - left) / 256
        reproject(
            rasterio.band(src, 1),
            out,
            dst_transform=Affine(size, 0, left, 0, -size, top),
            dst_crs="EPSG:3857",
            dst_nodata=np.nan,
            resampling=Resampling.nearest,
        )
    return DEFAULT_RAMP.colorize(out)


@pytest.mark.parametrize("mosaic", [True, False])
def test_tiles_match_gdals_warper(cog, mosaic):
    tiles = tiles_over(cog, 19)
    assert len(tiles) >= 4
    with renderer_of(cog, mosaic=mosaic) as renderer:
        for tile in tiles:
            ours = decode(renderer.render(tile.z, tile.x, tile.y).png).astype(int)
            reference = gdal_reference(cog, tile).astype(int)
            differing = (np.abs(ours - reference).max(axis=2) > 1).mean()
            assert differing < 0.001, (tile, differing)


def test_colours_follow_the_ramp_and_nodata_is_transparent(cog):
    with renderer_of(cog) as renderer:
        tiles = tiles_over(cog, 18)
        images = [decode(renderer.render(t.z, t.x, t.y).png) for t in tiles]
    pixels = np.concatenate([i.reshape(-1, 4) for i in images])
    opaque = pixels[pixels[:, 3] == 255]
    assert set(pixels[:, 3]) == {0, 255}
    colours = {tuple(c) for c in DEFAULT_RAMP.table.tolist()}
    assert {tuple(p) for p in opaque.tolist()} <= colours
    # Both ends of the ramp appear: the gradient spans 400–1100 kWh/m²·year.
    assert tuple(DEFAULT_RAMP.table[0]) in {tuple(p) for p in opaque.tolist()}


def test_tiles_outside_the_data_are_transparent(cog):
    with renderer_of(cog) as renderer:
        tile = renderer.render(10, 0, 0)
    assert tile.empty
    assert not decode(tile.png)[..., 3].any()


@pytest.mark.parametrize(("z", "x", "y"), [(-1, 0, 0), (25, 0, 0), (3, 8, 0), (3, 0, -1)])
def test_tiles_outside_the_matrix_are_refused(cog, z, x, y):
    with renderer_of(cog) as renderer, pytest.raises(TileOutOfRange):
        renderer.render(z, x, y)


def test_low_zoom_uses_an_overview_and_still_covers_the_data(cog):
    with renderer_of(cog) as renderer:
        levels = [lvl.factor for lvl in renderer.sources[0].levels]
        tile = tiles_over(cog, 15)[0]
        image = decode(renderer.render(tile.z, tile.x, tile.y).png)
    assert levels[0] == 1.0
    assert len(levels) > 1
    assert image[..., 3].any()


def test_threads_render_the_same_tiles(cog):
    tiles = tiles_over(cog, 19)
    with renderer_of(cog, mosaic=False) as renderer:  # the files: any thread may render
        expected = [renderer.render(t.z, t.x, t.y).png for t in tiles]
        with concurrent.futures.ThreadPoolExecutor(4) as pool:
            for _ in range(3):
                got = list(pool.map(lambda t: renderer.render(t.z, t.x, t.y).png, tiles))
                assert got == expected


def test_a_mosaic_of_two_cogs_fills_a_tile_from_both(tmp_path):
    west = write_cog(tmp_path / "w.tif", np.full((400, 400), 500, np.float32))
    east = write_cog(
        tmp_path / "e.tif",
        np.full((400, 400), 1000, np.float32),
        origin=(ORIGIN[0] + 200, ORIGIN[1]),
    )
    with rasterio.open(west) as w, rasterio.open(east) as e:
        centre = rasterio.warp.transform(
            "EPSG:3006", "EPSG:4326", [w.bounds.right], [(w.bounds.bottom + w.bounds.top) / 2]
        )
        assert e.bounds.left == w.bounds.right
    tile = TMS.tile(centre[0][0], centre[1][0], 17)
    with renderer_of(west, east) as renderer:
        image = decode(renderer.render(tile.z, tile.x, tile.y).png)
    colours = {tuple(p) for p in image.reshape(-1, 4).tolist() if p[3]}
    low, high = (
        tuple(DEFAULT_RAMP.colorize(np.array([[v]], np.float32))[0, 0].tolist())
        for v in (500, 1000)
    )
    assert colours == {low, high}


def test_tile_math_is_web_mercator_quad():
    assert TMS.id == "WebMercatorQuad"
    assert TMS.xy_bounds(morecantile.Tile(0, 0, 0)).left == pytest.approx(-20037508.34, abs=0.01)
