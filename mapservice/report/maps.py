"""Folium (Leaflet) maps built from a report object, served with the service's own Leaflet.

:func:`report_map` draws a :class:`~mapservice.report.PropertyReport`: the plan areas with their
codes and what the plan says (prickmark, korsmark, egenskapsområden with their codes, as
:mod:`.map_symbols` draws them), the solar map as tiles, the buildings with their roof faces
outlined by solar class (each face a keyboard-focusable button with its figures) and the
property's boundary, with a layer switcher and a scale. :func:`overview_map` is the start
page's map to click on. Both only know URLs the service serves itself (:class:`MapUrls`); the
optional background map is the one exception, and only when the setting names one.

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
import shapely
from branca.element import Figure, MacroElement
from jinja2 import Template
from markupsafe import Markup
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

from layers.crs import transform_geometry
from mapservice.report import PropertyReport
from mapservice.report.map_symbols import (
    CLASS_COLOURS,
    SYMBOLS,
    face_lines,
    plan_colour,
    plan_labels,
    rule_symbol,
)
from sweref import STORAGE_CRS, WGS84

__all__ = [
    "CLASS_COLOURS",
    "LAYER_KEYS",
    "FeatureText",
    "MapUrls",
    "embed",
    "overview_map",
    "plan_colour",
    "report_map",
    "symbol_style",
]

#: The map's overlays by the key the share link uses.
LAYER_KEYS = ("plans", "solar", "buildings", "property")
#: How far around the property's bounds the plan's codes are labelled (m).
LABELS_WITHIN_M = 15.0


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


def symbol_style(key: str, fill: str | None = None) -> dict[str, Any]:
    """Leaflet's path options for symbol ``key`` (``fill`` overrides the symbol's)."""
    symbol = SYMBOLS[key]
    style: dict[str, Any] = {"color": symbol.stroke, "weight": symbol.weight}
    if symbol.dash:
        style["dashArray"] = " ".join(map(str, symbol.dash))
    if symbol.pattern:
        style |= {"fillColor": f"url(#mf-{symbol.pattern})", "fillOpacity": 1}
    elif fill or symbol.fill:
        style |= {"fillColor": fill or symbol.fill, "fillOpacity": symbol.fill_opacity or 0.3}
    else:
        style["fill"] = False
    return style


class FeatureText(MacroElement):
    """Words and keyboard access for a GeoJSON layer's features, always written as text.

    A feature's ``lines`` become its popup (a click, or Enter on a focused face), its ``label``
    a permanent label on the map, and a feature with ``focus`` is a button in the tab order
    whose accessible name is its lines. folium's ``GeoJsonTooltip`` writes values into
    ``innerHTML``, so an imported attribute such as ``<img src=x onerror=…>`` would run; here
    every value is set by ``textContent``, which never parses HTML. The layer's SVG gets the
    plan map's rasters (``url(#mf-dots)``, ``url(#mf-crosses)``) as patterns.
    """

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "(function (layer) {"
        " var ns = 'http://www.w3.org/2000/svg';"
        " function text(lines, tag) {"
        "  var box = L.DomUtil.create(tag || 'div');"
        "  lines.forEach(function (line) { L.DomUtil.create('div', '', box).textContent = line; });"
        "  return box;"
        " }"
        " function patterns(svg) {"
        "  if (!svg || svg.querySelector('#mf-dots')) { return; }"
        "  var defs = document.createElementNS(ns, 'defs');"
        "  {{ this.patterns|tojson }}.forEach(function (p) {"
        "   var pattern = document.createElementNS(ns, 'pattern');"
        "   pattern.setAttribute('id', 'mf-' + p.name);"
        "   pattern.setAttribute('patternUnits', 'userSpaceOnUse');"
        "   pattern.setAttribute('width', '9'); pattern.setAttribute('height', '9');"
        "   var mark = document.createElementNS(ns, 'path');"
        "   var dots = p.name === 'dots';"
        "   mark.setAttribute('d', dots ? 'M3.2 4.5a1.3 1.3 0 1 0 2.6 0a1.3 1.3 0 1 0 -2.6 0'"
        "    : 'M2.5 2.5L6.5 6.5M6.5 2.5L2.5 6.5');"
        "   mark.setAttribute(dots ? 'fill' : 'stroke', p.ink);"
        "   if (!dots) {"
        "    mark.setAttribute('stroke-width', '1.3'); mark.setAttribute('fill', 'none');"
        "   }"
        "   pattern.appendChild(mark); defs.appendChild(pattern);"
        "  });"
        "  svg.insertBefore(defs, svg.firstChild);"
        " }"
        " function decorate(l) {"  # on every add: Leaflet makes a new element each time
        "  var p = l.feature.properties, el = l.getElement();"
        "  patterns(el.ownerSVGElement);"
        "  el.setAttribute('data-symbol', p.symbol);"
        "  if (!p.focus) { return; }"
        "  el.setAttribute('tabindex', '0'); el.setAttribute('role', 'button');"
        "  el.setAttribute('aria-label', p.lines.join(', '));"
        "  el.setAttribute('data-face', p.focus);"
        "  L.DomEvent.on(el, 'focus', function () { l.openPopup(); });"
        "  L.DomEvent.on(el, 'blur', function () { l.closePopup(); });"
        "  L.DomEvent.on(el, 'keydown', function (e) {"
        "   if (e.key !== 'Enter' && e.key !== ' ') { return; }"
        "   l.openPopup(); L.DomEvent.preventDefault(e);"
        "  });"
        " }"
        " layer.eachLayer(function (l) {"
        "  var p = l.feature.properties;"
        "  if (p.lines) { l.bindPopup(text(p.lines)); }"
        "  var label = p.label && L.tooltip({permanent: true, direction: 'center',"
        "   className: 'map-label', interactive: false})"
        "   .setLatLng(p.label_at).setContent(text([p.label], 'span'));"
        "  l.on('add', function () { decorate(l); if (label) { l._map.openTooltip(label); } });"
        "  l.on('remove', function () { if (label) { label.remove(); } });"
        "  if (l._map) { decorate(l); if (label) { l._map.openTooltip(label); } }"
        " });"
        "}({{ this._parent.get_name() }}));"
        "{% endmacro %}"
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "FeatureText"
        self.patterns = [
            {"name": s.pattern, "ink": s.ink} for s in SYMBOLS.values() if s.pattern is not None
        ]


def _layer(features: list[dict[str, Any]], name: str) -> folium.GeoJson:
    layer = folium.GeoJson(
        {"type": "FeatureCollection", "features": features},
        name=name,
        style_function=lambda f: f["properties"]["style"],
    )
    FeatureText().add_to(layer)
    return layer


def _label(label: tuple[Point, str] | None) -> dict[str, Any]:
    """A feature's label and where it stands ([lat, lon])."""
    if label is None:
        return {}
    lon, lat = shapely.get_coordinates(transform_geometry(label[0], STORAGE_CRS, WGS84))[0]
    return {"label": label[1], "label_at": [round(float(lat), 7), round(float(lon), 7)]}


