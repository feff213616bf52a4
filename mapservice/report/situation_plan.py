"""The building check as an A4 PDF: a situationsplan-style sketch at a stated scale, the check's
table, and the documents an application or a notification needs.

The sketch (:mod:`mapservice.report.sketch`) is drawn as vectors at the largest of the usual
scales (1:200, 1:400, 1:500, 1:1000, 1:2000) that fits the page, with a north arrow, a scale
bar, a legend and the planned building's shortest distance to the boundary. It is a sketch
for talking to the municipality, not the situationsplan of an application (that is drawn on a
nybyggnadskarta). No Flask.

>>> choose_scale(30.0), choose_scale(120.0), choose_scale(700.0)
(200, 1000, 5000)
"""

from __future__ import annotations

import io
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from layers.models import Property
from mapservice.report.building_check import BuildingCheckReport
from mapservice.report.sketch import LAYERS, OPACITY, Sketch, sketch
from mapservice.wording import _l, gettext

__all__ = ["DOCUMENTS", "choose_scale", "situation_plan_pdf", "situation_plan_story"]

SCALES = (200, 400, 500, 1000, 2000, 5000)
FIG_W, FIG_H = 170 * mm, 130 * mm

LEGEND: dict[str, str] = {
    "property": _l("Property boundary"),
    "winter_shadow": _l("Shadow, 21 December"),
    "summer_shadow": _l("Shadow, 21 June"),
    "prickmark": _l("Prickmark: no building"),
    "korsmark": _l("Korsmark: outbuildings only"),
    "protection": _l("Protection provision (q)"),
    "buildings": _l("Existing buildings"),
    "planned": _l("Planned building"),
}

#: What to hand in (or keep), by procedure (research note of issue 15, section 3).
DOCUMENTS: dict[str, tuple[str, ...]] = {
    "bygglov": (
        _l("Application form: property designation, your name, address and personal number"),
        _l("Situationsplan 1:400 or 1:500 with a north arrow, on a nybyggnadskarta in a plan"),
        _l("Floor plan, facades and section 1:100"),
        _l("Technical description and a proposed control plan (kontrollplan)"),
        _l("A waste management plan, and a certified supervisor (KA) where required"),
    ),
    "anmalan": (
        _l("Notification form (anmälan) with the same details as an application"),
        _l("A description of the measure and drawings as needed"),
        _l("Technical description and a proposed control plan; wait for the start notice"),
    ),
    "none": (
        _l(
            "Nothing to hand in; keep the neighbours' signed consent if you build closer "
            "than 4.5 m to the boundary"
        ),
        _l(
            "The technical requirements still apply (fire: 8 m between buildings or a "
            "fire-separating wall)"
        ),
    ),
    "not_allowed": (
        _l(
            "Talk to the municipality: a permit for a building against the plan is refused "
            "unless the deviation is small"
        ),
    ),
}
TITLE = _l("Can I build? Situation plan (sketch)")
SCALE = _l("Scale 1:%(scale)s on A4. A sketch, not an application's situation plan.")
DISTANCE = _l("Shortest distance from the planned building to the boundary: %(metres)s m")
DOCS_TITLE = _l("What to hand in")
CHECKS_TITLE = _l("Rule by rule")
STATUS = {"ok": _l("OK"), "conflict": _l("Conflict"), "unknown": _l("Cannot tell")}


def choose_scale(extent_m: float) -> int:
    """The largest usual scale at which ``extent_m`` metres fit the figure's 170 mm."""
    for scale in SCALES:
        if extent_m * 1000 / scale <= FIG_W / mm:
            return scale
    return SCALES[-1]


class SketchFigure(Flowable):
    """The sketch at ``scale``, with a north arrow and a scale bar."""

    def __init__(self, drawn: Sketch, scale: int) -> None:
        super().__init__()
        self.drawn, self.scale = drawn, scale
        self.unit = 1000 / scale * mm  # one metre on paper
        self.width, self.height = FIG_W, min(FIG_H, drawn.height * self.unit + 12 * mm)

    def draw(self) -> None:
        c, u, top = self.canv, self.unit, self.height
        for key, (fill, stroke) in LAYERS.items():
            d = self.drawn.paths.get(key)
            if not d:
                continue
            _paint(c, key, fill, stroke)
            for ring in d.strip("MZ").split("ZM"):
                p = c.beginPath()
                for i, pair in enumerate(ring.split("L")):
                    x, y = (float(v) for v in pair.split(","))
                    (p.moveTo if i == 0 else p.lineTo)(x * u, top - y * u)
                p.close()
                c.drawPath(p, fill=fill != "none", stroke=stroke != "none")
        if self.drawn.distance is not None:
            x1, y1, x2, y2, metres = self.drawn.distance
            c.setStrokeColor(colors.HexColor("#c00000"))
            c.line(x1 * u, top - y1 * u, x2 * u, top - y2 * u)
            c.setFillColor(colors.HexColor("#c00000"))
            c.drawString((x1 + x2) / 2 * u + 2, top - (y1 + y2) / 2 * u, f"{metres:g} m")
        c.setFillAlpha(1)
        c.setFillColor(colors.black)
        c.setStrokeColor(colors.black)
        ax = self.width - 8 * mm  # north arrow
        c.line(ax, top - 14 * mm, ax, top - 4 * mm)
        c.line(ax, top - 4 * mm, ax - 2 * mm, top - 7 * mm)
        c.line(ax, top - 4 * mm, ax + 2 * mm, top - 7 * mm)
        c.drawCentredString(ax, top - 18 * mm, "N")
        bar = 10 if self.drawn.width > 40 else 5  # scale bar (m)
        c.line(0, 2 * mm, bar * u, 2 * mm)
        c.drawString(bar * u + 2 * mm, 1 * mm, f"{bar} m")


