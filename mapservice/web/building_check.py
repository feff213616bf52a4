""" "Kan jag bygga?" on the web: the API's building check, the page section's form and its PDF.

``POST /api/v1/properties/<id>/building-check`` takes the JSON body of the issue
(``geometry``, ``crs``, ``height_m``, ``kind``, ``neighbour_consent``) and answers the check
with the shade (``?shade=false`` leaves the shade out); errors are problem+json. The page
``/fastighet/<id>/kan-jag-bygga`` checks a building given by its dimensions (a form that works
without JavaScript; the drawn polygon comes as ``polygon=x y,x y,…``), and its PDF is the
situationsplan sketch. Views parse, call :func:`check_planned_building`, render.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from flask import Blueprint, Response, jsonify, render_template, request, send_file, url_for
from reportlab.platypus import Flowable

from layers.models import Property
from layers.permit_rules import CHECK_DATE
from mapservice.building_wording import GUIDANCE, KINDS, PRESET_NAMES, check_json
from mapservice.errors import BadRequest
from mapservice.report.building_check import (
    BuildingCheckReport,
    building_from_geojson,
    check_planned_building,
)
from mapservice.report.situation_plan import (
    LEGEND,
    STATUS,
    situation_plan_pdf,
    situation_plan_story,
)
from mapservice.report.sketch import LAYERS, OPACITY, Sketch
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


#: Where the section's form, presets and share link lead: the check's own page (the target
#: without JavaScript and of old links) or the property's report, whose section it is.
PAGE, REPORT = "building_check.page", "property_page.report"
#: The name of the property's id in an endpoint's route (``key`` where not listed).
ID_ARGUMENT = {REPORT: "unit_id", "property_page.pdf": "unit_id"}


@dataclass(frozen=True)
class Section:
    """What ``_building_check.html`` shows: the form's values, the sketch, the answer, links."""

    prop: Property
    query: BuildingQuery
    report: BuildingCheckReport | None
    answer: dict[str, Any] | None
    drawing: Sketch
    centre: tuple[float, float]
    guidance: str
    target: str
    presets: list[tuple[str, str]]
    links: dict[str, str]
    preset_names: Mapping[str, str] = field(default_factory=lambda: PRESET_NAMES)
    kinds: Mapping[str, str] = field(default_factory=lambda: KINDS)
    layers: Mapping[str, tuple[str, str]] = field(default_factory=lambda: LAYERS)
    opacity: Mapping[str, float] = field(default_factory=lambda: OPACITY)
    legend: Mapping[str, str] = field(default_factory=lambda: LEGEND)
    statuses: Mapping[str, str] = field(default_factory=lambda: STATUS)

    def story(self, lang: str) -> list[Flowable]:
        """The situationsplan's pages for the report's PDF (none without a building)."""
        if self.report is None:
            return []
        answer = check_json(self.report.check, lang)
        return situation_plan_story(self.report, self.prop, answer, lang)


def section(prop: Property, args: Mapping[str, str], target: str = PAGE) -> Section:
    """The section of ``prop`` for the request's ``args``, its links leading to ``target``."""
    query = BuildingQuery.from_args(args)
    sources = get_sources()
    report = None
    if query.building is not None:
        report = check_planned_building(sources, prop.unit_id, query.building, query.shade)
    lang = current_language()
    point = prop.geometry.representative_point()
    centre = (round(point.x, 2), round(point.y, 2))

    def link(endpoint: str, params: Mapping[str, object] | None = None, anchor: bool = True) -> str:
        given: dict[str, Any] = {ID_ARGUMENT.get(endpoint, "key"): prop.unit_id, "lang": lang}
        url = url_for(endpoint, **(given | dict(params or {})))
        return url + "#build-heading" if anchor else url

    presets = [
        (name, link(target, {"typ": k, "bredd": w, "djup": d, "hojd": h, "x": x, "y": y}))
        for name, (w, d, h, k) in PRESETS.items()
        for x, y in [centre]
    ]
    values = dict(query.values)
    links = {
        "form": link(target, anchor=False).split("?")[0],
        "fragment": url_for("building_check.fragment", key=prop.unit_id),
        "share": link(target, values),
        "pdf": link("building_check.pdf", values, anchor=False),
        "report_pdf": link("property_page.pdf", values, anchor=False),
    }
    return Section(
        prop,
        query,
        report,
        None if report is None else report.to_dict(lang),
        query.drawing(sources, prop, report),
        centre,
        gettext(lang, GUIDANCE, date=CHECK_DATE.isoformat()),
        target,
        presets,
        links,
    )


@bp.get("/fastighet/<key>/kan-jag-bygga")
def page(key: str) -> str:
    """The check's page: the form, the drawing and, once a building is given, the answer."""
    prop = get_sources().store.get_property(queries.unit_id(key))
    return render_template("building_check.html", prop=prop, build=section(prop, request.args))


@bp.get("/fastighet/<key>/kan-jag-bygga/del")
def fragment(key: str) -> str:
    """The report's section alone (its script swaps it in place), its links to the report."""
    prop = get_sources().store.get_property(queries.unit_id(key))
    return render_template("_building_check.html", build=section(prop, request.args, REPORT))


@bp.get("/fastighet/<key>/kan-jag-bygga.pdf")
def pdf(key: str) -> Response:
    """The situationsplan sketch with the check's table, as an A4 PDF."""
    prop = get_sources().store.get_property(queries.unit_id(key))
    built = section(prop, request.args)
    if built.report is None:
        raise BadRequest("give the building: bredd, djup, x, y (or polygon), hojd and typ")
    lang = current_language()
    data = situation_plan_pdf(built.report, prop, check_json(built.report.check, lang), lang)
    return send_file(
        data,
        mimetype="application/pdf",
        download_name=f"kan-jag-bygga-{prop.unit_id}.pdf",
        as_attachment=False,
    )
