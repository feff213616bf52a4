"""Pages for people: the start page with search and map, search results, accessibility."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from layers import AmbiguousDesignation, InvalidDesignation, NotFound, find
from layers.forgiving import MOST_PROPERTIES
from layers.models import FindResult
from mapservice.report.maps import embed, overview_map
from mapservice.web.edge import csp_nonce
from mapservice.web.resources import get_dataset, get_settings, get_sources
from mapservice.web.templating import layer_names, map_urls

bp = Blueprint("pages", __name__)

#: The start map's zoom from which boundaries show and a click picks a property; farther out a
#: click asks to zoom in (at the overview a click lands on a street parcel as easily as a house).
PICK_ZOOM = 16

LAYER_NAMES = {
    "parcels": _l("Parcels"),
    "addresses": _l("Addresses"),
    "buildings": _l("Buildings"),
    "plans": _l("Detailed development plans"),
    "plan_uses": _l("Land-use provisions"),
    "plan_rules": _l("Property provisions"),
}

#: Every layer's title, roof faces included (OGC API collections, the viewer).
LAYER_TITLES = {**LAYER_NAMES, "roof_faces": _l("Roof faces")}


@dataclass(frozen=True)
class Search:
    """What a search found, or why it found nothing, for the results page."""

    query: str
    result: FindResult | None = None
    problem: str | None = None
    candidates: tuple[str, ...] = ()
    status: int = 200


def run_search(query: str) -> Search:
    """Search designations and addresses as a person typed them."""
    settings = get_settings()
    try:
        return Search(query, find(get_sources().store, query, settings.search_limit))
    except AmbiguousDesignation as err:
        return Search(
            query,
            problem=_("The designation exists in several municipalities. Choose one:"),
            candidates=err.candidates,
            status=409,
        )
    except InvalidDesignation:
        return Search(
            query,
            problem=_("Type at least 2 characters of a designation or an address."),
            status=400,
        )
    except NotFound:
        return Search(
            query, problem=_("No property or address matches “%(q)s”.", q=query), status=404
        )


@bp.get("/")
def index():
    """The start page: search, a map to click on, and which data the service serves."""
    if request.args.get("q"):
        return redirect(url_for("pages.results", q=request.args["q"]), 303)
    dataset = get_dataset()
    names = layer_names()
    overview = (
        embed(overview_map(dataset.bounds, map_urls(), names), names, csp_nonce())
        if dataset
        else None
    )
    return render_template(
        "index.html",
        dataset=dataset,
        layer_names=LAYER_NAMES,
        overview=overview,
        pick_zoom=PICK_ZOOM,
    )


@bp.get("/sok")
def results():
    """Search results (the search form without JavaScript lands here)."""
    search = run_search(request.args.get("q", "").strip())
    found = search.result
    if (
        found is not None
        and found.kind in ("designation", "address")
        and len(found.properties) == 1
    ):
        return redirect(url_for("property_page.report", unit_id=found.properties[0].unit_id), 303)
    return render_template(
        "results.html",
        search=search,
        search_limit=get_settings().search_limit,
        most_properties=MOST_PROPERTIES,
    ), search.status


@bp.get("/tillganglighet")
def accessibility():
    """The accessibility statement (tillgänglighetsredogörelse)."""
    return render_template("accessibility.html")
