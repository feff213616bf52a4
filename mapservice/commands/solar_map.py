"""``minfastighet solar-map``: compute a solar map from a surface model."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from solar.climate import CLEAR_SKY, Climate, read_climate
from solar.errors import SolarError
from solar.model import SolarModel

DEFAULTS = SolarModel()
#: Output tiles of a job over many surface tiles: Lantmäteriet's 2.5 km grid.
TILE_M = 2500.0


def _climate(value: str | None) -> Climate:
    if value is None:
        return DEFAULTS.climate
    if value == "clear-sky":
        return CLEAR_SKY
    return read_climate(value)


@click.command("solar-map")
@click.option(
    "--dsm",
    required=True,
    help="Surface model: a raster GDAL reads (heights in m), a VRT, or a folder or glob "
    "pattern of tiles on one grid (one mosaic; shadows cross the tiles' edges).",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    required=True,
    help="Cloud-Optimized GeoTIFF to write (replaced only on success); with "
    "--tile-size, the folder for the tiles.",
)
@click.option(
    "--tile-size",
    "tile_m",
    type=float,
    help="Write one COG per tile of this many metres (e.g. 2500), aligned to the "
    "CRS's grid; shadows still cross tile edges.",
)
@click.option(
    "--buildings",
    type=click.Path(exists=True, path_type=Path),
    help="Building footprints: compute roofs only, nodata elsewhere.",
)
@click.option("--layer", help="Layer of --buildings (default: 'buildings', else the first).")
@click.option(
    "--climate",
    help="PVGIS TMY (.json/.csv), EPW or UMEP/SUEWS forcing file (with kdiff), or 'clear-sky'. "
    "Default: the Sundsvall climatology shipped with the project.",
)
@click.option(
    "--step",
    "step_minutes",
    type=float,
    default=DEFAULTS.step_minutes,
    show_default=True,
    help="Time step of the sun's path, minutes.",
)
@click.option(
    "--directions",
    type=int,
    default=DEFAULTS.directions,
    show_default=True,
    help="Horizon directions per pixel.",
)
@click.option(
    "--margin",
    "margin_m",
    type=float,
    default=DEFAULTS.margin_m,
    show_default=True,
    help="How far (m) shadows are looked for; the overlap between blocks.",
)
@click.option(
    "--albedo", type=float, default=DEFAULTS.albedo, show_default=True, help="Ground reflectance."
)
@click.option(
    "--sky-diffuse",
    type=click.Choice(["haydavies", "isotropic"]),
    default=DEFAULTS.sky_diffuse,
    show_default=True,
    help="Sky diffuse model.",
)
@click.option(
    "--year", type=int, default=DEFAULTS.year, show_default=True, help="Year of the sun positions."
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    help="Run the tiles on a Dask LocalCluster of this many worker processes "
    "(default for a folder or pattern: 1).",
)
@click.option(
    "--scheduler",
    help="Run the tiles on this running dask.distributed scheduler (tcp://host:port); the "
    "workers must see --dsm, --buildings and --out at the same paths.",
)
@click.option("--scan-date", help="Date of the laser scan (YYYY-MM-DD), recorded in the map.")
@click.option(
    "--catalog",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also catalogue the map in this STAC catalog.json (needs --scan-date).",
)
def solar_map(
    dsm: str,
    out: Path,
    tile_m: float | None,
    buildings: Path | None,
    layer: str | None,
    climate: str | None,
    scan_date: str | None,
    catalog: Path | None,
    workers: int | None,
    scheduler: str | None,
    **parameters: Any,
) -> None:
    """Compute the annual irradiation (kWh/m²·year) on every pixel of DSM into OUT."""
    if catalog and not scan_date:
        raise click.UsageError("--catalog needs --scan-date (the date of the laser scan)")
    from mapservice import load_settings
    from solar.jit import use_cache_dir

    # solar-map reads no data directory: only the kernels' cache folder is taken from the
    # settings (the environment), so a machine without a served data set can run it.
    use_cache_dir(load_settings({"data_dir": "."}).numba_cache_dir)  # before the kernels
    from solar.mosaic import surface_files
    from solar.solar_map import compute_solar_map, compute_solar_tiles

    try:
        model = SolarModel(climate=_climate(climate), **parameters)
        files = surface_files(dsm)
        if len(files) > 1 or workers or scheduler:
            from mapservice.commands.solar_job import run_map_job

            job = (model, buildings, layer, scan_date, catalog)
            run_map_job(dsm, out, tile_m or TILE_M, job, workers, scheduler)
            return
        dsm_file = files[0]
        with click.progressbar(length=1, label="solar map", file=sys.stderr, show_pos=True) as bar:

            def progress(done: int, total: int) -> None:
                bar.length = total
                bar.update(done - bar.pos)

            if tile_m:
                results = compute_solar_tiles(
                    dsm_file,
                    out,
                    tile_m,
                    buildings=buildings,
                    model=model,
                    layer=layer,
                    progress=progress,
                    scan_date=scan_date,
                )
            else:
                results = [
                    compute_solar_map(
                        dsm_file,
                        out,
                        buildings=buildings,
                        model=model,
                        layer=layer,
                        progress=progress,
                        scan_date=scan_date,
                    )
                ]
        if catalog is not None and scan_date is not None:  # --catalog needs --scan-date (above)
            from solar.catalog import add_to_catalog  # pystac: only when cataloguing

            for result in results:
                add_to_catalog(
                    catalog,
                    result.path,
                    scan_date,
                    source=f"computed from {dsm_file.name}",
                    parameters=result.parameters,
                )
    except SolarError as err:
        raise click.ClickException(str(err)) from err
    except OSError as err:
        raise click.ClickException(f"could not write {out}: {err}") from err
    for result in results:
        click.echo(
            f"Wrote {result.path}: {result.pixels:,} pixels, mean {result.mean:.0f} "
            f"kWh/m²·year ({result.minimum:.0f}–{result.maximum:.0f}) in "
            f"{result.seconds:.1f} s."
        )
