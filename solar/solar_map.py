"""Compute a solar map: annual irradiation (kWh/m²·year) on every surface pixel of a DSM.

:func:`compute_solar_map` reads the surface model block by block, each with a margin wide
enough for shadows, computes the blocks' pixels in parallel (:mod:`solar.engine`) and
writes a Cloud-Optimized GeoTIFF on the DSM's grid; :func:`~solar.engine.irradiation`
does the same for an array in memory. Both give identical values for a pixel whatever the block
size: every pixel sees the surface within ``margin_m`` and nothing else.
"""

from __future__ import annotations

import json
import math
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import rasterio
from numpy.typing import NDArray
from rasterio.io import DatasetReader
from rasterio.windows import Window

from solar import cog
from solar.engine import Engine, Site, grid_site, pixel_xy, resolution, window_transform
from solar.errors import InvalidModel, InvalidSurface
from solar.model import SolarModel
from solar.roofs import RoofMask

__all__ = [
    "NODATA",
    "SolarMap",
    "compute_solar_map",
    "compute_solar_tiles",
    "surface_site",
    "tile_regions",
    "write_region",
]

NODATA = -9999.0
UNIT = "kWh/m2/year"
#: Output blocks are this many pixels square (a multiple of the COG's internal tile).
BLOCK = 512

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class SolarMap:
    """A computed solar map and what it holds."""

    path: Path
    crs: str
    bounds: tuple[float, float, float, float]
    shape: tuple[int, int]
    pixels: int
    mean: float
    minimum: float
    maximum: float
    seconds: float
    parameters: dict[str, Any] = field(repr=False)

    def to_dict(self) -> dict[str, Any]:
        """The map's description as JSON-ready values."""
        return {
            "path": str(self.path),
            "crs": self.crs,
            "bounds": list(self.bounds),
            "shape": list(self.shape),
            "pixels": self.pixels,
            "unit": UNIT,
            "mean": self.mean,
            "min": self.minimum,
            "max": self.maximum,
            "seconds": round(self.seconds, 2),
            "parameters": self.parameters,
        }

    def _repr_html_(self) -> str:
        return (
            f"<b>Solar map</b> {self.path.name}: {self.pixels:,} pixels, mean "
            f"{self.mean:.0f} {UNIT} ({self.minimum:.0f}–{self.maximum:.0f}), "
            f"{self.shape[1]}×{self.shape[0]} px in {self.crs}"
        )


def _blocks(height: int, width: int, size: int) -> list[Window]:
    return [
        Window(c, r, min(size, width - c), min(size, height - r))
        for r in range(0, height, size)
        for c in range(0, width, size)
    ]


def _read_padded(
    src: DatasetReader, window: Window, pad: int
) -> tuple[NDArray[np.float32], Window]:
    """The block's surface with ``pad`` pixels around it, NaN outside the DSM and at nodata."""
    outer = Window(
        window.col_off - pad, window.row_off - pad, window.width + 2 * pad, window.height + 2 * pad
    )
    data = np.full((int(outer.height), int(outer.width)), np.nan, np.float32)
    r0, c0 = max(0, outer.row_off), max(0, outer.col_off)
    r1 = min(src.height, outer.row_off + outer.height)
    c1 = min(src.width, outer.col_off + outer.width)
    inner = Window(c0, r0, c1 - c0, r1 - r0)
    band: NDArray[np.float32] = (
        src.read(1, window=inner, masked=True).astype(np.float32).filled(np.nan)
    )
    data[r0 - outer.row_off : r1 - outer.row_off, c0 - outer.col_off : c1 - outer.col_off] = band
    return data, outer


