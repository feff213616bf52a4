"""The JSON API under ``/api/v1``: search, the whole report, lookups by designation and point.

Errors are RFC 9457 problem bodies (``application/problem+json``, see :mod:`mapservice.errors`);
the OpenAPI 3 document at ``/api/v1/openapi.json`` describes every route.
"""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request, url_for

from layers.crs import STORAGE_CRS, parse_crs, transform_geometry
from layers.forgiving import suggestions
from layers.models import Property
from mapservice.errors import BadRequest
from mapservice.report import build_report
from mapservice.web.edge import check_bbox
from mapservice.web.i18n import current_language
from mapservice.web.openapi import openapi_document
from mapservice.web.queries import CHOICES, OWNER, ReportQuery, number, unit_id
from mapservice.web.resources import get_settings, get_sources
from mapservice.web.solar_tiles import PointQuery

bp = Blueprint("api", __name__, url_prefix="/api/v1")


def _known(*names: str) -> None:
    unknown = sorted(set(request.args) - set(names) - {"lang"})
    if unknown:
        raise BadRequest(f"unknown parameter(s): {', '.join(unknown)}")


def _summary(prop: Property, crs: str = STORAGE_CRS) -> dict:
    geometry = (
        prop.geometry if crs == STORAGE_CRS else transform_geometry(prop.geometry, STORAGE_CRS, crs)
    )
    return {
        "type": "Feature",
        "id": prop.unit_id,
        "geometry": geometry.__geo_interface__,
        "properties": {
            "unit_id": prop.unit_id,
            "designation": str(prop.designation),
            "unit_type": prop.unit_type,
            "area": prop.area,
            "report": url_for("api.property_report", unit_id=prop.unit_id),
            "page": url_for("property_page.report", unit_id=prop.unit_id),
        },
    }


@bp.get("/search")
def search():
    """Suggestions for a search box: designations, then addresses; a postnummer's properties;
    else those of the nearest names (``did_you_mean``)."""
    _known("q", "limit")
    query = request.args.get("q")
    if query is None:
        raise BadRequest("parameter q is required")
    limit = number(request.args, "limit", 1, 100)
    limit = int(limit) if limit else get_settings().search_limit
    text = query.strip()
    found, nearest = (
        suggestions(get_sources().store, text, limit) if len(text) >= 2 else ([], False)
    )
    return jsonify(
        {
            "query": query,
            "did_you_mean": nearest,
            "suggestions": [
                {
                    **s.to_dict(),
                    "page": url_for("property_page.report", unit_id=s.unit_id),
                    "report": url_for("api.property_report", unit_id=s.unit_id),
                }
                for s in found
            ],
        }
    )


@bp.get("/properties/<unit_id>")
def property_report(unit_id: str) -> Response:
    """The whole report of one property (``pris``, ``verkningsgrad``, ``takandel``,
    ``forbrukning`` and ``agare`` change the PV assumptions)."""
    _known(*CHOICES, OWNER)
    key = _parse_id(unit_id)
    query = ReportQuery.from_args(request.args)
    report = build_report(get_sources(), key, query.choices)
    return jsonify(report.to_dict(current_language()))


def _parse_id(text: str) -> str:
    return unit_id(text)


@bp.get("/properties")
def properties():
    """``?designation=`` → that property's report; ``?bbox=minx,miny,maxx,maxy&crs=`` → the
    properties in a box as GeoJSON (one page of ``limit``)."""
    _known("designation", "bbox", "crs", "limit")
    store = get_sources().store
    if "designation" in request.args:
        prop = store.find_property(request.args["designation"])
        response = jsonify(build_report(get_sources(), prop.unit_id).to_dict(current_language()))
        response.headers["Content-Location"] = url_for("api.property_report", unit_id=prop.unit_id)
        return response
    if "bbox" not in request.args:
        raise BadRequest("give designation= or bbox=")
    try:
        bounds = tuple(float(v) for v in request.args["bbox"].split(","))
    except ValueError as err:
        raise BadRequest("bbox must be four numbers: minx,miny,maxx,maxy") from err
    if len(bounds) != 4:
        raise BadRequest("bbox must be four numbers: minx,miny,maxx,maxy")
    crs = parse_crs(request.args.get("crs", STORAGE_CRS))
    check_bbox(bounds, crs)
    limit = int(number(request.args, "limit", 1, get_settings().max_items) or 500)
    page = store.properties_in(bounds, crs, limit)
    return jsonify(
        {
            "type": "FeatureCollection",
            "crs": crs,
            "features": [_summary(p, crs) for p in page.items],
            "has_more": page.has_more,
        }
    )


@bp.get("/properties/at")
def properties_at():
    """The properties at a point ``?x=&y=&crs=`` (any supported CRS; x = easting or
    longitude)."""
    point = PointQuery.from_args(request.args)
    found = get_sources().store.properties_at(point.x, point.y, point.crs)
    return jsonify(
        {"type": "FeatureCollection", "crs": STORAGE_CRS, "features": [_summary(p) for p in found]}
    )


@bp.get("/openapi.json")
def openapi():
    """The OpenAPI 3 description of this API."""
    return jsonify(openapi_document(request.host_url.rstrip("/") + "/api/v1"))
