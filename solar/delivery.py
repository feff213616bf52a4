"""A municipality's surface models from its delivery: laser tiles or ready grids → DSM and DTM.

:func:`surface_from_delivery` takes the files of a delivery (or folders holding them): LAS/LAZ
point clouds (Lantmäteriet's *Laserdata Nedladdning*, see :mod:`solar.laser`) and ready GeoTIFF
grids (*Markhöjdmodell*, *Ythöjdmodell*, see :mod:`solar.grids`). It writes the surface model
(``dsm.tif``: ground, roofs and trees) and the terrain model (``dtm.tif``) as Cloud-Optimized
GeoTIFFs in SWEREF 99 TM (EPSG:3006), heights in RH 2000 (stated in the files' metadata), one
mosaic of all tiles each. Point clouds make both models, one tile at a time (memory is bounded by
a tile's grid); a ready grid is used for a model no point cloud gives. A grid is told to be a
DSM or a DTM by its name (:func:`grid_kind`).

>>> grid_kind(Path("63900_3200_25.tif")), grid_kind(Path("dsm_KRbig.tif"))
('dtm', 'dsm')
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from affine import Affine
from numpy.typing import NDArray
from rasterio.windows import Window

from solar import cog
from solar.errors import InvalidSurface
from solar.gapfill import SurfaceOptions, surface_and_terrain
from solar.grids import VERTICAL_DATUM, GridFile, common_resolution, open_grid, read_onto
from solar.grids import snap_bounds as snap
from solar.laser import CHUNK_POINTS, LaserTile, grid_tile, open_tile
from solar.roofs import RoofMask
from sweref import STORAGE_CRS, Bounds

__all__ = ["DSM_FILE", "DTM_FILE", "NODATA", "SurfacePaths", "grid_kind", "surface_from_delivery"]

#: The files written into the output directory (the names a data directory uses).
DSM_FILE, DTM_FILE = "dsm.tif", "dtm.tif"
#: Nodata of the written models: no height in Sweden is near it.
NODATA = -9999.0
#: Output blocks of a mosaic of ready grids, in cells.
GRID_BLOCK = 2048
_POINT_SUFFIXES = (".laz", ".las")
_GRID_SUFFIXES = (".tif", ".tiff")
#: Name parts of terrain and surface grids (Lantmäteriet's markhöjdmodell tiles are numbers only).
_DTM_WORDS = re.compile(r"(dtm|dem|mhm|markh[oö]jd|terr[aä]i?ng?)", re.IGNORECASE)
_DSM_WORDS = re.compile(r"(dsm|ythojd|ythöjd|ytmodell|surface)", re.IGNORECASE)
_TILE_NUMBERS = re.compile(r"^m?\d+(_\d+)+$")

Say = Callable[[str], None]


@dataclass(frozen=True)
class SurfacePaths:
    """What :func:`surface_from_delivery` wrote, and from what."""

    dsm: Path
    dtm: Path | None
    bounds: Bounds
    resolution: float
    sources: tuple[str, ...]
    points: int = 0
    noise_points: int = 0
    outlier_cells: int = 0
    crs: str = STORAGE_CRS
    vertical_datum: str = VERTICAL_DATUM
    method: dict[str, Any] = field(default_factory=dict, repr=False)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready values (paths as strings)."""
        return {
            "dsm": str(self.dsm),
            "dtm": str(self.dtm) if self.dtm else None,
            "crs": self.crs,
            "vertical_datum": self.vertical_datum,
            "bounds": list(self.bounds),
            "resolution": self.resolution,
            "sources": list(self.sources),
            "points": self.points,
            "noise_points": self.noise_points,
            "outlier_cells": self.outlier_cells,
            "method": self.method,
        }


def grid_kind(path: Path) -> str:
    """``"dtm"`` or ``"dsm"`` from a grid's file name; :class:`InvalidSurface` if it says neither.

    Names of bare tile numbers (``63900_3200_25``, ``m641_72``) are Lantmäteriet's
    markhöjdmodell, a DTM.
    """
    stem = path.stem
    if _DSM_WORDS.search(stem):
        return "dsm"
    if _DTM_WORDS.search(stem) or _TILE_NUMBERS.match(stem):
        return "dtm"
    raise InvalidSurface(
        f"cannot tell whether {path.name} is a surface (DSM) or a terrain (DTM) model: "
        "put dsm or dtm in its name"
    )


