"""Batch reports: the key figures of every property of a kommun, partitioned in space.

:func:`plan_partitions` lists a kommun's properties and groups them into square cells of a
grid (by each property's representative point), so a task opens only the solar map tiles
under its own cell. :func:`run_partition` builds the :func:`~mapservice.report.build_report`
of each property of one cell and keeps its key figures (:mod:`.key_figures`). :func:`run_batch`
runs the partitions in this process or on Dask (a ``LocalCluster``, or any ``dask.distributed``
scheduler), writes each finished partition atomically under ``<out>.parts/`` (a rerun skips
them) and joins them, in partition order, into one GeoParquet, GeoPackage or CSV file. The
same partitions give the same rows wherever they run.

>>> cell_key(617_250.0, 6_920_900.0, 1000.0)
'617000_6920000'
>>> output_format("reports.parquet"), output_format("r.GPKG"), output_format("r.csv")
('parquet', 'gpkg', 'csv')
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import geopandas as gpd
import pandas as pd
import shapely

from layers import LayerStore, open_store
from mapservice.analysis.key_figures import COLUMNS, DTYPES, key_figures
from mapservice.report import OwnerChoices, ReportSources, build_report
from mapservice.settings import Settings
from sweref import STORAGE_CRS, SWEDEN_BOUNDS, Bounds

if TYPE_CHECKING:
    from distributed import Client

__all__ = [
    "COLUMNS",
    "DTYPES",
    "BatchError",
    "Partition",
    "cell_key",
    "key_figures",
    "output_format",
    "plan_partitions",
    "read_partitions",
    "run_batch",
    "run_partition",
]

#: Side of the partition grid's cells (m): a few solar map tiles per task at most.
CELL_M = 1000.0
#: The output formats, by file name extension.
FORMATS = {".parquet": "parquet", ".geoparquet": "parquet", ".gpkg": "gpkg", ".csv": "csv"}


class BatchError(ValueError):
    """The batch cannot run as asked (no such kommun, an unknown output format …)."""


@dataclass(frozen=True)
class Partition:
    """The properties of one grid cell: ``key`` names the cell, ``bounds`` their extent."""

    key: str
    bounds: tuple[float, float, float, float]
    unit_ids: tuple[str, ...]


def cell_key(x: float, y: float, cell_m: float = CELL_M) -> str:
    """The name of the grid cell holding a point: its lower-left corner in metres."""
    return f"{math.floor(x / cell_m) * cell_m:.0f}_{math.floor(y / cell_m) * cell_m:.0f}"


def output_format(path: str | os.PathLike) -> str:
    """``parquet``, ``gpkg`` or ``csv`` from a file name; BatchError for anything else."""
    fmt = FORMATS.get(Path(path).suffix.lower())
    if fmt is None:
        raise BatchError(f"{Path(path).name}: the output must end in .parquet, .gpkg or .csv")
    return fmt


def _boxes(store: LayerStore, box: Bounds, limit: int) -> Iterator[Bounds]:
    """Boxes that each hold at most ``limit`` properties: a box with more is split in four.

    A probe one past the limit reads no geometry, so no box is ever paged with an offset (a
    kommun's 100 000 properties in offset pages cost minutes; in boxes, seconds).
    """
    minx, miny, maxx, maxy = box
    if not store.properties_in_bounds(box, 1, limit).items or maxx - minx < 1.0:
        yield box
        return
    midx, midy = (minx + maxx) / 2, (miny + maxy) / 2
    for quarter in (
        (minx, miny, midx, midy),
        (midx, miny, maxx, midy),
        (minx, midy, midx, maxy),
        (midx, midy, maxx, maxy),
    ):
        yield from _boxes(store, quarter, limit)


def _properties(store: LayerStore, kommunkod: str) -> Iterator:
    """Every property of a kommun once: from the box holding its representative point."""
    limit = store.max_items
    for box in _boxes(store, SWEDEN_BOUNDS, limit):  # Sweden, then smaller
        minx, miny, maxx, maxy = box
        offset = 0
        while True:  # more than one page only in a box under a metre across
            page = store.properties_in_bounds(box, limit, offset)
            for prop in page.items:
                point = prop.geometry.representative_point()
                if (
                    prop.kommunkod == kommunkod
                    and minx <= point.x < maxx
                    and miny <= point.y < maxy
                ):
                    yield prop
            if not page.has_more:
                break
            offset += limit


def plan_partitions(store: LayerStore, kommunkod: str, cell_m: float = CELL_M) -> list[Partition]:
    """The kommun's properties grouped by grid cell, cells and ids in a fixed order.

    Raises
    ------
    BatchError
        The store holds no property of this kommun.
    """
    cells: dict[str, list] = {}
    for prop in _properties(store, kommunkod):
        point = prop.geometry.representative_point()
        cells.setdefault(cell_key(point.x, point.y, cell_m), []).append(prop)
    if not cells:
        raise BatchError(f"the store holds no property of kommun {kommunkod}")
    partitions = []
    for key in sorted(cells):
        props = sorted(cells[key], key=lambda p: p.unit_id)
        minx, miny, maxx, maxy = (
            float(b) for b in shapely.total_bounds([p.geometry for p in props])
        )
        partitions.append(Partition(key, (minx, miny, maxx, maxy), tuple(p.unit_id for p in props)))
    return partitions


@dataclass(frozen=True)
class Job:
    """Where a partition's reports are read from: plain paths, so it pickles to a worker."""

    vector_store: str
    vector_path: str
    data_dir: str
    solar_catalog: str | None
    max_items: int = 10_000

    @classmethod
    def from_settings(cls, settings: Settings) -> Job:
        catalog = settings.solar_catalog_path
        return cls(
            settings.vector_store,
            settings.vector_location,
            str(settings.data_dir),
            str(catalog) if catalog.is_file() else None,
            settings.max_items,
        )

    def sources(self, bounds: Bounds) -> ReportSources:
        """The report sources with only the solar map tiles under ``bounds`` opened."""
        return ReportSources.open(
            self.vector_store,
            self.vector_path,
            self.data_dir,
            self.solar_catalog or os.devnull,
            self.max_items,
            solar_bounds=bounds,
        )


def run_partition(job: Job, partition: Partition) -> gpd.GeoDataFrame:
    """The key figures of one partition's properties, with their geometry (EPSG:3006)."""
    rows, geometries = [], []
    with job.sources(partition.bounds) as sources:
        for unit_id in partition.unit_ids:
            report = build_report(sources, unit_id, OwnerChoices())
            rows.append(key_figures(report))
            geometries.append(report.property.geometry)
    table = pd.DataFrame(rows, columns=list(COLUMNS)).astype(DTYPES)
    return gpd.GeoDataFrame(table, geometry=geometries, crs=STORAGE_CRS)


def parts_dir(out: str | os.PathLike) -> Path:
    """Where the finished partitions of ``out`` are kept: ``<out>.parts/`` beside it."""
    out = Path(out)
    return out.with_name(out.name + ".parts")


def _part_path(folder: Path, partition: Partition) -> Path:
    return folder / f"part-{partition.key}.parquet"


def _write_part(folder: Path, partition: Partition, frame: gpd.GeoDataFrame) -> None:
    """Write a partition so that it is either complete or absent (rename is atomic)."""
    final = _part_path(folder, partition)
    tmp = final.with_name(f".{final.name}.{os.getpid()}.tmp")
    frame.to_parquet(tmp, index=False)
    os.replace(tmp, final)


def read_partitions(folder: str | os.PathLike, partitions: Iterable[Partition]) -> gpd.GeoDataFrame:
    """The finished partitions joined in the given order."""
    frames = [gpd.read_parquet(_part_path(Path(folder), p)) for p in partitions]
    return gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs=STORAGE_CRS)


