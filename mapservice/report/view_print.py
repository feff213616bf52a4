"""The layer viewer's print: the current view as a PDF at a chosen scale and paper size.

A planner picks a scale (1:500 … 1:10 000), a paper (A4 or A3, portrait or landscape) and the
layers shown; the map is drawn as vectors with ReportLab from the layer store, north up in
SWEREF 99 TM, so the scale is exact on paper: 1 m on the ground is ``1000 / scale`` mm. Beside
it: the legend of the layers drawn, a scale bar, a north arrow, the scale and paper, the date
it was made and every layer's source with its import date. No browser, no network, no Flask:
the web view (:mod:`mapservice.web.viewer`) parses the request into a :class:`PrintSpec` and
hands the words in the request's language.

>>> spec = PrintSpec((616000.0, 6918000.0), 1000, "a4", "landscape", ("parcels",))
>>> [round(v) for v in spec.bounds]
[615862, 6917926, 616138, 6918074]
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime

import shapely
from PIL import Image
from reportlab.lib import colors
from reportlab.lib.pagesizes import A3, A4, landscape, portrait
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader, simpleSplit
from reportlab.pdfgen.canvas import Canvas
from shapely.geometry import box
from shapely.geometry.base import BaseGeometry

from layers.store import LayerStore
from mapservice.report.map_image import Extent, solar_image
from mapservice.report.north_arrow import north_arrow
from solar.colormap import DEFAULT_RAMP
from solar.raster import RasterSource

__all__ = ["LAYER_STYLES", "PAPERS", "SCALES", "PrintSpec", "print_view", "scale_bar_metres"]

#: The scales a view is printed at (the denominators).
SCALES = (500, 1000, 2000, 5000, 10000)
#: Paper sizes in points (portrait).
PAPERS = {"a4": A4, "a3": A3}
ORIENTATIONS = ("portrait", "landscape")
#: How each layer is drawn in the viewer and its print: outline colour, fill colour (None: no
#: fill), and whether the viewer shows it when the page opens.
LAYER_STYLES: dict[str, tuple[str, str | None, bool]] = {
    "parcels": ("#1f1f1f", None, True),
    "addresses": ("#6a1b9a", "#6a1b9a", False),
    "buildings": ("#5d4037", "#a1887f", True),
    "plans": ("#0b5394", None, False),
    "plan_uses": ("#2e7d32", "#a5d6a7", True),
    "plan_rules": ("#b71c1c", "#ef9a9a", False),
    "roof_faces": ("#e65100", "#ffcc80", False),
}
#: The solar map's name among the print's layers (a raster, not a layer of the store).
SOLAR = "solar"
#: The smallest scale the solar map is printed at (its pixels are read at full resolution).
SOLAR_MAX_SCALE = 2000
#: Resolution the solar map is put on paper at.
SOLAR_DPI = 150
#: How a layer without a style of its own is drawn.
DEFAULT_STYLE = ("#333333", None, False)
#: Drawing order, bottom to top: areas under lines and points.
ORDER = ("plans", "plan_uses", "plan_rules", "parcels", "buildings", "roof_faces", "addresses")

MARGIN = 10 * mm
BAND = 42 * mm  # below the map: legend, scale bar, scale, date and sources
Translate = Callable[[str], str]


@dataclass(frozen=True)
class PrintSpec:
    """What to print: the view's centre (SWEREF 99 TM), scale, paper, orientation, layers."""

    centre: tuple[float, float]
    scale: int
    paper: str
    orientation: str
    layers: tuple[str, ...]

    @property
    def page(self) -> tuple[float, float]:
        """The page's width and height in points."""
        size = PAPERS[self.paper]
        return landscape(size) if self.orientation == "landscape" else portrait(size)

    @property
    def frame(self) -> tuple[float, float]:
        """The map frame's width and height in points."""
        width, height = self.page
        return width - 2 * MARGIN, height - 2 * MARGIN - BAND

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        """The ground the map frame shows, in SWEREF 99 TM (minx, miny, maxx, maxy)."""
        metres_per_point = self.scale / 1000 / mm
        half_w, half_h = (v * metres_per_point / 2 for v in self.frame)
        x, y = self.centre
        return (x - half_w, y - half_h, x + half_w, y + half_h)


def scale_bar_metres(width_m: float) -> int:
    """A round scale bar length near a fifth of the map's width on the ground.

    >>> scale_bar_metres(270.0), scale_bar_metres(2770.0), scale_bar_metres(38.0)
    (50, 500, 5)
    """
    target = width_m / 5
    base = 10 ** math.floor(math.log10(target))
    return int(max(m * base for m in (1, 2, 5) if m * base <= target))


