"""``minfastighet check-building`` and ``check-buildings``: "Kan jag bygga?" on the command line.

``check-building ID --rect W D X Y ROT --height H --kind K`` (or ``--geometry FILE``, a GeoJSON
Polygon or Feature) prints the check as JSON or as text; ``check-buildings FILE --out OUT``
checks a layer of proposed buildings (GeoPackage, GeoJSON or CSV with a ``wkt`` column) and
writes one row per building to a CSV or a GeoPackage.
"""

from __future__ import annotations

import json
import sys
import uuid
from pathlib import Path

import click
from shapely.geometry.base import BaseGeometry

from layers import LayerError
from mapservice import ConfigError, load_settings
from solar import SolarError

KINDS = (
    "main_building",
    "extension",
    "komplementbyggnad",
    "komplementbostadshus",
    "friggebod",
    "attefall_house",
    "attefall_extension",
    "carport",
    "dormer",
)
MAX_GEOJSON = 1_000_000


def _footprint(geometry: Path | None, rect: tuple[float, ...] | None) -> BaseGeometry:
    import shapely
    from shapely import affinity

    if (geometry is None) == (rect is None):
        raise click.UsageError("give either --geometry FILE or --rect W D X Y ROT")
    if rect is not None:
        w, d, x, y, turn = rect
        box = shapely.box(x - w / 2, y - d / 2, x + w / 2, y + d / 2)
        return affinity.rotate(box, -turn, origin=(x, y))
    assert geometry is not None
    if geometry.stat().st_size > MAX_GEOJSON:
        raise click.ClickException(f"{geometry}: larger than {MAX_GEOJSON} bytes")
    try:
        body = json.loads(geometry.read_text(encoding="utf-8"))
        body = body.get("geometry", body) if body.get("type") == "Feature" else body
        return shapely.geometry.shape(body)
    except (ValueError, AttributeError, TypeError, KeyError) as err:
        raise click.ClickException(f"{geometry}: not a GeoJSON Polygon ({err})") from err


@click.command("check-building")
@click.argument("property_", metavar="ID_OR_DESIGNATION", nargs=-1, required=True)
@click.option("--geometry", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--rect",
    nargs=5,
    type=float,
    metavar="W D X Y ROT",
    help="Width, depth (m), centre (SWEREF 99 TM) and rotation (degrees clockwise).",
)
@click.option("--crs", default="EPSG:3006", show_default=True, help="CRS of the footprint.")
@click.option("--height", type=float, required=True, help="Height to the ridge (m).")
@click.option("--kind", type=click.Choice(KINDS), required=True)
@click.option("--consent", is_flag=True, help="The neighbours consent in writing.")
@click.option("--no-shade", is_flag=True, help="Leave out the shade on the roofs around.")
@click.option("--lang", type=click.Choice(["sv", "en"]), default="sv", show_default=True)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
def check_building_command(
    property_: tuple[str, ...],
    geometry: Path | None,
    rect: tuple[float, ...] | None,
    crs: str,
    height: float,
    kind: str,
    consent: bool,
    no_shade: bool,
    lang: str,
    fmt: str,
) -> None:
    """Check a planned building on a property against the plan, the bygglov rules and the sun."""
    footprint = _footprint(geometry, rect or None)
    from mapservice.report.building_check import check_planned_building, planned_building
    from mapservice.report.sources import ReportSources

    key = " ".join(property_).strip()
    try:
        building = planned_building(footprint, crs, height, kind, consent)
        with ReportSources.from_settings(load_settings()) as sources:
            try:
                unit = str(uuid.UUID(key))
            except ValueError:
                unit = sources.store.find_property(key).unit_id
            answer = check_planned_building(sources, unit, building, not no_shade).to_dict(lang)
    except (LayerError, SolarError, ConfigError) as err:
        raise click.ClickException(str(err)) from err
    if fmt == "json":
        click.echo(json.dumps(answer, ensure_ascii=False, indent=2))
        return
    click.echo(
        f"{answer['designation']}: {answer['procedure_text']} ({answer['procedure_source']})"
    )
    for check in answer["checks"]:
        click.echo(f"  [{check['status']}] {check['text']} ({check['source']})")
    shade = answer.get("shade") or {}
    roofs = [r for r in shade.get("roofs", []) if r["kwh_per_year_lost"] > 0]
    for roof in roofs:
        click.echo(f"  {roof['designation']}: {roof['text']}")
    if shade and not any(r["noticeable"] for r in roofs):
        click.echo(f"  {shade['text']}")
    click.echo(answer["guidance"])


@click.command("check-buildings")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--out",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="Results: .csv or .gpkg.",
)
@click.option("--crs", default=None, help="CRS of the footprints (a CSV's default: EPSG:3006).")
@click.option("--shade", is_flag=True, help="Also the kWh per year taken from roofs (slower).")
def check_buildings_command(file: Path, out: Path, crs: str | None, shade: bool) -> None:
    """Check a layer of proposed buildings (GeoPackage, GeoJSON or CSV) into OUT (.csv, .gpkg)."""
    if out.suffix.lower() not in (".csv", ".gpkg"):
        raise click.UsageError("--out must end in .csv or .gpkg")
    from mapservice.analysis.building_checks import check_layer, read_buildings
    from mapservice.report.sources import ReportSources

    try:
        frame = read_buildings(file, crs)
        with ReportSources.from_settings(load_settings()) as sources:
            results = check_layer(sources, frame, shade)
    except (LayerError, SolarError, ConfigError, OSError, ValueError) as err:
        raise click.ClickException(f"{file}: {err}") from err
    tmp = out.with_name(f".{out.stem}.part{out.suffix}")  # renamed when complete
    if out.suffix.lower() == ".csv":
        results.assign(wkt=results.geometry.to_wkt()).drop(columns="geometry").to_csv(
            tmp, index=False
        )
    else:
        results.to_file(tmp, driver="GPKG", layer="building_checks")
    tmp.replace(out)  # all or nothing
    failed = int((results["error"] != "").sum())
    click.echo(f"Wrote {out}: {len(results)} building(s), {failed} not checkable.", err=True)
    sys.exit(1 if failed == len(results) and failed else 0)
