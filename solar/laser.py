"""Laser point clouds (LAS/LAZ) gridded into the highest and the lowest ground return per cell.

Lantmäteriet's *Laserdata Nedladdning, skog* comes as LAZ in 2.5 × 2.5 km index tiles in SWEREF
99 TM with RH 2000 heights, LAS 1.2 (scans 1 and 2) or LAS 1.4 (the third scan, from 2024), with
the ASPRS classes ground (2), water (9), bridge (17), low noise (7), high noise (18) and
unclassified (1) — and no building class (6), which other deliveries may have. A tile is read
with laspy (LAZ through its ``lazrs`` backend) in chunks of :data:`CHUNK_POINTS` points, so memory
is bounded by the tile's grid, not by its points. Noise classes and withheld points are dropped;
the highest remaining return of each cell makes the surface (DSM), the lowest ground or water
return the terrain (DTM). :func:`isolated` then finds lone cells far above (birds, wires, spikes)
or below (multipath) everything around them, which the caller drops before filling the gaps.

>>> int(GROUND), sorted(int(c) for c in NOISE), sorted(int(c) for c in TERRAIN)
(2, [7, 18], [2, 9])
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from enum import IntEnum
from pathlib import Path

import numpy as np
from affine import Affine
from numpy.typing import NDArray

from solar.errors import InvalidSurface
from solar.grids import swedish_crs
from sweref import STORAGE_CRS, SWEDEN_BOUNDS, Bounds, reproject_bounds, transformer

__all__ = [
    "CHUNK_POINTS",
    "NOISE",
    "TERRAIN",
    "LaserClass",
    "LaserTile",
    "TileCells",
    "grid_tile",
    "isolated",
    "open_tile",
]


class LaserClass(IntEnum):
    """The ASPRS point classes of Lantmäteriet's laser data (and the building class)."""

    UNCLASSIFIED = 1
    GROUND = 2
    BUILDING = 6
    LOW_NOISE = 7
    WATER = 9
    BRIDGE = 17
    HIGH_NOISE = 18


GROUND = LaserClass.GROUND
#: Classes never used: noise, low and high.
NOISE = frozenset({LaserClass.LOW_NOISE, LaserClass.HIGH_NOISE})
#: Classes of the terrain model: ground and water surface.
TERRAIN = frozenset({LaserClass.GROUND, LaserClass.WATER})
#: Points read at a time: about 60 MB of LAS 1.4 records.
CHUNK_POINTS = 1_000_000


@dataclass(frozen=True)
class LaserTile:
    """A point cloud file's header: where it lies (EPSG:3006), what it holds, its CRS."""

    path: Path
    bounds: Bounds
    points: int
    version: str
    point_format: int
    crs: str
    crs_stated: bool


def open_tile(path: str | os.PathLike[str]) -> LaserTile:
    """Read the header of a LAS or LAZ file; :class:`InvalidSurface` if it cannot be used.

    A file that states no CRS is taken to be in SWEREF 99 TM, as Lantmäteriet delivers its laser
    data; its extent must then lie in Sweden.
    """
    import laspy
    import laspy.errors

    path = Path(path)
    try:
        with laspy.open(path) as reader:
            header = reader.header
            stated = header.parse_crs()
            mins, maxs = header.mins, header.maxs
            version, fmt, count = str(header.version), header.point_format.id, header.point_count
    except (laspy.errors.LaspyException, OSError, ValueError) as err:
        raise InvalidSurface(f"cannot read the point cloud {path.name}: {err}") from err
    crs = swedish_crs(stated.to_wkt())[0] if stated is not None else STORAGE_CRS
    box = (float(mins[0]), float(mins[1]), float(maxs[0]), float(maxs[1]))
    bounds = reproject_bounds(box, crs, STORAGE_CRS)
    sx0, sy0, sx1, sy1 = SWEDEN_BOUNDS
    if count == 0 or not (sx0 <= bounds[0] and bounds[2] <= sx1 and sy0 <= bounds[1] <= sy1):
        raise InvalidSurface(
            f"{path.name} holds {count} points in {box} ({crs}), not a laser tile in Sweden"
        )
    return LaserTile(path, bounds, count, version, fmt, crs, stated is not None)


@dataclass
class TileCells:
    """One tile gridded: highest return, lowest terrain return (NaN where none) and the cells
    holding a building point."""

    highest: NDArray[np.float32]
    ground: NDArray[np.float32]
    building: NDArray[np.bool_]
    used: int = 0
    dropped: int = 0

    @property
    def has_building_class(self) -> bool:
        """Whether the tile classifies buildings (class 6)."""
        return bool(self.building.any())


