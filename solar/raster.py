"""Raster sources: the solar map as one grid, however many COG tiles it is stored in.

:class:`RasterSource` is the abstract base every reader of a solar map implements: the grid
(transform, shape, CRS, nodata, internal block size) and ``read(window)``, which answers any
window of the grid, also one reaching past its edges (filled with nodata). :class:`CogMosaic`
is the implementation over Cloud-Optimized GeoTIFF tiles on one common grid; it is a context
manager that owns its open files, and every GDAL option goes through :class:`rasterio.Env`.
:func:`open_solar_map` finds the tiles through the STAC catalog (never a path from a request).
"""

from __future__ import annotations

import abc
import functools
import json
import math
import os
from collections.abc import Iterable, Sequence
from contextlib import ExitStack, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import rasterio
from affine import Affine
from numpy.typing import NDArray
from rasterio.windows import Window

from solar.blocks import BlockReader
from solar.errors import InvalidRaster
from sweref import STORAGE_CRS, WGS84, transformer

if TYPE_CHECKING:
    import shapely
    from rasterio.io import DatasetReader

    from solar.catalog import CRSLike, SolarTile

__all__ = ["GDAL_OPTIONS", "CogMosaic", "RasterSource", "open_solar_map"]

#: GDAL options for reading solar COGs: no directory listing for sidecar files on open.
GDAL_OPTIONS = {"GDAL_DISABLE_READDIR_ON_OPEN": "EMPTY_DIR"}


