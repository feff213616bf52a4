"""Exact coverage fractions of polygons on a raster grid, and the weighted statistics on them.

The fraction of each pixel that a polygon covers is computed exactly (up to floating point) by
integrating the polygon's boundary column by column: for every pixel column an edge crosses,
the area between the clipped edge and each pixel row it straddles is added to those pixels, and
the rows the edge lies wholly below get the full width of the crossing, summed with one
cumulative pass down each column. Holes count negatively, whatever the rings' orientation. The
work is proportional to the boundary's pixels plus the window's pixels, never to a finer
subdivision, and agrees with exactextract's fractions to ~1e-12.

These are the compiled kernels; :mod:`solar.zonal` reads the rasters and calls them.

>>> import numpy as np, shapely
>>> t, xy, offsets = shapely.to_ragged_array([shapely.box(0.5, 0.25, 2.0, 1.0)])
>>> fractions = coverage(xy[:, 0], xy[:, 1], offsets[0], offsets[1], 0, 1, 2, 2)
>>> fractions.round(3).tolist()
[[0.375, 0.75], [0.0, 0.0]]
"""

from __future__ import annotations

import math

import numba
import numpy as np

__all__ = ["coverage", "summarise", "summarise_many", "summarise_polygon"]

_CACHE = True

#: Columns of the statistics rows written by :func:`summarise`.
COUNT, SUM, MINIMUM, MAXIMUM, NODATA, AREA = range(6)
FIELDS = 6


@numba.njit(cache=_CACHE, inline="always")
def _band_integral(y0: float, y1: float, row: int) -> float:
    """Mean of clamp(y - row, 0, 1) for y running linearly from y0 to y1."""
    if abs(y1 - y0) < 1e-12:
        return min(max(0.5 * (y0 + y1) - row, 0.0), 1.0)
    return (_antiderivative(y1, row) - _antiderivative(y0, row)) / (y1 - y0)


@numba.njit(cache=_CACHE, inline="always")
def _antiderivative(y: float, row: int) -> float:
    t = y - row
    if t <= 0.0:
        return 0.0
    if t < 1.0:
        return 0.5 * t * t
    return t - 0.5


@numba.njit(cache=_CACHE)
def _ring_sign(u: np.ndarray, v: np.ndarray, start: int, stop: int) -> float:
    """+1 when the ring's ∫v du is positive (the orientation that adds area), else -1."""
    total = 0.0
    for i in range(start, stop - 1):
        total += (u[i + 1] - u[i]) * (v[i] + v[i + 1])
    return 1.0 if total > 0.0 else -1.0


@numba.njit(cache=_CACHE)
def _add_edge(
    u1: float, v1: float, u2: float, v2: float, weight: float, cov: np.ndarray, below: np.ndarray
) -> None:
    """Add one edge's signed contribution (pixel units) to ``cov`` and ``below``."""
    height, width = cov.shape
    if u1 == u2:
        return
    if u1 > u2:
        u1, v1, u2, v2 = u2, v2, u1, v1
        weight = -weight
    slope = (v2 - v1) / (u2 - u1)
    first = max(math.floor(u1), 0)
    last = min(math.ceil(u2) - 1, width - 1)
    for c in range(first, last + 1):
        x0 = max(u1, float(c))
        x1 = min(u2, float(c + 1))
        if x1 <= x0:
            continue
        y0 = v1 + slope * (x0 - u1)
        y1 = v1 + slope * (x1 - u1)
        dx = (x1 - x0) * weight
        low = min(y0, y1)
        top_row = min(max(math.floor(low), 0), height)
        below[0, c] += dx
        below[top_row, c] -= dx
        bottom_row = min(math.floor(max(y0, y1)), height - 1)
        for r in range(top_row, bottom_row + 1):
            cov[r, c] += dx * _band_integral(y0, y1, r)


@numba.njit(cache=_CACHE, nogil=True)
def _coverage_into(
    u: np.ndarray,
    v: np.ndarray,
    rings: np.ndarray,
    parts: np.ndarray,
    first_part: int,
    last_part: int,
    cov: np.ndarray,
    below: np.ndarray,
) -> None:
    cov[:, :] = 0.0
    below[:, :] = 0.0
    for p in range(first_part, last_part):
        for k in range(parts[p], parts[p + 1]):
            start, stop = rings[k], rings[k + 1]
            weight = _ring_sign(u, v, start, stop)
            if k != parts[p]:
                weight = -weight
            for i in range(start, stop - 1):
                _add_edge(u[i], v[i], u[i + 1], v[i + 1], weight, cov, below)


@numba.njit(cache=_CACHE)
def _finish(cov: np.ndarray, below: np.ndarray, run: np.ndarray) -> None:
    """Add the running sums of ``below`` down each column to ``cov`` (row by row)."""
    height, width = cov.shape
    run[:width] = 0.0
    for r in range(height):
        for c in range(width):
            run[c] += below[r, c]
            cov[r, c] = min(max(cov[r, c] + run[c], 0.0), 1.0)


