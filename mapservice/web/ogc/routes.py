"""OGC API – Features (Part 1 Core, Part 2 CRS) under ``/ogc``: every layer as a collection.

Views are thin: parameters are parsed strictly by :mod:`mapservice.web.ogc.query`, features come
from the layer store's backend-neutral feature access (:mod:`layers.features`), coordinates are
moved and ordered by :mod:`mapservice.web.ogc.crs`, and documents are built as plain dicts by
:mod:`mapservice.web.ogc.documents`.
JSON (GeoJSON for features) is the default; ``f=html`` or a browser's ``Accept`` gives pages.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Blueprint, Response, jsonify, render_template, request
from flask_babel import gettext as _
from werkzeug.exceptions import NotFound as HTTPNotFound

from layers.errors import OutsideSweden, UnknownLayer
from layers.features import FeaturePage, LayerInfo
from layers.store import LayerStore
from layers.text_search import TEXT_FIELDS
from mapservice.web.edge import check_bbox
from mapservice.web.ogc.crs import CRS_URIS, bbox_to_storage, clip_to_sweden, crs_uri
from mapservice.web.ogc.documents import (
    GEOJSON,
    collection_body,
    feature_bodies,
    feature_body,
    item_links,
    links,
    url,
    worded,
)
from mapservice.web.ogc.openapi import openapi_document
from mapservice.web.ogc.query import ItemsQuery, plain_args
from mapservice.web.resources import get_dataset, get_settings, get_sources
from sweref import WGS84

bp = Blueprint("ogc", __name__, url_prefix="/ogc")

OPENAPI = "application/vnd.oai.openapi+json;version=3.0"
CONFORMANCE = [
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
    "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables-query-parameters",
]


def _store() -> LayerStore:
    """This worker thread's layer store (opened once per thread, see mapservice.web.resources)."""
    return get_sources().store


def _format(requested: str | None) -> str:
    if requested:
        return requested
    best = request.accept_mimetypes.best_match(
        ["application/json", "application/geo+json", "text/html"]
    )
    return "html" if best == "text/html" else "json"


def _respond(
    body: dict[str, Any],
    f: str,
    template: str,
    mimetype: str = "application/json",
    headers: dict[str, str] | None = None,
    **context: Any,
) -> Response:
    if f == "html":
        return Response(
            render_template(template, body=body, **context), mimetype="text/html", headers=headers
        )
    response = jsonify(body)
    response.mimetype = mimetype
    response.headers.update(headers or {})
    return response


# -- landing, conformance, OpenAPI -----------------------------------------------------------


@bp.get("/")
def landing() -> Response:
    """The landing page: what this service is and where everything is."""
    f = _format(plain_args(request.args))
    dataset = get_dataset()
    body = {
        "title": "Min fastighet – OGC API Features",
        "description": _("Parcels, addresses, buildings, detailed development plans and roof faces")
        + (f" ({dataset.name})" if dataset else ""),
        "links": [
            *links("ogc.landing", _("Landing page")),
            {
                "href": url("ogc.api"),
                "rel": "service-desc",
                "type": OPENAPI,
                "title": _("The API definition (OpenAPI 3.0)"),
            },
            {
                "href": url("ogc.api", "html"),
                "rel": "service-doc",
                "type": "text/html",
                "title": _("The API documentation"),
            },
            {
                "href": url("ogc.conformance"),
                "rel": "conformance",
                "type": "application/json",
                "title": _("Conformance classes"),
            },
            {
                "href": url("ogc.collections"),
                "rel": "data",
                "type": "application/json",
                "title": _("Collections"),
            },
        ],
    }
    return _respond(body, f, "ogc/landing.html")


@bp.get("/conformance")
def conformance() -> Response:
    """The conformance classes the service implements."""
    f = _format(plain_args(request.args))
    return _respond({"conformsTo": CONFORMANCE}, f, "ogc/conformance.html")


@bp.get("/api")
def api() -> Response:
    """The OpenAPI 3.0 document of ``/ogc`` and the solar map tiles."""
    f = _format(plain_args(request.args))
    settings = get_settings()
    document = openapi_document(
        request.host_url.rstrip("/"), _store(), settings.max_items, settings.max_text_length
    )
    if f == "html":
        return Response(render_template("ogc/api.html", body=document), mimetype="text/html")
    response = jsonify(document)
    response.mimetype = OPENAPI
    return response


