"""Coverage-weighted zonal statistics of a solar map: one polygon, or a whole municipality.

Every pixel counts with the fraction of it that the polygon covers (exactly, see
:mod:`solar.coverage`), as exactextract does: ``count`` is the covered pixels with data,
``mean`` is ``sum / count``, ``min``/``max`` are over pixels with any coverage; pixels without
data (and outside the map) are counted apart. Class areas are the covered area per interval
between ``edges``.

:func:`zonal_stats` answers one polygon by reading only its window. :func:`zonal_table` answers
many: it sorts them by their top row and sweeps a band of full raster blocks down the map,
reading each block once, so memory stays one band of blocks whatever the number of polygons.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np
import shapely
from rasterio.windows import Window

from solar import coverage as kernels
from solar.errors import InvalidGeometry
from solar.raster import RasterSource

__all__ = ["ZonalStats", "ZonalTable", "coverage_window", "zonal_stats", "zonal_table"]

_POLYGONAL = (3, 6)


@dataclass(frozen=True)
class ZonalStats:
    """Coverage-weighted statistics of one polygon on a raster.

    ``count`` and ``nodata`` are coverage-weighted pixels; the ``*_m2`` fields are areas on the
    map (horizontal), ``class_m2[i]`` the area with values in ``[edges[i-1], edges[i])``.
    """

    count: float
    sum: float
    min: float
    max: float
    nodata: float
    pixel_area: float
    edges: tuple[float, ...] = ()
    class_pixels: tuple[float, ...] = (0.0,)

    @property
    def mean(self) -> float:
        return self.sum / self.count if self.count > 0 else math.nan

    @property
    def area_m2(self) -> float:
        """Covered area with data."""
        return self.count * self.pixel_area

    @property
    def nodata_m2(self) -> float:
        """Covered area without data (or outside the map)."""
        return self.nodata * self.pixel_area

    @property
    def class_m2(self) -> tuple[float, ...]:
        return tuple(p * self.pixel_area for p in self.class_pixels)

    def to_dict(self) -> dict:
        return {
            "count": self.count,
            "sum": self.sum,
            "mean": _none(self.mean),
            "min": _none(self.min),
            "max": _none(self.max),
            "nodata": self.nodata,
            "area_m2": self.area_m2,
            "nodata_m2": self.nodata_m2,
            "edges": list(self.edges),
            "class_m2": list(self.class_m2),
        }

    def _repr_html_(self) -> str:
        return (
            f"<b>Zonal statistics</b>: mean {self.mean:.1f} over {self.area_m2:.1f} m² "
            f"({self.nodata_m2:.1f} m² without data), min {self.min:.1f}, "
            f"max {self.max:.1f}"
        )


@dataclass(frozen=True)
class ZonalTable:
    """Statistics of many polygons, one row each, in the order they were given."""

    count: np.ndarray
    sum: np.ndarray
    min: np.ndarray
    max: np.ndarray
    nodata: np.ndarray
    class_pixels: np.ndarray
    pixel_area: float
    edges: tuple[float, ...] = ()
    extra: dict = field(default_factory=dict, repr=False)

    @property
    def mean(self) -> np.ndarray:
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(self.count > 0, self.sum / self.count, np.nan)

    def __len__(self) -> int:
        return int(self.count.size)

    def __getitem__(self, i: int) -> ZonalStats:
        return ZonalStats(
            count=float(self.count[i]),
            sum=float(self.sum[i]),
            min=float(self.min[i]),
            max=float(self.max[i]),
            nodata=float(self.nodata[i]),
            pixel_area=self.pixel_area,
            edges=self.edges,
            class_pixels=tuple(self.class_pixels[i].tolist()),
        )

    def to_frame(self):
        """A pandas DataFrame: count, sum, mean, min, max, nodata and ``class_<i>_m2``."""
        import pandas as pd

        columns = {
            "count": self.count,
            "sum": self.sum,
            "mean": self.mean,
            "min": self.min,
            "max": self.max,
            "nodata": self.nodata,
        }
        for i in range(self.class_pixels.shape[1]):
            columns[f"class_{i}_m2"] = self.class_pixels[:, i] * self.pixel_area
        return pd.DataFrame(columns)

    def to_dict(self) -> dict:
        return {
            "edges": list(self.edges),
            "pixel_area": self.pixel_area,
            "rows": [self[i].to_dict() for i in range(len(self))],
        }

    def _repr_html_(self) -> str:
        return self.to_frame()._repr_html_()


def _none(value: float) -> float | None:
    return None if not math.isfinite(value) else value


@dataclass(frozen=True)
class _Prepared:
    """Polygons in pixel units of their own windows, as the kernels take them."""

    u: np.ndarray
    v: np.ndarray
    rings: np.ndarray
    parts: np.ndarray
    geometries: np.ndarray
    windows: np.ndarray  # row, col, height, width on the raster grid


def _prepare(geometries: Sequence, transform) -> _Prepared:
    geoms = np.asarray(geometries, dtype=object)
    if geoms.ndim == 0:
        geoms = geoms.reshape(1)
    missing = shapely.is_missing(geoms)
    kinds = shapely.get_type_id(geoms)
    bad = ~missing & ~np.isin(kinds, _POLYGONAL)
    if bad.any():
        raise InvalidGeometry(f"zonal statistics need polygons, not {geoms[bad][0].geom_type}")
    empty = missing | shapely.is_empty(geoms)
    geoms = np.where(empty, shapely.Polygon(), geoms)
    n = geoms.size
    windows = np.zeros((n, 4), np.int64)
    if empty.all():
        return _Prepared(
            np.zeros(0),
            np.zeros(0),
            np.zeros(1, np.int64),
            np.zeros(1, np.int64),
            np.zeros(n + 1, np.int64),
            windows,
        )
    _, xy, offsets = shapely.to_ragged_array(shapely.force_2d(geoms))
    rings, parts = offsets[0].astype(np.int64), offsets[1].astype(np.int64)
    per_geometry = (
        offsets[2].astype(np.int64) if len(offsets) == 3 else np.arange(n + 1, dtype=np.int64)
    )
    a, c, e, f = transform.a, transform.c, transform.e, transform.f
    cols = (xy[:, 0] - c) / a
    rows = (xy[:, 1] - f) / e
    bounds = shapely.bounds(geoms)
    col0 = np.floor((bounds[:, 0] - c) / a)
    col1 = np.ceil((bounds[:, 2] - c) / a)
    row0 = np.floor((bounds[:, 3] - f) / e)
    row1 = np.ceil((bounds[:, 1] - f) / e)
    ok = ~empty
    windows[ok, 0], windows[ok, 1] = row0[ok], col0[ok]
    windows[ok, 2] = np.maximum(row1[ok] - row0[ok], 1)
    windows[ok, 3] = np.maximum(col1[ok] - col0[ok], 1)
    ring_of_vertex = np.repeat(np.arange(rings.size - 1), np.diff(rings))
    part_of_ring = np.repeat(np.arange(parts.size - 1), np.diff(parts))
    geometry_of_part = np.repeat(np.arange(n), np.diff(per_geometry))
    owner = geometry_of_part[part_of_ring[ring_of_vertex]]
    return _Prepared(
        u=cols - windows[owner, 1],
        v=rows - windows[owner, 0],
        rings=rings,
        parts=parts,
        geometries=per_geometry,
        windows=windows,
    )


def _reproject(geometries, from_crs, to_crs):
    if from_crs is None:
        return geometries
    from pyproj import CRS, Transformer

    try:
        source, target = CRS.from_user_input(from_crs), CRS.from_user_input(to_crs)
    except Exception as err:  # pyproj raises its own CRSError for any unknown CRS
        raise InvalidGeometry(f"unknown CRS {from_crs!r}: {err}") from err
    if source == target:
        return geometries
    move = Transformer.from_crs(source, target, always_xy=True)
    return shapely.transform(
        np.asarray(geometries, dtype=object),
        lambda xy: np.column_stack(move.transform(xy[:, 0], xy[:, 1])),
    )


def _single(source: RasterSource, geometry, crs) -> tuple | None:
    """One polygon in pixel units of its window: (window, u, v, ring offsets, part offsets)."""
    if crs is not None:
        geometry = _reproject([geometry], crs, getattr(source, "crs", None))[0]
    if shapely.get_type_id(geometry) not in _POLYGONAL:
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


def coverage_window(source: RasterSource, geometry, crs=None) -> tuple[Window, np.ndarray]:
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
    source: RasterSource, geometry, edges: Sequence[float] = (), crs=None
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
    geometries: Sequence,
    edges: Sequence[float] = (),
    crs=None,
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
    geometries = _reproject(geometries, crs, source.crs)
    p = _prepare(geometries, source.transform)
    n = p.windows.shape[0]
    cuts = np.asarray(edges, np.float64)
    out = np.zeros((n, kernels.FIELDS))
    classes = np.zeros((n, cuts.size + 1))
    real = np.flatnonzero(np.diff(p.geometries) > 0)
    if real.size:
        _sweep(source, p, real, cuts, out, classes, band_blocks)
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


def _plan(tops: np.ndarray, bottoms: np.ndarray, block: int) -> list[tuple]:
    """Steps of the sweep: (first, stop, band top, rows to read) over polygons sorted by top.

    Each step's polygons start in one strip of ``block`` rows; the band must reach their lowest
    row, rounded to whole blocks; rows read by an earlier step are not read again.
    """
    steps, start, held = [], 0, None
    while start < tops.size:
        strip = (tops[start] // block) * block
        stop = int(np.searchsorted(tops, strip + block, side="left"))
        need = -(-int(bottoms[start:stop].max()) // block) * block
        if held is None or strip >= held:
            rows, held = (int(strip), need), need
        elif need > held:
            rows, held = (held, need), need
        else:
            rows = None
        steps.append((start, stop, int(strip), rows))
        start = stop
    return steps


def _sweep(
    source: RasterSource,
    p: _Prepared,
    real: np.ndarray,
    cuts: np.ndarray,
    out: np.ndarray,
    classes: np.ndarray,
    band_blocks: int,
) -> None:
    """Sweep a band of whole block rows down the raster, summarising polygons as they fit.

    The next rows are read in a second thread while the compiled kernel (which releases the
    GIL) summarises the current band, so reading and decompressing overlap with computing.
    """
    block = source.block_shape[0] * max(1, band_blocks)
    order = real[np.argsort(p.windows[real, 0], kind="stable")]
    tops = p.windows[order, 0]
    bottoms = tops + p.windows[order, 2]
    col0 = int(p.windows[real, 1].min())
    width = int((p.windows[real, 1] + p.windows[real, 3]).max()) - col0
    steps = _plan(tops, bottoms, block)
    windows = p.windows.copy()
    windows[:, 1] -= col0

    def read(rows):
        return (
            None if rows is None else source.read(Window(col0, rows[0], width, rows[1] - rows[0]))
        )

    band, band_top = np.zeros((0, width), np.float32), 0
    with ThreadPoolExecutor(max_workers=1) as pool:
        pending = pool.submit(read, steps[0][3])
        for i, (first, stop, strip, rows) in enumerate(steps):
            chunk = pending.result()
            if i + 1 < len(steps):
                pending = pool.submit(read, steps[i + 1][3])
            if rows is not None and rows[0] == strip:
                band, band_top = chunk, strip
            elif rows is not None:
                band = np.concatenate([band[strip - band_top :], chunk])
                band_top = strip
            group = order[first:stop]
            windows[group, 0] = p.windows[group, 0] - band_top
            kernels.summarise_many(
                band,
                p.u,
                p.v,
                p.rings,
                p.parts,
                p.geometries,
                group,
                windows,
                float(source.nodata),
                cuts,
                out,
                classes,
            )