def _files(paths: Iterable[str | os.PathLike[str]]) -> list[Path]:
    found: list[Path] = []
    for item in paths:
        path = Path(item)
        if path.is_dir():
            found.extend(
                p
                for p in sorted(path.rglob("*"))
                if p.is_file() and p.suffix.lower() in _POINT_SUFFIXES + _GRID_SUFFIXES
            )
        elif path.is_file():
            found.append(path)
        else:
            raise InvalidSurface(f"{path.name} does not exist")
    return found


def surface_from_delivery(
    paths: Iterable[str | os.PathLike[str]],
    out_dir: str | os.PathLike[str],
    buildings: str | os.PathLike[str] | RoofMask | None = None,
    options: SurfaceOptions | None = None,
    say: Say | None = None,
    chunk_points: int = CHUNK_POINTS,
) -> SurfacePaths:
    """Write ``dsm.tif`` and ``dtm.tif`` into ``out_dir`` from the delivered files ``paths``.

    Parameters
    ----------
    paths
        LAS/LAZ point clouds and GeoTIFF grids, or folders holding them (searched recursively).
    out_dir
        Where the models go; each file appears only when complete.
    buildings
        Building footprints (a vector file, by default its ``buildings`` layer, or a
        :class:`~solar.roofs.RoofMask`), used where the points have no building class.
    options
        Resolution, outlier and gap-filling distances (:class:`~solar.gapfill.SurfaceOptions`).
    say
        Called with a line of progress per tile.
    chunk_points
        Points read from a point cloud at a time.

    Raises
    ------
    InvalidSurface
        A file cannot be read, lies in no Swedish CRS, or the delivery holds no surface model.
    """
    options = options or SurfaceOptions()
    files = _files(paths)
    clouds = [open_tile(p) for p in files if p.suffix.lower() in _POINT_SUFFIXES]
    grids = [p for p in files if p.suffix.lower() in _GRID_SUFFIXES]
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    if clouds:
        mask = (
            RoofMask.open(buildings, STORAGE_CRS)
            if isinstance(buildings, str | os.PathLike)
            else buildings
        )
        return _from_clouds(clouds, out, mask, options, say or _quiet, chunk_points)
    kinds: dict[str, list[GridFile]] = {"dsm": [], "dtm": []}
    for path in grids:
        kinds[grid_kind(path)].append(open_grid(path))
    if not kinds["dsm"]:
        raise InvalidSurface("the delivery holds no point cloud (LAZ) and no surface grid (DSM)")
    dsm, resolution, bounds = _from_grids(kinds["dsm"], out / DSM_FILE, "DSM", say or _quiet)
    dtm = (
        _from_grids(kinds["dtm"], out / DTM_FILE, "DTM", say or _quiet)[0] if kinds["dtm"] else None
    )
    return SurfacePaths(
        dsm,
        dtm,
        bounds,
        resolution,
        tuple(p.name for p in grids),
        method={"source": "ready grids", "resampling": "bilinear where reprojected"},
    )


def _quiet(_line: str) -> None:
    return None


def _union(boxes: Iterable[Bounds], resolution: float) -> Bounds:
    snapped = [snap(b, resolution) for b in boxes]
    return (
        min(b[0] for b in snapped),
        min(b[1] for b in snapped),
        max(b[2] for b in snapped),
        max(b[3] for b in snapped),
    )


def _grid(bounds: Bounds, resolution: float) -> tuple[Affine, tuple[int, int]]:
    shape = (
        round((bounds[3] - bounds[1]) / resolution),
        round((bounds[2] - bounds[0]) / resolution),
    )
    return Affine(resolution, 0.0, bounds[0], 0.0, -resolution, bounds[3]), shape


def _window(whole: Bounds, part: Bounds, resolution: float) -> Window:
    col = round((part[0] - whole[0]) / resolution)
    row = round((whole[3] - part[3]) / resolution)
    _, (height, width) = _grid(part, resolution)
    return Window(col, row, width, height)


def _tags(kind: str, sources: list[str], method: dict[str, Any]) -> dict[str, str]:
    return {
        "SURFACE": kind,
        "VERTICAL_DATUM": VERTICAL_DATUM,
        "VERTICAL_CRS": "EPSG:5613",
        "COMPOUND_CRS": "EPSG:5845",
        "SOURCES": json.dumps(sources, ensure_ascii=False),
        "METHOD": json.dumps(method, ensure_ascii=False),
    }


_DESCRIPTIONS = {
    "DSM": "Digital surface model (ground, roofs and trees), metres in RH 2000",
    "DTM": "Digital terrain model (ground), metres in RH 2000",
}


