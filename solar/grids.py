"""Ready elevation grids (GeoTIFF DSM or DTM in a Swedish CRS) onto one SWEREF 99 TM grid.

Lantmäteriet delivers its height grids (*Markhöjdmodell Nedladdning, grid 1+*, *Ythöjdmodell
Nedladdning*) as GeoTIFF in SWEREF 99 TM (EPSG:3006), in a local zone of SWEREF 99
(EPSG:3007–3018), or with the height system in the CRS (EPSG:5845–5857: SWEREF 99 … + RH 2000).
They are taken as they are: a grid in EPSG:3006 is copied cell for cell, one in a local zone is
reprojected (bilinear) onto a SWEREF 99 TM grid of the same cell size. Any other CRS is refused,
since its heights cannot be assumed to be in RH 2000.

>>> swedish_crs("EPSG:5845")
('EPSG:3006', 'RH2000 height')
>>> swedish_crs("EPSG:3011")
('EPSG:3011', None)
>>> snap_bounds((650000.01, 6990000.2, 652499.99, 6992499.7), 0.5)
(650000.0, 6990000.0, 652500.0, 6992500.0)
"""

from __future__ import annotations

import math
import os
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import rasterio
from affine import Affine
from numpy.typing import NDArray
from rasterio.enums import Resampling
from rasterio.vrt import WarpedVRT

from solar.errors import InvalidSurface
from sweref import STORAGE_CRS, SWEREF99_ZONES, Bounds, reproject_bounds

if TYPE_CHECKING:
    from rasterio.io import DatasetReader

__all__ = ["GridFile", "open_grid", "read_onto", "snap_bounds", "swedish_crs"]

#: The horizontal CRSs a delivery may come in: SWEREF 99 TM and its twelve local zones.
HORIZONTAL_CRS = (STORAGE_CRS, *SWEREF99_ZONES)
#: The vertical datum every surface model is stored in (RH 2000, EPSG:5613).
VERTICAL_DATUM = "RH 2000"


def swedish_crs(crs: Hashable) -> tuple[str, str | None]:
    """The horizontal CRS (``"EPSG:3006"`` … ``"EPSG:3018"``) and the vertical CRS's name.

    A compound CRS (SWEREF 99 + RH 2000) gives both parts, a plain one ``None`` for the
    vertical part. Raises :class:`InvalidSurface` for a CRS outside SWEREF 99.

    >>> swedish_crs("EPSG:4326")
    Traceback (most recent call last):
    ...
    solar.errors.InvalidSurface: the CRS EPSG:4326 is not SWEREF 99 TM or one of its local zones...
    """
    import pyproj

    try:
        parsed = pyproj.CRS.from_user_input(crs)
    except pyproj.exceptions.CRSError as err:
        raise InvalidSurface(f"the CRS {crs!r} is unknown: {err}") from err
    horizontal, vertical = parsed, None
    if parsed.is_compound and len(parsed.sub_crs_list) == 2:
        horizontal, vertical = parsed.sub_crs_list[0], parsed.sub_crs_list[1].name
    code = horizontal.to_epsg()
    name = f"EPSG:{code}"
    if code is None or name not in HORIZONTAL_CRS:
        shown = f"EPSG:{parsed.to_epsg()}" if parsed.to_epsg() else parsed.name
        raise InvalidSurface(
            f"the CRS {shown} is not SWEREF 99 TM or one of its local zones "
            "(EPSG:3006-3018, or 5845-5857 with RH 2000)"
        )
    if vertical is not None and "RH2000" not in vertical.replace(" ", ""):
        raise InvalidSurface(f"the heights are in {vertical}, not in RH 2000")
    return name, vertical


def snap_bounds(bounds: Bounds, resolution: float) -> Bounds:
    """``bounds`` grown outwards to whole multiples of ``resolution``."""
    minx, miny, maxx, maxy = bounds
    return (
        math.floor(minx / resolution) * resolution,
        math.floor(miny / resolution) * resolution,
        math.ceil(maxx / resolution) * resolution,
        math.ceil(maxy / resolution) * resolution,
    )


@dataclass(frozen=True)
class GridFile:
    """A ready elevation grid as delivered: its CRS, extent in EPSG:3006 and cell size."""

    path: Path
    crs: str
    vertical: str | None
    bounds: Bounds
    resolution: float


def open_grid(path: str | os.PathLike[str]) -> GridFile:
    """Read a grid's header; :class:`InvalidSurface` if it cannot serve as a DSM or DTM."""
    path = Path(path)
    try:
        with rasterio.Env(GTIFF_REPORT_COMPD_CS=True), rasterio.open(path) as src:
            return _describe(path, src)
    except rasterio.errors.RasterioIOError as err:
        raise InvalidSurface(f"cannot read the elevation grid {path.name}: {err}") from err


def _describe(path: Path, src: DatasetReader) -> GridFile:
    if src.count != 1:
        raise InvalidSurface(f"{path.name} has {src.count} bands; an elevation grid has one")
    if src.crs is None:
        raise InvalidSurface(f"{path.name} has no CRS")
    crs, vertical = swedish_crs(src.crs.to_wkt())
    transform: Affine = src.transform
    if transform.b or transform.d or transform.a <= 0 or transform.e >= 0:
        raise InvalidSurface(f"{path.name} is rotated or flipped; give a north-up grid")
    if not math.isclose(transform.a, -transform.e, rel_tol=1e-3):
        raise InvalidSurface(f"{path.name} has cells that are not square")
    bounds = reproject_bounds(tuple(src.bounds), crs, STORAGE_CRS)
    return GridFile(path, crs, vertical, bounds, float(transform.a))


def read_onto(
    grid: GridFile, transform: Affine, shape: tuple[int, int], nodata: float
) -> NDArray[np.float32]:
    """The grid's heights on the EPSG:3006 grid (``transform``, ``shape``), ``nodata`` outside.

    A grid in EPSG:3006 on the same cells is read as it is; any other is warped (bilinear).
    """
    warp = {"crs": STORAGE_CRS, "transform": transform, "width": shape[1], "height": shape[0]}
    with rasterio.Env(GTIFF_REPORT_COMPD_CS=False), rasterio.open(grid.path) as src:
        nodatas = {"src_nodata": src.nodata, "nodata": nodata}
        with WarpedVRT(src, resampling=Resampling.bilinear, **warp, **nodatas) as vrt:
            values: NDArray[np.float32] = vrt.read(1).astype(np.float32)
    values[~np.isfinite(values)] = nodata
    return values


def common_resolution(grids: Sequence[GridFile]) -> float:
    """The finest cell size of ``grids`` (rounded to a centimetre in SWEREF 99 TM).

    >>> g = GridFile(Path("a.tif"), "EPSG:3006", None, (0.0, 0.0, 1.0, 1.0), 1.0)
    >>> common_resolution([g, GridFile(Path("b.tif"), "EPSG:3006", None, g.bounds, 2.0)])
    1.0
    """
    return round(min(g.resolution for g in grids), 2)
