"""The report's answers in one place: every state worded once, for the page, the PDF and the JSON.

:func:`summarise` turns a :class:`~mapservice.report.PropertyReport` into :class:`Fact` rows
(a key, a label and a value, worded in one language): whether a plan governs the property,
the building rights (only where a plan in force governs: outside one, building is judged case
by case and no figure is given), the highest height, each plan's genomförandetid, the solar
estimate (peak power, production, savings, payback), the permit verdict and the sources with
their dates. The page's summary, the PDF's summary table and the JSON's ``summary`` are these
rows, so the three never differ; a state without a value has its own sentence, never a bare
``–`` or a ``0.0 m²`` that means "not applicable".

>>> number(15.0, "sv"), number(1108.4, "sv"), number(8.45, "en", 2)
('15', '1 108', '8.45')
"""

from __future__ import annotations

import functools
import math
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from babel import Locale
from babel.numbers import format_decimal

from mapservice.wording import Wording

if TYPE_CHECKING:
    from layers.zoning import PlanCoverage
    from mapservice.report.build import PropertyReport
    from solar.economics import Rate
    from solar.pv import PVEstimate

__all__ = ["Fact", "number", "rate_rows", "rates_json", "summarise"]


def _l(message: str) -> str:
    """Mark ``message`` for extraction; worded at use."""
    return message


#: What the permit guidance concludes, by ``permit_needed``.
VERDICTS = {
    True: _l("A building permit is probably needed."),
    False: _l("A building permit is probably not needed for panels that follow the roof."),
    None: _l("Ask the municipality whether a building permit is needed."),
}
OUTSIDE = _l(
    "Outside any detailed development plan: building is judged case by case when you apply "
    "for a building permit."
)
NOT_LIMITED = _l("not limited by the plan")


@dataclass(frozen=True)
class Fact:
    """One answer of the report: ``key`` (stable), ``label`` and ``value`` (worded)."""

    key: str
    label: str
    value: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def number(value: float, lang: str, digits: int = 0) -> str:
    """A figure in ``lang`` with at most ``digits`` decimals (no trailing zeros)."""
    if not math.isfinite(value):
        raise ValueError(f"{value} is not a figure")
    pattern = "#,##0" + ("." + "#" * digits if digits else "")
    formatted = format_decimal(value, pattern, locale=_locale(lang))
    return formatted.replace("\xa0", " ").replace("\u202f", " ")


@functools.lru_cache(maxsize=8)
def _locale(lang: str) -> Locale:
    """The babel locale of ``lang``, parsed once (a figure formatted by the language's code
    looks its locale data up again each time: a third of a report page's time)."""
    return Locale.parse(lang)


def summarise(report: PropertyReport, lang: str) -> tuple[Fact, ...]:
    """The report's answers in ``lang``, in the order the page shows them."""
    words = Wording(lang)
    facts = _plan_facts(report, words) + _solar_facts(report, words)
    for source in report.sources:
        name, detail = words.source(source.key, source.name, source.detail)
        date = source.date[:10] if source.date else words.gettext("date not known")
        key = f"source.{source.key}" + (
            f".{source.name.split()[0]}" if source.key == "plan" else ""
        )
        facts.append(Fact(key, name, f"{date} ({detail})" if detail else date))
    return tuple(facts)


def _plan_facts(report: PropertyReport, words: Wording) -> list[Fact]:
    _, lang = words.gettext, words.lang
    zoning = report.zoning
    in_force = [p for p in zoning.plans if p.in_force]
    plan = _("Detailed development plan")
    if not in_force:
        return [Fact("plan", plan, _(OUTSIDE))]
    share = number(100 * (1 - zoning.outside_plan_share), lang)
    ids = ", ".join(p.plan_id for p in in_force)
    facts = [
        Fact(
            "plan",
            plan,
            _("%(plans)s covers %(share)s %% of the property.") % {"plans": ids, "share": share},
        )
    ]
    rights = zoning.rights
    area_label = _("Building area: allowed, used, left")
    if rights.max_building_area is None:
        used = _("%(used)s m² used") % {"used": number(rights.existing_building_area, lang)}
        facts.append(Fact("building_area", area_label, f"{_(NOT_LIMITED)}; {used}"))
    else:
        figures = {
            "allowed": number(rights.max_building_area, lang),
            "used": number(rights.existing_building_area, lang),
            "left": number(rights.remaining_building_area or 0.0, lang),
        }
        text = _("%(allowed)s m² allowed, %(used)s m² used, %(left)s m² left") % figures
        facts.append(Fact("building_area", area_label, text))
    height = (
        _(NOT_LIMITED) if rights.max_height is None else f"{number(rights.max_height, lang, 1)} m"
    )
    facts.append(Fact("max_height", _("Highest height"), height))
    facts += [Fact("note." + n.code, _("Note"), words.note(n)) for n in rights.notes]
    facts += [
        Fact(
            f"implementation.{p.plan_id}", _implementation_label(p, words), implementation(p, words)
        )
        for p in in_force
    ]
    return facts


