"""The OpenAPI 3.0 document of OGC API Features (``/ogc``) and the solar map tiles.

Built from the layer store, so each collection's items operation lists its own queryables and
its features' property schema: clients (GDAL, QGIS, OWSLib) and schemathesis see exactly what
is accepted and what comes back. Paths are absolute from the service root; the shared
response schemas are :mod:`mapservice.web.ogc.schemas`.
"""

from __future__ import annotations

from typing import Any

from layers.crs import SUPPORTED_CRS
from layers.features import LayerInfo
from layers.store import LayerStore
from layers.text_search import MAX_TERMS, TERM_LENGTH, TEXT_FIELDS
from mapservice.web.ogc.crs import CRS84, CRS_URIS
from mapservice.web.ogc.query import MAX_OFFSET
from mapservice.web.ogc.schemas import component_schemas, ref

JSON = "application/json"
GEOJSON = "application/geo+json"
HTML = {"text/html": {"schema": {"type": "string"}}}
PROBLEM = {
    "description": "An RFC 9457 problem",
    "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}},
}
ERRORS = {"400": PROBLEM, "404": PROBLEM, "503": PROBLEM}


def _param(
    name: str,
    description: str,
    schema: dict[str, Any],
    where: str = "query",
    required: bool = False,
    **extra: Any,
) -> dict[str, Any]:
    return {
        "name": name,
        "in": where,
        "required": required,
        "description": description,
        "schema": schema,
        **extra,
    }


F = _param(
    "f",
    "The response format: json (default) or html.",
    {"type": "string", "enum": ["json", "html"]},
)
LANG = _param(
    "lang", "Language of HTML pages and messages.", {"type": "string", "enum": ["sv", "en"]}
)
CRS = _param(
    "crs",
    "CRS of the response's coordinates (OGC API Features Part 2), in that "
    "CRS's axis order; default CRS84 (longitude, latitude).",
    {"type": "string", "format": "uri", "enum": list(CRS_URIS)},
)
BBOX = _param(
    "bbox",
    "Only features whose geometry intersects this box: lower corner, upper "
    "corner, in the axis order of bbox-crs.",
    {"type": "array", "minItems": 4, "maxItems": 4, "items": {"type": "number"}},
    style="form",
    explode=False,
)
BBOX_CRS = _param(
    "bbox-crs",
    "CRS of bbox (default CRS84).",
    {"type": "string", "format": "uri", "enum": list(CRS_URIS)},
)
OFFSET = _param(
    "offset",
    "Features to skip (paging; the links next and prev carry it).",
    {"type": "integer", "minimum": 0, "maximum": MAX_OFFSET, "default": 0},
)


def _ok(
    description: str,
    schema: dict,
    media: str = JSON,
    html: bool = True,
    headers: dict | None = None,
) -> dict:
    content = {media: {"schema": schema}, **(HTML if html else {})}
    return {
        "description": description,
        "content": content,
        **({"headers": headers} if headers else {}),
    }


def _op(op_id: str, summary: str, ok: dict, params: list, tags: list[str]) -> dict:
    return {
        "get": {
            "operationId": op_id,
            "summary": summary,
            "tags": tags,
            "parameters": params,
            "responses": {"200": ok, **ERRORS},
        }
    }


def _properties(info: LayerInfo) -> dict:
    return {
        "type": "object",
        "additionalProperties": False,
        "properties": {a.name: {"type": a.type, "nullable": True} for a in info.attributes},
    }


def _feature(info: LayerInfo) -> dict:
    return {
        "type": "object",
        "required": ["type", "id", "geometry", "properties"],
        "properties": {
            "type": {"type": "string", "enum": ["Feature"]},
            "id": {"type": "string"},
            "geometry": {"allOf": [ref("Geometry")], "nullable": True},
            "properties": _properties(info),
            "links": {"type": "array", "items": ref("Link")},
        },
    }


CONTENT_CRS = {
    "Content-Crs": {
        "description": "The CRS of the coordinates, as <URI>.",
        "schema": {"type": "string"},
        "required": True,
    }
}


def _collection_paths(info: LayerInfo, max_items: int, max_text: int) -> dict:
    base = f"/ogc/collections/{info.id}/items"
    limit = _param(
        "limit",
        f"Features per page (1–{max_items}).",
        {"type": "integer", "minimum": 1, "maximum": max_items, "default": 10},
    )
    filters = [
        _param(
            name,
            f"Only features whose {name} equals this value.",
            {"type": info.attribute(name).type},
        )
        for name in info.queryables
    ]
    if info.id in TEXT_FIELDS:
        filters.append(
            _param(
                "q",
                f"Free text: only features whose {' or '.join(TEXT_FIELDS[info.id])} holds any "
                f"of these comma-separated terms (at most {MAX_TERMS}, each at most "
                f"{TERM_LENGTH} characters, {max_text} in all), ignoring case, accents, "
                "spaces and punctuation.",
                {"type": "string", "maxLength": max_text},
            )
        )
    collection_schema = {
        "type": "object",
        "required": ["type", "features", "links", "numberMatched", "numberReturned"],
        "properties": {
            "type": {"type": "string", "enum": ["FeatureCollection"]},
            "features": {"type": "array", "items": _feature(info)},
            "links": {"type": "array", "items": ref("Link")},
            "numberMatched": {"type": "integer", "minimum": 0},
            "numberReturned": {"type": "integer", "minimum": 0},
            "timeStamp": {"type": "string", "format": "date-time"},
        },
    }
    feature_id = _param(
        "featureId",
        f"The feature's {info.id_column}.",
        {"type": "string"},
        where="path",
        required=True,
    )
    return {
        base: _op(
            f"getItems_{info.id}",
            f"{info.title}: features",
            _ok("A page of features", collection_schema, GEOJSON, headers=CONTENT_CRS),
            [BBOX, BBOX_CRS, CRS, limit, OFFSET, *filters, F, LANG],
            [info.id],
        ),
        base + "/{featureId}": _op(
            f"getItem_{info.id}",
            f"{info.title}: one feature",
            _ok("The feature", _feature(info), GEOJSON, headers=CONTENT_CRS),
            [feature_id, CRS, F, LANG],
            [info.id],
        ),
    }


