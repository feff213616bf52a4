"""The OpenAPI 3 description of ``/api/v1`` (a plain document, no Flask).

>>> doc = openapi_document("http://localhost/api/v1")
>>> doc["openapi"], sorted(doc["paths"])[:2]
('3.1.0', ['/openapi.json', '/properties'])
"""

from __future__ import annotations

from typing import Any

from mapservice.errors import PROBLEM_SCHEMA
from solar.economics import OWNERS
from sweref import STORAGE_CRS, SUPPORTED_CRS

PROBLEM = {
    "description": "An RFC 9457 problem",
    "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}},
}


def _param(
    name: str, description: str, schema: dict, where: str = "query", required: bool = False
) -> dict:
    return {
        "name": name,
        "in": where,
        "required": required,
        "description": description,
        "schema": schema,
    }


def _ok(description: str, schema: str) -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}},
    }


def _errors(*codes: int) -> dict:
    return {str(code): PROBLEM for code in codes}


CRS_PARAM = _param(
    "crs",
    "CRS of the coordinates: EPSG:3006 (default), 3007–3018, 3021, 4326 or 3857.",
    {"type": "string", "default": STORAGE_CRS, "enum": sorted(SUPPORTED_CRS)},
)
CHOICE_PARAMS = [
    _param(
        "pris",
        "Price of bought electricity, SEK/kWh (0.1–10).",
        {"type": "number", "minimum": 0.1, "maximum": 10},
    ),
    _param(
        "verkningsgrad",
        "Module efficiency in % (5–30).",
        {"type": "number", "minimum": 5, "maximum": 30},
    ),
    _param(
        "takandel",
        "Share of a pitched roof face covered by panels, % (10–100).",
        {"type": "number", "minimum": 10, "maximum": 100},
    ),
    _param(
        "forbrukning",
        "The property's electricity use, kWh a year (100–10 000 000; default: the owner "
        "type's estimate, see the report's owner.use_source).",
        {"type": "number", "minimum": 100, "maximum": 10_000_000},
    ),
    _param(
        "agare",
        "Owner type: private person, company or housing association (bostadsrättsförening); "
        "default: guessed from the buildings' use. Sets the green deduction (private persons "
        "only), VAT and the default use.",
        {"type": "string", "enum": list(OWNERS)},
    ),
]

