"""``minfastighet report``: the owner's property report as JSON, HTML or PDF."""

from __future__ import annotations

import json
import sys
import uuid
from pathlib import Path
from typing import TYPE_CHECKING

import click

from layers import LayerError
from mapservice import ConfigError, load_settings
from solar import SolarError

if TYPE_CHECKING:
    from mapservice.report import ReportSources
    from mapservice.settings import Settings


@click.command("report")
@click.argument("property_", metavar="ID_OR_DESIGNATION", nargs=-1, required=True)
@click.option(
    "--format", "fmt", type=click.Choice(["json", "html", "pdf"]), default="json", show_default=True
)
@click.option(
    "--lang",
    type=click.Choice(["sv", "en"]),
    default="sv",
    show_default=True,
    help="Language of the report: the texts of the JSON, the HTML and the PDF.",
)
@click.option(
    "--out",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="File to write (default: standard output; a PDF needs --out or a pipe).",
)
def report_command(property_: tuple[str, ...], fmt: str, lang: str, out: Path | None) -> None:
    """Write the report of a property, given by its id or its designation."""
    key = " ".join(property_).strip()
    if fmt == "pdf" and out is None and sys.stdout.isatty():
        raise click.UsageError("a PDF goes to a file: give --out FILE or pipe the output")
    if out is not None and not out.absolute().parent.is_dir():
        raise click.BadParameter(f"{out.parent} is not a folder", param_hint="--out")
    from mapservice.report import ReportSources

    try:
        settings = load_settings()
        with ReportSources.from_settings(settings) as sources:
            body = _render(sources, key, fmt, lang, settings)
    except (LayerError, SolarError, ConfigError) as err:
        raise click.ClickException(str(err)) from err
    if out is None:
        sys.stdout.buffer.write(body)
        sys.stdout.buffer.flush()
    else:
        out.write_bytes(body)
        click.echo(f"Wrote {out} ({len(body):,} bytes).", err=True)


def _unit(sources: ReportSources, key: str) -> str:
    """The register unit id ``key`` is (a UUID), or the one of the property it designates."""
    try:
        return str(uuid.UUID(key))
    except ValueError:
        return sources.store.find_property(key).unit_id


def _render(sources: ReportSources, key: str, fmt: str, lang: str, settings: Settings) -> bytes:
    unit = _unit(sources, key)
    if fmt == "html":
        # the very page the service serves, rendered by the app itself
        from mapservice import create_app

        client = create_app(settings).test_client()
        response = client.get(f"/fastighet/{unit}?lang={lang}")
        if response.status_code != 200:
            raise click.ClickException(response.get_data(as_text=True)[:200])
        return response.get_data()
    from mapservice.report import build_report

    result = build_report(sources, unit)
    if fmt == "json":
        return (json.dumps(result.to_dict(lang), ensure_ascii=False, indent=2) + "\n").encode()
    from mapservice.report.pdf import report_pdf

    return report_pdf(result, lang, sources.solar_map).getvalue()
