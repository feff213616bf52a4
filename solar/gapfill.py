"""From gridded laser returns to a gap-free DSM and DTM: outliers out, gaps filled, roofs kept.

Laser data at 1–2 points/m² leaves most 0.5 m cells empty; :func:`fill_gaps` fills them by
inverse-distance interpolation from the cells around (GDAL's ``FillNodata`` through
:func:`rasterio.fill.fillnodata`). Where buildings are known — from the building class of the
points, or else from footprints — roofs are filled only from roof cells and the ground around
them only from ground cells, so roof edges stay sharp instead of sloping down to the ground.

>>> SurfaceOptions().to_dict()["resolution_m"]
0.5
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from solar.errors import InvalidModel
from solar.laser import TileCells, isolated

__all__ = ["SurfaceOptions", "building_cells", "fill_gaps", "surface_and_terrain"]


@dataclass(frozen=True)
class SurfaceOptions:
    """How point clouds become grids.

    Parameters
    ----------
    resolution_m
        Cell size of the DSM and DTM.
    outlier_m, outlier_radius_m
        A cell more than ``outlier_m`` above (or below) every other cell with a value within
        ``outlier_radius_m`` is dropped as a stray return (bird, wire, multipath).
    surface_fill_m, terrain_fill_m
        How far gaps in the DSM and the DTM are filled from (the DTM's gaps under buildings are
        wide); a cell further from any value stays nodata.
    """

    resolution_m: float = 0.5
    outlier_m: float = 10.0
    outlier_radius_m: float = 2.0
    surface_fill_m: float = 5.0
    terrain_fill_m: float = 100.0

    def __post_init__(self) -> None:
        if not 0.1 <= self.resolution_m <= 10.0:
            raise InvalidModel(f"the resolution {self.resolution_m} m is not in 0.1–10 m")
        values = (self.outlier_m, self.outlier_radius_m, self.surface_fill_m, self.terrain_fill_m)
        if min(values) <= 0:
            raise InvalidModel("outlier and fill distances must be positive")

    def cells(self, metres: float) -> int:
        """``metres`` as a whole number of cells (at least one).

        >>> SurfaceOptions().cells(2.0), SurfaceOptions().cells(0.1)
        (4, 1)
        """
        return max(1, round(metres / self.resolution_m))

    def to_dict(self) -> dict[str, Any]:
        """The options as JSON-ready values."""
        return asdict(self)


def fill_gaps(values: NDArray[np.float32], distance: int) -> NDArray[np.float32]:
    """``values`` with its NaN cells filled from values within ``distance`` cells.

    >>> z = np.array([[1.0, np.nan, 3.0], [1.0, np.nan, 3.0]], np.float32)
    >>> fill_gaps(z, 2)[:, 1].tolist()
    [2.0, 2.0]
    >>> bool(np.isnan(fill_gaps(np.full((2, 2), np.nan, np.float32), 2)).all())
    True
    """
    from rasterio.fill import fillnodata

    valid = np.isfinite(values)
    if valid.all() or not valid.any():
        return values.copy()
    source = np.where(valid, values, 0.0).astype(np.float32)
    filled = np.asarray(
        fillnodata(source, mask=valid.astype(np.uint8), max_search_distance=float(distance)),
        dtype=np.float32,
    )
    # FillNodata leaves cells beyond the distance as they were (0 here): find them again.
    reached = valid | _within(valid, distance)
    filled[~reached] = np.nan
    return filled


def _within(valid: NDArray[np.bool_], distance: int) -> NDArray[np.bool_]:
    from scipy import ndimage

    gap_distance = ndimage.distance_transform_edt(~valid)
    return np.asarray(gap_distance <= distance)


def building_cells(points: NDArray[np.bool_], radius: int) -> NDArray[np.bool_]:
    """Cells of buildings from the cells holding building-class points: gaps between the points
    up to ``radius`` cells closed, holes inside filled.

    >>> roof = np.zeros((7, 7), bool)
    >>> roof[1:6:2, 1:6:2] = True
    >>> int(building_cells(roof, 1).sum())
    25
    """
    from scipy import ndimage

    structure = np.ones((2 * radius + 1, 2 * radius + 1), bool)
    closed = ndimage.binary_closing(points, structure=structure, border_value=0)
    return np.asarray(ndimage.binary_fill_holes(closed | points), dtype=bool)


def _split_fill(
    values: NDArray[np.float32], buildings: NDArray[np.bool_], distance: int
) -> NDArray[np.float32]:
    """Fill roofs from roof cells and the rest from the rest; what is left from everything."""
    roofs = fill_gaps(np.where(buildings, values, np.nan).astype(np.float32), distance)
    ground = fill_gaps(np.where(buildings, np.nan, values).astype(np.float32), distance)
    split = np.where(buildings, roofs, ground)
    return np.where(np.isnan(split), fill_gaps(values, distance), split).astype(np.float32)


def surface_and_terrain(
    cells: TileCells,
    options: SurfaceOptions,
    footprints: NDArray[np.bool_] | None = None,
) -> tuple[NDArray[np.float32], NDArray[np.float32], int]:
    """The DSM and DTM of one gridded tile (NaN where nothing is near) and the number of cells
    dropped as outliers.

    Buildings come from the points' building class when the tile has one, else from
    ``footprints`` (a mask on the same grid), else the DSM is filled without telling them apart.
    The DSM is never below the DTM, and takes the DTM where it has no returns of its own.
    """
    radius, limit = options.cells(options.outlier_radius_m), options.outlier_m
    highest, ground = cells.highest.copy(), cells.ground.copy()
    stray = isolated(highest, radius, limit)
    stray_ground = isolated(ground, radius, limit)
    highest[stray] = np.nan
    ground[stray_ground] = np.nan
    dtm = fill_gaps(ground, options.cells(options.terrain_fill_m))
    buildings = building_cells(cells.building, radius) if cells.has_building_class else footprints
    distance = options.cells(options.surface_fill_m)
    if buildings is not None and buildings.any():
        dsm = _split_fill(highest, buildings, distance)
    else:
        dsm = fill_gaps(highest, distance)
    dsm = np.where(np.isnan(dsm), dtm, np.fmax(dsm, dtm)).astype(np.float32)
    return dsm, dtm, int(stray.sum() + stray_ground.sum())
