"""The ``minfastighet`` command line: one click group, one module per subcommand.

Every subcommand reports bad input as a one-line message and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import click

from mapservice.commands.batch import batch_command
from mapservice.commands.catalog import catalog
from mapservice.commands.find import find_command
from mapservice.commands.import_layer import import_command
from mapservice.commands.report import report_command
from mapservice.commands.sample_data import sample_data
from mapservice.commands.serve import serve
from mapservice.commands.solar_map import solar_map


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="minfastighet")
def main() -> None:
    """Min fastighet: property reports from cadastre, detaljplaner and the solar map."""


main.add_command(sample_data)
main.add_command(serve)
main.add_command(solar_map)
main.add_command(catalog)
main.add_command(find_command)
main.add_command(import_command)
main.add_command(report_command)
main.add_command(batch_command)


if __name__ == "__main__":
    main()
