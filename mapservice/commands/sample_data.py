"""``minfastighet sample-data``: build the fictitious sample municipality."""

from __future__ import annotations

import time
from pathlib import Path

import click

from data import IncompleteSample, SampleData, build_sample
from data.build import DEFAULT_SEED
from mapservice.settings import DEFAULT_DATA_DIR


@click.command("sample-data")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=DEFAULT_DATA_DIR,
              show_default=True, help="Directory to write the sample into (replaced on success).")
@click.option("--seed", type=int, default=DEFAULT_SEED, show_default=True,
              help="Random seed; the same seed gives byte-identical output.")
@click.option("--if-missing", is_flag=True,
              help="Do nothing if OUT already holds a complete sample of this version.")
def sample_data(out: Path, seed: int, if_missing: bool) -> None:
    """Build a realistic, fictitious neighbourhood in Sundsvall into OUT."""
    if if_missing:
        try:
            SampleData.open(out)
        except IncompleteSample:
            pass
        else:
            click.echo(f"{out} already holds the sample data; nothing to do.")
            return
    start = time.perf_counter()
    try:
        sample = build_sample(out, seed=seed, progress=lambda m: click.echo(f"  {m}", err=True))
    except OSError as err:
        raise click.ClickException(f"could not write the sample to {out}: {err}") from err
    counts = ", ".join(f"{n} {name}" for name, n in sample.manifest["layers"].items())
    click.echo(f"Wrote the sample municipality to {sample.directory} in "
               f"{time.perf_counter() - start:.1f} s: {counts}.")
