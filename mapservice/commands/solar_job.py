"""``minfastighet solar-map`` over many surface tiles: the job on Dask, its progress and summary."""

from __future__ import annotations

import sys
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import click

from solar.model import SolarModel

#: The job's options as the command passes them: model, buildings, layer, scan date, catalog.
JobOptions = tuple[SolarModel, Path | None, str | None, str | None, Path | None]


def _client(stack: ExitStack, workers: int | None, scheduler: str | None) -> Any:
    """A client of ``scheduler``, else of a LocalCluster of ``workers`` processes, each with
    its share of the cores for numba's threads (an existing cluster's workers set
    NUMBA_NUM_THREADS in their own environment)."""
    import os

    from distributed import Client, LocalCluster

    from solar.jit import worker_threads

    if scheduler:
        return stack.enter_context(Client(scheduler, timeout="30s"))
    threads = worker_threads(os.cpu_count(), workers or 1)
    cluster = stack.enter_context(
        LocalCluster(
            n_workers=workers or 1,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            env={"NUMBA_NUM_THREADS": str(threads)},
        )
    )
    return stack.enter_context(Client(cluster))


def run_map_job(
    dsm: str,
    out: Path,
    tile_m: float,
    options: JobOptions,
    workers: int | None,
    scheduler: str | None,
) -> None:
    """Plan the job of ``dsm`` into the folder ``out``, run it on Dask and print its summary."""
    from solar.catalog import add_to_catalog
    from solar.map_job import plan_job, run_job

    model, buildings, layer, scan_date, catalog = options
    if not scan_date:
        raise click.UsageError("a solar map in tiles needs --scan-date: it dates each STAC item")
    job, tiles = plan_job(dsm, out, tile_m, scan_date, model, buildings, layer)
    with ExitStack() as stack:
        client = _client(stack, workers, scheduler)
        with click.progressbar(
            length=max(1, len(tiles)), label="solar map tiles", file=sys.stderr, show_pos=True
        ) as bar:

            def progress(done: int, total: int) -> None:
                bar.update(done - bar.pos)

            results = run_job(job, tiles, client, progress)
    if catalog is not None:
        for tile in tiles:
            if tile.cog(out).is_file():
                source = f"computed from {job.parameters['surface_model']}"
                add_to_catalog(catalog, tile.cog(out), scan_date, source, tile.name, job.parameters)
    written = [r for r in results if r.pixels]
    peak = max((r.peak_rss_mib for r in results), default=0.0)
    click.echo(
        f"{len(tiles)} output tiles in {out}: {len(written)} written now, "
        f"{len(tiles) - len(results)} finished before; "
        f"{sum(r.pixels for r in results):,} pixels in {sum(r.seconds for r in results):.1f} "
        f"worker-seconds; peak memory per worker {peak:.0f} MiB."
    )
