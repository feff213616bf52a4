"""``minfastighet find``: find properties by designation, address or point."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import click

from layers import LayerError
from mapservice import ConfigError, load_settings
from sweref import STORAGE_CRS

if TYPE_CHECKING:
    from layers.models import FindResult
    from layers.zoning import ZoningReport
    from mapservice.wording import Wording


@click.command("find")
@click.argument("query", nargs=-1)
@click.option(
    "--at",
    "at",
    nargs=2,
    type=float,
    metavar="X Y",
    help="Find the properties at a point: X = easting or longitude, Y = northing or latitude.",
)
@click.option(
    "--crs",
    default=STORAGE_CRS,
    show_default=True,
    help="CRS of --at: EPSG:3006, 3007–3018, 3021, 4326 or 3857.",
)
@click.option(
    "--out-crs",
    default=STORAGE_CRS,
    show_default=True,
    help="CRS of the geometries in JSON output.",
)
@click.option("--report", is_flag=True, help="Add the zoning overlay of each property.")
@click.option(
    "--lang",
    type=click.Choice(["en", "sv"]),
    default="en",
    show_default=True,
    help="Language of the text and of the notes' texts in JSON.",
)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.option(
    "--limit",
    type=click.IntRange(1, 100),
    default=None,
    help="Suggestions to show (default: the search_limit setting).",
)
def find_command(
    query: tuple[str, ...],
    at: tuple[float, float] | None,
    crs: str,
    out_crs: str,
    report: bool,
    lang: str,
    fmt: str,
    limit: int | None,
) -> None:
    """Find properties by designation or address (QUERY) or by point (--at X Y)."""
    text = " ".join(query).strip()
    if bool(text) == bool(at):
        raise click.UsageError("give either a QUERY or --at X Y")
    from layers import find, open_store, zoning_report
    from layers.models import FindResult
    from mapservice.wording import Wording

    try:
        settings = load_settings()
        with open_store(
            settings.vector_store, settings.vector_location, settings.max_items
        ) as store:
            if at:
                result = FindResult(
                    f"{at[0]} {at[1]} ({crs})",
                    "point",
                    tuple(store.properties_at(at[0], at[1], crs)),
                )
            else:
                result = find(store, text, limit or settings.search_limit)
            reports = [zoning_report(store, p) for p in result.properties] if report else []
            click.echo(_render(result, reports, fmt, out_crs, Wording(lang)))
    except (LayerError, ConfigError) as err:
        raise click.ClickException(str(err)) from err


def _render(
    result: FindResult, reports: list[ZoningReport], fmt: str, out_crs: str, words: Wording
) -> str:
    from layers.describe import describe_find, describe_zoning
    from mapservice.wording import zoning_json

    if fmt == "json":
        body = result.to_dict() if out_crs == STORAGE_CRS else _moved(result, out_crs).to_dict()
        body["zoning"] = [zoning_json(r, words.lang) for r in reports]
        return json.dumps(body, ensure_ascii=False, indent=2)
    return "\n\n".join(
        [describe_find(result, words)] + [describe_zoning(r, words) for r in reports]
    )


def _moved(result: FindResult, out_crs: str) -> FindResult:
    from dataclasses import replace

    return replace(
        result,
        properties=tuple(p.to_crs(out_crs) for p in result.properties),
        address=result.address.to_crs(out_crs) if result.address else None,
    )
