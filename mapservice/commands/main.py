"""The ``minfastighet`` command line: one click group, one module per subcommand.

Every subcommand reports bad input as a one-line message and a non-zero exit, never a traceback.
A subcommand's module is imported only when that subcommand runs (as pip does): the group's
help lists the commands from :data:`COMMANDS` without importing any, so ``minfastighet --help``
starts at once; tests/test_startup.py checks that each summary is its command's own.
"""

from __future__ import annotations

import importlib
from typing import NamedTuple

import click


class CommandInfo(NamedTuple):
    """Where a subcommand lives and the first paragraph of its help."""

    module: str
    name: str
    summary: str


#: The subcommands by name.
COMMANDS = {
    "batch": CommandInfo(
        "mapservice.commands.batch",
        "batch_command",
        "Write the key figures of every property's report in a kommun to OUT.",
    ),
    "catalog": CommandInfo(
        "mapservice.commands.catalog", "catalog", "The STAC catalog of solar maps."
    ),
    "check-building": CommandInfo(
        "mapservice.commands.check_building",
        "check_building_command",
        "Check a planned building on a property against the plan, the bygglov rules and the sun.",
    ),
    "check-buildings": CommandInfo(
        "mapservice.commands.check_building",
        "check_buildings_command",
        "Check a layer of proposed buildings (GeoPackage, GeoJSON or CSV) into OUT (.csv, .gpkg).",
    ),
    "db": CommandInfo(
        "mapservice.commands.db",
        "db",
        "The PostGIS vector store: create or upgrade its schema, load a GeoPackage into it.",
    ),
    "find": CommandInfo(
        "mapservice.commands.find",
        "find_command",
        "Find properties by designation or address (QUERY) or by point (--at X Y).",
    ),
    "import": CommandInfo(
        "mapservice.commands.import_layer",
        "import_command",
        "Import LAYER (parcels, addresses, buildings, plans, plan_uses, plan_rules) from FILE "
        "(GeoPackage, GeoJSON, Shapefile or GeoParquet) into the configured store (the GeoPackage "
        "in the data directory, or the PostGIS database of MINFASTIGHET_VECTOR_DSN), atomically.",
    ),
    "report": CommandInfo(
        "mapservice.commands.report",
        "report_command",
        "Write the report of a property, given by its id or its designation.",
    ),
    "sample-data": CommandInfo(
        "mapservice.commands.sample_data",
        "sample_data",
        "Build a realistic, fictitious neighbourhood in Sundsvall into OUT.",
    ),
    "surface": CommandInfo(
        "mapservice.commands.surface",
        "surface_command",
        "Make the 0.5 m surface (DSM) and terrain (DTM) models from laser tiles or grids into OUT.",
    ),
    "kommun": CommandInfo(
        "mapservice.commands.kommun",
        "kommun_group",
        "Build a municipality's data directory from its national deliveries.",
    ),
    "serve": CommandInfo(
        "mapservice.commands.serve",
        "serve",
        "Serve Min fastighet (waitress or gunicorn); settings from MINFASTIGHET_* variables.",
    ),
    "solar-map": CommandInfo(
        "mapservice.commands.solar_map",
        "solar_map",
        "Compute the annual irradiation (kWh/m²·year) on every pixel of DSM into OUT.",
    ),
}


class LazyGroup(click.Group):
    """A group whose subcommands are imported from :data:`COMMANDS` when they are used."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        info = COMMANDS.get(cmd_name)
        if info is None:
            return None
        command: click.Command = getattr(importlib.import_module(info.module), info.name)
        return command

    def invoke(self, ctx: click.Context) -> object:
        """Run the subcommand; a file it cannot read or write, or an error of the service's
        families that it let through, becomes a one-line message and exit status 1."""
        try:
            return super().invoke(ctx)
        except click.ClickException:
            raise
        except OSError as err:
            raise click.ClickException(os_message(err)) from err
        except Exception as err:
            if isinstance(err, _families()):
                raise click.ClickException(str(err)) from err
            raise

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        limit = formatter.width - 6 - max(len(name) for name in COMMANDS)
        rows = [
            (name, click.Command(name, help=info.summary).get_short_help_str(limit))
            for name, info in sorted(COMMANDS.items())
        ]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


def os_message(err: OSError) -> str:
    """One line for a file the operating system refused: the path, then the reason.

    >>> os_message(FileNotFoundError(2, "No such file or directory", "/no/x.pdf"))
    'cannot use /no/x.pdf: No such file or directory'
    >>> os_message(OSError("disk full"))
    'disk full'
    """
    if err.filename is None:
        return str(err)
    return f"cannot use {err.filename}: {err.strerror or type(err).__name__}"


def _families() -> tuple[type[Exception], ...]:
    """The service's exception families (imported only when a command has failed)."""
    from data.errors import SampleDataError
    from layers.errors import LayerError
    from mapservice import ConfigError
    from solar.errors import SolarError

    return (SampleDataError, LayerError, SolarError, ConfigError)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="minfastighet")
def main() -> None:
    """Min fastighet: property reports from cadastre, detaljplaner and the solar map."""


if __name__ == "__main__":
    main()
