"""The map of one detaljplan over one property (the plan page's map), with folium.

:func:`plan_map` draws a :class:`~mapservice.report.plan_sheet.PlanSheet`: the plan's
användningsområden filled by use with their codes as labels, its egenskapsområden in the
report map's symbols (:mod:`mapservice.report.map_symbols`: prickmark as a raster of dots,
korsmark of crosses, the others within an egenskapsgräns; told apart by category, as a
delivery's rules carry catalogue codes), the plan's boundary and the property's, fitted to the
plan. Every label is escaped text; the page lists everything the map shows in its tables, so
the map needs no popups. :data:`SYMBOLS` holds the page's own lines (the legend uses them).

>>> list(SYMBOLS)
['boundary', 'property']
"""

from __future__ import annotations

from typing import Any

import folium
from markupsafe import escape
from shapely.geometry.base import BaseGeometry

from layers.crs import transform_geometry
from mapservice.report.map_symbols import rule_symbol
from mapservice.report.maps import FeatureText, MapUrls, plan_colour, symbol_style
from mapservice.report.plan_sheet import PlanSheet
from sweref import STORAGE_CRS, WGS84

__all__ = ["SYMBOLS", "plan_map"]

#: Leaflet path styles of the plan's boundary (a thick dash-dot line, as on Boverket's plan
#: maps) and the property's (the report map's symbol).
SYMBOLS: dict[str, dict[str, Any]] = {
    "boundary": {"color": "#000000", "weight": 3, "dashArray": "14 5 3 5", "fill": False},
    "property": symbol_style("property"),  # as on the report's map
}


def _feature(geometry: BaseGeometry, **properties: Any) -> dict[str, Any]:
    moved = transform_geometry(geometry, STORAGE_CRS, WGS84)
    return {"type": "Feature", "geometry": moved.__geo_interface__, "properties": properties}


def _layer(features: list[dict[str, Any]], name: str, style: dict[str, Any]) -> folium.GeoJson:
    return folium.GeoJson(
        {"type": "FeatureCollection", "features": features},
        name=name,
        style_function=lambda f: style | f["properties"].get("style", {}),
        interactive=False,
    )


def plan_map(sheet: PlanSheet, urls: MapUrls, names: dict[str, str]) -> folium.Map:
    """The plan's map; ``names`` are the layer switcher's labels by key (``uses``, ``rules``,
    ``boundary``, ``property``, ``background``) in the page's language."""
    minx, miny, maxx, maxy = transform_geometry(sheet.plan.geometry, STORAGE_CRS, WGS84).bounds
    m = folium.Map(
        location=[(miny + maxy) / 2, (minx + maxx) / 2],
        zoom_start=17,
        tiles=None,
        control_scale=True,
        max_zoom=urls.max_zoom,
    )
    m.default_js, m.default_css = [], []  # Leaflet is the service's own (linked by the page)
    if urls.background:
        folium.TileLayer(
            urls.background,
            attr=urls.background_attribution or " ",
            name=names["background"],
            max_zoom=urls.max_zoom,
            max_native_zoom=19,
        ).add_to(m)
    uses = [_feature(u.geometry, style={"fillColor": plan_colour(u.code)}) for u in sheet.uses]
    use_style = {"color": "#54278f", "weight": 1, "fillOpacity": 0.35}
    _layer(uses, names["uses"], use_style).add_to(m)
    keyed = sorted(
        ((rule_symbol(r.code, r.category), r) for r in sheet.rules),
        key=lambda pair: pair[0] == "plan.rule",  # the rasters first, outlines over them
    )
    rules = [_feature(r.geometry, symbol=key, style=symbol_style(key)) for key, r in keyed]
    rules_layer = _layer(rules, names["rules"], {})
    FeatureText().add_to(rules_layer)  # the rasters' SVG patterns, as on the report's map
    rules_layer.add_to(m)
    boundary = [_feature(sheet.plan.geometry)]
    _layer(boundary, names["boundary"], SYMBOLS["boundary"]).add_to(m)
    _layer([_feature(sheet.property.geometry)], names["property"], SYMBOLS["property"]).add_to(m)
    labels = folium.FeatureGroup(name=names["labels"])
    for use in sheet.uses:
        point = transform_geometry(use.geometry.representative_point(), STORAGE_CRS, WGS84)
        lon, lat = point.coords[0]
        folium.Marker(
            [lat, lon],
            icon=folium.DivIcon(
                html=f'<span class="plan-code">{escape(use.code)}</span>',
                class_name="plan-code-icon",
                icon_size=(48, 18),
                icon_anchor=(24, 9),
            ),
            interactive=False,
            keyboard=False,
        ).add_to(labels)
    labels.add_to(m)
    folium.LayerControl(collapsed=True).add_to(m)  # the tables say what the map shows
    m.fit_bounds([[miny, minx], [maxy, maxx]], padding=(10, 10))
    return m
