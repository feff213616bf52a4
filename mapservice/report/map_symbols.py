"""What the report's maps draw, said once for the web map, the PDF's map image and both legends.

Every feature a report map draws carries a symbol key; :func:`drawn` lists the keys of one
report's map in drawing order and :func:`legend` words them, so the legend lists exactly what
the map shows. Roof faces are drawn by solar class (an outline in the class colour over a light
fill, so the solar map stays visible on the roof); the plan follows the plan map's conventions
(Boverket, PBL kunskapsbanken, see docs/LAYERS.md): prickmark as a raster of dots, korsmark as
a raster of crosses, egenskapsområden within an egenskapsgräns with their code, and
användningsområden within an användningsgräns with their use code.

>>> rule_symbol("prickmark", "prickmark"), rule_symbol("h1", "höjd")
('plan.prickmark', 'plan.rule')
>>> SYMBOLS["face.very_good"].stroke
'#b2182b'
>>> SYMBOLS["plan.korsmark"].pattern
'crosses'
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from mapservice.report.summary import number
from mapservice.wording import Wording
from solar.suitability import CLASSES, LABELS

if TYPE_CHECKING:
    from shapely.geometry import Point
    from shapely.geometry.base import BaseGeometry

    from mapservice.report.build import PropertyReport
    from solar.potential import RoofFace

__all__ = [
    "CLASS_COLOURS",
    "PLAN_COLOURS",
    "PROPERTY_COLOUR",
    "SYMBOLS",
    "LegendEntry",
    "Symbol",
    "drawn",
    "face_lines",
    "legend",
    "plan_colour",
    "plan_labels",
    "rule_symbol",
]

#: Roof faces by solar class, worst to best.
CLASS_COLOURS = {
    "poor": "#8c8c8c",
    "moderate": "#f4a582",
    "good": "#d6604d",
    "very_good": "#b2182b",
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
PLAN_LINE = "#54278f"
#: Dots of prickmark and crosses of korsmark (two inks, so a pixel says which raster it is).
PRICK_INK, KORS_INK = "#1f1f1f", "#6a1b4d"


def _l(message: str) -> str:
    """Mark ``message`` for extraction; worded at use."""
    return message


def plan_colour(code: str) -> str:
    """The fill of a plan area with use ``code``.

    >>> plan_colour("GATA"), plan_colour("B")
    ('#9e9e9e', '#e6b800')
    """
    return next(colour for prefix, colour in PLAN_COLOURS if code.upper().startswith(prefix))


@dataclass(frozen=True)
class Symbol:
    """How one kind of feature is drawn: line colour, width (px at 96 dpi) and dashes, fill
    and its opacity, an optional raster (``dots`` or ``crosses``) and its ink."""

    label: str
    stroke: str
    weight: float
    fill: str | None = None
    fill_opacity: float = 0.0
    dash: tuple[int, ...] = ()
    pattern: str | None = None
    ink: str = "#000000"


SYMBOLS: dict[str, Symbol] = {
    "property": Symbol(_l("Property boundary"), PROPERTY_COLOUR, 4),
    "building": Symbol(_l("Building"), "#1b1b1b", 1.5),
    **{
        f"face.{key}": Symbol(_l("Roof face, solar class:"), colour, 3, colour, 0.2)
        for key, colour in CLASS_COLOURS.items()
    },
    "plan.use": Symbol(
        _l("Land use area (användningsgräns) with its use code"),
        PLAN_LINE,
        1.5,
        None,
        0.3,
        (8, 3, 2, 3),
    ),
    "plan.rule": Symbol(
        _l("Property provision area (egenskapsgräns) with its code"), PLAN_LINE, 1, dash=(2, 3)
    ),
    "plan.prickmark": Symbol(
        _l("Prickmark: the land may not be built on"),
        PRICK_INK,
        1,
        dash=(2, 3),
        pattern="dots",
        ink=PRICK_INK,
    ),
    "plan.korsmark": Symbol(
        _l("Korsmark: only outbuildings may be built"),
        KORS_INK,
        1,
        dash=(2, 3),
        pattern="crosses",
        ink=KORS_INK,
    ),
    "solar": Symbol(_l("Solar map: yearly irradiation, 400 (blue) to 1 100 (red) kWh/m²"), "", 0),
}


def rule_symbol(code: str, category: str | None) -> str:
    """The symbol of an egenskapsbestämmelse with ``code`` and ``category``."""
    kind = category if category in ("prickmark", "korsmark") else code
    return f"plan.{kind}" if kind in ("prickmark", "korsmark") else "plan.rule"


def drawn(report: PropertyReport) -> tuple[str, ...]:
    """The symbol keys of ``report``'s map, each once, in the legend's order."""
    keys = {"property"}
    if report.solar is not None:
        keys.add("solar")
        keys |= {f"face.{f.suitability}" for f in report.solar.faces if f.suitability}
    if report.buildings:
        keys.add("building")
    if report.plan_areas:
        keys.add("plan.use")
    keys |= {rule_symbol(r.code, r.category) for r in report.plan_rules}
    return tuple(k for k in SYMBOLS if k in keys)


@dataclass(frozen=True)
class LegendEntry:
    """One line of a legend: the symbol's key, its words, how it is drawn and, for the land
    use areas, the fills of the use codes drawn."""

    key: str
    label: str
    symbol: Symbol
    fills: tuple[str, ...] = ()


def legend(report: PropertyReport, lang: str) -> tuple[LegendEntry, ...]:
    """The legend of ``report``'s map in ``lang``: one entry per symbol drawn, best class first."""
    _ = Wording(lang).gettext
    keys = drawn(report)
    faces = [f"face.{k}" for k in reversed(CLASSES) if f"face.{k}" in keys]
    ordered = [k for k in keys if not k.startswith("face.")]
    ordered[1:1] = faces  # after the boundary, as the roof faces are what the owner looks for
    out = []
    for key in ordered:
        symbol = SYMBOLS[key]
        label = _(symbol.label)
        fills: tuple[str, ...] = ()
        if key.startswith("face."):
            label = f"{label} {LABELS[lang][key.removeprefix('face.')]}"
        elif key == "plan.use":
            codes = sorted({u.code for u in report.plan_areas})
            label = f"{label}: {', '.join(codes)}"
            fills = tuple(dict.fromkeys(plan_colour(c) for c in codes))
        out.append(LegendEntry(key, label, symbol, fills))
    return tuple(out)


