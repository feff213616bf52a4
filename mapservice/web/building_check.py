""" "Kan jag bygga?" on the web: the API's building check, the page section's form and its PDF.

``POST /api/v1/properties/<id>/building-check`` takes the JSON body of the issue
(``geometry``, ``crs``, ``height_m``, ``kind``, ``neighbour_consent``) and answers the check
with the shade (``?shade=false`` leaves the shade out); errors are problem+json. The page
``/fastighet/<id>/kan-jag-bygga`` checks a building given by its dimensions (a form that works
without JavaScript; the drawn polygon comes as ``polygon=x y,x y,…``), and its PDF is the
situationsplan sketch. Views parse, call :func:`check_planned_building`, render.
"""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Blueprint, Response, jsonify, render_template, request, send_file, url_for

from layers.models import Property
from layers.permit_rules import CHECK_DATE
from mapservice.building_wording import GUIDANCE, KINDS, PRESET_NAMES, check_json
from mapservice.errors import BadRequest
from mapservice.report.building_check import (
    BuildingCheckReport,
    building_from_geojson,
    check_planned_building,
)
from mapservice.report.situation_plan import LEGEND, STATUS, situation_plan_pdf
from mapservice.report.sketch import LAYERS
from mapservice.web import queries
from mapservice.web.building_query import PRESETS, BuildingQuery
from mapservice.web.i18n import current_language
from mapservice.web.resources import get_sources
from mapservice.wording import gettext

bp = Blueprint("building_check", __name__)

#: The largest JSON body the check takes (bytes): a polygon of 1000 positions fits.
MAX_BODY = 64 * 1024


@bp.post("/api/v1/properties/<unit_id>/building-check")
def api_check(unit_id: str) -> Response:
    """Check a planned building on the property; the body is JSON (see the OpenAPI document)."""
    unknown = sorted(set(request.args) - {"lang", "shade"})
    if unknown:
        raise BadRequest(f"unknown parameter(s): {', '.join(unknown)}")
    shade = request.args.get("shade", "true")
    if shade not in ("true", "false"):
        raise BadRequest("shade must be true or false")
    if request.content_length is None or request.content_length > MAX_BODY:
        raise BadRequest(f"the body must be JSON of at most {MAX_BODY} bytes, with its length")
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise BadRequest("the body must be a JSON object")
    extra = sorted(set(body) - {"geometry", "crs", "height_m", "kind", "neighbour_consent"})
    if extra:
        raise BadRequest(f"unknown member(s): {', '.join(extra)}")
    building = building_from_geojson(body)
    report = check_planned_building(
        get_sources(), queries.unit_id(unit_id), building, shade == "true"
    )
    return jsonify(report.to_dict(current_language()))


def _checked(key: str, query: BuildingQuery) -> tuple[Property, BuildingCheckReport | None]:
    sources = get_sources()
    prop = sources.store.get_property(queries.unit_id(key))
    if query.building is None:
        return prop, None
    return prop, check_planned_building(sources, prop.unit_id, query.building, query.shade)


@bp.get("/fastighet/<key>/kan-jag-bygga")
def page(key: str) -> str:
    """The check's page: the form, the drawing and, once a building is given, the answer."""
    query = BuildingQuery.from_args(request.args)
    prop, report = _checked(key, query)
    lang = current_language()
    centre = prop.geometry.representative_point()
    return render_template(
        "building_check.html",
        prop=prop,
        query=query,
        answer=None if report is None else report.to_dict(lang),
        kinds=KINDS,
        drawing=query.drawing(get_sources(), prop, report),
        layers=LAYERS,
        legend=LEGEND,
        statuses=STATUS,
        presets=PRESETS,
        preset_names=PRESET_NAMES,
        centre=(round(centre.x, 2), round(centre.y, 2)),
        guidance=gettext(lang, GUIDANCE, date=CHECK_DATE.isoformat()),
        pdf_url=url_for("building_check.pdf", key=prop.unit_id)
        + "?"
        + urlencode(request.args.to_dict()),
    )


@bp.get("/fastighet/<key>/kan-jag-bygga.pdf")
def pdf(key: str) -> Response:
    """The situationsplan sketch with the check's table, as an A4 PDF."""
    query = BuildingQuery.from_args(request.args)
    prop, report = _checked(key, query)
    if report is None:
        raise BadRequest("give the building: bredd, djup, x, y (or polygon), hojd and typ")
    lang = current_language()
    data = situation_plan_pdf(report, prop, check_json(report.check, lang), lang)
    return send_file(
        data,
        mimetype="application/pdf",
        download_name=f"kan-jag-bygga-{prop.unit_id}.pdf",
        as_attachment=False,
    )