def surface_site(src: DatasetReader) -> Site:
    """The site the sun is computed for: the grid's centre at the median height."""
    factor = max(1, max(src.width, src.height) // 256)
    thumb = src.read(
        1, out_shape=(max(1, src.height // factor), max(1, src.width // factor)), masked=True
    )
    if thumb.count() == 0:
        raise InvalidSurface(f"{src.name} holds no valid heights")
    altitude = float(np.median(thumb.compressed()))
    return grid_site(src.transform, src.crs, (src.height, src.width), altitude)


@dataclass
class _Job:
    """An open surface model and everything every block and tile of it shares."""

    src: DatasetReader
    engine: Engine
    roofs: RoofMask | None
    parameters: dict[str, Any]
    block: int
    progress: Progress | None
    done: int = 0
    total: int = 0

    def tick(self) -> None:
        self.done += 1
        if self.progress:
            self.progress(self.done, self.total)


@contextmanager
def _open_job(
    dsm: Path,
    buildings: str | os.PathLike[str] | None,
    model: SolarModel,
    layer: str | None,
    scan_date: str | None,
    progress: Progress | None,
    block: int,
) -> Iterator[_Job]:
    try:
        src = rasterio.open(dsm)
    except rasterio.errors.RasterioIOError as err:
        raise InvalidSurface(f"cannot read the surface model {dsm}: {err}") from err
    with src:
        resolution(src.transform, src.crs)  # refuse unusable grids before any work
        engine = Engine(src.transform, src.crs, surface_site(src), model)
        roofs = RoofMask.open(buildings, src.crs, layer) if buildings else None
        parameters = {
            **model.to_dict(),
            "surface_model": dsm.name,
            "buildings": Path(buildings).name if buildings else None,
            "scan_date": scan_date,
            "unit": UNIT,
        }
        yield _Job(src, engine, roofs, parameters, block, progress)


def _write_map(job: _Job, region: Window, out: Path) -> SolarMap:
    """Compute the pixels of ``region`` of the surface model into the COG ``out``."""
    start = time.perf_counter()
    src = job.src
    profile: dict[str, Any] = {
        "width": int(region.width),
        "height": int(region.height),
        "crs": src.crs,
        "transform": window_transform(src.transform, region),
    }
    stats = _Stats()
    out.parent.mkdir(parents=True, exist_ok=True)
    with cog.Draft(out, profile, NODATA) as draft:
        for inner in _blocks(int(region.height), int(region.width), job.block):
            window = Window(
                region.col_off + inner.col_off,
                region.row_off + inner.row_off,
                inner.width,
                inner.height,
            )
            values = _block(src, window, job.engine, job.roofs)
            stats.add(values)
            draft.write(values, inner)
            job.tick()
        draft.finish(
            tags={
                "SOLAR_MODEL": json.dumps(job.parameters, ensure_ascii=False),
                "UNIT": UNIT,
                "SCAN_DATE": job.parameters["scan_date"] or "",
            },
            band_tags={"UNIT": UNIT, "QUANTITY": "annual irradiation"},
            description="Annual irradiation (kWh/m²·year)",
        )
    left, top = pixel_xy(src.transform, region.col_off, region.row_off)
    right, bottom = pixel_xy(
        src.transform, region.col_off + region.width, region.row_off + region.height
    )
    return SolarMap(
        path=out,
        crs=src.crs.to_string(),
        bounds=(left, bottom, right, top),
        shape=(int(region.height), int(region.width)),
        pixels=stats.count,
        mean=stats.mean,
        minimum=stats.minimum,
        maximum=stats.maximum,
        seconds=time.perf_counter() - start,
        parameters=job.parameters,
    )


def compute_solar_map(
    dsm: str | os.PathLike[str],
    out: str | os.PathLike[str],
    buildings: str | os.PathLike[str] | None = None,
    model: SolarModel | None = None,
    layer: str | None = None,
    progress: Progress | None = None,
    block: int = BLOCK,
    scan_date: str | None = None,
) -> SolarMap:
    """Compute the annual irradiation of ``dsm`` into the COG ``out``.

    With ``buildings`` (any vector file OGR reads; layer ``layer``, or ``buildings`` if there is
    one) only pixels inside a footprint get a value and cost any work; the rest are nodata.
    ``out`` appears only when complete. ``progress(done, total)`` is called after each block.
    """
    with _open_job(
        Path(dsm), buildings, model or SolarModel(), layer, scan_date, progress, block
    ) as job:
        job.total = len(_blocks(job.src.height, job.src.width, block))
        return _write_map(job, Window(0, 0, job.src.width, job.src.height), Path(out))


def compute_solar_tiles(
    dsm: str | os.PathLike[str],
    folder: str | os.PathLike[str],
    tile_m: float,
    buildings: str | os.PathLike[str] | None = None,
    model: SolarModel | None = None,
    layer: str | None = None,
    progress: Progress | None = None,
    block: int = BLOCK,
    scan_date: str | None = None,
    prefix: str = "solkarta",
) -> list[SolarMap]:
    """Like :func:`compute_solar_map`, but one COG per ``tile_m`` × ``tile_m`` tile in ``folder``.

    Tiles are aligned to multiples of ``tile_m`` in the DSM's CRS (as Lantmäteriet's 2.5 km
    grid) and named ``{prefix}_{east}_{north}.tif`` after their lower-left corner in metres.
    Shadows cross tile edges: every tile sees the whole DSM within the margin, so the tiles put
    together equal the single map. Tiles with no output pixel are not written.
    """
    with _open_job(
        Path(dsm), buildings, model or SolarModel(), layer, scan_date, progress, block
    ) as job:
        regions = tile_regions(job.src, tile_m)
        job.total = sum(len(_blocks(int(r.height), int(r.width), block)) for _, r in regions)
        maps = []
        for (east, north), region in regions:
            result = _write_map(job, region, Path(folder) / f"{prefix}_{east}_{north}.tif")
            if result.pixels:
                maps.append(result)
            else:
                result.path.unlink()
        return maps


def write_region(
    src: DatasetReader,
    engine: Engine,
    roofs: RoofMask | None,
    parameters: dict[str, Any],
    region: Window,
    out: str | os.PathLike[str],
    block: int = BLOCK,
) -> SolarMap:
    """Compute the pixels of ``region`` of the open surface ``src`` into the COG ``out``.

    Every pixel sees the whole of ``src`` within the model's margin, so regions computed apart
    and put together equal the single map. ``out`` appears only when complete.
    """
    return _write_map(_Job(src, engine, roofs, parameters, block, None), region, Path(out))


def tile_regions(src: DatasetReader, tile_m: float) -> list[tuple[tuple[int, int], Window]]:
    """Windows of ``src`` cut by a grid of ``tile_m`` metres, with their lower-left corners."""
    res_x, res_y = src.transform.a, -src.transform.e
    step_c, step_r = tile_m / res_x, tile_m / res_y
    if step_c != round(step_c) or step_r != round(step_r) or step_c < 1:
        raise InvalidModel(f"the tile size {tile_m} m is not a whole number of pixels")
    left, top = src.transform.c, src.transform.f
    first_col = -round((left - math.floor(left / tile_m) * tile_m) / res_x)
    first_row = -round((math.ceil(top / tile_m) * tile_m - top) / res_y)
    regions = []
    for row in range(first_row, src.height, round(step_r)):
        for col in range(first_col, src.width, round(step_c)):
            c0, r0 = max(col, 0), max(row, 0)
            c1 = min(col + round(step_c), src.width)
            r1 = min(row + round(step_r), src.height)
            east = round(left + col * res_x)
            north = round(top - (row + step_r) * res_y)
            regions.append(((east, north), Window(c0, r0, c1 - c0, r1 - r0)))
    return regions


def _block(
    src: DatasetReader, window: Window, engine: Engine, roofs: RoofMask | None
) -> NDArray[np.float32]:
    pad = engine.rays.pad
    values = np.full((int(window.height), int(window.width)), NODATA, np.float32)
    if roofs is not None and not roofs.touches(
        window_transform(src.transform, window), values.shape
    ):
        return values
    surface, outer = _read_padded(src, window, pad)
    if roofs is None:
        ok = np.isfinite(surface)
    else:
        ok = roofs.mask(window_transform(src.transform, outer), surface.shape)
        ok &= np.isfinite(surface)
    core = np.zeros_like(ok)
    core[pad : pad + values.shape[0], pad : pad + values.shape[1]] = True
    rows, cols = np.nonzero(ok & core)
    if rows.size:
        result = engine.run(surface, ok, rows.astype(np.int64), cols.astype(np.int64))
        values[rows - pad, cols - pad] = result[:, 0]
    return values


class _Stats:
    def __init__(self) -> None:
        self.count, self.total = 0, 0.0
        self.minimum, self.maximum = math.inf, -math.inf

    def add(self, values: NDArray[np.float32]) -> None:
        valid = values[values != NODATA]
        if valid.size:
            self.count += int(valid.size)
            self.total += float(valid.sum(dtype=np.float64))
            self.minimum = min(self.minimum, float(valid.min()))
            self.maximum = max(self.maximum, float(valid.max()))

    @property
    def mean(self) -> float:
        return self.total / self.count if self.count else math.nan