@numba.njit(cache=_CACHE)
def coverage(
    u: np.ndarray,
    v: np.ndarray,
    rings: np.ndarray,
    parts: np.ndarray,
    first_part: int,
    last_part: int,
    height: int,
    width: int,
) -> np.ndarray:
    """Fraction of each pixel of a ``height`` × ``width`` window covered by polygon parts.

    Parameters
    ----------
    u, v
        Vertex coordinates in pixel units of the window: column (right) and row (down).
    rings, parts
        Offsets as :func:`shapely.to_ragged_array` gives them: ``rings[k]:rings[k+1]`` are ring
        ``k``'s vertices, ``parts[p]:parts[p+1]`` are polygon ``p``'s rings (exterior first).
    first_part, last_part
        The polygons to rasterise (one geometry's parts).
    """
    cov = np.empty((height, width), np.float64)
    below = np.empty((height + 1, width), np.float64)
    _coverage_into(u, v, rings, parts, first_part, last_part, cov, below)
    _finish(cov, below, np.empty(width))
    return cov


#: Sums may be reassociated, so that LLVM adds several pixels at a time; NaNs stay defined.
_SUMS = {"reassoc", "nsz", "contract", "arcp"}


@numba.njit(cache=_CACHE, nogil=True, fastmath=_SUMS | {"nnan"})
def _extremes(
    weight: np.ndarray, value: np.ndarray, n: int, low: float, high: float
) -> tuple[float, float]:
    """``low`` and ``high`` widened by the first ``n`` values whose weight is positive (no
    operand is NaN here, which lets the compiler vectorise the minimum and maximum)."""
    for c in range(n):
        seen = weight[c] > 0.0
        low = min(low, value[c] if seen else np.inf)
        high = max(high, value[c] if seen else -np.inf)
    return low, high


@numba.njit(cache=_CACHE, nogil=True, fastmath=_SUMS)
def _classes_upto4(
    weight: np.ndarray, value: np.ndarray, n: int, edges: np.ndarray, classes: np.ndarray
) -> None:
    """Add the first ``n`` weights to ``classes`` by the number of leading ``edges`` (at most
    four) their value reaches, without a branch per pixel."""
    e0 = edges[0] if edges.size > 0 else np.inf
    e1 = edges[1] if edges.size > 1 else np.inf
    e2 = edges[2] if edges.size > 2 else np.inf
    e3 = edges[3] if edges.size > 3 else np.inf
    k0 = k1 = k2 = k3 = k4 = 0.0
    for c in range(n):
        w, x = weight[c], value[c]
        a = x >= e0
        b = a & (x >= e1)
        d = b & (x >= e2)
        f = d & (x >= e3)
        k0 += 0.0 if a else w
        k1 += w if a & ~b else 0.0
        k2 += w if b & ~d else 0.0
        k3 += w if d & ~f else 0.0
        k4 += w if f else 0.0
    classes[0] += k0
    if edges.size > 0:
        classes[1] += k1
    if edges.size > 1:
        classes[2] += k2
    if edges.size > 2:
        classes[3] += k3
    if edges.size > 3:
        classes[4] += k4


@numba.njit(cache=_CACHE, nogil=True)
def _classes_any(
    weight: np.ndarray, value: np.ndarray, n: int, edges: np.ndarray, classes: np.ndarray
) -> None:
    """:func:`_classes_upto4` for any number of edges, a pixel at a time."""
    for c in range(n):
        if weight[c] > 0.0:
            k = 0
            while k < edges.size and value[c] >= edges[k]:
                k += 1
            classes[k] += weight[c]


