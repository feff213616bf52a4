"""The PDF map's legend as vectors: one line per symbol the map image draws, drawn the same way.

The entries are :func:`mapservice.report.map_symbols.legend`'s, the page's legend too, so the
PDF's legend lists exactly what :func:`mapservice.report.map_image.render_map` draws: lines with
their dashes, roof faces by class, prickmark as dots, korsmark as crosses, the land use fills.
"""

from __future__ import annotations

from reportlab.graphics.shapes import Circle, Drawing, Line, Rect, String
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth

from mapservice.report import PropertyReport
from mapservice.report.map_symbols import LegendEntry, Symbol, legend

__all__ = ["legend_drawing"]

WIDTH = 45 * mm
RAMP = ("#2c7bb6", "#92c6df", "#ddf0d0", "#fedf99", "#f59053", "#d7191c")
FONT, SIZE = "Helvetica", 6.5


def _rect(x: float, y: float, width: float, symbol: Symbol | None, fill: str | None) -> Rect:
    """A swatch 3 mm high (attributes set one by one: the stubs type Rect's keywords as one
    dict)."""
    rect = Rect(x, y, width, 3 * mm)
    rect.fillColor = colors.HexColor(fill) if fill else None
    if fill and symbol is not None and symbol.fill_opacity:
        rect.fillOpacity = symbol.fill_opacity
    rect.strokeColor = colors.HexColor(symbol.stroke) if symbol and symbol.stroke else None
    rect.strokeWidth = 0.0 if symbol is None else symbol.weight * 0.5
    if symbol is not None and symbol.dash:
        rect.strokeDashArray = [d * 0.5 for d in symbol.dash]
    return rect


def _swatch(drawing: Drawing, entry: LegendEntry, y: float) -> None:
    s = entry.symbol
    if entry.key == "solar":
        for j, stop in enumerate(RAMP):
            drawing.add(_rect(j * mm, y, mm, None, stop))
    elif entry.key == "property":
        line = Line(0, y + 1.5 * mm, 6 * mm, y + 1.5 * mm)
        line.strokeColor, line.strokeWidth = colors.HexColor(s.stroke), 2.5
        drawing.add(line)
    elif entry.fills:
        width = 6 * mm / len(entry.fills)
        for j, fill in enumerate(entry.fills):
            drawing.add(_rect(j * width, y, width, None, fill))
        drawing.add(_rect(0, y, 6 * mm, s, None))
    else:
        drawing.add(_rect(0, y, 6 * mm, s, s.fill))
    if s.pattern:
        _raster(drawing, s, y)


def _raster(drawing: Drawing, s: Symbol, y: float) -> None:
    """Six dots or crosses in a swatch, in the ink the map image uses."""
    ink = colors.HexColor(s.ink)
    for cx in (1 * mm, 3 * mm, 5 * mm):
        for cy in (y + 0.8 * mm, y + 2.2 * mm):
            if s.pattern == "dots":
                dot = Circle(cx, cy, 0.25 * mm)
                dot.fillColor, dot.strokeColor = ink, None
                drawing.add(dot)
                continue
            for dx in (-1, 1):
                arm = Line(cx - 0.4 * mm, cy - dx * 0.4 * mm, cx + 0.4 * mm, cy + dx * 0.4 * mm)
                arm.strokeColor, arm.strokeWidth = ink, 0.5
                drawing.add(arm)


def _lines(text: str, width: float) -> list[str]:
    """``text`` broken into lines no wider than ``width`` points."""
    lines: list[str] = []
    for word in text.split():
        if lines and stringWidth(f"{lines[-1]} {word}", FONT, SIZE) <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines


def legend_drawing(report: PropertyReport, lang: str) -> Drawing:
    """The legend of ``report``'s PDF map in ``lang`` as a ReportLab drawing."""
    entries = legend(report, lang)
    wrapped = [_lines(e.label, WIDTH - 8 * mm) for e in entries]
    step = SIZE + 1.2
    heights = [max(5 * mm, len(lines) * step + 2 * mm) for lines in wrapped]
    drawing = Drawing(WIDTH, sum(heights))
    top = drawing.height
    for entry, lines, height in zip(entries, wrapped, heights, strict=True):
        y = top - 4 * mm
        _swatch(drawing, entry, y)
        for i, line in enumerate(lines):
            drawing.add(String(8 * mm, y + 0.6 * mm - i * step, line, fontName=FONT, fontSize=SIZE))
        top -= height
    return drawing
