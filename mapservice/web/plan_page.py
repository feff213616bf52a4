"""A detaljplan's page as seen from a property: ``/fastighet/<id>/planer/<plan>``.

The page has the service's layout, the plan's map, its status, dates and genomförandetid (worded
as in the report), every provision with its code and wording from the plan layers' import (with
the import's date), the plan document and a link back to the property's report. The plan is
found through the property's zoning, never from a path or URL in the request:
``…/planer/<plan>/dokument`` serves the document only from the data directory's
``documents/`` folder or redirects only to a host the operator listed (docs/SECURITY.md).
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from flask import Blueprint, redirect, render_template, send_file
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from werkzeug.exceptions import NotFound

from mapservice.report.maps import embed
from mapservice.report.plan_map import SYMBOLS, plan_map
from mapservice.report.plan_sheet import PlanSheet, plan_sheet
from mapservice.report.summary import implementation
from mapservice.web import queries
from mapservice.web.edge import csp_nonce
from mapservice.web.resources import get_settings, get_sources
from mapservice.web.templating import map_urls

bp = Blueprint("plan_page", __name__)
#: The folder of the data directory that plan documents are served from (nothing else is).
DOCUMENTS = "documents"


@bp.get("/fastighet/<unit_id>/planer/<plan_id>")
def page(unit_id: str, plan_id: str) -> ResponseReturnValue:
    """The plan's page: layout, map, rules, dates, document and the way back."""
    sheet = plan_sheet(get_sources().store, queries.unit_id(unit_id), plan_id)
    names = {
        "uses": _("Land use areas"),
        "rules": _("Property provision areas"),
        "boundary": _("Plan boundary"),
        "property": _("Property boundary"),
        "labels": _("Use codes"),
        "background": _("Background map"),
    }
    embedded = embed(plan_map(sheet, map_urls(), names), None, csp_nonce())
    return render_template(
        "plan.html",
        sheet=sheet,
        plan=sheet.coverage,
        map=embedded,
        symbols=SYMBOLS,
        names=names,
        has_document=_document(sheet) is not None,
        implementation=implementation,
    )


@bp.get("/fastighet/<unit_id>/planer/<plan_id>/dokument")
def document(unit_id: str, plan_id: str) -> ResponseReturnValue:
    """The plan's document: a file of the ``documents`` folder, or a listed host's link."""
    target = _document(plan_sheet(get_sources().store, queries.unit_id(unit_id), plan_id))
    if target is None:
        raise NotFound("the plan has no document the service shows")
    return redirect(target) if isinstance(target, str) else send_file(target)


def _document(sheet: PlanSheet) -> str | Path | None:
    settings = get_settings()
    text = sheet.plan.document
    return document_target(text, settings.data_dir, settings.document_hosts) if text else None


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