SCHEMAS: dict[str, dict[str, Any]] = {
    "Problem": PROBLEM_SCHEMA,
    "Suggestion": {
        "type": "object",
        "properties": {
            "kind": {"type": "string", "enum": ["designation", "trakt", "address"]},
            "label": {"type": "string"},
            "unit_id": {"type": "string", "format": "uuid"},
            "designation": {"type": "string"},
            "address_id": {"type": ["string", "null"]},
            "page": {"type": "string"},
            "report": {"type": "string"},
        },
    },
    "SearchResult": {
        "type": "object",
        "properties": {
            "query": {"type": "string"},
            "did_you_mean": {
                "type": "boolean",
                "description": "Nothing starts like the query: the suggestions are those of "
                "the nearest trakt or street names (a misspelling).",
            },
            "suggestions": {"type": "array", "items": {"$ref": "#/components/schemas/Suggestion"}},
        },
    },
    "Report": {
        "type": "object",
        "description": "The property report: property, addresses, "
        "buildings with their solar class, the zoning overlay (plans, uses with shares, "
        "rules with values, building rights), the solar potential (roofs, faces, PV "
        "estimate with every assumption, permit guidance), sources and the notice. "
        "Geometries are GeoJSON in EPSG:3006.",
        "required": ["unit_id", "designation", "property", "zoning", "solar", "sources", "notice"],
        "properties": {
            "unit_id": {"type": "string", "format": "uuid"},
            "designation": {"type": "string"},
            "kommun": {"type": "string"},
            "created": {"type": "string", "format": "date-time"},
            "crs": {"type": "string"},
            "property": {"type": "object"},
            "addresses": {"type": "array", "items": {"type": "object"}},
            "buildings": {"type": "array", "items": {"type": "object"}},
            "zoning": {"type": "object"},
            "solar": {"type": ["object", "null"]},
            "solar_missing": {"type": ["string", "null"]},
            "owner": {
                "type": ["object", "null"],
                "description": "The owner type the estimate used (owner: private, company or "
                "housing; guessed: from the buildings' use), the yearly use in kWh (use_kwh) "
                "and where it comes from (use_source: entered, per_m2 or default), the floor "
                "area (footprint × floors) and the day the rates were taken for.",
                "properties": {
                    "owner": {"type": "string", "enum": list(OWNERS)},
                    "guessed": {"type": "boolean"},
                    "use_kwh": {"type": "number"},
                    "use_source": {"type": "string", "enum": ["entered", "per_m2", "default"]},
                    "floor_m2": {"type": "number"},
                    "rates_date": {"type": "string", "format": "date"},
                    "rates": {
                        "type": "array",
                        "description": "The dated rates and rules the estimate used "
                        "(solar/economics.py): citation names the sources as cited (Swedish "
                        "law as written; empty for our estimates), note says what they say "
                        "(English), text is the row worded in the report's language.",
                        "items": {
                            "type": "object",
                            "properties": {
                                "key": {"type": "string"},
                                "value": {"type": "number"},
                                "unit": {"type": "string"},
                                "owners": {"type": "array", "items": {"enum": list(OWNERS)}},
                                "valid_from": {"type": "string", "format": "date"},
                                "valid_to": {"type": ["string", "null"], "format": "date"},
                                "citation": {"type": "string"},
                                "note": {"type": "string"},
                                "kind": {"enum": ["law", "statistics", "estimate"]},
                                "text": {"type": "string"},
                            },
                        },
                    },
                },
            },
            "sources": {"type": "array", "items": {"type": "object"}},
            "notice": {"type": "object"},
            "data_notice": {"type": ["object", "null"]},
        },
    },
    "PropertyCollection": {
        "type": "object",
        "description": "GeoJSON FeatureCollection of "
        "properties (unit_id, designation, unit_type, area, links).",
        "properties": {
            "type": {"const": "FeatureCollection"},
            "crs": {"type": "string"},
            "features": {"type": "array", "items": {"type": "object"}},
        },
    },
}


KINDS = [
    "main_building",
    "extension",
    "komplementbyggnad",
    "komplementbostadshus",
    "friggebod",
    "attefall_house",
    "attefall_extension",
    "carport",
    "dormer",
]
#: "Kan jag bygga?" (mapservice/web/building_check.py, docs/BUILDING_CHECK.md).
BUILDING_CHECK_PATH = {
    "post": {
        "summary": "Check a planned building against the plan, the bygglov rules and the sun",
        "description": "Guidance, not a decision. Rules as in force on 2026-11-30 (PBL as "
        "amended by SFS 2025:974); every check names its legal source. The shade is an "
        "estimate from the solar model (kWh per year of irradiation lost per roof).",
        "parameters": [
            _param("shade", "Compute the shade (about half a second)", {"type": "boolean"})
        ],
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/PlannedBuilding"}}
            },
        },
        "responses": {
            "200": _ok("The procedure and every check", "BuildingCheck"),
            **_errors(400, 404),
        },
    }
}
SCHEMAS["PlannedBuilding"] = {
    "type": "object",
    "required": ["geometry", "height_m", "kind"],
    "additionalProperties": False,
    "properties": {
        "geometry": {"type": "object", "description": "GeoJSON Polygon (at most 1000 positions)"},
        "crs": {"type": "string", "default": STORAGE_CRS, "enum": sorted(SUPPORTED_CRS)},
        "height_m": {"type": "number", "exclusiveMinimum": 0, "maximum": 100},
        "kind": {"type": "string", "enum": KINDS},
        "neighbour_consent": {"type": "boolean", "default": False},
    },
}
SCHEMAS["BuildingCheck"] = {
    "type": "object",
    "properties": {
        "procedure": {"enum": ["bygglov", "anmalan", "none", "not_allowed"]},
        "procedure_text": {"type": "string"},
        "procedure_source": {"type": "string"},
        "guidance": {"type": "string"},
        "check_date": {"type": "string", "format": "date"},
        "checks": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "code": {"type": "string"},
                    "status": {"enum": ["ok", "conflict", "unknown"]},
                    "text": {"type": "string"},
                    "values": {"type": "object"},
                    "source": {"type": "string"},
                    "verified": {"type": "boolean"},
                    "checked": {"type": "string", "format": "date"},
                },
            },
        },
        "shade": {
            "type": ["object", "null"],
            "properties": {
                "roofs": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {
                            "unit_id": {"type": "string"},
                            "designation": {"type": "string"},
                            "kwh_per_year_lost": {"type": "number"},
                            "share_lost": {"type": "number"},
                            "noticeable": {
                                "type": "boolean",
                                "description": "the loss reaches noticeable_share of the roof's "
                                "yearly irradiation; below it the page says 'no noticeable loss'",
                            },
                        },
                    },
                },
                "noticeable_share": {"type": "number"},
                "winter_shadow": {"type": "object"},
                "summer_shadow": {"type": "object"},
            },
        },
    },
}


