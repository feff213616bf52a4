"""Folium (Leaflet) maps built from a report object, served with the service's own Leaflet.

:func:`report_map` draws a :class:`~mapservice.report.PropertyReport`: the plan areas with their
codes, the solar map as tiles, the buildings coloured by solar class and the property's
boundary, with a layer switcher and a scale. :func:`overview_map` is the start page's map to
click on. Both only know URLs the service serves itself (:class:`MapUrls`); the optional
background map is the one exception, and only when the setting names one.

:func:`embed` splits a map into the ``<div>`` and ``<script>`` a page includes; Leaflet's own
files are linked by the page (folium's default CDN links are replaced).

>>> CLASS_COLOURS["very_good"]
'#b2182b'
>>> plan_colour("GATA"), plan_colour("B")
('#9e9e9e', '#e6b800')
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import folium
from branca.element import Figure, MacroElement
from jinja2 import Template
from markupsafe import Markup
from shapely.geometry.base import BaseGeometry

from layers.crs import transform_geometry
from mapservice.report import PropertyReport
from sweref import STORAGE_CRS, WGS84

__all__ = [
    "CLASS_COLOURS",
    "LAYER_KEYS",
    "MapUrls",
    "embed",
    "overview_map",
    "plan_colour",
    "report_map",
]

#: Building fill by solar class, worst to best (also the PDF's legend).
CLASS_COLOURS = {
    "poor": "#8c8c8c",
    "moderate": "#f4a582",
    "good": "#d6604d",
    "very_good": "#b2182b",
    None: "#ffffff",
}
#: Plan area fill by the first letters of the use code.
PLAN_COLOURS = (
    ("GATA", "#9e9e9e"),
    ("TORG", "#9e9e9e"),
    ("PARK", "#7fbf7b"),
    ("NATUR", "#5aae61"),
    ("B", "#e6b800"),
    ("C", "#d9822b"),
    ("E", "#8073ac"),
    ("S", "#c2a5cf"),
    ("J", "#a6611a"),
    ("", "#bdbdbd"),
)
PROPERTY_COLOUR = "#c51b7d"
#: The map's overlays by the key the share link uses.
LAYER_KEYS = ("plans", "solar", "buildings", "property")


def plan_colour(code: str) -> str:
    """The fill of a plan area with use ``code``."""
    return next(colour for prefix, colour in PLAN_COLOURS if code.upper().startswith(prefix))


@dataclass(frozen=True)
class MapUrls:
    """The URLs a map needs: the solar tiles (an XYZ template) and the optional background."""

    solar_tiles: str
    background: str | None = None
    background_attribution: str = ""
    max_zoom: int = 21


@dataclass(frozen=True)
class LayerNames:
    """The layer switcher's labels in the page's language."""

    plans: str
    solar: str
    buildings: str
    property: str
    background: str = "Background map"


class MetricScale(MacroElement):
    """A metric scale bar (folium's ``control_scale`` adds feet and miles too)."""

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "L.control.scale({imperial: false, maxWidth: 150})"
        ".addTo({{ this._parent.get_name() }});{% endmacro %}"
    )


class TextTooltip(MacroElement):
    """A GeoJSON layer's tooltip: the ``fields`` of the feature under the pointer, as text.

    folium's ``GeoJsonTooltip`` writes the values into ``innerHTML``, so an imported attribute
    such as ``<img src=x onerror=…>`` would run; here each value is a line set by
    ``textContent``, which never parses HTML.
    """

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "{{ this._parent.get_name() }}.bindTooltip(function (layer) {"
        " var box = L.DomUtil.create('div');"
        " {{ this.fields|tojson }}.forEach(function (field) {"
        "  var value = layer.feature.properties[field];"
        "  if (value === null || value === undefined || value === '') { return; }"
        "  L.DomUtil.create('div', '', box).textContent = String(value);"
        " });"
        " return box;"
        "}, {sticky: true});"
        "{% endmacro %}"
    )

    def __init__(self, fields: tuple[str, ...]) -> None:
        super().__init__()
        self._name = "TextTooltip"
        self.fields = list(fields)


def _base(location: list[float], zoom: int, urls: MapUrls, names: LayerNames) -> folium.Map:
    m = folium.Map(
        location=location,
        zoom_start=zoom,
        tiles=None,
        control_scale=False,
        max_zoom=urls.max_zoom,
        prefer_canvas=False,
    )
    MetricScale().add_to(m)
    # Leaflet comes from the service itself (linked by the page); no CDN, no jQuery/Bootstrap.
    m.default_js = []
    m.default_css = []
    if urls.background:
        folium.TileLayer(
            urls.background,
            attr=urls.background_attribution or " ",
            name=names.background,
            max_zoom=urls.max_zoom,
            max_native_zoom=19,
        ).add_to(m)
    return m


