"""The property report for people: ``/fastighet/<id>`` as a page and as a PDF.

``/fastighet?beteckning=…`` and designation URLs (``/fastighet/SUNDSVALL BJÖRKÅSEN 2:1``)
redirect to the register unit's id. Views parse the request, call
:func:`mapservice.report.build_report` and render.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlencode, urlsplit

from flask import Blueprint, Response, redirect, render_template, request, send_file, url_for
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import NotFound

from mapservice.errors import BadRequest
from mapservice.report import build_report
from mapservice.report.map_symbols import legend
from mapservice.report.maps import embed, report_map
from mapservice.report.pdf import report_pdf
from mapservice.report.summary import implementation, summarise
from mapservice.web.edge import csp_nonce
from mapservice.web.i18n import current_language
from mapservice.web.queries import MapState, ReportQuery, unit_id
from mapservice.web.resources import get_settings, get_sources
from mapservice.web.templating import layer_names, map_urls

bp = Blueprint("property_page", __name__)
#: The folder of the data directory that plan documents are served from (nothing else is).
DOCUMENTS = "documents"


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
    query = ReportQuery.from_args(request.args)
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
        summary=summarise(result, current_language()),
        implementation=implementation,
    )


@bp.get("/fastighet/<unit_id>.pdf")
def pdf(unit_id: str) -> Response:
    """The report as an A4 PDF, rendered on the server."""
    query = ReportQuery.from_args(request.args)
    result = build_report(get_sources(), _unit_id_or_raise(unit_id), query.choices)
    body = report_pdf(result, current_language(), get_sources().solar_map)
    name = result.designation.replace(" ", "_").replace(":", "-")
    return send_file(
        body, mimetype="application/pdf", download_name=f"{name}.pdf", as_attachment=False
    )


@bp.get("/fastighet/<unit_id>/planer/<plan_id>")
def plan_document(unit_id: str, plan_id: str) -> ResponseReturnValue:
    """A plan's document, found through the property's zoning (never a path from a request)."""
    result = build_report(get_sources(), _unit_id_or_raise(unit_id))
    plan = next((p for p in result.zoning.plans if p.plan_id == plan_id), None)
    if plan is None or not plan.document:
        raise NotFound(f"no document of plan {plan_id} for this property")
    settings = get_settings()
    target = document_target(plan.document, settings.data_dir, settings.document_hosts)
    if target is None:
        raise NotFound(f"the document of plan {plan_id} is not one the service shows")
    return redirect(target) if isinstance(target, str) else send_file(target)


def document_target(document: str, data_dir: Path, hosts: tuple[str, ...]) -> str | Path | None:
    """Where a plan's ``document`` (as imported) may lead: an ``https`` link to a host the
    operator configured (``document_hosts``), or a file in the data directory's ``documents``
    folder; None for anything else (another host, ``http``, any other file).

    >>> hosts = ("planarkiv.sundsvall.se",)
    >>> document_target("https://planarkiv.sundsvall.se/DP1.pdf", Path("/d"), hosts)
    'https://planarkiv.sundsvall.se/DP1.pdf'
    >>> [document_target(d, Path("/d"), hosts) for d in (
    ...     "https://evil.example/x", "https://planarkiv.sundsvall.se@evil.example/x",
    ...     "http://planarkiv.sundsvall.se/x", "minfastighet.gpkg", "documents/../dataset.json")]
    [None, None, None, None, None]
    """
    if "://" in document:
        link = urlsplit(document)
        ok = link.scheme == "https" and "@" not in link.netloc and link.hostname in hosts
        return document if ok and document.isprintable() and " " not in document else None
    folder = (data_dir / DOCUMENTS).resolve()
    path = (data_dir / document).resolve()
    return path if folder in path.parents and path.is_file() else None


def _unit_id_or_none(text: str) -> str | None:
    try:
        return unit_id(text)
    except BadRequest:
        return None


def _unit_id_or_raise(text: str) -> str:
    return unit_id(text)