def situation_plan_pdf(
    report: BuildingCheckReport, prop: Property, answer: dict[str, Any], lang: str
) -> io.BytesIO:
    """The PDF of one check; ``answer`` is the check worded in ``lang`` (``check_json``)."""
    out = io.BytesIO()
    SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=gettext(lang, TITLE),
    ).build(situation_plan_story(report, prop, answer, lang))
    out.seek(0)
    return out


def situation_plan_story(
    report: BuildingCheckReport, prop: Property, answer: dict[str, Any], lang: str
) -> list[Flowable]:
    """The situationsplan's flowables (sketch, legend, checks, documents), for a PDF of its own
    or as the property report's last pages; ``answer`` as for :func:`situation_plan_pdf`."""
    drawn = sketch(report.site, report.check.building, report.shade)
    scale = choose_scale(max(drawn.width, drawn.height * FIG_W / FIG_H))
    styles = getSampleStyleSheet()
    small = styles["BodyText"].clone("small", fontSize=8, leading=10)

    def t(message: str, **params: object) -> str:
        return escape(gettext(lang, message, **params))

    story: list[Flowable] = [
        Paragraph(t(TITLE), styles["Title"]),
        Paragraph(escape(str(prop.designation)), styles["Heading2"]),
        Paragraph(t(SCALE, scale=scale), small),
        SketchFigure(drawn, scale),
        Spacer(1, 3 * mm),
        _legend(drawn, lang, small),
    ]
    if drawn.distance is not None:
        story.append(Paragraph(t(DISTANCE, metres=f"{drawn.distance[4]:g}"), small))
    story += [
        Paragraph(escape(answer["procedure_text"]), styles["Heading2"]),
        Paragraph(escape(answer["guidance"]), small),
        Paragraph(t(CHECKS_TITLE), styles["Heading3"]),
    ]
    rows = [
        [
            Paragraph(t(STATUS[c["status"]]), small),
            Paragraph(escape(c["text"]), small),
            Paragraph(escape(c["source"]), small),
        ]
        for c in answer["checks"]
    ]
    table = Table(rows, colWidths=(22 * mm, 100 * mm, 48 * mm))
    table.setStyle(
        TableStyle(
            [("VALIGN", (0, 0), (-1, -1), "TOP"), ("GRID", (0, 0), (-1, -1), 0.25, colors.grey)]
        )
    )
    story += [table, Paragraph(t(DOCS_TITLE), styles["Heading3"])]
    story += [Paragraph("• " + t(doc), small) for doc in DOCUMENTS[answer["procedure"]]]
    return story


def _legend(drawn: Sketch, lang: str, style: Any) -> Table:
    cells = [
        [_Swatch(key), Paragraph(escape(gettext(lang, LEGEND[key])), style)]
        for key in LAYERS
        if key in drawn.paths
    ]
    return Table(cells, colWidths=(8 * mm, 80 * mm), hAlign="LEFT")


def _paint(canvas: Any, key: str, fill: str, stroke: str) -> None:
    """Set ``canvas``'s colours to layer ``key``'s, its fill as see-through as on the page."""
    canvas.setFillColor(colors.HexColor(fill) if fill != "none" else colors.white)
    canvas.setFillAlpha(OPACITY.get(key, 1.0))
    canvas.setStrokeColor(colors.HexColor(stroke) if stroke != "none" else colors.white)


class _Swatch(Flowable):
    def __init__(self, key: str) -> None:
        super().__init__()
        self.key = key
        self.width, self.height = 6 * mm, 4 * mm

    def draw(self) -> None:
        _paint(self.canv, self.key, *LAYERS[self.key])
        self.canv.rect(0, 0, self.width, self.height, fill=1, stroke=1)
