"""Roof faces: the planes of a roof, segmented from the surface model inside a footprint.

Each pixel's surface normal comes from central differences of the surface model. Neighbouring
pixels join one face when their normals differ by less than ``angle_tolerance`` (union–find,
compiled); this separates the planes of gable, hip and mono-pitch roofs, since a ridge or a
valley turns the normal abruptly, while noise within a plane does not. Components smaller than
``min_face_m2`` (ridges, eaves, chimneys, the pixels whose differences straddle the roof's
edge) are then given to the face whose least-squares plane predicts their height within
``height_tolerance``; what no plane explains (a tree over the roof, a dormer's side) stays
unassigned. Each face's tilt and azimuth come from its fitted plane, like the roof segments of
Google's Solar API.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numba
import numpy as np
import shapely
from affine import Affine
from numpy.typing import NDArray
from rasterio import features
from shapely.geometry.base import BaseGeometry

__all__ = ["FaceSegments", "segment_faces", "spread_labels"]


@numba.njit(cache=True)
def _find(parent: NDArray[np.int64], i: int) -> int:
    while parent[i] != i:
        parent[i] = parent[parent[i]]
        i = parent[i]
    return i


@numba.njit(cache=True, inline="always")
def _join(
    parent: NDArray[np.int64],
    nx: NDArray[np.float64],
    ny: NDArray[np.float64],
    nz: NDArray[np.float64],
    a: tuple[int, int],
    b: tuple[int, int],
    width: int,
    cos_tolerance: float,
) -> None:
    """Put pixels ``a`` and ``b`` in one component when their normals are close enough."""
    dot = nx[a] * nx[b] + ny[a] * ny[b] + nz[a] * nz[b]
    if dot >= cos_tolerance:
        ra = _find(parent, a[0] * width + a[1])
        rb = _find(parent, b[0] * width + b[1])
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)


@numba.njit(cache=True)
def _components(
    nx: NDArray[np.float64],
    ny: NDArray[np.float64],
    nz: NDArray[np.float64],
    inside: NDArray[np.bool_],
    cos_tolerance: float,
) -> NDArray[np.int64]:
    """Label 4-connected pixels whose unit normals are within the tolerance (-1 outside)."""
    height, width = inside.shape
    parent = np.arange(height * width)
    for r in range(height):
        for c in range(width):
            if not inside[r, c]:
                continue
            if c + 1 < width and inside[r, c + 1]:
                _join(parent, nx, ny, nz, (r, c), (r, c + 1), width, cos_tolerance)
            if r + 1 < height and inside[r + 1, c]:
                _join(parent, nx, ny, nz, (r, c), (r + 1, c), width, cos_tolerance)
    labels = np.full((height, width), -1, np.int64)
    for r in range(height):
        for c in range(width):
            if inside[r, c]:
                labels[r, c] = _find(parent, r * width + c)
    return labels


@dataclass(frozen=True)
class FaceSegments:
    """Face labels on a window (``-1``: not on any face) and each face's plane."""

    labels: NDArray[np.int64]
    tilt: NDArray[np.float64]  # degrees
    azimuth: NDArray[np.float64]  # degrees clockwise from north, the way the face looks; NaN: flat

    def geometry(
        self, face: int, transform: Affine, clip: BaseGeometry | None = None
    ) -> BaseGeometry:
        """Face ``face``'s outline (horizontal) as a shapely geometry, clipped to ``clip``."""
        mask = self.labels == face
        shapes = [
            shapely.geometry.shape(g)
            for g, _ in features.shapes(mask.astype(np.uint8), mask=mask, transform=transform)
        ]
        outline = shapely.union_all(shapes) if shapes else shapely.Polygon()
        return shapely.intersection(outline, clip) if clip is not None else outline


def spread_labels(labels: NDArray[np.int64], where: NDArray[np.bool_]) -> NDArray[np.int64]:
    """Give each ``where`` pixel without a face the face of its nearest labelled pixel.

    Edge pixels that the footprint covers by less than half, and what no plane explained, still
    belong to the roof: this shares them out so the faces partition it.

    >>> spread_labels(np.array([[0, -1, -1, 1]]), np.ones((1, 4), bool)).tolist()
    [[0, 0, 1, 1]]
    """
    labelled = labels >= 0
    missing = where & ~labelled
    if not missing.any() or not labelled.any():
        return labels
    from scipy import ndimage

    _, (rows, cols) = ndimage.distance_transform_edt(~labelled, return_indices=True)
    spread = labels.copy()
    spread[missing] = labels[rows[missing], cols[missing]]
    return spread


