"""The sweep behind :func:`solar.zonal.zonal_table`: many polygons, every raster block read once.

The polygons are moved into pixel units of their own windows, sorted by their top row, and a
band of whole block rows is swept down the map: each step reads only the rows no earlier step
read, so memory stays one band of blocks whatever the number of polygons.

The band is a moving view of one buffer allocated once: new rows are read straight into the
buffer below the band (while the kernel works on the band above them), and only when the buffer
runs out are the few rows still needed moved to its start:

>>> steps = _plan(np.array([0, 3, 9]), np.array([2, 12, 10]), block=4)
>>> steps
[(0, 2, 0, (0, 12)), (2, 3, 8, None)]
>>> _layout(steps)
(36, [(0, 0, None, 12), (8, None, None, 4)])
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import shapely
from affine import Affine
from numpy.typing import NDArray
from rasterio.windows import Window

from solar import coverage as kernels
from solar.errors import InvalidGeometry
from solar.raster import RasterSource

__all__ = ["POLYGONAL", "summarise_table"]

#: shapely's type ids of the geometries zonal statistics take: Polygon and MultiPolygon.
POLYGONAL = (3, 6)


def summarise_table(
    source: RasterSource, geometries: Sequence[object], cuts: NDArray[np.float64], band_blocks: int
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """The kernels' fields (one row of :data:`solar.coverage.FIELDS` per polygon) and the
    covered pixels per class between ``cuts``, of polygons in ``source``'s CRS.

    Empty or missing polygons get zero counts; ``band_blocks`` rows of blocks are added to the
    band at a time.
    """
    p = _prepare(geometries, source.transform)
    n = p.windows.shape[0]
    out = np.zeros((n, kernels.FIELDS))
    classes = np.zeros((n, cuts.size + 1))
    real = np.flatnonzero(np.diff(p.geometries) > 0)
    if real.size:
        _sweep(source, p, real, cuts, out, classes, band_blocks)
    return out, classes


@dataclass(frozen=True)
class _Prepared:
    """Polygons in pixel units of their own windows, as the kernels take them."""

    u: NDArray[np.float64]
    v: NDArray[np.float64]
    rings: NDArray[np.int64]
    parts: NDArray[np.int64]
    geometries: NDArray[np.int64]
    windows: NDArray[np.int64]  # row, col, height, width on the raster grid


def _prepare(geometries: Sequence[object], transform: Affine) -> _Prepared:
    geoms = np.asarray(geometries, dtype=object)
    if geoms.ndim == 0:
        geoms = geoms.reshape(1)
    missing = shapely.is_missing(geoms)
    kinds = shapely.get_type_id(geoms)
    bad = ~missing & ~np.isin(kinds, POLYGONAL)
    if bad.any():
        raise InvalidGeometry(f"zonal statistics need polygons, not {geoms[bad][0].geom_type}")
    empty = missing | shapely.is_empty(geoms)
    geoms = np.where(empty, np.array(shapely.Polygon(), dtype=object), geoms)
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


Step = tuple[int, int, int, tuple[int, int] | None]


def _plan(tops: NDArray[np.int64], bottoms: NDArray[np.int64], block: int) -> list[Step]:
    """Steps of the sweep: (first, stop, band top, rows to read) over polygons sorted by top.

    Each step's polygons start in one strip of ``block`` rows; the band must reach their lowest
    row, rounded to whole blocks; rows read by an earlier step are not read again.
    """
    steps: list[Step] = []
    start, held = 0, None
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


Place = tuple[int, int | None, tuple[int, int] | None, int]


def _layout(steps: Sequence[Step]) -> tuple[int, list[Place]]:
    """Rows of the band's buffer and, per step: the buffer row of the band's top, the buffer row
    the step's new rows are read into, the kept rows moved to the buffer's start first (from
    buffer row, count) and the band's height.

    The buffer holds three of the tallest bands, so rows read for the next step never land on
    the band the kernel is still reading, and a move is needed at most once per two bands.

    >>> _layout([(0, 1, 0, (0, 8)), (1, 2, 4, (8, 12)), (2, 3, 8, (12, 16))])
    (24, [(0, 0, None, 8), (4, 8, None, 8), (8, 12, None, 8)])
    >>> _layout([(0, 1, 0, (0, 8)), (1, 2, 4, (8, 12)), (2, 3, 8, (12, 20))])[1][2]
    (8, 12, None, 12)
    """
    tallest, held = 0, 0
    for _, _, strip, rows in steps:
        held = rows[1] if rows is not None else held
        tallest = max(tallest, held - strip)
    size = 3 * tallest
    places: list[Place] = []
    start, end, top = 0, 0, 0  # the band: buffer rows start:end hold map rows top:...
    for _, _, strip, rows in steps:
        move: tuple[int, int] | None = None
        write: int | None = None
        if rows is None:
            start += strip - top
        else:
            kept = 0 if rows[0] == strip else end - (start + strip - top)
            count = rows[1] - rows[0]
            write = end if end + count <= size else kept
            if kept and write == kept:
                move = (start + strip - top, kept)
            start = write - kept
            end = write + count
        top = strip
        places.append((start, write, move, end - start))
    return size, places


def _sweep(
    source: RasterSource,
    p: _Prepared,
    real: NDArray[np.intp],
    cuts: NDArray[np.float64],
    out: NDArray[np.float64],
    classes: NDArray[np.float64],
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

    size, places = _layout(steps)
    buffer = np.empty((size, width), np.float32)

    def read(i: int) -> None:
        rows, write = steps[i][3], places[i][1]
        if rows is not None and write is not None:
            count = rows[1] - rows[0]
            source.read(Window(col0, rows[0], width, count), out=buffer[write : write + count])

    with ThreadPoolExecutor(max_workers=1) as pool:
        pending = pool.submit(read, 0)
        for i, (first, stop, strip, _) in enumerate(steps):
            start, _, move, height = places[i]
            if move is not None:  # the kernel is done with the band these rows come from
                buffer[: move[1]] = buffer[move[0] : move[0] + move[1]]
            pending.result()
            if i + 1 < len(steps):
                pending = pool.submit(read, i + 1)
            group = order[first:stop]
            windows[group, 0] = p.windows[group, 0] - strip
            kernels.summarise_many(
                buffer[start : start + height],
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
