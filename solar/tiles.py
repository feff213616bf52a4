"""Solar map tiles: WebMercatorQuad z/x/y PNGs rendered straight from the catalogued COGs.

For each tile the pixel centres are reprojected exactly on a coarse 17 × 17 grid (every 16
pixels) and interpolated in between (as GDAL's approximate transformer does); the overview
level is chosen as GDAL does (the coarsest one not coarser than the tile's resolution); only
the source window the tile needs is read; values are coloured through :mod:`solar.colormap`.
Outside the data tiles are transparent.

Dataset handles are kept open per thread (GDAL handles must not be shared between threads) when
``keep_open`` is true, else opened and closed for every tile.

>>> TileRenderer.check(3, 4, 2)
>>> TileRenderer.check(2, 4, 0)
Traceback (most recent call last):
...
solar.errors.TileOutOfRange: tile 2/4/0 does not exist: x and y run from 0 to 3 at zoom 2
"""

from __future__ import annotations

import math
import threading
from collections.abc import Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import morecantile
import numpy as np
import rasterio
from pyproj import CRS, Transformer

from solar.colormap import DEFAULT_RAMP, ColorRamp
from solar.errors import TileOutOfRange
from solar.png import encode_rgba

__all__ = ["MAX_ZOOM", "TMS", "Tile", "TileRenderer"]

TMS = morecantile.tms.get("WebMercatorQuad")
TILE_SIZE = 256
MAX_ZOOM = 24
GRID = 17
GDAL_OPTIONS = {"GDAL_DISABLE_READDIR_ON_OPEN": "EMPTY_DIR"}


CELL = 16  # pixels between two exactly reprojected grid points
FRACTION = (np.arange(CELL) / CELL).astype(np.float64)


def upsample(grid: np.ndarray) -> np.ndarray:
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
    return (top + (bottom - top) * a).reshape(TILE_SIZE, TILE_SIZE)


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
    factor: float
    transform: rasterio.Affine
    width: int
    height: int


@dataclass(frozen=True)
class _Source:
    path: Path
    crs: CRS
    nodata: float | None
    bounds_mercator: tuple[float, float, float, float]
    levels: tuple[_Level, ...]  # full resolution first, then the overviews
    to_source: Transformer


def _describe(path: Path) -> _Source:
    with rasterio.Env(**GDAL_OPTIONS), rasterio.open(path) as src:
        levels = [_Level(1.0, src.transform, src.width, src.height)]
        for index, factor in enumerate(src.overviews(1)):
            with rasterio.open(path, overview_level=index) as ovr:
                levels.append(_Level(float(factor), ovr.transform, ovr.width, ovr.height))
        to_mercator = Transformer.from_crs(src.crs, "EPSG:3857", always_xy=True)
        bounds = to_mercator.transform_bounds(*src.bounds, densify_pts=21)
        return _Source(
            Path(path),
            CRS(src.crs),
            src.nodata,
            bounds,
            tuple(levels),
            Transformer.from_crs("EPSG:3857", src.crs, always_xy=True),
        )


class TileRenderer:
    """Render solar map tiles from one or more COGs (a mosaic: the first source with data wins).

    Parameters
    ----------
    paths
        The COG files, as found through the solar catalog.
    ramp
        The colour ramp.
    keep_open
        Keep dataset handles open between tiles (one set per thread).
    """

    def __init__(
        self, paths: Sequence[str | Path], ramp: ColorRamp = DEFAULT_RAMP, keep_open: bool = True
    ) -> None:
        self.sources = tuple(_describe(Path(p)) for p in paths)
        self.ramp = ramp
        self.keep_open = keep_open
        self._local = threading.local()
        self._stacks: list[ExitStack] = []
        self._lock = threading.Lock()

    @property
    def bounds_mercator(self) -> tuple[float, float, float, float] | None:
        """Union of the sources' bounds in EPSG:3857, or None without sources."""
        if not self.sources:
            return None
        b = np.array([s.bounds_mercator for s in self.sources])
        return (b[:, 0].min(), b[:, 1].min(), b[:, 2].max(), b[:, 3].max())

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
        values = None
        with ExitStack() as scope:
            for source in self.sources:
                sb = source.bounds_mercator
                if sb[0] >= right or sb[2] <= left or sb[1] >= top or sb[3] <= bottom:
                    continue
                values = self._sample(
                    source, (left, top, (right - left) / TILE_SIZE), values, scope
                )
        if values is None or np.isnan(values).all():
            return Tile(z, x, y, EMPTY_PNG, True)
        return Tile(z, x, y, encode_rgba(self.ramp.colorize(values)), False)

    def _sample(self, source: _Source, geo, values, scope: ExitStack):
        left, top, res = geo
        gx, gy = np.meshgrid(left + GRID_AT * res, top - GRID_AT * res)
        sx, sy = source.to_source.transform(gx, gy)
        level_index, level = self._level(source, sx, sy)
        # Pixel centres in the level's pixel space, interpolated from the exact grid.
        inverse = ~level.transform
        col_grid = inverse.a * sx + inverse.b * sy + inverse.c
        row_grid = inverse.d * sx + inverse.e * sy + inverse.f
        cols = np.floor(upsample(col_grid)).astype(np.intp)
        rows = np.floor(upsample(row_grid)).astype(np.intp)
        r0, r1 = max(int(rows.min()), 0), min(int(rows.max()) + 1, level.height)
        c0, c1 = max(int(cols.min()), 0), min(int(cols.max()) + 1, level.width)
        if r0 >= r1 or c0 >= c1:
            return values
        inside = (cols >= c0) & (cols < c1) & (rows >= r0) & (rows < r1)
        if values is not None:
            inside &= np.isnan(values)
        dataset = self._dataset(source.path, level_index, scope)
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
    def _level(source: _Source, sx: np.ndarray, sy: np.ndarray) -> tuple[int, _Level]:
        """GDAL's choice: the coarsest level whose resolution is not coarser than the tile's."""
        step = math.hypot(sx[0, -1] - sx[0, 0], sy[0, -1] - sy[0, 0]) / (GRID_AT[-1] - GRID_AT[0])
        wanted = step / abs(source.levels[0].transform.a)
        best = 0
        for index, level in enumerate(source.levels):
            if level.factor <= wanted * 1.0000001:
                best = index
        return best, source.levels[best]

    def _dataset(self, path: Path, level: int, scope: ExitStack):
        if not self.keep_open:
            scope.enter_context(rasterio.Env(**GDAL_OPTIONS))
            return scope.enter_context(self._open(path, level))
        cache = getattr(self._local, "datasets", None)
        if cache is None:
            cache = self._local.datasets = {}
            self._local.stack = ExitStack()
            with self._lock:
                self._stacks.append(self._local.stack)
        key = (path, level)
        if key not in cache:
            with rasterio.Env(**GDAL_OPTIONS):
                cache[key] = self._local.stack.enter_context(self._open(path, level))
        return cache[key]

    @staticmethod
    def _open(path: Path, level: int):
        return rasterio.open(path, overview_level=level - 1) if level else rasterio.open(path)

    def close(self) -> None:
        """Close every dataset handle this renderer opened, in every thread."""
        with self._lock:
            for stack in self._stacks:
                stack.close()
            self._stacks.clear()
        self._local = threading.local()

    def __enter__(self) -> TileRenderer:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
