"""OGC API – Features (Part 1 Core, Part 2 CRS) under ``/ogc``: every layer as a collection.

Views are thin: parameters are parsed strictly by :mod:`mapservice.web.ogc.query`, features come
from the layer store's backend-neutral feature access (:mod:`layers.features`), coordinates are
moved and ordered by :mod:`mapservice.web.ogc.crs`, and documents are built here as plain dicts.
JSON (GeoJSON for features) is the default; ``f=html`` or a browser's ``Accept`` gives pages.
"""

from __future__ import annotations

import datetime as dt
from pathlib import PurePath
from urllib.parse import urlencode

from flask import Blueprint, Response, jsonify, render_template, request, url_for
from shapely.geometry import mapping
from werkzeug.exceptions import NotFound as HTTPNotFound

from layers.crs import SWEDEN_LONLAT, transformer
from layers.errors import OutsideSweden, UnknownLayer
from layers.features import FeaturePage, FeatureRecord, LayerInfo
from mapservice.web.dataset import get_dataset, get_settings
from mapservice.web.handles import get_sources
from mapservice.web.ogc.crs import (
    CRS84,
    CRS_URIS,
    bbox_to_storage,
    crs_uri,
    geometry_out,
    storage_extent_lonlat,
)
from mapservice.web.ogc.openapi import openapi_document
from mapservice.web.ogc.query import ItemsQuery, plain_args

bp = Blueprint("ogc", __name__, url_prefix="/ogc")

GEOJSON = "application/geo+json"
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


def _store():
    """This worker thread's layer store (opened once per thread, see mapservice.web.handles)."""
    return get_sources().store


def _format(requested: str | None) -> str:
    if requested:
        return requested
    best = request.accept_mimetypes.best_match(
        ["application/json", "application/geo+json", "text/html"]
    )
    return "html" if best == "text/html" else "json"


def _url(endpoint: str, f: str | None = None, **values) -> str:
    args = {**values, **({"f": f} if f else {})}
    return url_for(endpoint, _external=True, **args)


def _links(endpoint: str, title: str, **values) -> list[dict]:
    return [
        {
            "href": _url(endpoint, "json", **values),
            "rel": "self",
            "type": "application/json",
            "title": title,
        },
        {
            "href": _url(endpoint, "html", **values),
            "rel": "alternate",
            "type": "text/html",
            "title": title,
        },
    ]


def _respond(
    body: dict,
    f: str,
    template: str,
    mimetype: str = "application/json",
    headers: dict | None = None,
    **context,
):
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
def landing():
    """The landing page: what this service is and where everything is."""
    f = _format(plain_args(request.args))
    dataset = get_dataset()
    body = {
        "title": "Min fastighet – OGC API Features",
        "description": "Fastigheter, adresser, byggnader, detaljplaner och takytor"
        + (f" ({dataset.name})" if dataset else ""),
        "links": [
            *_links("ogc.landing", "Landing page"),
            {
                "href": _url("ogc.api"),
                "rel": "service-desc",
                "type": OPENAPI,
                "title": "The API definition (OpenAPI 3.0)",
            },
            {
                "href": _url("ogc.api", "html"),
                "rel": "service-doc",
                "type": "text/html",
                "title": "The API documentation",
            },
            {
                "href": _url("ogc.conformance"),
                "rel": "conformance",
                "type": "application/json",
                "title": "Conformance classes",
            },
            {
                "href": _url("ogc.collections"),
                "rel": "data",
                "type": "application/json",
                "title": "Collections",
            },
        ],
    }
    return _respond(body, f, "ogc/landing.html")


@bp.get("/conformance")
def conformance():
    """The conformance classes the service implements."""
    f = _format(plain_args(request.args))
    return _respond({"conformsTo": CONFORMANCE}, f, "ogc/conformance.html")


@bp.get("/api")
def api():
    """The OpenAPI 3.0 document of ``/ogc`` and the solar map tiles."""
    f = _format(plain_args(request.args))
    settings = get_settings()
    document = openapi_document(request.host_url.rstrip("/"), _store(), settings.max_items)
    if f == "html":
        return Response(render_template("ogc/api.html", body=document), mimetype="text/html")
    response = jsonify(document)
    response.mimetype = OPENAPI
    return response


# -- collections -----------------------------------------------------------------------------


