"""The property report for people: ``/fastighet/<id>`` as a page and as a PDF.

``/fastighet?beteckning=…`` and designation URLs (``/fastighet/SUNDSVALL BJÖRKÅSEN 2:1``)
redirect to the register unit's id. Views parse the request, call
:func:`mapservice.report.build_report` and render.
"""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Blueprint, Response, redirect, render_template, request, send_file, url_for
from flask.typing import ResponseReturnValue

from mapservice.errors import BadRequest
from mapservice.report import build_report
from mapservice.report.map_symbols import legend
from mapservice.report.maps import embed, report_map
from mapservice.report.pdf import report_pdf
from mapservice.report.summary import implementation, summarise
from mapservice.web import building_check
from mapservice.web.edge import csp_nonce
from mapservice.web.i18n import current_language
from mapservice.web.owner_form import form_fields
from mapservice.web.queries import MapState, ReportQuery, unit_id
from mapservice.web.resources import get_sources
from mapservice.web.templating import layer_names, map_urls

bp = Blueprint("property_page", __name__)


def _redirect_to(designation: str) -> ResponseReturnValue:
    prop = get_sources().store.find_property(designation)
    # the other parameters as a query string, never as url_for's keywords (a request's
    # _external, _scheme or _anchor would otherwise choose the redirect's scheme and fragment)
    query = urlencode([(k, v) for k, v in request.args.items() if k != "beteckning"])
    target = url_for("property_page.report", unit_id=prop.unit_id)
    return redirect(f"{target}?{query}" if query else target, 303)


@bp.get("/fastighet")
def by_designation() -> ResponseReturnValue:
    """``?beteckning=SUNDSVALL BJÖRKÅSEN 2:1`` → the property's page."""
    designation = request.args.get("beteckning", "").strip()
    if not designation:
        raise BadRequest("beteckning is required (a property designation)")
    return _redirect_to(designation)


@bp.get("/fastighet/<path:unit_id>")
def report(unit_id: str) -> ResponseReturnValue:
    """The property's report page (a designation in the URL redirects to the id)."""
    key = _unit_id_or_none(unit_id)
    if key is None:
        return _redirect_to(unit_id)
    query = ReportQuery.parse(request.args)  # a refused figure is told at its field (a 400)
    MapState.from_args(request.args)  # a malformed share link is a 400, restored by the page
    result = build_report(get_sources(), key, query.choices)
    names = layer_names()
    lang = current_language()
    embedded = embed(report_map(result, map_urls(), names, lang), names, csp_nonce())
    return render_template(
        "property.html",
        report=result,
        map=embedded,
        legend=legend(result, lang),
        query=query,
        form=form_fields(query, result),
        summary=summarise(result, current_language()),
        implementation=implementation,
        build=building_check.section(result.property, request.args, building_check.REPORT),
    ), (400 if query.errors else 200)


@bp.get("/fastighet/<unit_id>.pdf")
def pdf(unit_id: str) -> Response:
    """The report as an A4 PDF, rendered on the server."""
    query = ReportQuery.from_args(request.args)
    result = build_report(get_sources(), _unit_id_or_raise(unit_id), query.choices)
    lang = current_language()
    built = building_check.section(result.property, request.args)  # the situationsplan, if any
    body = report_pdf(result, lang, get_sources().solar_map, built.story(lang))
    name = result.designation.replace(" ", "_").replace(":", "-")
    return send_file(
        body, mimetype="application/pdf", download_name=f"{name}.pdf", as_attachment=False
    )


def _unit_id_or_none(text: str) -> str | None:
    try:
        return unit_id(text)
    except BadRequest:
        return None


def _unit_id_or_raise(text: str) -> str:
    return unit_id(text)
