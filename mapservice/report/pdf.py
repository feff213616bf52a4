"""The property report as an A4 PDF, made with ReportLab on the server (no browser, no network).

The map is :func:`mapservice.report.map_image.render_map` at 300 dpi with a scale bar, a north arrow
and a legend drawn beside it as vectors; then the report's sections, the date it was made, the
sources and the notice that the map is not legally binding. Texts come from the service's
gettext catalogs and the notes are worded by :mod:`mapservice.wording`, so the PDF speaks the
page's language without Flask.
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable, Iterable, Sequence
from typing import Any
from xml.sax.saxutils import escape

from babel.numbers import format_decimal
from PIL import Image
from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, PropertySet, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.platypus import (
    Flowable,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from mapservice.report import PropertyReport, deadline
from mapservice.report.map_image import Extent, render_map
from mapservice.report.north_arrow import north_arrow
from mapservice.report.pdf_legend import legend_drawing
from mapservice.report.summary import rate_rows, summarise
from mapservice.wording import AnyNote, Wording
from solar.raster import RasterSource

__all__ = ["report_pdf"]

DPI = 300

# Streams go into the PDF as deflated binary, not also ASCII85-encoded as ReportLab does by
# default (rl_config.useA85, read when a document is written): on the sample the PDFs are 17 %
# smaller (32.7 vs 39.4 kB) and made 9 % faster (125 vs 137 ms), ReportLab's ASCII85 encoder
# being Python. Every PDF reader takes binary streams; 7-bit-clean PDFs are no longer needed.
rl_config.useA85 = 0
MAP_W, MAP_H = 120 * mm, 90 * mm

#: ``gettext`` in the report's language.
Translate = Callable[[str], str]
#: The paragraph styles by name (h1, h2, p, small).
Styles = dict[str, PropertySet]


def _num(value: float | None, lang: str, digits: int = 0) -> str:
    if value is None or not math.isfinite(value):
        return "–"
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(value, pattern, locale=lang).replace("\u202f", " ").replace("\xa0", " ")


def _scale_length(width_m: float) -> float:
    """A round scale bar length near a quarter of the map's width.

    >>> _scale_length(80.0), _scale_length(430.0)
    (20, 100)
    """
    target = width_m / 4
    base = 10 ** math.floor(math.log10(target))
    return max(m * base for m in (1, 2, 5) if m * base <= target)


class MapFigure(Flowable):
    """The map image with a scale bar and a north arrow."""

    def __init__(self, image: Image.Image, extent: Extent, scale_label: str) -> None:
        super().__init__()
        self.image, self.extent, self.scale_label = image, extent, scale_label
        self.width, self.height = MAP_W, MAP_H + 10 * mm

    def draw(self) -> None:
        c = self.canv
        c.drawImage(ImageReader(self.image), 0, 10 * mm, MAP_W, MAP_H)
        c.setStrokeColor(colors.black)
        c.rect(0, 10 * mm, MAP_W, MAP_H)
        metres = _scale_length(self.extent.width_m)
        length = MAP_W * metres / self.extent.width_m
        c.setLineWidth(1.5)
        c.line(0, 5 * mm, length, 5 * mm)
        for x in (0, length):
            c.line(x, 3.5 * mm, x, 6.5 * mm)
        c.setFont("Helvetica", 8)
        c.drawString(length + 2 * mm, 4 * mm, f"{metres:g} m   {self.scale_label}")
        north_arrow(c, MAP_W - 10 * mm, 10 * mm + MAP_H - 16 * mm)


def _styles() -> Styles:
    sheet = getSampleStyleSheet()
    return {
        "h1": sheet["Heading1"],
        "h2": sheet["Heading2"],
        "p": sheet["BodyText"],
        "small": ParagraphStyle("small", parent=sheet["BodyText"], fontSize=8, leading=10),
    }


def _table(rows: list[list[Any]], widths: list[float] | None = None, header: bool = False) -> Table:
    table = Table(rows, colWidths=widths, hAlign="LEFT", repeatRows=1 if header else 0)
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), "Helvetica", 8.5),
                ("FONT", (0, 0), (-1, 0), "Helvetica-Bold" if header else "Helvetica", 8.5),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#d0d7de")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def _summary_section(r: PropertyReport, lang: str, _: Translate, st: Styles) -> list[Flowable]:
    """The page's summary, row for row (:func:`mapservice.report.summary.summarise`)."""
    rows = [
        [Paragraph(escape(f.label), st["small"]), Paragraph(escape(f.value), st["small"])]
        for f in summarise(r, lang)
    ]
    return [Paragraph(_("Summary"), st["h2"]), _table(rows, [60 * mm, 114 * mm])]


