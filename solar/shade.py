"""Shade of a planned building: what it costs the roofs around it, and its shadow on two days.

:func:`building_shade` burns the building (its footprint raised to the ground plus its height)
into a window of the surface model around it and computes the annual irradiation of the roofs
in that window with the solar model (:mod:`solar.engine`) before and after: the difference,
summed over each roof's pixels, is the kWh per year of sunlight the roof loses. It is an
estimate of irradiation, not of a PV system's yield; the model runs with a coarser time step
and fewer horizon directions than the solar map (:data:`SHADE_MODEL`) so that a small window
takes well under a second. Every loss is kept as computed; a roof's loss below
:data:`NOTICEABLE` (1 %) of its yearly irradiation is flagged as not noticeable
(:attr:`RoofShade.noticeable`): a building a few metres north of a roof still takes a little of
its sky light and of the low summer sun from the north-east and north-west (at 62° N a 6 m
building 3 m north of a 4 m roof takes about 0.3 %, 1 m north about 1 %), far less than the
year-to-year variation of the sunshine itself.
:func:`shadow` draws the building's shadow over flat ground on a
given day (the union of its shadows from 09:00 to 15:00 solar time).

>>> import shapely
>>> s = shadow(shapely.box(0, 0, 4, 4), 3.0, dt.date(2025, 6, 21), 62.4, 17.3)
>>> s.bounds[1] >= 0 and s.bounds[3] > 4  # north of the building, west to east
True
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import shapely
from affine import Affine
from numpy.typing import NDArray
from rasterio.crs import CRS
from rasterio.windows import Window
from shapely import affinity
from shapely.geometry.base import BaseGeometry

from solar.engine import Engine, Site, pixel_xy, window_transform
from solar.model import SolarModel
from solar.potential import Roof
from solar.raster import RasterSource
from sweref import WGS84, transformer

__all__ = ["NOTICEABLE", "SHADE_MODEL", "BuildingShade", "RoofShade", "building_shade", "shadow"]

#: The solar model of a shade computation: 30-minute steps, 32 directions, 60 m of horizon.
SHADE_MODEL = SolarModel(step_minutes=30, directions=32, margin_m=60.0)
#: A roof's loss below this share of its yearly irradiation is "no noticeable loss" (the figure
#: is still given): one year's global irradiation differs from the next by several per cent
#: (SMHI, "Solstrålning i Sverige sedan 1983", smhi.se, read 2026-11-30), so a loss under 1 %
#: is lost in the weather; and the shade model's 30-minute steps and 32 directions are coarser
#: than the solar map's.
NOTICEABLE = 0.01
#: Winter and summer solstice of the model's year: the days the shadow is drawn on.
WINTER, SUMMER = dt.date(2025, 12, 21), dt.date(2025, 6, 21)


@dataclass(frozen=True)
class RoofShade:
    """What the planned building costs one roof (kWh per year, rounded to whole kWh).

    >>> RoofShade("b", 100.0, 91000, 312).noticeable, RoofShade("b", 100.0, 91000, 1329).noticeable
    (False, True)
    """

    building_id: str
    area_m2: float
    kwh_per_year: float
    kwh_per_year_lost: float

    @property
    def share_lost(self) -> float:
        """The loss as a share of the roof's yearly irradiation (0 for a roof without any)."""
        return self.kwh_per_year_lost / self.kwh_per_year if self.kwh_per_year > 0 else 0.0

    @property
    def noticeable(self) -> bool:
        """Whether the loss reaches :data:`NOTICEABLE` of the roof's irradiation."""
        return self.kwh_per_year_lost > 0 and self.share_lost >= NOTICEABLE


@dataclass(frozen=True)
class BuildingShade:
    """The roofs the building shades, its shadows on a winter and a summer day, the window."""

    roofs: tuple[RoofShade, ...]
    winter_shadow: BaseGeometry
    summer_shadow: BaseGeometry
    bounds: tuple[float, float, float, float]

    @property
    def kwh_per_year_lost(self) -> float:
        """The loss of all roofs together."""
        return float(sum(r.kwh_per_year_lost for r in self.roofs))


@functools.lru_cache(maxsize=8)
def _engine(res: float, crs: str, lat: float, lon: float, alt: float, model: SolarModel) -> Engine:
    """The engine of a site: the sun path and sky tables are the same for every nearby window."""
    return Engine(
        Affine(res, 0, 0, 0, -res, 0), CRS.from_user_input(crs), Site(lat, lon, alt), model
    )


def _centres(transform: Affine, shape: tuple[int, int]) -> tuple[NDArray[np.float64], ...]:
    cols, rows = np.meshgrid(np.arange(shape[1]) + 0.5, np.arange(shape[0]) + 0.5)
    x, y = pixel_xy(transform, cols, rows)
    return np.asarray(x, np.float64), np.asarray(y, np.float64)


