"""Small helpers the page views share: map URLs and layer names in the page's language."""

from __future__ import annotations

import math
from decimal import Decimal

from flask import Flask, url_for
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from mapservice.report.maps import CLASS_COLOURS, LayerNames, MapUrls
from mapservice.report.summary import VERDICTS, rate_rows
from mapservice.web import base_tiles
from mapservice.web.i18n import current_language
from mapservice.wording import Wording
from solar.suitability import CLASSES, LABELS


def map_urls() -> MapUrls:
    """The solar tiles of this service and the background map: the settings' if they name
    one, else the service's own base map."""
    template = url_for("solar_tiles.tile", z=0, x=0, y=0).replace("/0/0/0.png", "/{z}/{x}/{y}.png")
    background, attribution = base_tiles.background()
    return MapUrls(template, background, attribution)


def layer_names() -> LayerNames:
    """The layer switcher's labels in the current language."""
    return LayerNames(
        plans=_("Plan areas"),
        solar=_("Solar map"),
        buildings=_("Buildings and roof faces"),
        property=_("Property boundary"),
        background=_("Background map"),
    )


#: Every PV assumption as (label, unit, factor shown): the report lists them all.
ASSUMPTIONS = {
    "module_w_per_m2": (_l("Module power per m² of panel"), "W/m²", 1),
    "system_loss": (_l("System losses (cables, inverter, snow, heat)"), "%", 100),
    "pitched_share": (_l("Share of a pitched roof face covered by panels"), "%", 100),
    "flat_share": (_l("Share of a flat roof covered by panels"), "%", 100),
    "flat_tilt_below": (_l("Faces flatter than this count as flat"), "°", 1),
    "min_class": (_l("Faces of this solar class or better are used"), "", None),
    "min_face_m2": (_l("Smallest usable face"), "m²", 1),
    "household_kwh": (_l("Electricity use per year"), "kWh", 1),
    "daytime_share": (_l("Share of the use in hours the panels produce"), "%", 100),
    "degradation": (_l("Panels' loss of output per year"), "%", 100),
    "discount_rate": (_l("Discount rate"), "%", 100),
    "purchase_sek_kwh": (_l("Price of bought electricity"), "SEK/kWh", 1),
    "export_sek_kwh": (_l("Price of sold electricity"), "SEK/kWh", 1),
    "export_tax_credit_sek_kwh": (_l("Tax credit per sold kWh"), "SEK/kWh", 1),
    "cost_sek_per_kwp": (_l("Installed price"), "SEK/kWp", 1),
    "green_deduction": (_l("Green deduction (grönt avdrag)"), "%", 100),
    "green_deduction_share_of_price": (_l("Share of the price the deduction applies to"), "%", 100),
    "green_deduction_max_sek": (_l("Largest green deduction per person and year"), "SEK", 1),
    "green_deduction_date": (_l("Deduction rate valid from"), "", None),
    "rates_date": (_l("Rates and rules as on"), "", None),
    "co2_g_per_kwh": (_l("Emissions avoided per kWh"), "g CO₂e/kWh", 1),
    "lifetime_years": (_l("Lifetime of the system"), _l("years"), 1),
}

#: What the permit guidance concludes, by ``permit_needed``.
#: The state of a plan's genomförandetid (``PlanCoverage.implementation_status``).
IMPLEMENTATION = {
    "running": _l("running"),
    "ended": _l("ended"),
    "not in force": _l("not in force"),
}

MONTHS = (
    _l("January"),
    _l("February"),
    _l("March"),
    _l("April"),
    _l("May"),
    _l("June"),
    _l("July"),
    _l("August"),
    _l("September"),
    _l("October"),
    _l("November"),
    _l("December"),
)


def num(value: float | Decimal | None, digits: int = 0) -> str:
    """A number in the page's language (``1 234,5`` in Swedish), ``–`` for none."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "–"
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(value, pattern)


def pct(value: float | Decimal | None, digits: int = 0) -> str:
    """A share as a percentage in the page's language."""
    return "–" if value is None else f"{num(value * 100, digits)} %"


def init_app(app: Flask) -> None:
    """Number filters and report labels for the templates."""
    app.add_template_filter(num)
    app.add_template_filter(pct)
    app.add_template_global(rate_rows)
    app.jinja_env.globals.update(  # data, not functions (add_template_global is for those)
        assumption_labels=ASSUMPTIONS,
        permit_verdicts=VERDICTS,  # message ids: the template words them
        month_names=MONTHS,
        implementation_states=IMPLEMENTATION,
        class_labels=LABELS,
        class_colours=CLASS_COLOURS,
        solar_classes=CLASSES,
    )

    @app.context_processor
    def _words() -> dict[str, Wording]:
        """``words``: the notes, statuses and sources of a report in the page's language."""
        return {"words": Wording(current_language())}