def _property_section(r: PropertyReport, lang: str, _: Translate, st: Styles) -> list[Flowable]:
    p = r.property
    rows = [
        [_("Designation"), r.designation],
        [_("Municipality"), r.kommun],
        [_("Area"), f"{_num(p.area, lang, 1)} m²"],
        [_("Addresses"), ", ".join(a.full_label for a in r.addresses) or "–"],
        [_("Parts"), str(len(p.parts))],
        [_("Buildings"), str(len(r.buildings))],
    ]
    return [Paragraph(_("The property"), st["h2"]), _table(rows, [40 * mm, 130 * mm])]


def _plan_section(r: PropertyReport, lang: str, _: Translate, st: Styles) -> list[Flowable]:
    out: list[Flowable] = [Paragraph(_("Detailed development plan"), st["h2"])]
    if not r.zoning.plans:
        text = _("The property lies outside any detailed development plan.")
        return [*out, Paragraph(text, st["p"])]
    ends, share = _("Implementation period ends"), _("Share of the property")
    for plan in r.zoning.plans:
        end = plan.implementation_end.isoformat() if plan.implementation_end else "–"
        status = Wording(lang).plan_status(plan.status)
        out.append(
            Paragraph(
                escape(
                    f"{plan.plan_id} {plan.name} ({status}). {ends}: {end}. {share}: "
                    f"{_num(plan.share * 100, lang)} %"
                ),
                st["p"],
            )
        )
        rows: list[list[Any]] = [[_("Code"), _("Provision"), _("Value"), _("Area")]]
        rows += [
            [
                u.code,
                Paragraph(escape(Wording(lang).use_wording(u)), st["small"]),
                "",
                f"{_num(u.area, lang)} m² ({_num(u.share * 100, lang)} %)",
            ]
            for u in plan.uses
        ]
        rows += [
            [
                x.code,
                Paragraph(escape(x.wording or x.category or ""), st["small"]),
                "" if x.value is None else f"{_num(x.value, lang, 1)} {x.unit or ''}",
                f"{_num(x.area, lang)} m²",
            ]
            for x in plan.rules
        ]
        out.append(_table(rows, [18 * mm, 92 * mm, 25 * mm, 35 * mm], header=True))
    if not r.in_plan:
        return out
    rights = r.zoning.rights
    figures: list[list[Any]] = [
        [_("Largest building area allowed"), f"{_num(rights.max_building_area, lang)} m²"],
        [_("Used by existing buildings"), f"{_num(rights.existing_building_area, lang)} m²"],
        [_("Highest height"), f"{_num(rights.max_height, lang, 1)} m"],
    ]
    out.append(_table(figures, [70 * mm, 60 * mm]))
    return out + _notes(rights.notes, lang, st)


def _notes(notes: Iterable[AnyNote], lang: str, st: Styles) -> list[Flowable]:
    words = Wording(lang)
    return [Paragraph(escape(words.note(note)), st["small"]) for note in notes]