def building_shade(
    surface: RasterSource,
    footprint: BaseGeometry,
    height_m: float,
    roofs: Sequence[Roof],
    reach_m: float = 40.0,
    model: SolarModel = SHADE_MODEL,
) -> BuildingShade:
    """What a building of ``height_m`` on ``footprint`` costs the ``roofs`` within ``reach_m``.

    Parameters
    ----------
    surface
        The surface model (heights in metres, the grid of the solar map).
    footprint, roofs
        The planned building and the roofs around it, in the surface model's CRS.
    reach_m
        How far from the footprint roofs are looked at (a longer shadow falls on the ground in
        winter only, when there is little sun to lose).
    model
        The solar model's parameters (:data:`SHADE_MODEL`).
    """
    minx, miny, maxx, maxy = footprint.buffer(reach_m + model.margin_m).bounds
    t = surface.transform
    c0, r0 = math.floor((minx - t.c) / t.a), math.floor((maxy - t.f) / t.e)
    c1, r1 = math.ceil((maxx - t.c) / t.a), math.ceil((miny - t.f) / t.e)
    window = Window(c0, r0, c1 - c0, r1 - r0)
    transform = window_transform(surface.transform, window)
    heights = surface.read(window).astype(np.float32)
    heights[heights == surface.nodata] = np.nan
    x, y = _centres(transform, heights.shape)
    inside = shapely.contains_xy(footprint, x, y)
    ring = shapely.contains_xy(footprint.buffer(3.0).difference(footprint.buffer(1.0)), x, y)
    ground = float(np.nanpercentile(heights[ring], 10)) if np.isfinite(heights[ring]).any() else 0.0
    built = heights.copy()
    built[inside] = np.fmax(built[inside], ground + height_m)
    reach = footprint.buffer(reach_m)
    masks = []
    for roof in roofs:
        if not roof.geometry.intersects(reach):
            continue
        mask = shapely.contains_xy(roof.geometry.intersection(reach), x, y) & ~inside
        if mask.any():
            masks.append((roof, mask))
    winter, summer = _shadows(footprint, height_m, surface.crs)
    bounds = (float(minx), float(miny), float(maxx), float(maxy))
    if not masks:
        return BuildingShade((), winter, summer, bounds)
    wanted = np.logical_or.reduce([m for _, m in masks])
    before = _irradiation(heights, wanted, transform, surface.crs, model)
    after = _irradiation(built, wanted, transform, surface.crs, model)
    pixel = surface.pixel_area
    out = []
    for roof, mask in masks:
        total = float(np.nansum(before[mask]) * pixel)
        lost = float(np.nansum((before - after)[mask]) * pixel)
        out.append(
            RoofShade(
                roof.building_id, round(float(mask.sum()) * pixel, 1), round(total), round(lost)
            )
        )
    return BuildingShade(tuple(out), winter, summer, bounds)


def _irradiation(
    heights: NDArray[np.float32],
    wanted: NDArray[np.bool_],
    transform: Affine,
    crs: CRS,
    model: SolarModel,
) -> NDArray[np.float64]:
    """Annual irradiation of the ``wanted`` pixels (NaN elsewhere), as ``engine.irradiation``."""
    x, y = pixel_xy(transform, heights.shape[1] / 2, heights.shape[0] / 2)
    lon, lat = transformer(crs, WGS84).transform(x, y)
    # one engine per few hundred metres: the sun's path does not change within that
    engine = _engine(transform.a, crs.to_string(), round(lat, 2), round(lon, 2), 0.0, model)
    pad = engine.rays.pad
    padded = np.pad(heights, pad, constant_values=np.nan)
    ok = np.pad(wanted & np.isfinite(heights), pad, constant_values=False)
    rows, cols = np.nonzero(ok)
    values = engine.run(padded, ok, rows.astype(np.int64), cols.astype(np.int64))
    out = np.full(heights.shape, np.nan)
    out[rows - pad, cols - pad] = values[:, 0]
    return out


def _shadows(
    footprint: BaseGeometry, height_m: float, crs: CRS
) -> tuple[BaseGeometry, BaseGeometry]:
    c = footprint.centroid
    lon, lat = transformer(crs, WGS84).transform(c.x, c.y)
    return shadow(footprint, height_m, WINTER, lat, lon), shadow(
        footprint, height_m, SUMMER, lat, lon
    )


def shadow(
    footprint: BaseGeometry, height_m: float, day: dt.date, latitude: float, longitude: float
) -> BaseGeometry:
    """The ground a building's shadow covers on ``day`` (flat ground, footprint excluded).

    The union of its shadows every 30 minutes from 09:00 to 15:00 local solar time while the
    sun stands higher than 2° (the hours a solstudie shows; a lower sun casts a shadow longer
    than 28 times the height and brings little light).
    """
    import pvlib

    noon = pd.Timestamp(day, tz="UTC") + pd.Timedelta(hours=12 - longitude / 15)
    times = pd.date_range(noon - pd.Timedelta(hours=3), periods=13, freq="30min")
    sun = pvlib.solarposition.get_solarposition(times, latitude, longitude)
    pieces = []
    for elevation, azimuth in zip(sun["apparent_elevation"], sun["azimuth"], strict=True):
        if elevation <= 2.0:
            continue
        length = height_m / math.tan(math.radians(elevation))
        dx = -length * math.sin(math.radians(azimuth))
        dy = -length * math.cos(math.radians(azimuth))
        moved = affinity.translate(footprint, dx, dy)
        pieces.append(shapely.union(footprint, moved).convex_hull)
    if not pieces:
        return shapely.Polygon()
    return shapely.union_all(pieces).difference(footprint)
