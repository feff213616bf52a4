"""``minfastighet catalog``: the STAC catalog of solar maps (add, list, validate)."""

from __future__ import annotations

from pathlib import Path

import click

from mapservice.settings import DEFAULT_DATA_DIR
from solar import SolarError

DEFAULT_CATALOG = DEFAULT_DATA_DIR / "stac" / "catalog.json"

catalog_option = click.option(
    "--catalog",
    "catalog_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=DEFAULT_CATALOG,
    show_default=True,
    help="The STAC catalog.json of solar maps.",
)


@click.group("catalog")
def catalog() -> None:
    """The STAC catalog of solar maps."""


@catalog.command("add")
@click.argument(
    "rasters", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@catalog_option
@click.option("--scan-date", required=True, help="Date of the laser scan (YYYY-MM-DD).")
@click.option(
    "--to-3006", "to_storage_crs", is_flag=True, help="Reproject to SWEREF 99 TM (EPSG:3006)."
)
@click.option(
    "--unit",
    help="Unit of the values when the file does not say (kWh/m2, Wh/m2, "
    "MJ/m2); default: the file's unit tag, else kWh/m2.",
)
@click.option(
    "--assets",
    type=click.Path(file_okay=False, path_type=Path),
    help="Where the converted COGs go (default: solar/ beside the catalog's folder).",
)
@click.option("--source", help="Where the maps come from (e.g. 'SOLEY, Sundsvalls kommun').")
def add(
    rasters: tuple[Path, ...],
    catalog_path: Path,
    scan_date: str,
    to_storage_crs: bool,
    unit: str | None,
    assets: Path | None,
    source: str | None,
) -> None:
    """Check, convert to COG and catalogue solar maps made elsewhere (SOLEY, UMEP SEBE …)."""
    from solar.ingest import import_solar_raster

    failed = 0
    for raster in rasters:
        try:
            tile = import_solar_raster(
                raster,
                catalog_path,
                scan_date,
                assets=assets,
                to_storage_crs=to_storage_crs,
                unit=unit,
                source=source,
            )
        except SolarError as err:
            failed += 1
            click.echo(f"Error: {raster}: {err}", err=True)
            continue
        click.echo(f"Added {tile.id} ({tile.crs}) from {raster.name}.")
    if failed:
        raise click.ClickException(f"{failed} of {len(rasters)} rasters were not added")


@catalog.command("list")
@catalog_option
def list_(catalog_path: Path) -> None:
    """List the catalogued solar maps."""
    from solar.catalog import list_tiles

    try:
        tiles = list_tiles(catalog_path)
    except SolarError as err:
        raise click.ClickException(str(err)) from err
    for tile in tiles:
        click.echo(f"{tile.id}\t{tile.scan_date}\t{tile.crs}\t{tile.source}")


@catalog.command("validate")
@catalog_option
@click.option(
    "--fetch-schemas", is_flag=True, help="Also fetch the extension schemas (needs the network)."
)
def validate(catalog_path: Path, fetch_schemas: bool) -> None:
    """Validate the catalog against the STAC JSON schemas."""
    from solar.catalog import validate_catalog

    try:
        skipped = validate_catalog(catalog_path, fetch=fetch_schemas)
    except SolarError as err:
        raise click.ClickException(str(err)) from err
    note = f" (extension schemas not fetched: {', '.join(skipped)})" if skipped else ""
    click.echo(f"{catalog_path} is valid STAC{note}.")
