"""``minfastighet db``: the PostGIS store's schema (init, upgrade) and loading it (copy-from)."""

from __future__ import annotations

from pathlib import Path

import click

from mapservice import load_settings


def _dsn() -> str:
    settings = load_settings()
    if settings.vector_store != "postgis":
        raise click.ClickException(
            "the vector store is not PostGIS; set MINFASTIGHET_VECTOR_STORE=postgis and "
            "MINFASTIGHET_VECTOR_DSN=postgresql://user@host/db"
        )
    return settings.vector_location


def _migrate(verb: str) -> None:
    from layers import LayerError
    from layers.postgis.migrations import VERSION, upgrade

    try:
        applied = upgrade(_dsn())
    except LayerError as err:
        raise click.ClickException(str(err)) from err
    done = ", ".join(map(str, applied)) if applied else "none (already current)"
    click.echo(f"{verb}: schema version {VERSION}; migrations applied: {done}")


@click.group("db")
def db() -> None:
    """The PostGIS vector store: create or upgrade its schema, load a GeoPackage into it."""


@db.command("init")
def init() -> None:
    """Create the schema in the database MINFASTIGHET_VECTOR_DSN names (idempotent)."""
    _migrate("init")


@db.command("upgrade")
def upgrade_command() -> None:
    """Apply the schema migrations the database lacks."""
    _migrate("upgrade")


@db.command("copy-from")
@click.argument("gpkg", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def copy_from(gpkg: Path) -> None:
    """Copy every layer of the GeoPackage store GPKG (the sample's included) into PostGIS,
    one atomic swap per layer, with its import records."""
    from layers import LayerError
    from layers.postgis.copy import copy_from_geopackage
    from layers.postgis.store import PostGISStore

    dsn = _dsn()
    try:
        with PostGISStore(dsn, writable=True) as store:
            copied = copy_from_geopackage(gpkg, store, lambda m: click.echo(f"  {m}", err=True))
    except LayerError as err:
        raise click.ClickException(str(err)) from err
    for layer, count in copied.items():
        click.echo(f"{layer}: {count} features")