def plan_labels(
    report: PropertyReport, within: BaseGeometry
) -> list[tuple[BaseGeometry, Point, str]]:
    """The plan's codes as the map labels them, as (area, label point, text).

    Each area has its use code or egenskapsbestämmelse code, the codes of areas with the same
    shape in one label (``B e1 h1``, the use code first), as on a plan map; the label stands
    inside the part of the area that lies ``within`` the map (an area shown only outside it
    has none). Prickmark and korsmark are told by their raster and have no label.
    """
    groups: dict[tuple[float, float], tuple[BaseGeometry, list[str]]] = {}
    coded = [(u.geometry, u.code) for u in report.plan_areas] + [
        (r.geometry, r.code)
        for r in report.plan_rules
        if rule_symbol(r.code, r.category) == "plan.rule"
    ]
    for geometry, code in coded:
        if geometry.is_empty or not code:
            continue
        point = geometry.representative_point()
        _, codes = groups.setdefault((round(point.x, 1), round(point.y, 1)), (geometry, []))
        if code not in codes:
            codes.append(code)
    out = []
    for geometry, codes in groups.values():
        shown = geometry.intersection(within)
        if not shown.is_empty:
            text = " ".join(codes[:1] + sorted(codes[1:]))
            out.append((geometry, shown.representative_point(), text))
    return out


def face_lines(face: RoofFace, number_: int, lang: str) -> list[str]:
    """What a roof face's popup says in ``lang``: its number, tilt, azimuth, area, kWh/m², class."""
    _ = Wording(lang).gettext
    facing = _("flat") if face.azimuth is None else f"{number(face.azimuth, lang)}°"
    energy = number(face.irradiation, lang) if math.isfinite(face.irradiation) else _("no data")
    return [  # _("…") outside the f-strings, where pybabel finds the message ids
        _("Roof face") + f" {number_}",
        _("Tilt") + f": {number(face.tilt, lang)}°",
        _("Facing") + f": {facing}",
        _("Area") + f": {number(face.surface_m2, lang, 1)} m²",
        f"kWh/m²: {energy}",
        _("Class") + f": {LABELS[lang][face.suitability]}",
    ]