def layer_source(info: LayerInfo) -> dict:
    """Source, licence and import of a layer, from its last import and the data set."""
    dataset = get_dataset()
    last = info.last_import
    if last:
        source = PurePath(last.get("source") or "").name or None  # the file, not its path
        imported = last.get("imported_at")
        licence = last.get("licence") or (
            "Not recorded at import: see the data provider's terms (Lantmäteriet, the kommun)"
        )
    else:
        source = f"{dataset.name} – built by 'minfastighet sample-data'" if dataset else None
        imported = info.last_change
        licence = (
            "Fictitious sample data, generated by this project's code (MIT licence)"
            if dataset and dataset.fictitious
            else "Not recorded"
        )
    return {
        "source": source,
        "licence": licence,
        "imported_at": imported,
        "feature_count": info.count,
        "crs": info.crs,
        "validation_report": last or None,
    }


def collection_body(info: LayerInfo) -> dict:
    """One collection's description (Part 1 and 2), with its layer information."""
    cid = info.id
    extent = (
        {"spatial": {"bbox": [storage_extent_lonlat(info.bounds)], "crs": CRS84}}
        if info.bounds
        else {"spatial": {"bbox": [list(SWEDEN_LONLAT)], "crs": CRS84}}
    )
    return {
        "id": cid,
        "title": info.title,
        "description": info.description,
        "itemType": "feature",
        "links": [
            *_links("ogc.collection", info.title, collection_id=cid),
            {
                "href": _url("ogc.items", "json", collection_id=cid),
                "rel": "items",
                "type": GEOJSON,
                "title": f"{info.title} (GeoJSON)",
            },
            {
                "href": _url("ogc.items", "html", collection_id=cid),
                "rel": "items",
                "type": "text/html",
                "title": f"{info.title} (HTML)",
            },
            {
                "href": _url("ogc.queryables", collection_id=cid),
                "rel": "http://www.opengis.net/def/rel/ogc/1.0/queryables",
                "type": "application/schema+json",
                "title": "Queryables",
            },
        ],
        "extent": extent,
        "crs": list(CRS_URIS),
        "storageCrs": crs_uri(info.crs),
        "layer": layer_source(info),
    }


@bp.get("/collections")
def collections():
    """Every layer of the store as a collection."""
    f = _format(plain_args(request.args))
    store = _store()
    body = {
        "links": _links("ogc.collections", "Collections"),
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
def collection(collection_id: str):
    """One collection: extent, CRSs, links and its layer information."""
    info = _info(collection_id)
    f = _format(plain_args(request.args))
    return _respond(collection_body(info), f, "ogc/collection.html")


@bp.get("/collections/<collection_id>/queryables")
def queryables(collection_id: str):
    """The attributes a collection's items may be filtered on, as JSON Schema."""
    info = _info(collection_id)
    f = _format(plain_args(request.args))
    body = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": _url("ogc.queryables", collection_id=collection_id),
        "type": "object",
        "title": info.title,
        "properties": {
            name: {"title": name, "type": info.attribute(name).type} for name in info.queryables
        },
        "additionalProperties": False,
    }
    return _respond(body, f, "ogc/queryables.html", "application/schema+json", info=info)


# -- items -----------------------------------------------------------------------------------


def feature_body(record: FeatureRecord, info: LayerInfo, crs: str) -> dict:
    """A feature as GeoJSON in ``crs`` (its own axis order)."""
    geometry = geometry_out(record.geometry, crs)
    return {
        "type": "Feature",
        "id": record.id,
        "geometry": None if geometry is None else mapping(geometry),
        "properties": record.properties,
    }


def _clip_to_sweden(bbox, xy_crs: str):
    """The part of a box (x, y order in ``xy_crs``) inside Sweden, as a lon/lat box, or None.

    A client may well ask for more than Sweden (QGIS sends its view); the store answers for
    the part where it can have data.
    """
    west, south, east, north = SWEDEN_LONLAT
    if xy_crs != "EPSG:4326":
        # first cut the box down to Sweden's envelope in its own CRS, so it stays finite
        sw = transformer("EPSG:4326", xy_crs).transform_bounds(*SWEDEN_LONLAT, densify_pts=21)
        bbox = (max(bbox[0], sw[0]), max(bbox[1], sw[1]), min(bbox[2], sw[2]), min(bbox[3], sw[3]))
        if bbox[0] > bbox[2] or bbox[1] > bbox[3]:
            return None
        bbox = transformer(xy_crs, "EPSG:4326").transform_bounds(*bbox, densify_pts=21)
    eps = 1e-9
    clipped = (
        max(bbox[0], west + eps),
        max(bbox[1], south + eps),
        min(bbox[2], east - eps),
        min(bbox[3], north - eps),
    )
    return clipped if clipped[0] <= clipped[2] and clipped[1] <= clipped[3] else None