def grid_tile(
    tile: LaserTile,
    transform: Affine,
    shape: tuple[int, int],
    chunk_points: int = CHUNK_POINTS,
) -> TileCells:
    """Grid the points of ``tile`` onto the EPSG:3006 grid ``transform``/``shape``, chunk by chunk.

    Points outside the grid are ignored.
    """
    import laspy
    import laspy.errors

    cells = TileCells(
        highest=np.full(shape, -np.inf, np.float32),
        ground=np.full(shape, np.inf, np.float32),
        building=np.zeros(shape, bool),
    )
    move = None if tile.crs == STORAGE_CRS else transformer(tile.crs, STORAGE_CRS)
    try:
        with laspy.open(tile.path) as reader:
            for chunk in reader.chunk_iterator(chunk_points):
                x, y = np.asarray(chunk.x), np.asarray(chunk.y)
                if move is not None:
                    x, y = move.transform(x, y)
                _add_chunk(
                    cells,
                    transform,
                    (x, y, np.asarray(chunk.z, np.float32)),
                    np.asarray(chunk.classification, np.uint8),
                    np.asarray(chunk.withheld, bool),
                )
    except (laspy.errors.LaspyException, OSError, ValueError) as err:
        raise InvalidSurface(f"cannot read the points of {tile.path.name}: {err}") from err
    cells.highest[np.isneginf(cells.highest)] = np.nan
    cells.ground[np.isposinf(cells.ground)] = np.nan
    return cells


def _add_chunk(
    cells: TileCells,
    transform: Affine,
    xyz: tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float32]],
    classes: NDArray[np.uint8],
    withheld: NDArray[np.bool_],
) -> None:
    x, y, z = xyz
    rows, cols = cells.highest.shape
    left, top = transform.c, transform.f
    right, bottom = left + cols * transform.a, top + rows * transform.e
    keep = ~np.isin(classes, list(NOISE)) & ~withheld & np.isfinite(z)
    cells.dropped += int(np.count_nonzero(~keep))
    # The grid is closed: a point on its right or bottom edge goes into the last cell.
    keep &= (x >= left) & (x <= right) & (y >= bottom) & (y <= top)
    col = np.clip(np.floor((x - left) / transform.a).astype(np.int64), 0, cols - 1)
    row = np.clip(np.floor((y - top) / transform.e).astype(np.int64), 0, rows - 1)
    cells.used += int(np.count_nonzero(keep))
    flat = (row * cols + col)[keep]
    z, classes = z[keep], classes[keep]
    np.maximum.at(cells.highest.reshape(-1), flat, z)
    terrain = np.isin(classes, list(TERRAIN))
    np.minimum.at(cells.ground.reshape(-1), flat[terrain], z[terrain])
    cells.building.reshape(-1)[flat[classes == LaserClass.BUILDING]] = True


def isolated(values: NDArray[np.float32], radius: int, threshold: float) -> NDArray[np.bool_]:
    """Cells more than ``threshold`` above the highest, or below the lowest, other cell with a
    value within ``radius`` cells; cells with no neighbour within the radius are kept.

    >>> z = np.full((5, 5), np.nan, np.float32)
    >>> z[1, 1], z[1, 2], z[2, 2], z[3, 3] = 10.0, 10.5, 40.0, -20.0
    >>> isolated(z, 1, 5.0).nonzero()
    (array([2, 3]), array([2, 3]))
    """
    from scipy import ndimage

    size = 2 * radius + 1
    # Only a cell that is the highest or the lowest of its window can stand out from it.
    highest = ndimage.maximum_filter(np.nan_to_num(values, nan=-np.inf), size=size)
    lowest = ndimage.minimum_filter(np.nan_to_num(values, nan=np.inf), size=size)
    rows, cols = np.nonzero(np.isfinite(values) & ((values == highest) | (values == lowest)))
    pad = np.pad(values, radius, constant_values=np.nan)
    above = np.full(rows.size, -np.inf, np.float32)
    below = np.full(rows.size, np.inf, np.float32)
    for dr in range(size):
        for dc in range(size):
            if dr == radius and dc == radius:
                continue
            other = pad[rows + dr, cols + dc]
            seen = np.isfinite(other)
            above[seen] = np.maximum(above[seen], other[seen])
            below[seen] = np.minimum(below[seen], other[seen])
    here = values[rows, cols]
    lone = np.isfinite(above) & ((here > above + threshold) | (here < below - threshold))
    out = np.zeros(values.shape, bool)
    out[rows[lone], cols[lone]] = True
    return out