def _plans_layer(report: PropertyReport, name: str) -> folium.GeoJson:
    """The användningsområden with their use codes, then the egenskapsområden over them."""
    within = report.property.geometry.envelope.buffer(LABELS_WITHIN_M)
    labels = {id(area): (point, text) for area, point, text in plan_labels(report, within)}
    features = [
        _geojson(
            u.geometry,
            {
                "symbol": "plan.use",
                **_label(labels.get(id(u.geometry))),
                "lines": [line for line in (u.code, u.wording, u.plan_id) if line],
                "style": symbol_style("plan.use", plan_colour(u.code)),
            },
        )
        for u in report.plan_areas
    ]
    for r in report.plan_rules:
        key = rule_symbol(r.code, r.category)
        features.append(
            _geojson(
                r.geometry,
                {
                    "symbol": key,
                    **_label(labels.get(id(r.geometry))),
                    "lines": [
                        line for line in (r.code, r.wording or r.category, r.plan_id) if line
                    ],
                    "style": symbol_style(key),
                },
            )
        )
    return _layer(features, name)


def _buildings_layer(report: PropertyReport, name: str, lang: str) -> folium.GeoJson:
    """The buildings' outlines, and over them each roof face outlined in its solar class."""
    features = [
        _geojson(b.geometry, {"symbol": "building", "style": symbol_style("building")})
        for b in report.buildings
    ]
    faces = report.solar.faces if report.solar is not None else ()
    for number, face in enumerate(faces, start=1):
        if face.geometry.is_empty:
            continue
        key = f"face.{face.suitability}"
        features.append(
            _geojson(
                face.geometry,
                {
                    "symbol": key,
                    "focus": number,
                    "lines": face_lines(face, number, lang),
                    "style": symbol_style(key),
                },
            )
        )
    return _layer(features, name)


def report_map(
    report: PropertyReport, urls: MapUrls, names: LayerNames, lang: str = "sv"
) -> folium.Map:
    """The property's map: plan areas and rules, solar map, roof faces by class, boundary.

    The faces' words are in ``lang``; what is drawn is :func:`.map_symbols.drawn`.
    """
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
    _buildings_layer(report, names.buildings, lang).add_to(m)
    boundary = {"symbol": "property", "style": symbol_style("property")}
    _layer([_geojson(report.property.geometry, boundary)], names.property).add_to(m)
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
    control: str = ""  # the JS name of its layer control, if it has one


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
    control = next(
        (c.get_name() for c in m._children.values() if isinstance(c, folium.LayerControl)), ""
    )
    script = root.script.render()
    if control:  # folium declares its layer control with let, out of the page script's reach
        script = script.replace(
            f"let {control} = L.control.layers(", f"var {control} = L.control.layers("
        )
    return EmbeddedMap(
        m.get_name(),
        Markup(root.html.render()),
        Markup('<script nonce="%s">') % (nonce or "") + Markup(script) + Markup("</script>"),
        layers,
        control,
    )