def _implementation_label(plan: PlanCoverage, words: Wording) -> str:
    return words.gettext("Implementation period of %(plan)s") % {"plan": plan.plan_id}


def implementation(plan: PlanCoverage, words: Wording) -> str:
    """A plan's genomförandetid in one sentence, whatever is known of it."""
    _ = words.gettext
    ended = plan.implementation_status == "ended"
    if plan.implementation_end is None or plan.implementation_years is None:
        return _("none stated; the plan may be changed") if ended else _("not stated")
    years = words.ngettext("%(num)d year", "%(num)d years", plan.implementation_years) % {
        "num": plan.implementation_years
    }
    end = plan.implementation_end.isoformat()
    message = _("%(years)s, ended %(end)s") if ended else _("%(years)s, ends %(end)s")
    return message % {"years": years, "end": end}


#: The payback, with the degradation and discount rate it rests on.
PAYBACK = _l("%(years)s (panels losing %(degradation)s %% a year, discount rate %(discount)s %%)")
NO_PAYBACK = _l(
    "does not pay back within %(lifetime)d years (panels losing %(degradation)s %% a year, "
    "discount rate %(discount)s %%)"
)
#: The rows of the dated table of rates (:data:`solar.economics.RATES`), by key.
RATE_NAMES = {
    "green_deduction": _l("Green deduction (grönt avdrag) for solar cells"),
    "green_deduction_max_sek": _l("Largest green deduction per person and year"),
    "green_deduction_share_of_price": _l("Share of the price the deduction applies to"),
    "export_tax_credit_sek_kwh": _l("Tax credit per sold kWh (skattereduktion)"),
    "micro_production_kw": _l("Limit of micro-production"),
    "energy_tax_free_kwp": _l("Self-used power free of energy tax below"),
    "vat": _l("VAT"),
    "use_kwh": _l("Electricity use per year"),
    "use_kwh_per_m2": _l("Electricity use per m² of floor area"),
    "daytime_share": _l("Share of the use in hours the panels produce"),
    "degradation": _l("Panels' loss of output per year"),
    "discount_rate": _l("Discount rate"),
}
#: What kind of figure a row is.
RATE_KINDS = {
    "law": _l("law"),
    "statistics": _l("statistics"),
    "estimate": _l("estimate"),
}
#: The owner types as the report names them.
OWNERS = {
    "private": _l("Private person"),
    "company": _l("Company"),
    "housing": _l("Housing association (bostadsrättsförening)"),
}


def _solar_facts(report: PropertyReport, words: Wording) -> list[Fact]:
    _, lang = words.gettext, words.lang
    if report.solar is None:
        return [Fact("solar", _("Solar power"), _("No solar map covers this property yet."))]
    pv = report.solar.pv
    facts = [
        Fact("peak_kwp", _("Peak power"), f"{number(pv.peak_kwp, lang, 1)} kWp"),
        Fact("annual_kwh", _("Production per year"), f"{number(pv.annual_kwh, lang)} kWh"),
    ]
    if report.owner is not None:
        facts += _owner_facts(report, words)
    facts += [
        Fact(
            "self_use",
            _("Used on the property, sold"),
            _("%(used)s kWh used, %(sold)s kWh sold per year")
            % {"used": number(pv.self_use_kwh, lang), "sold": number(pv.export_kwh, lang)},
        ),
        Fact("savings", _("Savings per year"), f"{number(pv.savings_sek_year, lang)} SEK"),
        Fact("deduction", _("Green deduction (grönt avdrag)"), _deduction(pv, words)),
        Fact("payback", _("Payback time"), _payback(pv, words)),
    ]
    facts += [Fact("note." + n.code, _("Note"), words.note(n)) for n in pv.notes]
    if report.solar.permit is not None:
        verdict = _(VERDICTS[report.solar.permit.permit_needed])
        facts.append(Fact("permit", _("Solar panels and building permits"), verdict))
    return facts


