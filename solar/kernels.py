"""Compiled per-pixel kernels: slope and aspect, horizon angles, annual irradiation.

These are the inner loops of :mod:`solar.solar_map`, compiled with numba and run in parallel
over the pixels that need an output. They work on one window of the surface model at a time
and know nothing about files. Angles are radians, azimuths clockwise from grid north, heights
and distances metres.
"""

from __future__ import annotations

import math

import numba
import numpy as np
from numpy.typing import NDArray

__all__ = ["irradiate", "slope_aspect"]

_CACHE = True


@numba.njit(cache=_CACHE, inline="always")
def _difference(
    z: NDArray[np.float32],
    ok: NDArray[np.bool_],
    r: int,
    c: int,
    dr: int,
    dc: int,
    spacing: float,
) -> float:
    """Height gradient along one axis; one-sided where a neighbour lies off the surface."""
    ahead = ok[r + dr, c + dc]
    behind = ok[r - dr, c - dc]
    if ahead and behind:
        return float((z[r + dr, c + dc] - z[r - dr, c - dc]) / (2.0 * spacing))
    if ahead:
        return float((z[r + dr, c + dc] - z[r, c]) / spacing)
    if behind:
        return float((z[r, c] - z[r - dr, c - dc]) / spacing)
    return 0.0


@numba.njit(cache=_CACHE)
def slope_aspect(
    z: NDArray[np.float32],
    ok: NDArray[np.bool_],
    rows: NDArray[np.int64],
    cols: NDArray[np.int64],
    res_x: float,
    res_y: float,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Slope and aspect (radians) of the listed pixels from central differences.

    A neighbour that is not ``ok`` (off the roof, nodata) is not used: the difference is taken
    one-sided, so a roof's edge pixels keep the roof plane's slope instead of the wall's.
    ``rows`` and ``cols`` must be at least one pixel from the window's edge.
    """
    n = rows.size
    slope = np.empty(n, np.float64)
    aspect = np.empty(n, np.float64)
    for i in range(n):
        r = rows[i]
        c = cols[i]
        dzdx = _difference(z, ok, r, c, 0, 1, res_x)  # towards east
        dzdy = -_difference(z, ok, r, c, 1, 0, res_y)  # towards north (rows run south)
        slope[i] = math.atan(math.hypot(dzdx, dzdy))
        # the slope faces downhill: azimuth of -grad
        aspect[i] = math.atan2(-dzdx, -dzdy) % (2.0 * math.pi)
    return slope, aspect


@numba.njit(cache=_CACHE, parallel=True)
def irradiate(
    z: NDArray[np.float32],
    peaks: NDArray[np.float32],
    rows: NDArray[np.int64],
    cols: NDArray[np.int64],
    slope: NDArray[np.float64],
    aspect: NDArray[np.float64],
    ray_dr: NDArray[np.int64],
    ray_dc: NDArray[np.int64],
    ray_level: NDArray[np.int64],
    ray_dist: NDArray[np.float64],
    ray_count: NDArray[np.int64],
    z_top: float,
    sun_tan: NDArray[np.float64],
    sun_count: NDArray[np.int64],
    sun_sum: NDArray[np.float64],
    iso_diffuse: float,
    ground: float,
    albedo: float,
    out: NDArray[np.float64],
) -> None:
    """Annual irradiation and its parts for the listed pixels.

    For every pixel and every horizon direction ``k`` the horizon is the steepest rise of the
    surface seen along the ray (``peaks[level]`` holds the surface max-filtered at the ray's
    sampling scale, so nothing between samples is missed), kept as its tangent. The sun
    positions of direction ``k`` are sorted by the tangent of their elevation, highest first,
    with running sums of their weighted unit vectors in ``sun_sum``: the beam (and circumsolar)
    energy on the pixel is its normal dotted with the running sum up to the last position above
    the effective horizon, the higher of the surface's horizon and the pixel's own plane. The
    isotropic sky diffuse is weighted by the sky-view factor of the tilted pixel, integrated in
    closed form above the horizon; the ground-reflected part uses the isotropic view factor of
    the ground.

    ``out`` gets five columns per pixel: total, beam + circumsolar, sky diffuse, reflected,
    sky-view factor.
    """
    n_dir = ray_count.size
    width = 2.0 * math.pi / n_dir
    half_pi = 0.5 * math.pi
    cos_phi = np.cos(np.arange(n_dir) * width)
    sin_phi = np.sin(np.arange(n_dir) * width)
    inv_dist = 1.0 / ray_dist
    for i in numba.prange(rows.size):
        r = rows[i]
        c = cols[i]
        z0 = z[r, c]
        beta = min(slope[i], 1.5690)
        sin_b = math.sin(beta)
        cos_b = math.cos(beta)
        sin_a = math.sin(aspect[i])
        cos_a = math.cos(aspect[i])
        nx = sin_b * sin_a
        ny = sin_b * cos_a
        rise = z_top - z0
        beam = 0.0
        svf = 0.0
        for k in range(n_dir):
            # horizon: steepest rise along the ray, never below the horizontal
            t_max = 0.0
            for j in range(ray_count[k]):
                if rise * inv_dist[k, j] <= t_max:
                    break
                t = (peaks[ray_level[k, j], r + ray_dr[k, j], c + ray_dc[k, j]] - z0) * inv_dist[
                    k, j
                ]
                if t > t_max:
                    t_max = t
            # the pixel's own plane as a horizon: tan(e) = -a / cos(beta)
            a = sin_b * (cos_phi[k] * cos_a + sin_phi[k] * sin_a)
            t_low = max(t_max, -a / cos_b)
            # beam: sun positions of this direction above the effective horizon
            lo = 0
            hi = sun_count[k]
            while lo < hi:  # first position at or below t_low
                mid = (lo + hi) // 2
                if sun_tan[k, mid] > t_low:
                    lo = mid + 1
                else:
                    hi = mid
            beam += nx * sun_sum[k, lo, 0] + ny * sun_sum[k, lo, 1] + cos_b * sun_sum[k, lo, 2]
            # sky-view factor: ∫ max(0, n·s) cos(e) de over the visible sky of this direction
            t0 = t_low if t_low > 0.0 else 0.0
            sin2 = t0 * t0 / (1.0 + t0 * t0)  # sin²(e0)
            part = a * ((half_pi - math.atan(t0)) / 2.0 - t0 / (1.0 + t0 * t0) / 2.0)
            part += cos_b * (1.0 - sin2) / 2.0
            svf += part
        svf *= width / math.pi
        diffuse = svf * iso_diffuse
        reflected = albedo * ground * (1.0 - cos_b) / 2.0
        out[i, 0] = beam + diffuse + reflected
        out[i, 1] = beam
        out[i, 2] = diffuse
        out[i, 3] = reflected
        out[i, 4] = svf