@numba.njit(cache=_CACHE, nogil=True, fastmath=_SUMS)
def _accumulate(
    values: np.ndarray,
    row0: int,
    col0: int,
    cov: np.ndarray,
    below: np.ndarray,
    nodata: float,
    edges: np.ndarray,
    out: np.ndarray,
    classes: np.ndarray,
) -> None:
    """Finish the coverage (running sums of ``below``) and add the weighted statistics of
    ``values[row0:, col0:]`` under it to ``out`` and ``classes``, row by row.

    Each row goes through short passes without data-dependent branches: a pixel's validity and
    class are selected, not branched on (values straddle the class edges at random, and a
    mispredicted branch costs more than the arithmetic), so that the compiler adds several
    pixels at a time. The rows the passes share are allocated here, so that the compiler knows
    they overlap nothing else. A pixel's class is the number of leading ``edges`` it reaches.
    """
    height, width = cov.shape
    rows, cols = values.shape
    run, weight = np.zeros(width), np.empty(width)
    valid, clean = np.empty(width), np.empty(width)
    count, total, missing, area = out[COUNT], out[SUM], out[NODATA], out[AREA]
    low, high = out[MINIMUM], out[MAXIMUM]
    first = min(max(-col0, 0), width)  # the window's columns on the raster: first:last
    last = max(min(cols - col0, width), first)
    inside = last - first
    for r in range(height):
        for c in range(width):
            run[c] += below[r, c]
            weight[c] = min(max(cov[r, c] + run[c], 0.0), 1.0)
        rr = row0 + r
        start, stop = (first, last) if 0 <= rr < rows else (0, 0)  # this row's pixels on it
        for c in range(start):
            area += weight[c]
            missing += weight[c]
        for c in range(stop, width):
            area += weight[c]
            missing += weight[c]
        if start == stop:
            continue
        line = values[rr, col0 + first : col0 + last]
        for c in range(inside):
            w = weight[first + c]
            x = np.float64(line[c])
            ok = (x != nodata) & (x == x)
            wv = w if ok else 0.0
            xv = x if ok else 0.0
            area += w
            missing += w - wv
            count += wv
            total += wv * xv
            valid[c] = wv
            clean[c] = xv
        low, high = _extremes(valid, clean, inside, low, high)
        if edges.size <= 4:
            _classes_upto4(valid, clean, inside, edges, classes)
        else:
            _classes_any(valid, clean, inside, edges, classes)
    out[COUNT], out[SUM], out[NODATA], out[AREA] = count, total, missing, area
    out[MINIMUM], out[MAXIMUM] = low, high


@numba.njit(cache=_CACHE)
def summarise(
    values: np.ndarray, row0: int, col0: int, cov: np.ndarray, nodata: float, edges: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Coverage-weighted count, sum, min, max, nodata and area, and the weight per class.

    ``cov`` lies on ``values`` at ``(row0, col0)``; pixels outside ``values`` count as nodata.
    Classes are the intervals between the sorted ``edges`` (``len(edges) + 1`` of them).
    """
    out = np.zeros(FIELDS)
    out[MINIMUM] = np.inf
    out[MAXIMUM] = -np.inf
    classes = np.zeros(edges.size + 1)
    height, width = cov.shape
    _accumulate(
        values,
        row0,
        col0,
        cov,
        np.zeros((height + 1, width)),
        nodata,
        edges,
        out,
        classes,
    )
    return out, classes


@numba.njit(cache=_CACHE, nogil=True)
def summarise_polygon(
    values: np.ndarray,
    u: np.ndarray,
    v: np.ndarray,
    rings: np.ndarray,
    parts: np.ndarray,
    nodata: float,
    edges: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`summarise` of one polygon (all of its ``parts``) whose window is ``values``."""
    height, width = values.shape
    cov = np.empty((height, width))
    below = np.empty((height + 1, width))
    _coverage_into(u, v, rings, parts, 0, parts.size - 1, cov, below)
    out = np.zeros(FIELDS)
    out[MINIMUM] = np.inf
    out[MAXIMUM] = -np.inf
    classes = np.zeros(edges.size + 1)
    _accumulate(values, 0, 0, cov, below, nodata, edges, out, classes)
    return out, classes


@numba.njit(cache=_CACHE, nogil=True)
def summarise_many(
    values: np.ndarray,
    u: np.ndarray,
    v: np.ndarray,
    rings: np.ndarray,
    parts: np.ndarray,
    geometries: np.ndarray,
    order: np.ndarray,
    windows: np.ndarray,
    nodata: float,
    edges: np.ndarray,
    out: np.ndarray,
    classes: np.ndarray,
) -> None:
    """:func:`summarise` every geometry ``order[i]`` of a batch against one band of pixels.

    ``windows[g]`` is geometry ``g``'s (row, col, height, width) on ``values``; its vertex
    coordinates ``u, v`` are relative to that window. Rows of ``out`` and ``classes`` are
    indexed by geometry.
    """
    biggest_h, biggest_w = 1, 1
    for g in order:
        biggest_h = max(biggest_h, windows[g, 2])
        biggest_w = max(biggest_w, windows[g, 3])
    cov_buffer = np.empty(biggest_h * biggest_w)
    below_buffer = np.empty((biggest_h + 1) * biggest_w)
    for g in order:
        height, width = windows[g, 2], windows[g, 3]
        cov = cov_buffer[: height * width].reshape((height, width))
        below = below_buffer[: (height + 1) * width].reshape((height + 1, width))
        _coverage_into(u, v, rings, parts, geometries[g], geometries[g + 1], cov, below)
        out[g, MINIMUM] = np.inf
        out[g, MAXIMUM] = -np.inf
        _accumulate(
            values, windows[g, 0], windows[g, 1], cov, below, nodata, edges, out[g], classes[g]
        )
