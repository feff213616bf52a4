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

__all__ = ["irradiate", "slope_aspect"]

_CACHE = True


@numba.njit(cache=_CACHE, inline="always")
def _difference(z: np.ndarray, ok: np.ndarray, r: int, c: int, dr: int, dc: int,
                spacing: float) -> float:
    """Height gradient along one axis; one-sided where a neighbour lies off the surface."""
    ahead = ok[r + dr, c + dc]
    behind = ok[r - dr, c - dc]
    if ahead and behind:
        return (z[r + dr, c + dc] - z[r - dr, c - dc]) / (2.0 * spacing)
    if ahead:
        return (z[r + dr, c + dc] - z[r, c]) / spacing
    if behind:
        return (z[r, c] - z[r - dr, c - dc]) / spacing
    return 0.0


@numba.njit(cache=_CACHE)
def slope_aspect(z: np.ndarray, ok: np.ndarray, rows: np.ndarray, cols: np.ndarray,
                 res_x: float, res_y: float) -> tuple[np.ndarray, np.ndarray]:
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
        dzdx = _difference(z, ok, r, c, 0, 1, res_x)        # towards east
        dzdy = -_difference(z, ok, r, c, 1, 0, res_y)       # towards north (rows run south)
        slope[i] = math.atan(math.hypot(dzdx, dzdy))
        # the slope faces downhill: azimuth of -grad
        aspect[i] = math.atan2(-dzdx, -dzdy) % (2.0 * math.pi)
    return slope, aspect


@numba.njit(cache=_CACHE, parallel=True)
def irradiate(z: np.ndarray, peaks: np.ndarray, rows: np.ndarray, cols: np.ndarray,
              slope: np.ndarray, aspect: np.ndarray, ray_dr: np.ndarray, ray_dc: np.ndarray,
              ray_level: np.ndarray, ray_dist: np.ndarray, ray_count: np.ndarray,
              z_top: float, sun_elev: np.ndarray, sun_count: np.ndarray, sun_sum: np.ndarray,
              iso_diffuse: float, ground: float, albedo: float,
              out: np.ndarray) -> None:
    """Annual irradiation and its parts for the listed pixels.

    For every pixel and every horizon direction ``k`` the horizon angle is the steepest
    elevation of the surface seen along the ray (``peaks[level]`` holds the surface max-filtered
    at the ray's sampling scale, so nothing between samples is missed). The sun positions of
    direction ``k`` are sorted by elevation, highest first, with running sums of their weighted
    unit vectors in ``sun_sum``: the beam (and circumsolar) energy on the pixel is its normal
    dotted with the running sum up to the last position above the effective horizon, the
    higher of the surface's horizon and the pixel's own plane. The isotropic sky diffuse is
    weighted by the sky-view factor of the tilted pixel, integrated in closed form above the
    horizon; the ground-reflected part uses the isotropic view factor of the ground.

    ``out`` gets five columns per pixel: total, beam + circumsolar, sky diffuse, reflected,
    sky-view factor.
    """
    n_dir = ray_count.size
    width = 2.0 * math.pi / n_dir
    for i in numba.prange(rows.size):
        r = rows[i]
        c = cols[i]
        z0 = z[r, c]
        beta = min(slope[i], 1.5690)
        sin_b = math.sin(beta)
        cos_b = math.cos(beta)
        nx = sin_b * math.sin(aspect[i])
        ny = sin_b * math.cos(aspect[i])
        beam = 0.0
        svf = 0.0
        for k in range(n_dir):
            # horizon: steepest rise along the ray, never below the horizontal
            t_max = 0.0
            for j in range(ray_count[k]):
                d = ray_dist[k, j]
                if (z_top - z0) <= t_max * d:
                    break
                t = (peaks[ray_level[k, j], r + ray_dr[k, j], c + ray_dc[k, j]] - z0) / d
                if t > t_max:
                    t_max = t
            horizon = math.atan(t_max)
            phi = k * width
            a = sin_b * math.cos(phi - aspect[i])
            own = math.atan2(-a, cos_b)          # the pixel's own plane as a horizon
            low = max(horizon, own)
            # beam: sun positions of this direction above the effective horizon
            m = sun_count[k]
            lo = 0
            hi = m
            while lo < hi:                       # first position at or below `low`
                mid = (lo + hi) // 2
                if sun_elev[k, mid] > low:
                    lo = mid + 1
                else:
                    hi = mid
            beam += nx * sun_sum[k, lo, 0] + ny * sun_sum[k, lo, 1] + cos_b * sun_sum[k, lo, 2]
            # sky-view factor: ∫ max(0, n·s) cos(e) de over the visible sky of this direction
            e0 = low if low > 0.0 else 0.0
            half_pi = 0.5 * math.pi
            part = a * ((half_pi - e0) / 2.0 - math.sin(2.0 * e0) / 4.0)
            part += cos_b * (1.0 - math.sin(e0) ** 2) / 2.0
            svf += part * width / math.pi
        diffuse = svf * iso_diffuse
        reflected = albedo * ground * (1.0 - cos_b) / 2.0
        out[i, 0] = beam + diffuse + reflected
        out[i, 1] = beam
        out[i, 2] = diffuse
        out[i, 3] = reflected
        out[i, 4] = svf
