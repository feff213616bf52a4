"""Plain-text descriptions of results, for the command line and logs.

>>> from layers.models import Suggestion, FindResult
>>> hit = Suggestion("address", "Storvägen 1, 856 41 SUNDSVALL", "u1", "SUNDSVALL BJÖRKÅSEN 19:8")
>>> print(describe_find(FindResult("stor", "suggestions", suggestions=(hit,))))
Suggestions for 'stor':
  Storvägen 1, 856 41 SUNDSVALL  (SUNDSVALL BJÖRKÅSEN 19:8)
"""

from __future__ import annotations

from layers.models import FindResult, Property
from layers.zoning import PlanCoverage, ZoningReport


def _m2(value: float | None) -> str:
    return "–" if value is None else f"{value:,.1f} m²".replace(",", " ")


def describe_property(prop: Property) -> str:
    """One line per property: designation, type, area and parts."""
    parts = f", {len(prop.parts)} parts" if len(prop.parts) > 1 else ""
    return f"{prop.designation}  {prop.unit_type}, {_m2(prop.area)}{parts}  (id {prop.unit_id})"


def describe_find(result: FindResult) -> str:
    """What ``find`` found, as lines."""
    if result.kind == "suggestions":
        lines = [f"Suggestions for {result.query!r}:"]
        for s in result.suggestions:
            extra = f"  ({s.designation})" if s.kind == "address" else ""
            lines.append(f"  {s.label}{extra}")
        return "\n".join(lines)
    lines = []
    if result.address is not None:
        lines.append(f"Address {result.address.full_label}:")
    lines += [describe_property(p) for p in result.properties]
    return "\n".join(lines) or "No property here."


def _plan_lines(plan: PlanCoverage) -> list[str]:
    end = plan.implementation_end.isoformat() if plan.implementation_end else "–"
    lines = [
        f"  {plan.plan_id} {plan.name} ({plan.status}) covers it {plan.coverage}: "
        f"{_m2(plan.area)}, {plan.share:.1%}",
        f"    antagen {plan.adopted or '–'}, laga kraft {plan.legal_force or '–'}, "
        f"genomförandetid {plan.implementation_years or '–'} år, ends {end} "
        f"({plan.implementation_status}); document {plan.document or '–'}",
    ]
    for use in plan.uses:
        lines.append(
            f"    {use.code:<6} {use.wording or '':<28} {_m2(use.area):>14}  {use.share:6.1%}"
        )
    for rule in plan.rules:
        value = "" if rule.value is None else f" [{rule.value:g} {rule.unit or ''}]".rstrip()
        lines.append(f"    {rule.code:<10} {_m2(rule.area):>14}{value}  {rule.wording or ''}")
    return lines


def describe_zoning(report: ZoningReport) -> str:
    """The zoning overlay as lines."""
    lines = [f"Zoning of {report.property.designation} ({_m2(report.property.area)}):"]
    for plan in report.plans:
        lines += _plan_lines(plan)
    if not report.plans:
        lines.append("  no detaljplan covers it")
    lines.append(
        f"  outside any detaljplan in force: {_m2(report.outside_plan_area)} "
        f"({report.outside_plan_share:.1%})"
    )
    r = report.rights
    lines += [
        "  Building rights (plans in force):",
        f"    largest building area allowed: {_m2(r.max_building_area)}",
        f"    area where building is allowed: {_m2(r.buildable_area)} "
        f"(prickmark {_m2(r.prickmark_area)}, korsmark {_m2(r.korsmark_area)})",
        f"    highest height: {'–' if r.max_height is None else f'{r.max_height:g} m'}",
        f"    existing buildings: {_m2(r.existing_building_area)}"
        + (
            ""
            if r.used_share is None
            else f" ({r.used_share:.0%} of the allowed area, {_m2(r.remaining_building_area)} left)"
        ),
    ]
    lines += [f"    note: {note}" for note in r.notes]
    return "\n".join(lines)