class RasterSource(abc.ABC):
    """A single-band float raster on one north-up grid, read by windows."""

    transform: Affine
    crs: rasterio.crs.CRS
    height: int
    width: int
    nodata: float
    block_shape: tuple[int, int]

    @abc.abstractmethod
    def read(self, window: Window, out: NDArray[np.float32] | None = None) -> NDArray[np.float32]:
        """The window's values as float32; pixels outside the grid hold :attr:`nodata`.

        ``out`` (C-contiguous rows, the window's shape) receives them instead of a new array.
        """

    @abc.abstractmethod
    def close(self) -> None:
        """Release what the source holds open."""

    @property
    def pixel_area(self) -> float:
        """Area of one pixel in square metres (the CRS's units squared)."""
        return abs(self.transform.a * self.transform.e)

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        """The grid's extent (minx, miny, maxx, maxy) in its CRS."""
        t = self.transform
        return (t.c, t.f + t.e * self.height, t.c + t.a * self.width, t.f)

    @property
    def parameters(self) -> dict[str, Any]:
        """The solar model the source records (``SolarModel.to_dict()``), or ``{}``."""
        return {}

    @functools.cached_property
    def site(self) -> tuple[float, float]:
        """Latitude and longitude of the grid's centre."""
        west, south, east, north = self.bounds
        lon, lat = transformer(self.crs, WGS84).transform((west + east) / 2, (south + north) / 2)
        return float(lat), float(lon)

    def __enter__(self) -> RasterSource:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class CogMosaic(RasterSource):
    """One or more COG tiles on a common grid (same CRS and pixel size, aligned origins).

    Like the GDAL handles it holds, an instance serves one thread at a time.

    Parameters
    ----------
    paths
        The tiles' files.
    options
        GDAL configuration options for every read (added to :data:`GDAL_OPTIONS`), e.g.
        ``{"GDAL_CACHEMAX": 64}`` for a batch that keeps its own pixels.
    direct
        Decode the blocks of tiles that :class:`~solar.blocks.BlockReader` supports directly
        (same values as GDAL, about twice as fast); ``False`` reads everything through GDAL.
    """

    def __init__(
        self,
        paths: Iterable[str | os.PathLike[str]],
        options: dict[str, Any] | None = None,
        direct: bool = True,
    ) -> None:
        self.paths = [Path(p) for p in paths]
        if not self.paths:
            raise InvalidRaster("a solar map needs at least one tile")
        self.options = {**GDAL_OPTIONS, **(options or {})}
        # options that matter when reading (not only when opening) need an Env on each read
        self._read_options = {k: v for k, v in self.options.items() if k not in GDAL_OPTIONS}
        self._stack = ExitStack()
        self._overviews: dict[tuple[int, int], rasterio.io.DatasetReader] = {}
        try:
            with rasterio.Env(**self.options):
                self._tiles = [self._stack.enter_context(_open(p)) for p in self.paths]
            self._grid()
            self._direct = [self._direct_reader(src) if direct else None for src in self._tiles]
        except BaseException:
            self._stack.close()
            raise

    def _grid(self) -> None:
        first = self._tiles[0]
        if first.crs is None or not first.crs.is_projected:
            raise InvalidRaster(f"{first.name} needs a projected CRS in metres")
        t = first.transform
        if t.b != 0 or t.d != 0 or t.e >= 0:
            raise InvalidRaster(f"{first.name} must be a north-up grid without rotation")
        left = min(s.bounds.left for s in self._tiles)
        top = max(s.bounds.top for s in self._tiles)
        self.transform = Affine(t.a, 0.0, left, 0.0, t.e, top)
        self.crs = first.crs
        self.nodata = float(first.nodata) if first.nodata is not None else math.nan
        block_height, block_width = first.block_shapes[0]
        self.block_shape = (int(block_height), int(block_width))
        self._offsets = [self._offset(s) for s in self._tiles]
        self.height = max(
            r + s.height for (r, _), s in zip(self._offsets, self._tiles, strict=True)
        )
        self.width = max(c + s.width for (_, c), s in zip(self._offsets, self._tiles, strict=True))

    def _offset(self, src: DatasetReader) -> tuple[int, int]:
        if src is self._tiles[0] and len(self._tiles) == 1:
            return 0, 0
        if src.crs != self.crs or not np.allclose(src.res, self._tiles[0].res):
            raise InvalidRaster(f"{src.name} is not on the grid of {self._tiles[0].name}")
        col = (src.transform.c - self.transform.c) / self.transform.a
        row = (src.transform.f - self.transform.f) / self.transform.e
        if abs(col - round(col)) > 1e-6 or abs(row - round(row)) > 1e-6:
            raise InvalidRaster(f"{src.name} is not aligned with the other tiles' pixels")
        return round(row), round(col)

    def _direct_reader(self, src: DatasetReader) -> BlockReader | None:
        reader = BlockReader.open(src)
        if reader is not None:
            self._stack.callback(reader.close)
        return reader

    def read(self, window: Window, out: NDArray[np.float32] | None = None) -> NDArray[np.float32]:
        """The window's values as float32; pixels outside the grid hold :attr:`nodata`.

        ``out`` (float32, the window's shape) receives them instead of a new array.
        """
        row0, col0 = int(window.row_off), int(window.col_off)
        height, width = int(window.height), int(window.width)
        if out is None:
            out = np.full((height, width), self.nodata, np.float32)
        elif out.shape != (height, width) or out.dtype != np.float32:
            raise ValueError(f"out is {out.dtype} {out.shape}, the window {(height, width)}")
        elif not self._inside_one_tile(row0, col0, height, width):
            out.fill(self.nodata)
        with rasterio.Env(**self._read_options) if self._read_options else nullcontext():
            for (r, c), src, direct in zip(self._offsets, self._tiles, self._direct, strict=True):
                top, left = max(row0, r), max(col0, c)
                bottom = min(row0 + height, r + src.height)
                right = min(col0 + width, c + src.width)
                if bottom <= top or right <= left:
                    continue
                target = out[top - row0 : bottom - row0, left - col0 : right - col0]
                part = Window(left - c, top - r, right - left, bottom - top)
                if len(self._tiles) == 1 and (direct is not None or src.nodata == self.nodata):
                    self._read_tile(src, direct, part, target)
                    continue
                values = np.empty(target.shape, np.float32)
                self._read_tile(src, direct, part, values)
                if src.nodata is not None and src.nodata != self.nodata:
                    values[values == src.nodata] = self.nodata
                keep = (target == self.nodata) | np.isnan(target)  # the first with data wins
                target[keep] = values[keep]
        return out

    def _inside_one_tile(self, row0: int, col0: int, height: int, width: int) -> bool:
        """Whether one tile answers every pixel of the window, written straight into ``out``."""
        if len(self._tiles) != 1:
            return False
        (r, c), src = self._offsets[0], self._tiles[0]
        if self._direct[0] is None and src.nodata != self.nodata:
            return False
        inside = r <= row0 and c <= col0
        return inside and row0 + height <= r + src.height and col0 + width <= c + src.width

    @staticmethod
    def _read_tile(
        src: DatasetReader, direct: BlockReader | None, part: Window, out: NDArray[np.float32]
    ) -> None:
        if direct is not None:
            direct.read(
                int(part.row_off), int(part.col_off), int(part.height), int(part.width), out
            )
        else:
            src.read(1, window=part, out=out, masked=False)

    def close(self) -> None:
        """Close every tile (and the block readers) this mosaic opened."""
        self._stack.close()

    def dataset(self, tile: int, level: int = 0) -> rasterio.io.DatasetReader:
        """The open dataset of the tile ``self.paths[tile]`` at overview ``level``.

        Level 0 is the full resolution, level *k* the tile's *k*-th overview. Overviews are
        opened on first use and closed with the mosaic (for :class:`~solar.tiles.TileRenderer`,
        which picks the level itself).
        """
        if level == 0:
            return self._tiles[tile]
        key = (tile, level)
        if key not in self._overviews:
            with rasterio.Env(**self.options):
                self._overviews[key] = self._stack.enter_context(
                    rasterio.open(self.paths[tile], overview_level=level - 1)
                )
        return self._overviews[key]

    @property
    def parameters(self) -> dict[str, Any]:
        """The solar model the first tile records (its ``SOLAR_MODEL`` tag), or ``{}``."""
        raw = self._tiles[0].tags().get("SOLAR_MODEL")
        try:
            parameters = json.loads(raw) if raw else {}
        except json.JSONDecodeError:
            return {}
        return parameters if isinstance(parameters, dict) else {}

    def __repr__(self) -> str:
        return f"CogMosaic({len(self.paths)} tile(s), {self.width}×{self.height} px, {self.crs})"


def _open(path: Path) -> DatasetReader:
    try:
        src = rasterio.open(path)
    except rasterio.errors.RasterioIOError as err:
        raise InvalidRaster(f"cannot read the solar map tile {path.name}: {err}") from err
    if src.count < 1:
        src.close()
        raise InvalidRaster(f"{path.name} has no band")
    return src


def open_solar_map(
    catalog_path: str | os.PathLike[str],
    geometry: shapely.Geometry | dict[str, Any] | None = None,
    crs: CRSLike = STORAGE_CRS,
    options: dict[str, Any] | None = None,
) -> CogMosaic:
    """Open the catalogued solar map tiles that cover ``geometry`` (all tiles without one).

    Raises :class:`~solar.errors.SolarMapNotFound` when no tile covers the geometry and
    :class:`~solar.errors.CatalogError` when the catalog cannot be read.
    """
    from solar import catalog

    if geometry is None:
        tiles: Sequence[SolarTile] = catalog.list_tiles(catalog_path)
    else:
        tiles = catalog.find_tiles(catalog_path, geometry, crs)
    return CogMosaic([tile.href for tile in tiles], options=options)