def _number(value: int, lang: str) -> str:
    """``10 000`` in Swedish and ``10,000`` in English (a thin space is not in Helvetica)."""
    return f"{value:,}".replace(",", " " if lang == "sv" else ",")


class _Sheet:
    """The canvas and the transform from SWEREF 99 TM to the map frame's points."""

    def __init__(self, canvas: Canvas, spec: PrintSpec) -> None:
        self.c, self.spec = canvas, spec
        self.minx, self.miny, _, _ = spec.bounds
        self.k = 1000 / spec.scale * mm  # points per metre
        self.x0, self.y0 = MARGIN, MARGIN + BAND

    def point(self, x: float, y: float) -> tuple[float, float]:
        return self.x0 + (x - self.minx) * self.k, self.y0 + (y - self.miny) * self.k

    def geometry(self, geom: BaseGeometry, stroke: str, fill: str | None) -> None:
        c = self.c
        c.setStrokeColor(colors.HexColor(stroke))
        if fill:
            c.setFillColor(colors.HexColor(fill), alpha=0.45)
        for part in shapely.get_parts(geom):
            if part.geom_type == "Point":
                px, py = self.point(part.x, part.y)
                c.setFillColor(colors.HexColor(fill or stroke))
                c.circle(px, py, 1.2, stroke=0, fill=1)
                continue
            rings = [part.exterior, *part.interiors] if part.geom_type == "Polygon" else [part]
            path = c.beginPath()
            for ring in rings:
                points = [self.point(x, y) for x, y in ring.coords]
                path.moveTo(*points[0])
                for p in points[1:]:
                    path.lineTo(*p)
                if part.geom_type == "Polygon":
                    path.close()
            closed = part.geom_type == "Polygon"
            c.drawPath(path, stroke=1, fill=1 if fill and closed else 0, fillMode=0)


def _ramp(c: Canvas, x: float, y: float) -> None:
    """The solar map's colour ramp as a legend swatch, low (left) to high."""
    stops = DEFAULT_RAMP.legend(5)
    for i, stop in enumerate(stops):
        c.setFillColor(colors.HexColor(stop["color"]))
        c.rect(x + i * mm, y, 1 * mm, 3 * mm, stroke=0, fill=1)
    c.setFillColor(colors.black)


def _draw_solar(sheet: _Sheet, solar_map: RasterSource | None) -> tuple[str, int, int]:
    """Put the solar map under the layers when it is asked for and the scale allows it;
    (name, 1 if drawn else 0, 1) for the legend."""
    spec = sheet.spec
    if solar_map is None or spec.scale > SOLAR_MAX_SCALE:
        return (SOLAR, 0, 1)
    size = tuple(max(1, round(v / 72 * SOLAR_DPI)) for v in spec.frame)
    image = solar_image(solar_map, Extent(spec.bounds), (size[0], size[1]))
    white = Image.new("RGBA", image.size, (255, 255, 255, 255))
    flat = Image.alpha_composite(white, image).convert("RGB")
    sheet.c.drawImage(ImageReader(flat), sheet.x0, sheet.y0, *spec.frame)
    return (SOLAR, 1, 1)


def _draw_layers(sheet: _Sheet, store: LayerStore, limit: int) -> list[tuple[str, int, int]]:
    """Draw the spec's layers inside the frame; (layer, drawn, matched) of each."""
    c, spec = sheet.c, sheet.spec
    frame = box(*spec.bounds)
    c.saveState()
    clip = c.beginPath()
    clip.rect(sheet.x0, sheet.y0, *spec.frame)
    c.clipPath(clip, stroke=0, fill=0)
    c.setLineWidth(0.5)
    counts = []
    others = [n for n in spec.layers if n not in ORDER and n != SOLAR]
    ordered = [n for n in ORDER if n in spec.layers] + others
    for name in ordered:
        stroke, fill, _on = LAYER_STYLES.get(name, DEFAULT_STYLE)
        page = store.features(name, spec.bounds, limit=limit)
        for feature in page.features:
            if feature.geometry is None:
                continue
            geom = feature.geometry.intersection(frame.buffer(1.0))
            if not geom.is_empty:
                sheet.geometry(geom, stroke, fill)
        counts.append((name, len(page.features), page.number_matched or len(page.features)))
    c.restoreState()
    c.setStrokeColor(colors.black)
    c.setLineWidth(0.8)
    c.rect(sheet.x0, sheet.y0, *spec.frame)
    return counts


