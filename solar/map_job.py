"""A solar map over many surface model tiles, as a resumable job of output tiles.

:func:`plan_job` reads the surface model tiles as one mosaic (:mod:`solar.mosaic`), cuts it
into output tiles on a grid of ``tile_m`` metres and drops the tiles no building reaches.
:func:`run_tile` computes one output tile wherever it runs (this process or a Dask worker):
every block reads its shadow margin from the mosaic, across the files' edges, so the tiles put
together equal one single map. Each tile's COG and then its STAC item appear atomically in the
output folder; the item marks the tile as finished, so :func:`run_job` skips it on a rerun
(after a killed worker or a killed client). Workers must see the same file system.

Memory per worker is bounded by one output tile's work, whatever the job's size: one block of
:data:`~solar.solar_map.BLOCK` pixels square with its margin, the engine's sky tables, the
footprints, GDAL's block cache (``gdal_cache_mb``) and the COG conversion of one tile.
"""

from __future__ import annotations

import hashlib
import json
import os
import resource
import shutil
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import rasterio
from rasterio.io import DatasetReader
from rasterio.windows import Window

from solar.catalog import tile_item
from solar.engine import Engine, Site, resolution, window_transform
from solar.errors import InvalidSurface
from solar.model import SolarModel
from solar.mosaic import surface_files, write_mosaic
from solar.roofs import RoofMask
from solar.solar_map import BLOCK, UNIT, surface_site, tile_regions, write_region

__all__ = ["MapJob", "OutputTile", "TileResult", "plan_job", "run_job", "run_tile"]

#: Name of the mosaic of the surface model tiles, in the output folder.
MOSAIC_NAME = "surface.vrt"

#: ``progress(done, total)``: output tiles finished (or skipped) so far, of all.
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class MapJob:
    """Everything a worker needs to compute any output tile (picklable: paths as strings)."""

    surface: str
    folder: str
    model: SolarModel
    site: Site
    parameters: dict[str, Any]
    scan_date: str
    buildings: str | None = None
    layer: str | None = None
    block: int = BLOCK
    gdal_cache_mb: int = 64

    @property
    def key(self) -> str:
        """What identifies the job's engine and footprints in a worker's cache."""
        text = json.dumps(
            [
                self.surface,
                self.buildings,
                self.layer,
                self.parameters,
                list(vars(self.site).values()),
            ],
            sort_keys=True,
            default=str,
        )
        return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True)
class OutputTile:
    """One output tile: its name and its window (col, row, width, height) in the mosaic."""

    name: str
    window: tuple[int, int, int, int]

    def cog(self, folder: str | os.PathLike[str]) -> Path:
        """The tile's COG in ``folder``."""
        return Path(folder) / f"{self.name}.tif"

    def item(self, folder: str | os.PathLike[str]) -> Path:
        """The tile's STAC item in ``folder``: written last, it marks the tile as finished."""
        return Path(folder) / f"{self.name}.json"

    def empty(self, folder: str | os.PathLike[str]) -> Path:
        """The marker of a finished tile without a single computed pixel."""
        return Path(folder) / f".{self.name}.empty"

    def finished(self, folder: str | os.PathLike[str]) -> bool:
        """Whether the tile is complete in ``folder``."""
        return self.item(folder).is_file() or self.empty(folder).is_file()


@dataclass(frozen=True)
class TileResult:
    """What computing one output tile gave, and what it cost the worker."""

    name: str
    pixels: int
    seconds: float
    peak_rss_mib: float
    worker_pid: int
    skipped: bool = False

    def to_dict(self) -> dict[str, Any]:
        """The result as JSON-ready values."""
        return dict(vars(self))


def plan_job(
    dsm: str | os.PathLike[str],
    folder: str | os.PathLike[str],
    tile_m: float,
    scan_date: str,
    model: SolarModel | None = None,
    buildings: str | os.PathLike[str] | None = None,
    layer: str | None = None,
    prefix: str = "solkarta",
) -> tuple[MapJob, list[OutputTile]]:
    """The job computing the surface model(s) ``dsm`` into ``folder`` and its output tiles.

    ``dsm`` is a folder, a glob pattern, a VRT or one raster (:func:`~solar.mosaic.surface_files`);
    several files are joined in ``folder/surface.vrt``. Output tiles are aligned to multiples of
    ``tile_m`` in the surface's CRS and named ``{prefix}_{east}_{north}``; with ``buildings``,
    tiles no footprint reaches are left out.

    Raises
    ------
    SolarError
        Unreadable or misaligned surfaces, unusable grids, a climate for another place, bad
        footprints or a tile size that is not a whole number of pixels.
    """
    model = model or SolarModel()
    files = surface_files(dsm)
    surface = files[0].resolve()
    if len(files) > 1:
        surface = Path(folder).resolve() / MOSAIC_NAME
        write_mosaic(files, surface)
    with _open(str(surface)) as src:
        resolution(src.transform, src.crs)
        site = surface_site(src)
        model.climate.check_site(site.latitude, site.longitude)
        roofs = RoofMask.open(buildings, src.crs, layer) if buildings else None
        tiles = [
            OutputTile(f"{prefix}_{east}_{north}", _window(region))
            for (east, north), region in tile_regions(src, tile_m)
            if roofs is None
            or roofs.touches(
                window_transform(src.transform, region), (int(region.height), int(region.width))
            )
        ]
    parameters = {
        **model.to_dict(),
        "surface_model": Path(dsm).name,
        "buildings": Path(buildings).name if buildings else None,
        "scan_date": scan_date,
        "unit": UNIT,
    }
    job = MapJob(
        str(surface),
        str(Path(folder).resolve()),
        model,
        site,
        parameters,
        scan_date,
        str(Path(buildings).resolve()) if buildings else None,
        layer,
    )
    return job, tiles


