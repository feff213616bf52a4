"""The response schemas shared by the operations of the OGC API's OpenAPI document.

Each is referred to as ``#/components/schemas/<name>`` (see :func:`ref`) from
:mod:`mapservice.web.ogc.openapi`.

>>> ref("Link")
{'$ref': '#/components/schemas/Link'}
>>> sorted(component_schemas())[:3]
['Collection', 'Collections', 'Conformance']
"""

from __future__ import annotations

from typing import Any

from mapservice.errors import PROBLEM_SCHEMA

__all__ = ["component_schemas", "ref"]


def ref(name: str) -> dict[str, str]:
    """A reference to the component schema ``name``."""
    return {"$ref": f"#/components/schemas/{name}"}


def component_schemas() -> dict[str, Any]:
    """The schemas every operation refers to as ``#/components/schemas/<name>``."""
    link = {
        "type": "object",
        "required": ["href"],
        "properties": {
            "href": {"type": "string"},
            "rel": {"type": "string"},
            "type": {"type": "string"},
            "title": {"type": "string"},
        },
    }
    links = {"type": "array", "items": ref("Link")}
    stop = {
        "type": "object",
        "required": ["value", "color"],
        "properties": {"value": {"type": "number"}, "color": {"type": "string"}},
    }
    legend = {
        "type": "object",
        "required": ["unit", "min", "max", "stops"],
        "properties": {
            "unit": {"type": "string"},
            "min": {"type": "number"},
            "max": {"type": "number"},
            "stops": {"type": "array", "items": stop},
            "nodata": {"type": "string"},
        },
    }
    return {
        "Problem": PROBLEM_SCHEMA,
        "Link": link,
        "Geometry": {
            "type": "object",
            "required": ["type"],
            "properties": {
                "type": {
                    "type": "string",
                    "enum": [
                        "Point",
                        "MultiPoint",
                        "LineString",
                        "MultiLineString",
                        "Polygon",
                        "MultiPolygon",
                        "GeometryCollection",
                    ],
                },
                "coordinates": {"type": "array"},
            },
        },
        "Landing": {
            "type": "object",
            "required": ["links"],
            "properties": {
                "title": {"type": "string"},
                "description": {"type": "string"},
                "links": links,
            },
        },
        "Conformance": {
            "type": "object",
            "required": ["conformsTo"],
            "properties": {"conformsTo": {"type": "array", "items": {"type": "string"}}},
        },
        "Collection": {
            "type": "object",
            "required": ["id", "links"],
            "properties": {
                "id": {"type": "string"},
                "title": {"type": "string"},
                "description": {"type": "string"},
                "links": links,
                "itemType": {"type": "string"},
                "extent": {"type": "object"},
                "crs": {"type": "array", "items": {"type": "string"}},
                "storageCrs": {"type": "string"},
                "layer": {
                    "type": "object",
                    "required": ["source", "licence", "imported_at", "feature_count", "crs"],
                },
            },
        },
        "Collections": {
            "type": "object",
            "required": ["links", "collections"],
            "properties": {
                "links": links,
                "collections": {"type": "array", "items": ref("Collection")},
                "crs": {"type": "array", "items": {"type": "string"}},
            },
        },
        "Queryables": {
            "type": "object",
            "required": ["type", "properties"],
            "properties": {"type": {"type": "string"}, "properties": {"type": "object"}},
        },
        "Legend": legend,
        "TileJSON": {
            "type": "object",
            "required": ["tilejson", "tiles"],
            "properties": {
                "tilejson": {"type": "string"},
                "tiles": {"type": "array", "items": {"type": "string"}},
                "minzoom": {"type": "integer"},
                "maxzoom": {"type": "integer"},
                "bounds": {"type": "array", "items": {"type": "number"}},
                "legend": legend,
            },
        },
        "SolarPoint": {
            "type": "object",
            "required": ["x", "y", "crs", "unit"],
            "properties": {
                "x": {"type": "number"},
                "y": {"type": "number"},
                "crs": {"type": "string"},
                "value": {"type": "number", "nullable": True},
                "unit": {"type": "string"},
                "query": {"type": "object"},
            },
        },
    }
