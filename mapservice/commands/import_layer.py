"""``minfastighet import``: validate a file and swap it in as one layer of the store."""

from __future__ import annotations

import json
from contextlib import ExitStack
from pathlib import Path

import click

from layers import LayerError
from layers.import_report import ImportReport
from layers.schema import LAYER_SCHEMAS
from mapservice import ConfigError, load_settings


def _mapping(values: tuple[str, ...]) -> dict[str, str]:
    mapping = {}
    for value in values:
        source, sep, target = value.partition("=")
        if not sep or not source or not target:
            raise click.BadParameter(f"{value!r} is not SOURCE=TARGET", param_hint="--map")
        mapping[source] = target
    return mapping


@click.command("import")
@click.argument("layer", type=click.Choice(sorted(LAYER_SCHEMAS)))
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--crs", default=None, help="CRS of a file that declares none, e.g. EPSG:3006.")
@click.option("--source-layer", default=None, help="Layer to read from a multi-layer file.")
@click.option(
    "--map",
    "maps",
    multiple=True,
    metavar="SOURCE=TARGET",
    help="Map a source column onto a layer column (repeatable).",
)
@click.option(
    "--licence",
    default=None,
    help="The data's licence as its provider states it, e.g. 'CC0 1.0'; shown with "
    "the layer's information.",
)
@click.option("--dry-run", is_flag=True, help="Validate and report; write nothing.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Format of the validation report.",
)
def import_command(
    layer: str,
    file: Path,
    crs: str | None,
    source_layer: str | None,
    maps: tuple[str, ...],
    licence: str | None,
    dry_run: bool,
    fmt: str,
) -> None:
    """Import LAYER (parcels, addresses, buildings, plans, plan_uses, plan_rules) from FILE
    (GeoPackage, GeoJSON, Shapefile or GeoParquet) into the configured store (the GeoPackage
    in the data directory, or the PostGIS database of MINFASTIGHET_VECTOR_DSN), atomically."""
    from layers import open_store
    from layers.importer import import_layer

    try:
        settings = load_settings()
        with ExitStack() as stack:
            # A GeoPackage is created by its first import; a database must have its schema
            # ('minfastighet db init') and is written through the store's write side.
            target = (
                settings.vector_path
                if settings.vector_store == "geopackage"
                else stack.enter_context(
                    open_store(settings.vector_store, settings.vector_location, writable=True)
                )
            )
            report = import_layer(
                target,
                layer,
                file,
                crs=crs,
                source_layer=source_layer,
                mapping=_mapping(maps),
                dry_run=dry_run,
                progress=lambda m: click.echo(f"  {m}", err=True),
                licence=licence,
            )
    except LayerError as err:
        found = getattr(err, "report", None)
        if found is not None:
            click.echo(_render(found, fmt))
        raise click.ClickException(str(err)) from err
    except ConfigError as err:
        raise click.ClickException(str(err)) from err
    click.echo(_render(report, fmt))


def _render(report: ImportReport, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(report.to_dict() | {"ok": report.ok}, ensure_ascii=False, indent=2)
    return report.to_text()