def _geojson(geometry: BaseGeometry, properties: dict[str, Any] | None = None) -> dict[str, Any]:
    moved = transform_geometry(geometry, STORAGE_CRS, WGS84)
    return {"type": "Feature", "geometry": moved.__geo_interface__, "properties": properties or {}}


def _plans_layer(report: PropertyReport, name: str) -> folium.GeoJson:
    features = [
        _geojson(
            u.geometry,
            {
                "code": u.code,
                "plan": u.plan_id,
                "wording": u.wording or "",
                "fill": plan_colour(u.code),
            },
        )
        for u in report.plan_areas
    ]
    layer = folium.GeoJson(
        {"type": "FeatureCollection", "features": features},
        name=name,
        style_function=lambda f: {
            "color": "#54278f",
            "weight": 1,
            "dashArray": "4 3",
            "fillColor": f["properties"]["fill"],
            "fillOpacity": 0.35,
        },
    )
    TextTooltip(("code", "plan")).add_to(layer)
    return layer


def _buildings_layer(report: PropertyReport, name: str) -> folium.GeoJson:
    features = [
        _geojson(
            b.geometry,
            {
                "building": b.use or "",
                "fill": CLASS_COLOURS[report.building_classes.get(b.building_id)],
            },
        )
        for b in report.buildings
    ]
    return folium.GeoJson(
        {"type": "FeatureCollection", "features": features},
        name=name,
        style_function=lambda f: {
            "color": "#1b1b1b",
            "weight": 1.5,
            "fillColor": f["properties"]["fill"],
            "fillOpacity": 0.8,
        },
    )


def report_map(report: PropertyReport, urls: MapUrls, names: LayerNames) -> folium.Map:
    """The property's map: plan areas, solar map, buildings by class and the boundary."""
    minx, miny, maxx, maxy = transform_geometry(report.property.geometry, STORAGE_CRS, WGS84).bounds
    m = _base([(miny + maxy) / 2, (minx + maxx) / 2], 18, urls, names)
    _plans_layer(report, names.plans).add_to(m)
    folium.TileLayer(
        urls.solar_tiles,
        attr=names.solar,
        name=names.solar,
        overlay=True,
        max_zoom=urls.max_zoom,
        opacity=0.85,
    ).add_to(m)
    _buildings_layer(report, names.buildings).add_to(m)
    folium.GeoJson(
        _geojson(report.property.geometry, {"designation": report.designation}),
        name=names.property,
        style_function=lambda f: {"color": PROPERTY_COLOUR, "weight": 4, "fill": False},
    ).add_to(m)
    folium.LayerControl(collapsed=False).add_to(m)
    m.fit_bounds([[miny, minx], [maxy, maxx]], padding=(20, 20))
    return m


def overview_map(
    bounds: tuple[float, float, float, float], urls: MapUrls, names: LayerNames
) -> folium.Map:
    """The start page's map over the data set's ``bounds`` (EPSG:3006) with the solar map."""
    from shapely import box

    minx, miny, maxx, maxy = transform_geometry(box(*bounds), STORAGE_CRS, WGS84).bounds
    m = _base([(miny + maxy) / 2, (minx + maxx) / 2], 15, urls, names)
    folium.TileLayer(
        urls.solar_tiles,
        attr=names.solar,
        name=names.solar,
        overlay=True,
        max_zoom=urls.max_zoom,
        opacity=0.85,
    ).add_to(m)
    folium.Rectangle([[miny, minx], [maxy, maxx]], color="#005a8c", weight=2, fill=False).add_to(m)
    m.fit_bounds([[miny, minx], [maxy, maxx]])
    return m


@dataclass(frozen=True)
class EmbeddedMap:
    """A map's parts for a page: the element, the script, the JS names of its layers."""

    name: str
    html: Markup
    script: Markup
    layers: dict[str, str]


def embed(m: folium.Map, names: LayerNames | None = None, nonce: str | None = None) -> EmbeddedMap:
    """The ``<div>`` and ``<script>`` of a map, and its overlays' JS variables by key.

    ``nonce`` is the response's Content-Security-Policy script nonce, which the script carries.
    """
    root = m.get_root()
    if not isinstance(root, Figure):  # folium.Map puts itself in a Figure when it is made
        raise TypeError(f"the map's root is a {type(root).__name__}, not a branca Figure")
    root.render()
    layers = {}
    if names is not None:
        labels = {getattr(names, key): key for key in LAYER_KEYS}
        for child in m._children.values():
            key = labels.get(getattr(child, "layer_name", None))
            if key:
                layers[key] = child.get_name()
    return EmbeddedMap(
        m.get_name(),
        Markup(root.html.render()),
        Markup('<script nonce="%s">') % (nonce or "")
        + Markup(root.script.render())
        + Markup("</script>"),
        layers,
    )