def _page(info: LayerInfo, query: ItemsQuery) -> FeaturePage | None:
    store = _store()
    if query.bbox is None:
        return store.features(
            info.id, None, filters=query.filters, limit=query.limit, offset=query.offset
        )
    bbox, xy_crs = bbox_to_storage(query.bbox, query.bbox_crs)
    try:  # exactly the box asked for, when its corners lie in Sweden
        return store.features(info.id, bbox, xy_crs, query.filters, query.limit, query.offset)
    except OutsideSweden:
        lonlat = _clip_to_sweden(bbox, xy_crs)
    if lonlat is None:
        return None
    return store.features(info.id, lonlat, "EPSG:4326", query.filters, query.limit, query.offset)


def _page_link(collection_id: str, rel: str, offset: int, f: str) -> dict:
    args = [(k, v) for k, v in request.args.items(multi=True) if k not in ("offset", "f")]
    args += [("offset", str(offset)), ("f", f)]
    href = url_for("ogc.items", collection_id=collection_id, _external=True) + "?" + urlencode(args)
    return {
        "href": href,
        "rel": rel,
        "type": GEOJSON if f == "json" else "text/html",
        "title": {"next": "Next page", "prev": "Previous page"}.get(rel, rel),
    }


def _item_links(info: LayerInfo, query: ItemsQuery, matched: int, returned: int) -> list[dict]:
    links = [
        _page_link(info.id, "self", query.offset, "json"),
        _page_link(info.id, "alternate", query.offset, "html"),
        {
            "href": _url("ogc.collection", "json", collection_id=info.id),
            "rel": "collection",
            "type": "application/json",
            "title": info.title,
        },
    ]
    if query.offset + returned < matched:
        links.append(_page_link(info.id, "next", query.offset + query.limit, "json"))
    if query.offset > 0:
        links.append(_page_link(info.id, "prev", max(0, query.offset - query.limit), "json"))
    return links


@bp.get("/collections/<collection_id>/items")
def items(collection_id: str):
    """Features of a collection: bbox (with bbox-crs), queryables, crs, limit and offset."""
    info = _info(collection_id)
    query = ItemsQuery.from_args(request.args, info.queryables, get_settings().max_items)
    page = _page(info, query)
    features = [] if page is None else [feature_body(r, info, query.crs) for r in page.features]
    matched = 0 if page is None else page.number_matched
    body = {
        "type": "FeatureCollection",
        "features": features,
        "links": _item_links(info, query, matched, len(features)),
        "numberMatched": matched,
        "numberReturned": len(features),
        "timeStamp": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }
    headers = {"Content-Crs": f"<{crs_uri(query.crs)}>"}
    return _respond(
        body, _format(query.format), "ogc/items.html", GEOJSON, headers, info=info, query=query
    )


@bp.get("/collections/<collection_id>/items/<feature_id>")
def item(collection_id: str, feature_id: str):
    """One feature by its id (stable across imports: part_id, address_id, plan_id …)."""
    info = _info(collection_id)
    f = plain_args(request.args, ("crs",))
    crs = ItemsQuery.from_args({k: v for k, v in request.args.items() if k == "crs"}, ()).crs
    record = _store().feature(collection_id, feature_id)
    body = feature_body(record, info, crs)
    body["links"] = [
        *_links("ogc.item", info.title, collection_id=collection_id, feature_id=feature_id),
        {
            "href": _url("ogc.collection", "json", collection_id=collection_id),
            "rel": "collection",
            "type": "application/json",
            "title": info.title,
        },
    ]
    headers = {"Content-Crs": f"<{crs_uri(crs)}>"}
    return _respond(body, _format(f), "ogc/item.html", GEOJSON, headers, info=info)