def _owner_facts(report: PropertyReport, words: Wording) -> list[Fact]:
    _, lang = words.gettext, words.lang
    owner = report.owner
    assert owner is not None
    how = _("guessed from the use of the buildings") if owner.guessed else _("chosen")
    if owner.use_source == "entered":
        basis = _("entered by you")
    elif owner.use_source == "per_m2":
        basis = _("estimate: %(per_m2)s kWh/m² × %(area)s m² floor area") % {
            "per_m2": number(owner.use_kwh / owner.floor_m2, lang),
            "area": number(owner.floor_m2, lang),
        }
    else:
        basis = _("estimate for a villa heated by electricity")
    return [
        Fact("owner", _("Owner"), f"{_(OWNERS[owner.owner])} ({how})"),
        Fact(
            "use_kwh", _("Electricity use per year"), f"{number(owner.use_kwh, lang)} kWh ({basis})"
        ),
    ]


def _deduction(pv: PVEstimate, words: Wording) -> str:
    _, lang = words.gettext, words.lang
    a = pv.assumptions
    if a.owner != "private":
        return _("none: only private persons get it")
    if pv.peak_kwp <= 0:
        return _("none: no usable roof")
    return _("%(sek)s SEK (%(rate)s %% of work and material, from %(date)s)") % {
        "sek": number(pv.green_deduction_sek, lang),
        "rate": number(100 * a.green_deduction, lang),
        "date": a.green_deduction_date,
    }


def _payback(pv: PVEstimate, words: Wording) -> str:
    _, lang = words.gettext, words.lang
    a = pv.assumptions
    stated = {
        "degradation": number(100 * a.degradation, lang, 1),
        "discount": number(100 * a.discount_rate, lang, 1),
        "lifetime": a.lifetime_years,
    }
    if pv.payback_years is None:
        return _(NO_PAYBACK) % stated
    years = words.ngettext("%(num)d year", "%(num)d years", round(pv.payback_years)) % {
        "num": round(pv.payback_years)
    }
    return _(PAYBACK) % (stated | {"years": years})


def rate_rows(rates: tuple[Rate, ...], lang: str) -> list[tuple[str, str, str]]:
    """The rates the estimate used as (name, value, source): the source is the kind and dates,
    the citation as written (Swedish law stays Swedish) and the note worded in ``lang``.

    >>> from solar.economics import CHECK_DATE, rate
    >>> rate_rows((rate("vat", CHECK_DATE, "private"),), "sv")[0][2][:42]
    'lag: Mervärdesskattelagen (2023:200) — 25 '
    """
    words = Wording(lang)
    _ = words.gettext
    rows = []
    for row in rates:
        if row.unit in ("share", "share/year"):
            value = f"{number(100 * row.value, lang, 1)} %"
        else:
            value = f"{number(row.value, lang, 2)} {row.unit}"
        ends = f"–{row.valid_to.isoformat()}" if row.valid_to else ""
        when = f"{row.valid_from.isoformat()}{ends}" if row.valid_from.year > 2000 else ""
        kind = _(RATE_KINDS[row.kind])
        cited = f"{row.citation} — " if row.citation else ""
        source = f"{kind}{', ' + when if when else ''}: {cited}{_(row.note)}"
        if row.kind == "estimate" and not row.citation and not when:
            source = _(row.note)  # "Our estimate: …" names its kind itself
        rows.append((_(RATE_NAMES[row.key]), value, source))
    return rows


def rates_json(rates: tuple[Rate, ...], lang: str) -> list[dict[str, Any]]:
    """The rates as JSON: each row's fields and its source as :func:`rate_rows` words it
    (``text``, in ``lang``).

    >>> from solar.economics import CHECK_DATE, rate
    >>> sorted(rates_json((rate("vat", CHECK_DATE, "company"),), "en")[0])[:4]
    ['citation', 'key', 'kind', 'note']
    """
    rows = rate_rows(rates, lang)
    return [r.to_dict() | {"text": source} for r, (_n, _v, source) in zip(rates, rows, strict=True)]
