"""``minfastighet batch``: the key figures of every property of a kommun, on Dask."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from layers import LayerError
from mapservice import ConfigError, load_settings
from solar import SolarError

if TYPE_CHECKING:
    from click._termui_impl import ProgressBar
    from distributed import Client


@click.command("batch")
@click.option(
    "--kommun",
    "kommunkod",
    required=True,
    metavar="KOD",
    help="Kommunkod, four digits (2281 = Sundsvall).",
)
@click.option(
    "--out",
    "-o",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Output file: .parquet (GeoParquet), .gpkg or .csv. Finished partitions "
    "are kept in OUT.parts/ and skipped by a rerun.",
)
@click.option(
    "--scheduler",
    default=None,
    metavar="ADDRESS",
    help="An existing dask.distributed scheduler (tcp://host:8786). Default: a local cluster.",
)
@click.option(
    "--workers",
    default=2,
    show_default=True,
    type=click.IntRange(1, 256),
    help="Worker processes of the local cluster.",
)
@click.option(
    "--single-process", is_flag=True, help="Run every partition in this process, without Dask."
)
def batch_command(
    kommunkod: str, out: Path, scheduler: str | None, workers: int, single_process: bool
) -> None:
    """Write the key figures of every property's report in a kommun to OUT."""
    if not (len(kommunkod) == 4 and kommunkod.isdigit()):
        raise click.BadParameter("a kommunkod is four digits, such as 2281", param_hint="--kommun")
    if scheduler and single_process:
        raise click.UsageError("--scheduler and --single-process exclude each other")
    from mapservice.analysis.batch import BatchError, output_format, run_batch

    try:
        output_format(out)
        settings = load_settings()
        with _client(scheduler, workers, single_process) as client, _Bar() as bar:
            frame = run_batch(settings, kommunkod, out, client, progress=bar)
    except (BatchError, LayerError, SolarError, ConfigError, OSError) as err:
        raise click.ClickException(str(err)) from err
    click.echo(f"Wrote {out} ({len(frame):,} properties).", err=True)


class _Bar:
    """A progress bar on standard error, made once the total is known."""

    def __init__(self) -> None:
        self.bar: ProgressBar[int] | None = None

    def __call__(self, done: int, total: int) -> None:
        if self.bar is None:
            self.bar = click.progressbar(
                length=total, label="properties", show_pos=True, show_percent=True, file=sys.stderr
            )
            self.bar.__enter__()
        self.bar.update(done - self.bar.pos)

    def __enter__(self) -> _Bar:
        return self

    def __exit__(self, *exc: Any) -> None:
        if self.bar is not None:
            self.bar.__exit__(*exc)


@contextlib.contextmanager
def _client(scheduler: str | None, workers: int, single_process: bool) -> Iterator[Client | None]:
    if single_process:
        yield None
        return
    from distributed import Client, LocalCluster

    if scheduler:
        with Client(scheduler) as client:
            yield client
        return
    with (
        LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        Client(cluster) as client,
    ):
        yield client