def _solar_section(r: PropertyReport, lang: str, _: Translate, st: Styles) -> list[Flowable]:
    out: list[Flowable] = [Paragraph(_("Solar power"), st["h2"])]
    if r.solar is None:
        return [*out, Paragraph(_("No solar map covers this property."), st["p"])]
    pv, roofs = r.solar.pv, r.solar.roofs
    rows: list[list[Any]] = [
        [_("Roof surface"), f"{_num(roofs.surface_m2, lang)} m²"],
        [_("Mean irradiation"), f"{_num(roofs.mean, lang)} kWh/m²"],
        [_("Usable area for panels"), f"{_num(pv.usable_m2, lang)} m²"],
        [_("Peak power"), f"{_num(pv.peak_kwp, lang, 1)} kWp"],
        [_("Production per year"), f"{_num(pv.annual_kwh, lang)} kWh"],
        [_("Savings per year"), f"{_num(pv.savings_sek_year, lang)} SEK"],
        [_("Investment after green deduction"), f"{_num(pv.investment_sek, lang)} SEK"],
        [
            Paragraph(_("Avoided CO<sub>2</sub> per year"), st["small"]),
            f"{_num(pv.co2_kg_year, lang)} kg",
        ],
    ]
    out.append(_table(rows, [70 * mm, 60 * mm]))
    months = " · ".join(_num(v, lang) for v in pv.monthly_kwh)
    label = _("Production per month (kWh)")
    out.append(Paragraph(escape(f"{label}: {months}"), st["small"]))
    used = " · ".join(_num(v, lang) for v in pv.monthly_self_use_kwh)
    label = _("Used on the property per month (kWh)")
    out.append(Paragraph(escape(f"{label}: {used}"), st["small"]))
    if r.solar.permit is not None:
        out += _notes(r.solar.permit.reasons + r.solar.permit.notes, lang, st)
        out.append(Paragraph(escape(r.solar.permit.disclaimer[lang]), st["small"]))
    out += _notes(r.solar.notes, lang, st)
    a = pv.assumptions
    out.append(Paragraph(_("Assumptions"), st["p"]))
    out.append(
        _table(
            [
                [_("Price of bought electricity"), f"{_num(a.purchase_sek_kwh, lang, 2)} SEK/kWh"],
                [_("Module power per m² of panel"), f"{_num(a.module_w_per_m2, lang)} W/m²"],
                [
                    _("Share of a pitched roof face covered by panels"),
                    f"{_num(a.pitched_share * 100, lang)} %",
                ],
                [
                    _("System losses (cables, inverter, snow, heat)"),
                    f"{_num(a.system_loss * 100, lang)} %",
                ],
                [_("Installed price"), f"{_num(a.cost_sek_per_kwp, lang)} SEK/kWp"],
            ],
            [90 * mm, 50 * mm],
        )
    )
    if r.owner is not None:
        label = _("Rates and rules as on %(date)s, with their sources") % {
            "date": r.owner.rates_date
        }
        out.append(Paragraph(escape(label), st["p"]))
        out += [
            Paragraph(escape(f"{name}: {value} ({source})"), st["small"])
            for name, value, source in rate_rows(r.owner.rates, lang)
        ]
    return out


def report_pdf(
    report: PropertyReport,
    lang: str = "sv",
    solar_map: RasterSource | None = None,
    appendix: Sequence[Flowable] = (),
) -> io.BytesIO:
    """The report as an A4 PDF (a file object at position 0); ``appendix`` (the building
    check's situationsplan) follows on a page of its own."""
    _ = Wording(lang).gettext
    st = _styles()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=f"{report.designation} – Min fastighet",
        author="Min fastighet",
        lang=lang,
    )
    deadline.check("the PDF's map")
    image, extent = render_map(
        report, (round(MAP_W / 72 * DPI), round(MAP_H / 72 * DPI)), solar_map
    )
    figure = Table(
        [[MapFigure(image, extent, _("North up, SWEREF 99 TM")), legend_drawing(report, lang)]],
        colWidths=[MAP_W + 4 * mm, 50 * mm],
        hAlign="LEFT",
    )
    figure.setStyle(
        TableStyle([("VALIGN", (0, 0), (-1, -1), "BOTTOM"), ("LEFTPADDING", (0, 0), (0, 0), 0)])
    )
    story = [
        Paragraph(escape(report.designation), st["h1"]),
        Paragraph(
            escape(
                _("Property report")
                + f" – {report.kommun}. "
                + _("Report created %(when)s.") % {"when": f"{report.created:%Y-%m-%d %H:%M}"}
            ),
            st["p"],
        ),
        Paragraph(f"<b>{escape(report.notice[lang])}</b>", st["p"]),
        figure,
    ]
    if report.data_notice:
        story.append(Paragraph(escape(report.data_notice[lang]), st["small"]))
    story += _summary_section(report, lang, _, st)
    for section in (_property_section, _plan_section, _solar_section):
        story += [Spacer(1, 3 * mm), *section(report, lang, _, st)]
    story.append(Paragraph(_("Sources"), st["h2"]))
    words = Wording(lang)
    for s in report.sources:
        name, detail = words.source(s.key, s.name, s.detail)
        story.append(Paragraph(escape(f"{name}: {s.date or '–'} {detail}"), st["small"]))
    story.append(Paragraph(f"<b>{escape(report.notice[lang])}</b>", st["p"]))
    if appendix:
        story += [PageBreak(), *appendix]
    doc.build(story)
    buffer.seek(0)
    return buffer