# -- collections -----------------------------------------------------------------------------


@bp.get("/collections")
def collections() -> Response:
    """Every layer of the store as a collection."""
    f = _format(plain_args(request.args))
    store = _store()
    body = {
        "links": links("ogc.collections", _("Collections")),
        "collections": [collection_body(store.layer_info(n)) for n in store.layer_names()],
        "crs": list(CRS_URIS),
    }
    return _respond(body, f, "ogc/collections.html")


def _info(collection_id: str) -> LayerInfo:
    try:
        return _store().layer_info(collection_id)
    except UnknownLayer as err:
        raise HTTPNotFound(str(err)) from err


@bp.get("/collections/<collection_id>")
def collection(collection_id: str) -> Response:
    """One collection: extent, CRSs, links and its layer information."""
    info = _info(collection_id)
    f = _format(plain_args(request.args))
    return _respond(collection_body(info), f, "ogc/collection.html")


@bp.get("/collections/<collection_id>/queryables")
def queryables(collection_id: str) -> Response:
    """The attributes a collection's items may be filtered on, as JSON Schema."""
    info = worded(_info(collection_id))
    f = _format(plain_args(request.args))
    body = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": url("ogc.queryables", collection_id=collection_id),
        "type": "object",
        "title": info.title,
        "properties": {
            name: {"title": name, "type": info.attribute(name).type} for name in info.queryables
        },
        "additionalProperties": False,
    }
    return _respond(body, f, "ogc/queryables.html", "application/schema+json", info=info)


# -- items -----------------------------------------------------------------------------------


def _page(info: LayerInfo, query: ItemsQuery) -> FeaturePage | None:
    store = _store()
    if query.bbox is None:
        return store.features(
            info.id,
            None,
            filters=query.filters,
            limit=query.limit,
            offset=query.offset,
            q=query.text,
        )
    bbox, xy_crs = bbox_to_storage(query.bbox, query.bbox_crs)
    inside = clip_to_sweden(bbox, xy_crs)
    if inside is not None:
        check_bbox(inside, WGS84)  # the part where the store can have data
    try:  # exactly the box asked for, when its corners lie in Sweden
        return store.features(
            info.id, bbox, xy_crs, query.filters, query.limit, query.offset, query.text
        )
    except OutsideSweden:
        lonlat = clip_to_sweden(bbox, xy_crs)
    if lonlat is None:
        return None
    return store.features(
        info.id, lonlat, WGS84, query.filters, query.limit, query.offset, query.text
    )


@bp.get("/collections/<collection_id>/items")
def items(collection_id: str) -> Response:
    """Features of a collection: bbox (with bbox-crs), queryables, crs, limit and offset."""
    info = _info(collection_id)
    query = ItemsQuery.from_args(
        request.args, info.queryables, get_settings().max_items, info.id in TEXT_FIELDS
    )
    page = _page(info, query)
    features = [] if page is None else feature_bodies(page.features, info, query.crs)
    matched = 0 if page is None else page.number_matched
    body = {
        "type": "FeatureCollection",
        "features": features,
        "links": item_links(info, query, matched, len(features)),
        "numberMatched": matched,
        "numberReturned": len(features),
        "timeStamp": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }
    headers = {"Content-Crs": f"<{crs_uri(query.crs)}>"}
    return _respond(
        body,
        _format(query.format),
        "ogc/items.html",
        GEOJSON,
        headers,
        info=worded(info),
        query=query,
    )


@bp.get("/collections/<collection_id>/items/<feature_id>")
def item(collection_id: str, feature_id: str) -> Response:
    """One feature by its id (stable across imports: part_id, address_id, plan_id …)."""
    info = worded(_info(collection_id))
    f = plain_args(request.args, ("crs",))
    crs = ItemsQuery.from_args({k: v for k, v in request.args.items() if k == "crs"}, ()).crs
    record = _store().feature(collection_id, feature_id)
    body = feature_body(record, info, crs)
    body["links"] = [
        *links("ogc.item", info.title, collection_id=collection_id, feature_id=feature_id),
        {
            "href": url("ogc.collection", "json", collection_id=collection_id),
            "rel": "collection",
            "type": "application/json",
            "title": info.title,
        },
    ]
    headers = {"Content-Crs": f"<{crs_uri(crs)}>"}
    return _respond(body, _format(f), "ogc/item.html", GEOJSON, headers, info=info)
