"""``minfastighet surface``: the surface and terrain models from laser tiles or ready grids."""

from __future__ import annotations

import json
from pathlib import Path

import click


@click.command("surface")
@click.option(
    "--laz",
    "sources",
    multiple=True,
    required=True,
    type=click.Path(exists=True, path_type=Path),
    help="LAS/LAZ tiles or GeoTIFF grids (DSM/DTM in the name), or folders of them; repeatable.",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Folder to write dsm.tif and dtm.tif into (each replaced only when complete).",
)
@click.option(
    "--buildings",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Building footprints (layer 'buildings' or the first), for tiles without building class.",
)
@click.option(
    "--resolution", type=float, default=0.5, show_default=True, help="Cell size in metres."
)
@click.option("--json", "as_json", is_flag=True, help="Print what was written as JSON.")
def surface_command(
    sources: tuple[Path, ...],
    out: Path,
    buildings: Path | None,
    resolution: float,
    as_json: bool,
) -> None:
    """Make the 0.5 m surface (DSM) and terrain (DTM) models from laser tiles or grids into OUT.

    Point clouds as Lantmäteriet delivers them (LAZ, SWEREF 99 TM, RH 2000) give both models:
    noise classes and stray returns are dropped, the highest return makes the DSM and the lowest
    ground return the DTM, gaps are filled. Ready grids in SWEREF 99 TM or a local zone are
    taken as they are (reprojected to SWEREF 99 TM). Both are written as Cloud-Optimized
    GeoTIFFs in EPSG:3006 with RH 2000 in their metadata.
    """
    from solar.delivery import surface_from_delivery
    from solar.errors import SolarError
    from solar.gapfill import SurfaceOptions

    say = (lambda _line: None) if as_json else click.echo
    try:
        result = surface_from_delivery(
            sources, out, buildings, SurfaceOptions(resolution_m=resolution), say
        )
    except SolarError as err:
        raise click.ClickException(str(err)) from err
    except OSError as err:
        raise click.ClickException(f"could not write into {out}: {err.strerror}") from err
    if as_json:
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
        return
    dtm = f" and {result.dtm.name}" if result.dtm else ""
    click.echo(
        f"wrote {result.dsm.name}{dtm} into {out}: {result.resolution} m cells over "
        f"{_km2(result.bounds):.2f} km² in {result.crs}, heights in {result.vertical_datum}"
    )


def _km2(bounds: tuple[float, float, float, float]) -> float:
    return (bounds[2] - bounds[0]) * (bounds[3] - bounds[1]) / 1e6
