"""Coverage-weighted zonal statistics of a solar map: one polygon, or a whole municipality.

Every pixel counts with the fraction of it that the polygon covers (exactly, see
:mod:`solar.coverage`), as exactextract does: ``count`` is the covered pixels with data,
``mean`` is ``sum / count``, ``min``/``max`` are over pixels with any coverage; pixels without
data (and outside the map) are counted apart. Class areas are the covered area per interval
between ``edges``.

:func:`zonal_stats` answers one polygon by reading only its window. :func:`zonal_table` answers
many: it sorts them by their top row and sweeps a band of full raster blocks down the map,
reading each block once (:mod:`solar.zonal_sweep`), so memory stays one band of blocks whatever
the number of polygons. The results are :mod:`solar.zonal_results`.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from typing import Any

import numpy as np
import shapely
from numpy.typing import NDArray
from pyproj.exceptions import CRSError
from rasterio.windows import Window
from shapely.geometry.base import BaseGeometry

from solar import coverage as kernels
from solar.errors import InvalidGeometry
from solar.raster import RasterSource
from solar.zonal_results import ZonalStats, ZonalTable
from solar.zonal_sweep import POLYGONAL, summarise_table
from sweref import reproject

__all__ = ["ZonalStats", "ZonalTable", "coverage_window", "zonal_stats", "zonal_table"]


def _moved(geometries: Any, crs: Hashable | None, source: RasterSource) -> Any:
    """Geometries in ``crs`` (``None``: already in the source's) moved to ``source``'s CRS."""
    try:
        return reproject(geometries, crs, getattr(source, "crs", None))
    except CRSError as err:
        raise InvalidGeometry(f"unknown CRS {crs!r}: {err}") from err


Pixels = tuple[
    Window, NDArray[np.float64], NDArray[np.float64], NDArray[np.int64], NDArray[np.int64]
]


def _single(
    source: RasterSource, geometry: BaseGeometry | None, crs: Hashable | None
) -> Pixels | None:
    """One polygon in pixel units of its window: (window, u, v, ring offsets, part offsets)."""
    geometry = _moved(geometry, crs, source)
    if shapely.get_type_id(geometry) not in POLYGONAL:
        if geometry is None or shapely.is_empty(geometry):
            return None
        raise InvalidGeometry(f"zonal statistics need polygons, not {geometry.geom_type}")
    if shapely.is_empty(geometry):
        return None
    if isinstance(geometry, shapely.Polygon) and not geometry.interiors:
        xy = shapely.get_coordinates(geometry)  # the common case: one ring
        ring_offsets, part_offsets = np.array([0, len(xy)]), np.array([0, 1])
    else:
        parts = shapely.get_parts(geometry)
        rings, part_of_ring = shapely.get_rings(parts, return_index=True)
        xy, ring_of_vertex = shapely.get_coordinates(rings, return_index=True)
        ring_offsets = np.zeros(rings.size + 1, np.int64)
        ring_offsets[1:] = np.cumsum(np.bincount(ring_of_vertex, minlength=rings.size))
        part_offsets = np.zeros(parts.size + 1, np.int64)
        part_offsets[1:] = np.cumsum(np.bincount(part_of_ring, minlength=parts.size))
    t = source.transform
    cols = (xy[:, 0] - t.c) / t.a
    rows = (xy[:, 1] - t.f) / t.e
    col, row = math.floor(cols.min()), math.floor(rows.min())
    width = max(math.ceil(cols.max()) - col, 1)
    height = max(math.ceil(rows.max()) - row, 1)
    return Window(col, row, width, height), cols - col, rows - row, ring_offsets, part_offsets


def coverage_window(
    source: RasterSource, geometry: BaseGeometry | None, crs: Hashable | None = None
) -> tuple[Window, NDArray[np.float64]]:
    """The pixel window of ``geometry`` on ``source``'s grid and each pixel's covered fraction.

    >>> from affine import Affine
    >>> class Grid:  # any object with a transform will do
    ...     transform = Affine(0.5, 0, 0, 0, -0.5, 10)
    >>> window, fractions = coverage_window(Grid, shapely.box(0.25, 9.0, 1.0, 10.0))
    >>> window.col_off, window.row_off, fractions.tolist()
    (0, 0, [[0.5, 1.0], [0.5, 1.0]])
    """
    one = _single(source, geometry, crs)
    if one is None:
        return Window(0, 0, 0, 0), np.zeros((0, 0))
    window, u, v, rings, parts = one
    fractions = kernels.coverage(
        u, v, rings, parts, 0, parts.size - 1, int(window.height), int(window.width)
    )
    return window, fractions


def zonal_stats(
    source: RasterSource,
    geometry: BaseGeometry | None,
    edges: Sequence[float] = (),
    crs: Hashable | None = None,
) -> ZonalStats:
    """Coverage-weighted statistics of one polygon (or multipolygon) on ``source``.

    ``geometry`` is in ``source``'s CRS unless ``crs`` says otherwise. Only the polygon's window
    is read.
    """
    cuts = np.asarray(edges, np.float64)
    one = _single(source, geometry, crs)
    if one is None:
        out, classes = kernels.summarise(
            np.zeros((0, 0), np.float32), 0, 0, np.zeros((0, 0)), float(source.nodata), cuts
        )
    else:
        window, u, v, rings, parts = one
        out, classes = kernels.summarise_polygon(
            source.read(window), u, v, rings, parts, float(source.nodata), cuts
        )
    return ZonalStats(
        count=float(out[kernels.COUNT]),
        sum=float(out[kernels.SUM]),
        min=_finite(out[kernels.MINIMUM]),
        max=_finite(out[kernels.MAXIMUM]),
        nodata=float(out[kernels.NODATA]),
        pixel_area=source.pixel_area,
        edges=tuple(float(x) for x in cuts),
        class_pixels=tuple(classes.tolist()),
    )


def _finite(value: float) -> float:
    return float(value) if math.isfinite(value) else math.nan


def zonal_table(
    source: RasterSource,
    geometries: Sequence[BaseGeometry | None],
    edges: Sequence[float] = (),
    crs: Hashable | None = None,
    band_blocks: int = 1,
) -> ZonalTable:
    """Coverage-weighted statistics of many polygons, reading every raster block once.

    Parameters
    ----------
    source
        The raster (e.g. :class:`~solar.raster.CogMosaic`).
    geometries
        Polygons or multipolygons (shapely), in ``source``'s CRS unless ``crs`` is given; empty
        or missing ones get zero counts.
    edges
        Class boundaries; the table counts the area per interval between them.
    band_blocks
        Rows of blocks added to the band at a time.
    """
    cuts = np.asarray(edges, np.float64)
    out, classes = summarise_table(source, _moved(geometries, crs, source), cuts, band_blocks)
    out[:, kernels.MINIMUM][~np.isfinite(out[:, kernels.MINIMUM])] = np.nan
    out[:, kernels.MAXIMUM][~np.isfinite(out[:, kernels.MAXIMUM])] = np.nan
    return ZonalTable(
        count=out[:, kernels.COUNT],
        sum=out[:, kernels.SUM],
        min=out[:, kernels.MINIMUM],
        max=out[:, kernels.MAXIMUM],
        nodata=out[:, kernels.NODATA],
        class_pixels=classes,
        pixel_area=source.pixel_area,
        edges=tuple(float(x) for x in cuts),
    )
