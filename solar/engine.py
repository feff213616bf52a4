"""Annual irradiation of a surface model's pixels: the per-grid engine and :func:`irradiation`.

An :class:`Engine` holds what is the same for every block of one surface model: the sun's path
over the site, the sky tables and the ray schedule; :meth:`Engine.run` computes the listed
pixels of a padded window with the compiled kernels (:mod:`solar.kernels`).
:func:`irradiation` runs it on an array held in memory; :mod:`solar.solar_map` runs it block by
block over a file and writes a COG.

>>> from affine import Affine
>>> pixel_xy(Affine(0.5, 0, 100, 0, -0.5, 200), 2, 4)
(101.0, 198.0)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, overload

import numpy as np
from affine import Affine
from numpy.typing import NDArray
from rasterio.crs import CRS
from rasterio.windows import Window

from solar import kernels
from solar.errors import InvalidSurface
from solar.model import SolarModel
from solar.rays import Rays, peaks, ray_schedule
from solar.sun import SkyTables, sky_tables, sun_path
from sweref import STORAGE_CRS, WGS84, transformer

__all__ = [
    "COMPONENTS",
    "Engine",
    "Site",
    "grid_site",
    "irradiation",
    "pixel_xy",
    "resolution",
    "window_transform",
]

#: The parts :meth:`Engine.run` returns per pixel, in order.
COMPONENTS = ("total", "beam", "diffuse", "reflected", "sky_view")


@dataclass(frozen=True)
class Site:
    """Where the sun is computed for: the surface model's centre."""

    latitude: float
    longitude: float
    altitude: float


class Engine:
    """Everything that is the same for every block: the sky tables and the ray schedule."""

    def __init__(self, transform: Affine, crs: CRS | None, site: Site, model: SolarModel) -> None:
        self.model = model
        self.res_x, self.res_y = resolution(transform, crs)
        self.rays: Rays = ray_schedule(self.res_x, self.res_y, model.margin_m, model.directions)
        model.climate.check_site(site.latitude, site.longitude)
        self.path = sun_path(site.latitude, site.longitude, site.altitude, model)
        self.sky: SkyTables = sky_tables(self.path, model)

    def run(
        self,
        surface: NDArray[np.float32],
        ok: NDArray[np.bool_],
        rows: NDArray[np.int64],
        cols: NDArray[np.int64],
    ) -> NDArray[np.float64]:
        """Five columns (see :data:`COMPONENTS`) for the listed pixels of a padded window."""
        out = np.empty((rows.size, len(COMPONENTS)), np.float64)
        if rows.size == 0:
            return out
        valid = np.isfinite(surface)
        slope, aspect = kernels.slope_aspect(
            surface, ok & valid, rows, cols, self.res_x, self.res_y
        )
        tops = peaks(surface, self.rays.levels)
        r, s = self.rays, self.sky
        kernels.irradiate(
            tops[0],
            tops,
            rows,
            cols,
            slope,
            aspect,
            r.dr,
            r.dc,
            r.level,
            r.dist,
            r.count,
            float(np.max(tops[0])),
            s.tangent,
            s.count,
            s.sums,
            s.iso_diffuse,
            s.ground,
            self.model.albedo,
            out,
        )
        return out


def resolution(transform: Affine, crs: CRS | None) -> tuple[float, float]:
    """The pixel size (x, y) in metres; refuses grids the engine cannot use.

    >>> resolution(Affine(0.5, 0, 0, 0, -0.5, 0), CRS.from_user_input(STORAGE_CRS))
    (0.5, 0.5)
    """
    if crs is None or not crs.is_projected:
        raise InvalidSurface(
            f"the surface model needs a projected CRS in metres (e.g. {STORAGE_CRS})"
        )
    if transform.b != 0 or transform.d != 0 or transform.e >= 0 or transform.a <= 0:
        raise InvalidSurface("the surface model must be a north-up grid without rotation")
    factor = float(crs.linear_units_factor[1]) if crs.linear_units_factor else 1.0
    return transform.a * factor, -transform.e * factor


def pixel_xy(transform: Affine, col: float, row: float) -> tuple[float, float]:
    """Map coordinates of a pixel position (without affine's deprecated ``*``)."""
    return (
        transform.c + transform.a * col + transform.b * row,
        transform.f + transform.d * col + transform.e * row,
    )


def window_transform(transform: Affine, window: Window) -> Affine:
    """The grid of ``window``: ``transform`` moved to its top-left corner."""
    x, y = pixel_xy(transform, window.col_off, window.row_off)
    return Affine(transform.a, transform.b, x, transform.d, transform.e, y)


def grid_site(transform: Affine, crs: CRS, shape: tuple[int, int], altitude: float) -> Site:
    """The site of a grid of ``shape`` (rows, columns): its centre, at ``altitude`` metres."""
    x, y = pixel_xy(transform, shape[1] / 2, shape[0] / 2)
    lon, lat = transformer(crs, WGS84).transform(x, y)
    return Site(latitude=float(lat), longitude=float(lon), altitude=float(altitude))


@overload
def irradiation(
    surface: NDArray[np.floating[Any]],
    transform: Affine,
    crs: CRS | str | None,
    model: SolarModel | None = ...,
    roof: NDArray[np.bool_] | None = ...,
    components: Literal[False] = ...,
) -> NDArray[np.float64]: ...
@overload
def irradiation(
    surface: NDArray[np.floating[Any]],
    transform: Affine,
    crs: CRS | str | None,
    model: SolarModel | None = ...,
    roof: NDArray[np.bool_] | None = ...,
    *,
    components: Literal[True],
) -> dict[str, NDArray[np.float64]]: ...
def irradiation(
    surface: NDArray[np.floating[Any]],
    transform: Affine,
    crs: CRS | str | None,
    model: SolarModel | None = None,
    roof: NDArray[np.bool_] | None = None,
    components: bool = False,
) -> NDArray[np.float64] | dict[str, NDArray[np.float64]]:
    """Annual irradiation (kWh/m²·year) of a surface model held in memory.

    Parameters
    ----------
    surface
        Heights (m), NaN for nodata.
    transform, crs
        The grid (rasterio ``Affine`` and ``CRS``/EPSG string), north-up and projected.
    model
        Model parameters (default :class:`SolarModel()`).
    roof
        Boolean mask of the pixels to compute (the rest is NaN); default every valid pixel.
    components
        Return a dict of every part (:data:`COMPONENTS`) instead of the total only.
    """
    model = model or SolarModel()
    grid_crs = CRS.from_user_input(crs) if crs is not None else None
    resolution(transform, grid_crs)
    heights = np.asarray(surface, np.float32)
    if heights.ndim != 2 or not np.isfinite(heights).any():
        raise InvalidSurface("the surface model must be a 2-D array with some valid heights")
    shape = (heights.shape[0], heights.shape[1])
    site = grid_site(transform, grid_crs, shape, float(np.nanmedian(heights)))
    engine = Engine(transform, grid_crs, site, model)
    pad = engine.rays.pad
    padded = np.pad(heights, pad, constant_values=np.nan)
    ok = np.ones(shape, bool) if roof is None else np.asarray(roof, bool)
    ok_padded = np.pad(ok & np.isfinite(heights), pad, constant_values=False)
    rows, cols = np.nonzero(ok_padded)
    values = engine.run(padded, ok_padded, rows.astype(np.int64), cols.astype(np.int64))
    result = {}
    for i, name in enumerate(COMPONENTS):
        layer = np.full(shape, np.nan)
        layer[rows - pad, cols - pad] = values[:, i]
        result[name] = layer
    return result if components else result["total"]
