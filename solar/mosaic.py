"""Surface model tiles as one mosaic: the DSM files of a delivery read as a single raster.

Lantmäteriet delivers its elevation data in 2.5 × 2.5 km tiles; a solar map over a county
reads hundreds of them. :func:`surface_files` finds the files a user names (a folder, a glob
pattern, a GDAL VRT or one raster) and :func:`write_mosaic` writes a GDAL VRT that places every
tile on one grid, so a window read across tile edges (a block and its shadow margin) comes from
all the tiles it covers. Tiles must share a CRS (SWEREF 99 TM or a local zone) and a grid.

>>> grid_offset(617_000.0, 616_000.0, 0.5)
2000
>>> grid_offset(617_000.2, 616_000.0, 0.5) is None
True
"""

from __future__ import annotations

import glob
import os
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import rasterio
import rasterio.errors
from affine import Affine

from solar.errors import InvalidSurface

__all__ = ["TileGrid", "grid_offset", "surface_files", "write_mosaic"]

#: Extensions of the rasters a folder is searched for.
RASTER_SUFFIXES = (".tif", ".tiff", ".vrt", ".img", ".asc")
#: How far (in pixels) a tile's corner may lie off the mosaic's grid.
GRID_TOLERANCE = 1e-6


def grid_offset(coordinate: float, origin: float, step: float) -> int | None:
    """Whole pixels from ``origin`` to ``coordinate``, or None when off the grid."""
    offset = (coordinate - origin) / step
    whole = round(offset)
    return whole if abs(offset - whole) <= GRID_TOLERANCE else None


def surface_files(value: str | os.PathLike[str]) -> list[Path]:
    """The surface model files named by ``value``: a folder, a glob pattern, a VRT or a file.

    A folder gives its rasters (:data:`RASTER_SUFFIXES`, not recursive), sorted by name.

    Raises
    ------
    InvalidSurface
        When ``value`` names no raster file.
    """
    text = os.fspath(value)
    path = Path(text)
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.suffix.lower() in RASTER_SUFFIXES)
    elif path.is_file():
        files = [path]
    else:
        files = sorted(Path(p) for p in glob.glob(text) if Path(p).is_file())
    if not files:
        raise InvalidSurface(f"no surface model found at {text} (a folder, a pattern or a file)")
    return files


@dataclass(frozen=True)
class TileGrid:
    """The common grid of the tiles: CRS, pixel size and the union of their bounds."""

    crs: str
    res: tuple[float, float]
    bounds: tuple[float, float, float, float]

    @property
    def shape(self) -> tuple[int, int]:
        """Rows and columns of the mosaic."""
        left, bottom, right, top = self.bounds
        return round((top - bottom) / self.res[1]), round((right - left) / self.res[0])

    @property
    def transform(self) -> Affine:
        """The mosaic's geotransform (north up)."""
        return Affine(self.res[0], 0.0, self.bounds[0], 0.0, -self.res[1], self.bounds[3])


@dataclass(frozen=True)
class _Tile:
    path: Path
    crs: str
    res: tuple[float, float]
    bounds: tuple[float, float, float, float]
    shape: tuple[int, int]
    nodata: float | None


def _describe(path: Path) -> _Tile:
    try:
        with rasterio.open(path) as src:
            t = src.transform
            if src.crs is None or t.b != 0 or t.d != 0 or t.e >= 0:
                raise InvalidSurface(
                    f"{path.name} has no CRS or a rotated grid; a mosaic needs north-up tiles"
                )
            return _Tile(
                path.resolve(),
                src.crs.to_wkt(),
                (t.a, -t.e),
                (src.bounds.left, src.bounds.bottom, src.bounds.right, src.bounds.top),
                (src.height, src.width),
                src.nodata,
            )
    except rasterio.errors.RasterioIOError as err:
        raise InvalidSurface(f"cannot read the surface model {path.name}: {err}") from err


def _grid(tiles: list[_Tile]) -> TileGrid:
    first = tiles[0]
    for tile in tiles[1:]:
        if tile.crs != first.crs:
            raise InvalidSurface(f"{tile.path.name} is not in the CRS of {first.path.name}")
        if tile.res != first.res:
            raise InvalidSurface(
                f"{tile.path.name} has pixels of {tile.res[0]} m, {first.path.name} of "
                f"{first.res[0]} m; a mosaic needs one pixel size"
            )
    left = min(t.bounds[0] for t in tiles)
    top = max(t.bounds[3] for t in tiles)
    for tile in tiles:
        if grid_offset(tile.bounds[0], left, first.res[0]) is None or (
            grid_offset(top, tile.bounds[3], first.res[1]) is None
        ):
            raise InvalidSurface(f"{tile.path.name} is not aligned to the grid of the others")
    bounds = (left, min(t.bounds[1] for t in tiles), max(t.bounds[2] for t in tiles), top)
    return TileGrid(first.crs, first.res, bounds)


def write_mosaic(files: list[Path], vrt: str | os.PathLike[str]) -> TileGrid:
    """Write a GDAL VRT placing every file of ``files`` on their common grid; return the grid.

    Where tiles overlap, the later file wins; where none covers, the mosaic is nodata (NaN).
    The VRT names the files by absolute path and appears only when complete.

    Raises
    ------
    InvalidSurface
        A file is unreadable, or the files do not share a CRS, a pixel size and a grid.
    """
    tiles = [_describe(p) for p in files]
    grid = _grid(tiles)
    height, width = grid.shape
    root = ET.Element("VRTDataset", rasterXSize=str(width), rasterYSize=str(height))
    ET.SubElement(root, "SRS").text = grid.crs
    ET.SubElement(root, "GeoTransform").text = ", ".join(repr(v) for v in grid.transform.to_gdal())
    band = ET.SubElement(root, "VRTRasterBand", dataType="Float32", band="1")
    ET.SubElement(band, "NoDataValue").text = "nan"
    for tile in tiles:
        col = grid_offset(tile.bounds[0], grid.bounds[0], grid.res[0])
        row = grid_offset(grid.bounds[3], tile.bounds[3], grid.res[1])
        source = ET.SubElement(band, "ComplexSource")
        name = ET.SubElement(source, "SourceFilename", relativeToVRT="0")
        name.text = str(tile.path)
        ET.SubElement(source, "SourceBand").text = "1"
        w, h = str(tile.shape[1]), str(tile.shape[0])
        ET.SubElement(source, "SrcRect", xOff="0", yOff="0", xSize=w, ySize=h)
        ET.SubElement(source, "DstRect", xOff=str(col), yOff=str(row), xSize=w, ySize=h)
        if tile.nodata is not None:
            ET.SubElement(source, "NODATA").text = repr(tile.nodata)
    target = Path(vrt)
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    ET.ElementTree(root).write(temporary, encoding="utf-8", xml_declaration=False)
    os.replace(temporary, target)
    return grid
