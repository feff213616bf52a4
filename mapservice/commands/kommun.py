"""``minfastighet kommun build``: a kommun's national deliveries → the data directory served."""

from __future__ import annotations

from pathlib import Path

import click


@click.group("kommun")
def kommun_group() -> None:
    """Build a municipality's data directory from its national deliveries."""


@kommun_group.command("build")
@click.option("--kommun", "kommunkod", required=True, help="Kommunkod, e.g. 2281.")
@click.option(
    "--from",
    "delivery",
    required=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Folder of the delivered files (Fastighetsindelning, Byggnad, Belägenhetsadress, "
    "detaljplaner, laser tiles or grids).",
)
@click.option(
    "--out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="The data directory to write (swapped in when complete).",
)
@click.option("--update", is_flag=True, help="Replace an existing data directory atomically.")
@click.option("--scan-date", default=None, help="Date of the laser scan (YYYY-MM-DD).")
def build_command(
    kommunkod: str, delivery: Path, out: Path, update: bool, scan_date: str | None
) -> None:
    """Read, validate and link the deliveries in FROM, compute the solar map, write OUT."""
    from mapservice.kommun.build import build_kommun
    from mapservice.kommun.work import REPORT_HTML, BuildRefused
    from solar import SolarError

    try:
        build = build_kommun(
            delivery,
            out,
            kommunkod,
            update=update,
            say=lambda m: click.echo(f"  {m}", err=True),
            scan_date=scan_date,
        )
    except (BuildRefused, SolarError) as err:
        raise click.ClickException(str(err)) from err
    except OSError as err:
        raise click.ClickException(f"could not write {out}: {err}") from err
    total = sum(build.timings.values())
    click.echo(
        f"Wrote kommun {kommunkod} to {out} in {total:.1f} s; validation report: "
        f"{out / REPORT_HTML}"
    )