#: ``progress(done, total)``: properties finished (or skipped) so far, of all.
Progress = Callable[[int, int], None]


def _run_local(
    job: Job, todo: list[Partition], folder: Path, advance: Callable[[int], None]
) -> None:
    for partition in todo:
        _write_part(folder, partition, run_partition(job, partition))
        advance(len(partition.unit_ids))


def _run_dask(
    job: Job, todo: list[Partition], folder: Path, advance: Callable[[int], None], client: Client
) -> None:
    from distributed import as_completed

    futures = {client.submit(run_partition, job, p, pure=False): p for p in todo}
    for future in as_completed(futures):
        partition = futures[future]
        _write_part(folder, partition, future.result())
        advance(len(partition.unit_ids))


def run_batch(
    settings: Settings,
    kommunkod: str,
    out: str | os.PathLike,
    client: Client | None = None,
    cell_m: float = CELL_M,
    progress: Progress | None = None,
) -> gpd.GeoDataFrame:
    """Write the key figures of every property of ``kommunkod`` to ``out`` and return them.

    ``client`` is a :class:`distributed.Client` to run the partitions on, or None to run them
    in this process. Partitions already finished under :func:`parts_dir` are not run again;
    ``progress(done, total)`` is called with the properties finished so far (skipped
    partitions count as finished) after each partition.

    Raises
    ------
    BatchError
        An unknown output format, or no property of this kommun in the store.
    """
    fmt = output_format(out)
    job = Job.from_settings(settings)
    with open_store(job.vector_store, job.vector_path, job.max_items) as store:
        partitions = plan_partitions(store, kommunkod, cell_m)
    folder = parts_dir(out)
    folder.mkdir(parents=True, exist_ok=True)
    todo = [p for p in partitions if not _part_path(folder, p).is_file()]
    total = sum(len(p.unit_ids) for p in partitions)
    done = [total - sum(len(p.unit_ids) for p in todo)]

    def advance(n: int) -> None:
        done[0] += n
        if progress is not None:
            progress(done[0], total)

    advance(0)
    if client is None:
        _run_local(job, todo, folder, advance)
    else:
        _run_dask(job, todo, folder, advance, client)
    frame = read_partitions(folder, partitions)
    write_output(frame, out, fmt)
    return frame


def write_output(frame: gpd.GeoDataFrame, out: str | os.PathLike, fmt: str) -> None:
    """Write the joined key figures; the file appears only when complete."""
    out = Path(out)
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp{out.suffix}")
    if fmt == "parquet":
        frame.to_parquet(tmp, index=False)
    elif fmt == "gpkg":
        frame.to_file(tmp, layer="reports", driver="GPKG", engine="pyogrio")
    else:
        table = pd.DataFrame(frame.drop(columns="geometry"))
        table["geometry_wkt"] = frame.geometry.to_wkt()
        table.to_csv(tmp, index=False)
    os.replace(tmp, out)