def _scale_bar(sheet: _Sheet, x: float, y: float, lang: str) -> None:
    c, spec = sheet.c, sheet.spec
    metres = scale_bar_metres(spec.bounds[2] - spec.bounds[0])
    length = metres * sheet.k
    c.setLineWidth(0.6)
    for i in range(4):  # four alternating black and white parts
        c.setFillColor(colors.black if i % 2 == 0 else colors.white)
        c.rect(x + i * length / 4, y, length / 4, 2 * mm, stroke=1, fill=1)
    c.setFillColor(colors.black)
    c.setFont("Helvetica", 8)
    c.drawString(x, y + 3 * mm, "0")
    c.drawRightString(x + length, y + 3 * mm, f"{_number(metres, lang)} m")


def print_view(
    store: LayerStore,
    spec: PrintSpec,
    titles: Mapping[str, str],
    sources: Mapping[str, str],
    _: Translate,
    lang: str,
    made: datetime,
    solar_map: RasterSource | None = None,
) -> bytes:
    """The view as a one-page PDF (see the module's description).

    Parameters
    ----------
    store
        The layer store the layers are read from (at most ``store.max_items`` features each;
        the PDF says when a layer had more).
    spec
        The view, scale, paper and layers.
    titles
        Each layer's name in ``lang``.
    sources
        Each layer's source: its licence and the date of its data.
    _
        ``gettext`` in ``lang``.
    made
        When the print was made (its date is printed).
    solar_map
        The solar map, drawn under the layers when ``spec.layers`` names ``solar`` and the scale
        is 1:2 000 or larger (the legend says when it is not printed).
    """
    buffer = io.BytesIO()
    width, height = spec.page
    c = Canvas(buffer, pagesize=(width, height), pageCompression=1)
    c.setTitle(_("Map print") + f" 1:{spec.scale}")
    c.setAuthor("Min fastighet")
    sheet = _Sheet(c, spec)
    solar = _draw_solar(sheet, solar_map) if SOLAR in spec.layers else None
    counts = _draw_layers(sheet, store, store.max_items)
    if solar is not None:
        counts.insert(0, solar)
    north_arrow(c, sheet.x0 + spec.frame[0] - 10 * mm, sheet.y0 + spec.frame[1] - 18 * mm)
    top = MARGIN + BAND - 6 * mm
    c.setFont("Helvetica-Bold", 11)
    c.setFillColor(colors.black)
    paper = {"portrait": _("portrait"), "landscape": _("landscape")}[spec.orientation]
    c.drawString(MARGIN, top, _("Scale") + f" 1:{_number(spec.scale, lang)}")
    c.setFont("Helvetica", 8)
    c.drawString(MARGIN, top - 4 * mm, f"{spec.paper.upper()} {paper}, SWEREF 99 TM")
    c.drawString(MARGIN, top - 8 * mm, _("Printed") + f" {made.date().isoformat()}")
    _scale_bar(sheet, MARGIN, top - 16 * mm, lang)
    c.setFont("Helvetica-Bold", 9)
    legend_x = MARGIN + 62 * mm
    c.drawString(legend_x, top, _("Legend"))
    c.setFont("Helvetica", 8)
    for i, (name, drawn, matched) in enumerate(counts):
        stroke, fill, _on = LAYER_STYLES.get(name, DEFAULT_STYLE)
        col, row = divmod(i, 4)
        x, y = legend_x + col * 52 * mm, top - (row + 1) * 4.5 * mm
        label = titles.get(name, name)
        if name == SOLAR:
            _ramp(c, x, y - 0.5 * mm)
            label += " " + (
                _("(kWh/m² per year, estimate)") if drawn else _("(printed at 1:2 000 or larger)")
            )
            c.drawString(x + 7 * mm, y, label)
            continue
        c.setStrokeColor(colors.HexColor(stroke))
        c.setFillColor(colors.HexColor(fill or "#ffffff"), alpha=0.45 if fill else 1)
        c.rect(x, y - 0.5 * mm, 5 * mm, 3 * mm, stroke=1, fill=1)
        c.setFillColor(colors.black, alpha=1)
        if drawn < matched:
            label += " " + _("(%(drawn)s of %(matched)s drawn)") % {
                "drawn": drawn,
                "matched": matched,
            }
        c.drawString(x + 7 * mm, y, label)
    listed = [f"{titles.get(n, n)}: {sources[n]}" for n, _d, _m in counts if n in sources]
    c.setFont("Helvetica", 6.5)
    text = _("Sources") + ": " + "; ".join(listed)
    for i, line in enumerate(simpleSplit(text, "Helvetica", 6.5, width - 2 * MARGIN)[:3]):
        c.drawString(MARGIN, MARGIN + (12 - 3 * i) * mm, line)
    c.drawString(MARGIN, MARGIN + 2 * mm, _("The map is not legally binding."))
    c.showPage()
    c.save()
    return buffer.getvalue()
