"""Solar map tiles: WebMercatorQuad z/x/y PNGs rendered straight from the catalogued COGs.

For each tile the pixel centres are reprojected exactly on a coarse 17 × 17 grid (every 16
pixels) and interpolated in between (as GDAL's approximate transformer does); the overview
level is chosen as GDAL does (the coarsest one not coarser than the tile's resolution); only
the source window the tile needs is read; values are coloured through :mod:`solar.colormap`.
Outside the data tiles are transparent.

Making a renderer opens each COG once (not its overviews: their factors are in the file's
header, and the one level a tile needs is opened when it is drawn), so a renderer made for a
single tile costs two opens. The renderer keeps no file handles of its own. Given an open
:class:`~solar.raster.CogMosaic` it reads that mosaic's tiles and their overviews (which the
mosaic opens on first use and closes with itself), so, like the mosaic, it serves one thread at
a time: the web service keeps one beside the mosaic its reports read, in each worker thread.
Given COG paths instead, every :meth:`TileRenderer.render` opens what it reads and closes it
again, in any thread.

>>> TileRenderer.check(3, 4, 2)
>>> TileRenderer.check(2, 4, 0)
Traceback (most recent call last):
...
solar.errors.TileOutOfRange: tile 2/4/0 does not exist: x and y run from 0 to 3 at zoom 2
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import morecantile
import numpy as np
import rasterio
from numpy.typing import NDArray
from pyproj import CRS, Transformer
from rasterio.io import DatasetReader

from solar.colormap import DEFAULT_RAMP, ColorRamp
from solar.errors import TileOutOfRange
from solar.png import encode_rgba
from solar.raster import GDAL_OPTIONS, CogMosaic
from sweref import WEB_MERCATOR, reproject_bounds, transformer

__all__ = ["MAX_ZOOM", "TMS", "Tile", "TileRenderer"]

TMS = morecantile.tms.get("WebMercatorQuad")
TILE_SIZE = 256
MAX_ZOOM = 24
GRID = 17


CELL = 16  # pixels between two exactly reprojected grid points
FRACTION = (np.arange(CELL) / CELL).astype(np.float64)


def upsample(grid: NDArray[np.float64]) -> NDArray[np.float64]:
    """Bilinear interpolation of (GRID, GRID) samples taken every CELL pixels to the whole tile.

    Sample k sits at pixel-centre offset ``CELL * k + 0.5``, so every pixel lies in a cell of
    exactly CELL × CELL pixels and the interpolation is four broadcast multiply-adds (no
    gathers, no BLAS call: both are slower at this size).

    >>> ramp = np.add.outer(np.arange(GRID) * 16.0, np.arange(GRID) * 1.0)
    >>> bool(np.allclose(upsample(ramp), np.add.outer(np.arange(256.0), np.arange(256) / 16)))
    True
    """
    b = FRACTION[None, None, None, :]
    a = FRACTION[None, :, None, None]
    g00, g01 = grid[:-1, None, :-1, None], grid[:-1, None, 1:, None]
    g10, g11 = grid[1:, None, :-1, None], grid[1:, None, 1:, None]
    top = g00 + (g01 - g00) * b
    bottom = g10 + (g11 - g10) * b
    out: NDArray[np.float64] = (top + (bottom - top) * a).reshape(TILE_SIZE, TILE_SIZE)
    return out


GRID_AT = np.arange(GRID) * CELL + 0.5


EMPTY_PNG = encode_rgba(np.zeros((TILE_SIZE, TILE_SIZE, 4), dtype=np.uint8))


@dataclass(frozen=True)
class Tile:
    """A rendered tile: PNG bytes, and whether any pixel holds data."""

    z: int
    x: int
    y: int
    png: bytes
    empty: bool


@dataclass(frozen=True)
class _Level:
    """A resolution level of a COG: 1 for full resolution, else the overview's factor (its
    transform and size are read from the level's dataset when a tile needs it)."""

    factor: float


@dataclass(frozen=True)
class _Source:
    index: int  # the COG's place in the renderer's files (and in its mosaic)
    path: Path
    crs: CRS
    nodata: float | None
    bounds_mercator: tuple[float, float, float, float]
    resolution: float  # of the full-resolution level, in the COG's CRS units
    levels: tuple[_Level, ...]  # full resolution first, then the overviews
    to_source: Transformer


#: The open dataset of a COG, given its index and a level (0: full resolution, k: overview k).
Opener = Callable[[int, int], DatasetReader]


def _describe(index: int, path: Path, dataset: Opener) -> _Source:
    src = dataset(index, 0)
    levels = [_Level(1.0), *(_Level(float(factor)) for factor in src.overviews(1))]
    west, south, east, north = reproject_bounds(tuple(src.bounds), src.crs, WEB_MERCATOR)
    return _Source(
        index,
        path,
        CRS(src.crs),
        src.nodata,
        (west, south, east, north),
        abs(src.transform.a),
        tuple(levels),
        transformer(WEB_MERCATOR, src.crs),
    )


