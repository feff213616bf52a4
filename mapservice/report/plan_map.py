"""The map of one detaljplan over one property (the plan page's map), with folium.

:func:`plan_map` draws a :class:`~mapservice.report.plan_sheet.PlanSheet`: the plan's
användningsområden filled by use with their codes as labels, its egenskapsområden
(prickmark, korsmark and the others) each with its own line, the plan's boundary and the
property's, fitted to the plan. Every label is escaped text; the page lists everything the map
shows in its tables, so the map needs no popups. :data:`SYMBOLS` is also the page's legend.

>>> [key for key in SYMBOLS]
['boundary', 'prickmark', 'korsmark', 'rule', 'property']
>>> rule_symbol("prickmark"), rule_symbol("e1")
('prickmark', 'rule')
>>> rule_symbol("DP_KM_Eg_Mark_EjByggnad", "prickmark")  # a catalogue code: by its category
'prickmark'
"""

from __future__ import annotations

from typing import Any

import folium
from markupsafe import escape
from shapely.geometry.base import BaseGeometry

from layers.crs import transform_geometry
from mapservice.report.map_symbols import rule_symbol as report_rule_symbol
from mapservice.report.maps import MapUrls, plan_colour
from mapservice.report.plan_sheet import PlanSheet
from sweref import STORAGE_CRS, WGS84

__all__ = ["SYMBOLS", "plan_map", "rule_symbol"]

#: Leaflet path styles of what the map draws besides the use areas, by legend key. The plan's
#: boundary is a thick dash-dot line and an egenskapsgräns a thin dotted one, as on Boverket's
#: plan maps; prickmark is dotted white, korsmark cross-hatched grey.
SYMBOLS: dict[str, dict[str, Any]] = {
    "boundary": {"color": "#000000", "weight": 3, "dashArray": "14 5 3 5", "fill": False},
    "prickmark": {
        "color": "#000000",
        "weight": 1,
        "dashArray": "1 4",
        "fillColor": "#ffffff",
        "fillOpacity": 0.75,
    },
    "korsmark": {
        "color": "#4d4d4d",
        "weight": 1.5,
        "dashArray": "8 3",
        "fillColor": "#bdbdbd",
        "fillOpacity": 0.6,
    },
    "rule": {"color": "#1a1a1a", "weight": 1.5, "dashArray": "2 4", "fill": False},
    "property": {"color": "#c51b7d", "weight": 4, "fill": False},
}


def rule_symbol(code: str, category: str | None = None) -> str:
    """The :data:`SYMBOLS` key of an egenskapsbestämmelse with ``code`` and ``category``,
    told apart as the report's map tells them (:func:`map_symbols.rule_symbol
    <mapservice.report.map_symbols.rule_symbol>`: a delivery's rules carry catalogue codes,
    and prickmark and korsmark are known by their category)."""
    return report_rule_symbol(code, category).removeprefix("plan.")


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
    rules = [
        _feature(r.geometry, style=SYMBOLS[rule_symbol(r.code, r.category)])
        for r in sorted(sheet.rules, key=lambda r: rule_symbol(r.code, r.category) == "rule")
    ]
    _layer(rules, names["rules"], {}).add_to(m)
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