def _window(region: Window) -> tuple[int, int, int, int]:
    return int(region.col_off), int(region.row_off), int(region.width), int(region.height)


def _open(path: str) -> DatasetReader:
    try:
        return rasterio.open(path)
    except rasterio.errors.RasterioIOError as err:
        raise InvalidSurface(f"cannot read the surface model {Path(path).name}: {err}") from err


#: The engine and footprints of the last job this process ran: built once per worker and job.
_WORKER_CACHE: dict[str, tuple[Engine, RoofMask | None]] = {}


def _engine(job: MapJob, src: DatasetReader) -> tuple[Engine, RoofMask | None]:
    cached = _WORKER_CACHE.get(job.key)
    if cached is None:
        _WORKER_CACHE.clear()
        engine = Engine(src.transform, src.crs, job.site, job.model)
        roofs = RoofMask.open(job.buildings, src.crs, job.layer) if job.buildings else None
        cached = _WORKER_CACHE[job.key] = (engine, roofs)
    return cached


def _peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def run_tile(job: MapJob, tile: OutputTile) -> TileResult:
    """Compute ``tile`` of ``job`` into the job's folder, unless it is finished already.

    The COG is computed in a folder of its own and moved into place, then the STAC item is
    written beside it; a worker killed at any moment leaves either nothing or a finished tile.
    """
    folder = Path(job.folder)
    if tile.finished(folder):
        return TileResult(tile.name, 0, 0.0, _peak_rss_mib(), os.getpid(), skipped=True)
    start = time.perf_counter()
    work = folder / f".work-{tile.name}-{uuid.uuid4().hex}"
    work.mkdir(parents=True)
    try:
        with rasterio.Env(GDAL_CACHEMAX=job.gdal_cache_mb), _open(job.surface) as src:
            engine, roofs = _engine(job, src)
            result = write_region(
                src,
                engine,
                roofs,
                job.parameters,
                Window(*tile.window),
                work / "tile.tif",
                job.block,
            )
        if result.pixels:
            os.replace(result.path, tile.cog(folder))
            _write_item(job, tile)
        else:
            tile.empty(folder).touch()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return TileResult(
        tile.name, result.pixels, time.perf_counter() - start, _peak_rss_mib(), os.getpid()
    )


def _write_item(job: MapJob, tile: OutputTile) -> None:
    folder = Path(job.folder)
    item = tile_item(
        tile.cog(folder),
        tile.name,
        job.scan_date,
        source=f"computed from {job.parameters['surface_model']}",
        parameters=job.parameters,
    )
    target = tile.item(folder)
    item.set_self_href(str(target))
    item.make_asset_hrefs_relative()
    temporary = target.with_name(f".{target.name}.{uuid.uuid4().hex}.tmp")
    temporary.write_text(json.dumps(item.to_dict(), ensure_ascii=False, indent=1), "utf-8")
    os.replace(temporary, target)


def run_job(
    job: MapJob,
    tiles: Iterable[OutputTile],
    client: Any = None,
    progress: Progress | None = None,
) -> list[TileResult]:
    """Compute every unfinished tile of ``tiles``, here or on the Dask ``client``; their results.

    ``client`` is a :class:`distributed.Client` (a ``LocalCluster`` or any scheduler), or None
    to run in this process. A task lost with its worker is run again on another one; a tile is
    written whole or not at all. ``progress(done, total)`` counts finished tiles. Run one job
    per output folder at a time: at the end, the work folders of killed workers are removed.
    """
    tiles = list(tiles)
    todo = [t for t in tiles if not t.finished(job.folder)]
    done = len(tiles) - len(todo)
    if progress:
        progress(done, len(tiles))
    results: list[TileResult] = []
    if client is None:
        outcomes: Iterable[TileResult] = (run_tile(job, t) for t in todo)
    else:
        from distributed import as_completed

        futures = [client.submit(run_tile, job, t, pure=False) for t in todo]
        finished = as_completed(futures)  # type: ignore[no-untyped-call]
        outcomes = (future.result() for future in finished)
    for result in outcomes:
        results.append(result)
        done += 1
        if progress:
            progress(done, len(tiles))
    for stale in Path(job.folder).glob(".work-*"):  # left by killed workers
        shutil.rmtree(stale, ignore_errors=True)
    return results