def openapi_document(server_url: str) -> dict:
    """The OpenAPI 3.1 document with ``server_url`` as its server."""
    uid = _param(
        "unit_id",
        "The register unit's id (UUID).",
        {"type": "string", "format": "uuid"},
        "path",
        True,
    )
    paths = {
        "/search": {
            "get": {
                "summary": "Suggestions for designations and addresses",
                "parameters": [
                    _param(
                        "q",
                        "What the person typed (from 2 characters).",
                        {"type": "string"},
                        required=True,
                    ),
                    _param(
                        "limit",
                        "How many suggestions (1–100).",
                        {"type": "integer", "minimum": 1, "maximum": 100},
                    ),
                ],
                "responses": {
                    "200": _ok("Suggestions, best first", "SearchResult"),
                    **_errors(400),
                },
            }
        },
        "/properties/{unit_id}": {
            "get": {
                "summary": "The whole report of a property",
                "parameters": [uid, *CHOICE_PARAMS],
                "responses": {"200": _ok("The report", "Report"), **_errors(400, 404)},
            }
        },
        "/properties": {
            "get": {
                "summary": "A property's report by designation, or the properties in a box",
                "parameters": [
                    _param(
                        "designation",
                        "A designation as people write it (kommun optional).",
                        {"type": "string"},
                    ),
                    _param("bbox", "minx,miny,maxx,maxy in crs", {"type": "string"}),
                    CRS_PARAM,
                    _param("limit", "Largest number of properties", {"type": "integer"}),
                ],
                "responses": {
                    "200": {
                        "description": "A report (designation) or a FeatureCollection (bbox)",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "oneOf": [
                                        {"$ref": "#/components/schemas/Report"},
                                        {"$ref": "#/components/schemas/PropertyCollection"},
                                    ]
                                }
                            }
                        },
                    },
                    **_errors(400, 404, 409),
                },
            }
        },
        "/properties/at": {
            "get": {
                "summary": "The properties at a point",
                "parameters": [
                    _param("x", "Easting or longitude", {"type": "number"}, required=True),
                    _param("y", "Northing or latitude", {"type": "number"}, required=True),
                    CRS_PARAM,
                ],
                "responses": {
                    "200": _ok(
                        "The properties covering the point (two on a boundary)",
                        "PropertyCollection",
                    ),
                    **_errors(400),
                },
            }
        },
        "/properties/{unit_id}/building-check": BUILDING_CHECK_PATH | {"parameters": [uid]},
        "/openapi.json": {
            "get": {
                "summary": "This document",
                "responses": {"200": {"description": "OpenAPI 3.1"}},
            }
        },
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Min fastighet API",
            "version": "1.0.0",
            "description": "Property reports combining the cadastre, detaljplaner and "
            "the solar map. The map is not legally binding.",
        },
        "servers": [{"url": server_url}],
        "paths": paths,
        "components": {"schemas": SCHEMAS},
    }
