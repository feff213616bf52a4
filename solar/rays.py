"""Where a pixel looks for its horizon: sample offsets along each direction, coarser with distance.

Near the pixel every surface pixel along the ray is sampled; from 32 pixels out the step doubles
every time the distance doubles, and each sample reads the surface max-filtered over its step
(:func:`peaks`), so a thin obstacle between two samples is never missed. The cost per direction
grows with the logarithm of the margin, not the margin.

>>> rays = ray_schedule(res_x=0.5, res_y=0.5, margin_m=100.0, directions=8)
>>> rays.levels, int(rays.count.max()) < 100
(4, True)
>>> rays.pad  # pixels of surface needed beyond a block's edge
205
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

__all__ = ["Rays", "peaks", "ray_schedule"]

#: Samples at full resolution before the step starts doubling.
NEAR = 32


@dataclass(frozen=True)
class Rays:
    """Sample offsets (rows, columns), filter levels and distances (m) per direction."""

    dr: np.ndarray
    dc: np.ndarray
    level: np.ndarray
    dist: np.ndarray
    count: np.ndarray
    levels: int
    pad: int


def ray_schedule(res_x: float, res_y: float, margin_m: float, directions: int) -> Rays:
    """Sample offsets for ``directions`` azimuths (clockwise from north) out to ``margin_m``."""
    step = min(res_x, res_y)
    distances: list[tuple[float, int]] = []
    d, level = step, 0
    while d <= margin_m + 1e-9:
        distances.append((d, level))
        if d >= NEAR * step * 2**level:
            level += 1
        d += step * 2**level
    levels = 1 + max((lv for _, lv in distances), default=0)
    rows: list[list[tuple[int, int, int, float]]] = []
    for k in range(directions):
        phi = 2 * math.pi * k / directions
        seen: set[tuple[int, int, int]] = set()
        samples = []
        for dist, lv in distances:
            dc = round(dist * math.sin(phi) / res_x)
            dr = round(-dist * math.cos(phi) / res_y)
            if (dr, dc, lv) in seen or (dr == 0 and dc == 0):
                continue
            seen.add((dr, dc, lv))
            exact = math.hypot(dc * res_x, dr * res_y) if lv == 0 else dist
            samples.append((dr, dc, lv, exact))
        rows.append(samples)
    width = max((len(s) for s in rows), default=1) or 1
    shape = (directions, width)
    dr_a, dc_a = np.zeros(shape, np.int64), np.zeros(shape, np.int64)
    lv_a, dist_a = np.zeros(shape, np.int64), np.ones(shape, np.float64)
    for k, samples in enumerate(rows):
        for j, (dr, dc, lv, exact) in enumerate(samples):
            dr_a[k, j], dc_a[k, j], lv_a[k, j], dist_a[k, j] = dr, dc, lv, exact
    reach = int(max((max(abs(s[0]), abs(s[1])) for r in rows for s in r), default=0))
    pad = reach + 2 ** (levels - 1) // 2 + 1
    return Rays(
        dr=dr_a,
        dc=dc_a,
        level=lv_a,
        dist=dist_a,
        count=np.array([len(s) for s in rows], np.int64),
        levels=levels,
        pad=pad,
    )


def peaks(surface: np.ndarray, levels: int) -> np.ndarray:
    """The surface max-filtered over 1, 3, 5, 9, 17 … pixels, one layer per ray level.

    Nodata (NaN) counts as no obstacle.

    >>> z = np.zeros((5, 5), np.float32); z[2, 2] = 7
    >>> float(peaks(z, 2)[1, 1, 1]), float(peaks(z, 2)[0, 1, 1])
    (7.0, 0.0)
    """
    base = np.where(np.isfinite(surface), surface, -np.inf).astype(np.float32)
    out = np.empty((levels, *base.shape), np.float32)
    out[0] = base
    for level in range(1, levels):
        # layer level - 1 reaches 2**(level - 2) pixels (0 for the surface): a max over three
        # shifts of it reaches twice as far (exact, and no scipy to import when a process starts)
        out[level] = _spread(out[level - 1], max(1, 2 ** (level - 2)))
    return out


def _spread(values: np.ndarray, shift: int) -> np.ndarray:
    """The max of ``values`` and its copies shifted by ± ``shift`` rows, then columns (pixels
    outside count as −∞): a square max filter ``2 × shift`` wider.

    >>> _spread(np.array([[0.0, 0, 0, 0, 5]]), 2)
    array([[0., 0., 5., 0., 5.]])
    """
    out = values.copy()
    for axis in (0, 1):
        src = out.copy()
        ahead = [slice(None)] * 2
        behind = [slice(None)] * 2
        ahead[axis], behind[axis] = slice(shift, None), slice(None, -shift)
        np.maximum(out[tuple(ahead)], src[tuple(behind)], out=out[tuple(ahead)])
        np.maximum(out[tuple(behind)], src[tuple(ahead)], out=out[tuple(behind)])
    return out