def _finish(draft: cog.Draft, kind: str, sources: list[str], method: dict[str, Any]) -> None:
    draft.finish(
        tags=_tags(kind, sources, method),
        band_tags={"UNIT": "metre", "VERTICAL_DATUM": VERTICAL_DATUM},
        description=_DESCRIPTIONS[kind],
    )


def _nodata(values: NDArray[np.float32]) -> NDArray[np.float32]:
    return np.where(np.isfinite(values), values, NODATA).astype(np.float32)


def _from_clouds(
    tiles: list[LaserTile],
    out: Path,
    footprints: RoofMask | None,
    options: SurfaceOptions,
    say: Say,
    chunk_points: int,
) -> SurfacePaths:
    res = options.resolution_m
    bounds = _union((t.bounds for t in tiles), res)
    transform, shape = _grid(bounds, res)
    profile = {"width": shape[1], "height": shape[0], "crs": STORAGE_CRS, "transform": transform}
    method = {
        "source": "laser point clouds",
        "surface": "highest return per cell, noise classes 7 and 18 and withheld points dropped",
        "terrain": "lowest ground (2) or water (9) return per cell",
        "buildings": "building class 6 where present, else footprints" if footprints else "class 6",
        "gaps": "inverse-distance fill (GDAL FillNodata)",
        **options.to_dict(),
    }
    points = noise = outliers = 0
    names = [t.path.name for t in tiles]
    with (
        cog.Draft(out / DSM_FILE, profile, NODATA) as dsm,
        cog.Draft(out / DTM_FILE, profile, NODATA) as dtm,
    ):
        for number, tile in enumerate(tiles, 1):
            tile_transform, tile_shape = _grid(snap(tile.bounds, res), res)
            cells = grid_tile(tile, tile_transform, tile_shape, chunk_points)
            roofs = footprints.mask(tile_transform, tile_shape) if footprints else None
            surface, terrain, dropped = surface_and_terrain(cells, options, roofs)
            window = _window(bounds, snap(tile.bounds, res), res)
            dsm.write(_nodata(surface), window)
            dtm.write(_nodata(terrain), window)
            points, noise, outliers = points + cells.used, noise + cells.dropped, outliers + dropped
            say(
                f"{tile.path.name} ({number}/{len(tiles)}): {cells.used:,} returns, "
                f"{cells.dropped:,} noise, {dropped:,} outlier cells"
            )
        _finish(dsm, "DSM", names, method)
        _finish(dtm, "DTM", names, method)
    return SurfacePaths(
        out / DSM_FILE,
        out / DTM_FILE,
        bounds,
        res,
        tuple(names),
        points,
        noise,
        outliers,
        method=method,
    )


def _from_grids(
    grids: list[GridFile], target: Path, kind: str, say: Say
) -> tuple[Path, float, Bounds]:
    res = common_resolution(grids)
    bounds = _union((g.bounds for g in grids), res)
    transform, shape = _grid(bounds, res)
    profile = {"width": shape[1], "height": shape[0], "crs": STORAGE_CRS, "transform": transform}
    method = {
        "source": "ready grids",
        "crs": sorted({g.crs for g in grids}),
        "vertical": sorted(
            {g.vertical or "not stated (Lantmäteriet's grids are in RH 2000)" for g in grids}
        ),
    }
    with cog.Draft(target, profile, NODATA) as draft:
        for row in range(0, shape[0], GRID_BLOCK):
            for col in range(0, shape[1], GRID_BLOCK):
                window = Window(
                    col, row, min(GRID_BLOCK, shape[1] - col), min(GRID_BLOCK, shape[0] - row)
                )
                draft.write(_merged(grids, transform, window), window)
        _finish(draft, kind, [g.path.name for g in grids], method)
    say(f"{kind}: {len(grids)} grid(s) onto {shape[1]} × {shape[0]} cells of {res} m")
    return target, res, bounds


def _merged(grids: list[GridFile], transform: Affine, window: Window) -> NDArray[np.float32]:
    """The block ``window`` of the mosaic: each cell from the first grid that has it."""
    shape = (int(window.height), int(window.width))
    block = np.full(shape, NODATA, np.float32)
    res = transform.a
    minx, maxy = transform.c + window.col_off * res, transform.f - window.row_off * res
    maxx, miny = minx + shape[1] * res, maxy - shape[0] * res
    block_transform = Affine(res, 0.0, minx, 0.0, -res, maxy)
    for grid in grids:
        g = grid.bounds
        if g[0] >= maxx or g[2] <= minx or g[1] >= maxy or g[3] <= miny:
            continue
        values = read_onto(grid, block_transform, shape, NODATA)
        empty = block == NODATA
        block[empty] = values[empty]
    return block
