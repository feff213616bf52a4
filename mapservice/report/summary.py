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

import math
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from babel.numbers import format_decimal

from mapservice.wording import Wording

if TYPE_CHECKING:
    from layers.zoning import PlanCoverage
    from mapservice.report.build import PropertyReport

__all__ = ["Fact", "number", "summarise"]


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
    return format_decimal(value, pattern, locale=lang).replace("\xa0", " ").replace("\u202f", " ")


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
    message = "%(years)s, ended %(end)s" if ended else "%(years)s, ends %(end)s"
    return _(message) % {"years": years, "end": end}


def _solar_facts(report: PropertyReport, words: Wording) -> list[Fact]:
    _, lang = words.gettext, words.lang
    if report.solar is None:
        return [Fact("solar", _("Solar power"), _("No solar map covers this property yet."))]
    pv = report.solar.pv
    payback = (
        _("does not pay back")
        if pv.payback_years is None
        else words.ngettext("%(num)d year", "%(num)d years", round(pv.payback_years))
        % {"num": round(pv.payback_years)}
    )
    facts = [
        Fact("peak_kwp", _("Peak power"), f"{number(pv.peak_kwp, lang, 1)} kWp"),
        Fact("annual_kwh", _("Production per year"), f"{number(pv.annual_kwh, lang)} kWh"),
        Fact("savings", _("Savings per year"), f"{number(pv.savings_sek_year, lang)} SEK"),
        Fact("payback", _("Payback time"), payback),
    ]
    if report.solar.permit is not None:
        verdict = _(VERDICTS[report.solar.permit.permit_needed])
        facts.append(Fact("permit", _("Solar panels and building permits"), verdict))
    return facts
