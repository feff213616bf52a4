"""The property report for people: ``/fastighet/<id>`` as a page and as a PDF.

``/fastighet?beteckning=…`` and designation URLs (``/fastighet/SUNDSVALL BJÖRKÅSEN 2:1``)
redirect to the register unit's id. Views parse the request, call
:func:`mapservice.report.build_report` and render.
"""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, redirect, render_template, request, send_file, url_for
from werkzeug.exceptions import NotFound

from mapservice.errors import BadRequest
from mapservice.report import build_report
from mapservice.report.maps import embed, report_map
from mapservice.report.pdf import report_pdf
from mapservice.web.i18n import current_language
from mapservice.web.queries import MapState, ReportQuery, unit_id
from mapservice.web.resources import get_settings, get_sources
from mapservice.web.templating import layer_names, map_urls

bp = Blueprint("property_page", __name__)


def _redirect_to(designation: str):
    prop = get_sources().store.find_property(designation)
    args = {k: v for k, v in request.args.items() if k != "beteckning"}
    return redirect(url_for("property_page.report", unit_id=prop.unit_id, **args), 303)


@bp.get("/fastighet")
def by_designation():
    """``?beteckning=SUNDSVALL BJÖRKÅSEN 2:1`` → the property's page."""
    designation = request.args.get("beteckning", "").strip()
    if not designation:
        raise BadRequest("beteckning is required (a property designation)")
    return _redirect_to(designation)


@bp.get("/fastighet/<path:unit_id>")
def report(unit_id: str):
    """The property's report page (a designation in the URL redirects to the id)."""
    key = _unit_id_or_none(unit_id)
    if key is None:
        return _redirect_to(unit_id)
    query = ReportQuery.from_args(request.args)
    MapState.from_args(request.args)  # a malformed share link is a 400, restored by the page
    result = build_report(get_sources(), key, query.choices)
    names = layer_names()
    embedded = embed(report_map(result, map_urls(), names), names)
    return render_template("property.html", report=result, map=embedded, query=query)


@bp.get("/fastighet/<unit_id>.pdf")
def pdf(unit_id: str):
    """The report as an A4 PDF, rendered on the server."""
    query = ReportQuery.from_args(request.args)
    result = build_report(get_sources(), _unit_id_or_raise(unit_id), query.choices)
    body = report_pdf(result, current_language(), get_sources().solar_map)
    name = result.designation.replace(" ", "_").replace(":", "-")
    return send_file(
        body, mimetype="application/pdf", download_name=f"{name}.pdf", as_attachment=False
    )


@bp.get("/fastighet/<unit_id>/planer/<plan_id>")
def plan_document(unit_id: str, plan_id: str):
    """A plan's document, found through the property's zoning (never a path from a request)."""
    result = build_report(get_sources(), _unit_id_or_raise(unit_id))
    plan = next((p for p in result.zoning.plans if p.plan_id == plan_id), None)
    if plan is None or not plan.document:
        raise NotFound(f"no document of plan {plan_id} for this property")
    if plan.document.startswith(("https://", "http://")):
        return redirect(plan.document)
    root = get_settings().data_dir.resolve()
    path = (root / plan.document).resolve()
    if root not in path.parents or not path.is_file():
        raise NotFound(f"the document of plan {plan_id} is missing")
    return send_file(Path(path))


def _unit_id_or_none(text: str) -> str | None:
    try:
        return unit_id(text)
    except BadRequest:
        return None


def _unit_id_or_raise(text: str) -> str:
    return unit_id(text)