def _normals(
    surface: NDArray[np.floating[Any]], res_x: float, res_y: float
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    dz_drow, dz_dcol = np.gradient(surface.astype(np.float64))
    gx = dz_dcol / res_x  # towards east
    gy = -dz_drow / res_y  # towards north
    norm = np.sqrt(gx * gx + gy * gy + 1.0)
    return -gx / norm, -gy / norm, 1.0 / norm


def _planar(surface: NDArray[np.floating[Any]], tolerance: float) -> NDArray[np.bool_]:
    """Pixels whose second differences along rows and columns are both within tolerance."""
    z = np.pad(surface.astype(np.float64), 1, constant_values=np.nan)
    across = np.abs(z[1:-1, :-2] - 2 * z[1:-1, 1:-1] + z[1:-1, 2:])
    down = np.abs(z[:-2, 1:-1] - 2 * z[1:-1, 1:-1] + z[2:, 1:-1])
    with np.errstate(invalid="ignore"):
        return (across <= tolerance) & (down <= tolerance)


def _plane(
    on_face: NDArray[np.bool_], z: NDArray[np.float64], res_x: float, res_y: float
) -> NDArray[np.float64]:
    rows, cols = np.nonzero(on_face)
    x, y = cols * res_x, -rows * res_y
    design = np.column_stack([x, y, np.ones_like(x)])
    coef: NDArray[np.float64] = np.linalg.lstsq(design, z, rcond=None)[0]
    return coef  # z = a x + b y + c, x east and y north in metres


def _big_components(
    raw: NDArray[np.int64], pixel_m2: float, min_face_m2: float
) -> NDArray[np.int64]:
    """Components of at least ``min_face_m2`` with a core (pixels whose 4 neighbours are in the
    same component) of at least half that: a ridge or eave line is long but has no core."""
    padded = np.pad(raw, 1, constant_values=-2)
    core = (
        (raw >= 0)
        & (padded[:-2, 1:-1] == raw)
        & (padded[2:, 1:-1] == raw)
        & (padded[1:-1, :-2] == raw)
        & (padded[1:-1, 2:] == raw)
    )
    ids, sizes = np.unique(raw[raw >= 0], return_counts=True)
    cores = np.zeros(ids.size)
    if core.any():
        core_ids, core_sizes = np.unique(raw[core], return_counts=True)
        cores[np.searchsorted(ids, core_ids)] = core_sizes
    keep = (sizes * pixel_m2 >= min_face_m2) & (cores * pixel_m2 >= min_face_m2 / 2)
    return ids[keep]


def segment_faces(
    surface: NDArray[np.floating[Any]],
    inside: NDArray[np.bool_],
    res_x: float,
    res_y: float,
    angle_tolerance: float = 8.0,
    min_face_m2: float = 2.0,
    height_tolerance: float = 0.35,
    flat_below: float = 5.0,
    curvature_tolerance: float = 0.1,
) -> FaceSegments:
    """Segment the roof planes of ``surface`` (heights, m) on the ``inside`` pixels.

    Pixels whose second differences exceed ``curvature_tolerance`` (m) lie on a ridge, valley
    or edge: their normals average two planes, so they join no face by normal (else a ridge
    that runs askew to the grid would chain two faces into one) and are given to a plane by
    height afterwards. A noisy surface model wants smoothing or a larger tolerance.

    >>> rows = np.arange(12)[:, None] * np.ones((1, 10))
    >>> gable = 10 + 0.5 * np.tan(np.radians(30)) * np.minimum(rows, 11 - rows)
    >>> faces = segment_faces(gable, np.ones(gable.shape, bool), 0.5, 0.5)
    >>> sorted(zip(np.round(faces.tilt).tolist(), np.round(faces.azimuth).tolist()))
    [(30.0, 0.0), (30.0, 180.0)]
    """
    inside = np.asarray(inside, bool) & np.isfinite(surface)
    if not inside.any():
        return FaceSegments(np.full(inside.shape, -1), np.zeros(0), np.zeros(0))
    nx, ny, nz = _normals(np.where(inside, surface, np.nan), res_x, res_y)
    ok = inside & np.isfinite(nz) & _planar(np.where(inside, surface, np.nan), curvature_tolerance)
    raw = _components(
        np.nan_to_num(nx),
        np.nan_to_num(ny),
        np.nan_to_num(nz),
        ok,
        math.cos(math.radians(angle_tolerance)),
    )
    big = _big_components(raw, res_x * res_y, min_face_m2)
    rows, cols = np.nonzero(inside)
    z = surface[rows, cols].astype(np.float64)
    planes = [_plane(raw == k, surface[raw == k].astype(np.float64), res_x, res_y) for k in big]
    labels = np.full(inside.shape, -1, np.int64)
    if planes:
        coef = np.array(planes)  # faces × 3
        predicted = (
            np.outer(cols * res_x, coef[:, 0]) + np.outer(-rows * res_y, coef[:, 1]) + coef[:, 2]
        )
        error = np.abs(predicted - z[:, None])
        own = np.searchsorted(big, raw[rows, cols])
        own_ok = (own < big.size) & (big[np.minimum(own, big.size - 1)] == raw[rows, cols])
        best = np.where(own_ok, own, np.argmin(error, axis=1))
        fits = own_ok | (error[np.arange(rows.size), best] <= height_tolerance)
        labels[rows[fits], cols[fits]] = best[fits]
        tilt = np.degrees(np.arctan(np.hypot(coef[:, 0], coef[:, 1])))
        azimuth = np.degrees(np.arctan2(-coef[:, 0], -coef[:, 1])) % 360.0
        azimuth = np.where(tilt < flat_below, np.nan, np.round(azimuth, 1) % 360.0)
        return FaceSegments(labels, tilt, azimuth)
    return FaceSegments(labels, np.zeros(0), np.zeros(0))