class TileRenderer:
    """Render solar map tiles from one or more COGs (a mosaic: the first source with data wins).

    Parameters
    ----------
    source
        The solar map: an open :class:`~solar.raster.CogMosaic`, whose handles the renderer
        reads (in the thread that uses the mosaic), or the COG files, which every
        :meth:`render` opens and closes (in any thread).
    ramp
        The colour ramp.
    """

    def __init__(
        self,
        source: CogMosaic | Sequence[str | os.PathLike[str]],
        ramp: ColorRamp = DEFAULT_RAMP,
    ) -> None:
        self.raster = source if isinstance(source, CogMosaic) else None
        files = source.paths if isinstance(source, CogMosaic) else source
        self.paths = tuple(Path(p) for p in files)
        self.ramp = ramp
        with ExitStack() as scope:
            opener = self._opener(scope)
            self.sources = tuple(_describe(i, p, opener) for i, p in enumerate(self.paths))

    def _opener(self, scope: ExitStack) -> Opener:
        """The mosaic's datasets, or datasets opened now and closed with ``scope``."""
        if self.raster is not None:
            return self.raster.dataset

        def open_file(index: int, level: int) -> DatasetReader:
            path = self.paths[index]
            with rasterio.Env(**GDAL_OPTIONS):
                opened = (
                    rasterio.open(path, overview_level=level - 1) if level else rasterio.open(path)
                )
            return scope.enter_context(opened)

        return open_file

    @property
    def bounds_mercator(self) -> tuple[float, float, float, float] | None:
        """Union of the sources' bounds in EPSG:3857, or None without sources."""
        if not self.sources:
            return None
        b = np.array([s.bounds_mercator for s in self.sources])
        return (
            float(b[:, 0].min()),
            float(b[:, 1].min()),
            float(b[:, 2].max()),
            float(b[:, 3].max()),
        )

    @staticmethod
    def check(z: int, x: int, y: int) -> None:
        """Raise :class:`TileOutOfRange` unless z/x/y is a WebMercatorQuad tile we serve."""
        if not 0 <= z <= MAX_ZOOM:
            raise TileOutOfRange(f"zoom {z} is outside 0–{MAX_ZOOM}")
        if not (0 <= x < 2**z and 0 <= y < 2**z):
            raise TileOutOfRange(
                f"tile {z}/{x}/{y} does not exist: x and y run from 0 to {2**z - 1} at zoom {z}"
            )

    def render(self, z: int, x: int, y: int) -> Tile:
        """The tile z/x/y; transparent where there is no data."""
        self.check(z, x, y)
        left, bottom, right, top = TMS.xy_bounds(morecantile.Tile(x, y, z))
        values: NDArray[np.float32] | None = None
        with ExitStack() as scope:
            opener = self._opener(scope)
            for source in self.sources:
                sb = source.bounds_mercator
                if sb[0] >= right or sb[2] <= left or sb[1] >= top or sb[3] <= bottom:
                    continue
                geo = (left, top, (right - left) / TILE_SIZE)
                values = self._sample(source, geo, values, opener)
        if values is None or np.isnan(values).all():
            return Tile(z, x, y, EMPTY_PNG, True)
        return Tile(z, x, y, encode_rgba(self.ramp.colorize(values)), False)

    def _sample(
        self,
        source: _Source,
        geo: tuple[float, float, float],
        values: NDArray[np.float32] | None,
        opener: Opener,
    ) -> NDArray[np.float32] | None:
        left, top, res = geo
        gx, gy = np.meshgrid(left + GRID_AT * res, top - GRID_AT * res)
        sx, sy = source.to_source.transform(gx, gy)
        dataset = opener(source.index, self._level(source, sx, sy))
        # Pixel centres in the level's pixel space, interpolated from the exact grid.
        inverse = ~dataset.transform
        col_grid = inverse.a * sx + inverse.b * sy + inverse.c
        row_grid = inverse.d * sx + inverse.e * sy + inverse.f
        cols = np.floor(upsample(col_grid)).astype(np.intp)
        rows = np.floor(upsample(row_grid)).astype(np.intp)
        r0, r1 = max(int(rows.min()), 0), min(int(rows.max()) + 1, dataset.height)
        c0, c1 = max(int(cols.min()), 0), min(int(cols.max()) + 1, dataset.width)
        if r0 >= r1 or c0 >= c1:
            return values
        inside = (cols >= c0) & (cols < c1) & (rows >= r0) & (rows < r1)
        if values is not None:
            inside &= np.isnan(values)
        window = dataset.read(1, window=((r0, r1), (c0, c1)))
        flat = (rows - r0) * (c1 - c0) + (cols - c0)
        picked = np.take(window, np.where(inside, flat, 0)).astype(np.float32, copy=False)
        if source.nodata is not None:
            inside &= picked != source.nodata
        if values is None:
            values = np.full((TILE_SIZE, TILE_SIZE), np.nan, dtype=np.float32)
        np.copyto(values, picked, where=inside)
        return values

    @staticmethod
    def _level(source: _Source, sx: NDArray[np.float64], sy: NDArray[np.float64]) -> int:
        """GDAL's choice: the coarsest level whose resolution is not coarser than the tile's."""
        step = math.hypot(sx[0, -1] - sx[0, 0], sy[0, -1] - sy[0, 0]) / (GRID_AT[-1] - GRID_AT[0])
        wanted = step / source.resolution
        best = 0
        for index, level in enumerate(source.levels):
            if level.factor <= wanted * 1.0000001:
                best = index
        return best