def _tile_paths() -> dict:
    def xyz(name: str, maximum: int | None = None) -> dict:
        schema = {"type": "integer", "minimum": 0, **({"maximum": maximum} if maximum else {})}
        return _param(name, f"Tile {name} (WebMercatorQuad).", schema, where="path", required=True)

    png = {
        "description": "A 256 × 256 PNG, transparent outside the data",
        "content": {"image/png": {"schema": {"type": "string", "format": "binary"}}},
    }
    point_crs = _param("crs", "CRS of x and y.", {"type": "string", "enum": sorted(SUPPORTED_CRS)})
    coordinate = {"type": "number", "minimum": -1e8, "maximum": 1e8}
    return {
        "/tiles/solar/{z}/{x}/{y}.png": {
            "get": {
                "operationId": "getSolarTile",
                "summary": "A solar map tile",
                "tags": ["solar"],
                "parameters": [xyz("z", 30), xyz("x"), xyz("y")],
                "responses": {"200": png, "304": {"description": "Not modified (ETag)"}, **ERRORS},
            }
        },
        "/tiles/solar/tilejson.json": _op(
            "getSolarTileJSON",
            "TileJSON of the solar map",
            _ok("TileJSON 3.0.0", ref("TileJSON"), html=False),
            [],
            ["solar"],
        ),
        "/tiles/solar/legend.json": _op(
            "getSolarLegend",
            "The solar map's colour ramp",
            _ok("The legend", ref("Legend"), html=False),
            [],
            ["solar"],
        ),
        "/api/v1/solar/point": _op(
            "getSolarPoint",
            "The solar map's value under one point",
            _ok("The pixel's annual irradiation", ref("SolarPoint"), html=False),
            [
                _param("x", "Easting or longitude.", coordinate, required=True),
                _param("y", "Northing or latitude.", coordinate, required=True),
                point_crs,
                LANG,
            ],
            ["solar"],
        ),
    }


def openapi_document(root: str, store: LayerStore, max_items: int, max_text: int = 200) -> dict:
    """The OpenAPI 3.0 document, with ``root`` (the service's URL) as its server; ``max_text``
    is the longest text parameter the service takes (the setting ``max_text_length``)."""
    infos = [store.layer_info(name) for name in store.layer_names()]
    collection_id = _param(
        "collectionId",
        "A collection (layer).",
        {"type": "string", "enum": [i.id for i in infos]},
        where="path",
        required=True,
    )
    paths = {
        "/ogc/": _op(
            "getLanding",
            "Landing page",
            _ok("The landing page", ref("Landing")),
            [F, LANG],
            ["capabilities"],
        ),
        "/ogc/conformance": _op(
            "getConformance",
            "Conformance classes",
            _ok("The conformance classes", ref("Conformance")),
            [F, LANG],
            ["capabilities"],
        ),
        "/ogc/api": _op(
            "getOpenAPI",
            "This document",
            _ok(
                "The OpenAPI document",
                {"type": "object"},
                "application/vnd.oai.openapi+json;version=3.0",
            ),
            [F, LANG],
            ["capabilities"],
        ),
        "/ogc/collections": _op(
            "getCollections",
            "Every collection",
            _ok("The collections", ref("Collections")),
            [F, LANG],
            ["capabilities"],
        ),
        "/ogc/collections/{collectionId}": _op(
            "getCollection",
            "One collection, with its layer information (source, licence, "
            "import date, count, CRS, last import's validation report)",
            _ok("The collection", ref("Collection")),
            [collection_id, F, LANG],
            ["capabilities"],
        ),
        "/ogc/collections/{collectionId}/queryables": _op(
            "getQueryables",
            "The queryables of a collection",
            _ok("JSON Schema of the queryables", ref("Queryables"), "application/schema+json"),
            [collection_id, F, LANG],
            ["capabilities"],
        ),
    }
    for info in infos:
        paths.update(_collection_paths(info, max_items, max_text))
    paths.update(_tile_paths())
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "Min fastighet – OGC API Features and solar map tiles",
            "version": "1.0.0",
            "description": "Parcels, addresses, buildings, detaljplaner and roof "
            f"faces as OGC API Features (Part 1 Core, Part 2 CRS; default {CRS84}); "
            "solar map tiles in WebMercatorQuad.",
            "license": {"name": "MIT"},
        },
        "servers": [{"url": root}],
        "paths": paths,
        "components": {"schemas": component_schemas()},
    }


__all__ = ["openapi_document"]
