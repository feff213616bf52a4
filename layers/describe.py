"""Plain-text descriptions of results, for the command line and logs.

The phrases are English message ids; a :class:`Words` turns them, the notes and the plans'
statuses into the reader's language (``mapservice.wording.Wording`` does, from the service's
gettext catalogs). Without one the text is English and notes are shown by their codes.

>>> from layers.models import Suggestion, FindResult
>>> hit = Suggestion("address", "Storvägen 1, 856 41 SUNDSVALL", "u1", "SUNDSVALL BJÖRKÅSEN 19:8")
>>> print(describe_find(FindResult("stor", "suggestions", suggestions=(hit,))))
Suggestions for 'stor':
  Storvägen 1, 856 41 SUNDSVALL  (SUNDSVALL BJÖRKÅSEN 19:8)
"""

from __future__ import annotations

from typing import Protocol

from layers.models import FindResult, Property
from layers.notes import Note
from layers.zoning import NO_USE, PlanCoverage, UseCoverage, ZoningReport

__all__ = ["English", "Words", "describe_find", "describe_property", "describe_zoning"]


class Words(Protocol):
    """How a description is worded: its phrases, the notes and the plans' statuses."""

    def gettext(self, message: str) -> str:
        """``message`` (an English message id) in the reader's language."""
        ...

    def note(self, note: Note) -> str:
        """The sentence of a note."""
        ...

    def plan_status(self, status: str) -> str:
        """A plan's status (as the store records it, in Swedish) in the reader's language."""
        ...


class English:
    """English phrases and statuses as recorded; notes as their codes and values.

    >>> from layers.notes import ZoningNote
    >>> English().note(Note(ZoningNote.REPLACED, {"plan_id": "P1"}))
    'replaced (plan_id: P1)'
    """

    def gettext(self, message: str) -> str:
        return message

    def note(self, note: Note) -> str:
        values = ", ".join(f"{k}: {v}" for k, v in note.params.items())
        return f"{note.code.value} ({values})" if values else note.code.value

    def plan_status(self, status: str) -> str:
        return status


def _m2(value: float | None) -> str:
    return "–" if value is None else f"{value:,.1f} m²".replace(",", " ")


def describe_property(prop: Property, words: Words | None = None) -> str:
    """One line per property: designation, type, area and parts."""
    _ = (words or English()).gettext
    count = len(prop.parts)
    parts = ", " + _("%(num)d parts") % {"num": count} if count > 1 else ""
    ident = _("(id %(id)s)") % {"id": prop.unit_id}
    return f"{prop.designation}  {prop.unit_type}, {_m2(prop.area)}{parts}  {ident}"


def describe_find(result: FindResult, words: Words | None = None) -> str:
    """What ``find`` found, as lines."""
    _ = (words or English()).gettext
    if result.kind in ("suggestions", "did_you_mean"):
        lines = [
            _("Suggestions for %(query)s:") % {"query": repr(result.query)}
            if result.kind == "suggestions"
            else _("No property or address matches “%(q)s”. Did you mean:") % {"q": result.query}
        ]
        for s in result.suggestions:
            extra = f"  ({s.designation})" if s.kind == "address" else ""
            lines.append(f"  {s.label}{extra}")
        return "\n".join(lines)
    lines = []
    if result.address is not None:
        lines.append(_("Address %(address)s:") % {"address": result.address.full_label})
    lines += [describe_property(p, words) for p in result.properties]
    return "\n".join(lines) or _("No property here.")


def _use_wording(use: UseCoverage, words: Words) -> str:
    if use.code == NO_USE and use.wording is None:
        return words.gettext("without a land-use provision")
    return use.wording or ""


def _plan_lines(plan: PlanCoverage, words: Words) -> list[str]:
    _ = words.gettext
    values = {
        "plan": f"{plan.plan_id} {plan.name}",
        "status": words.plan_status(plan.status),
        "coverage": _(plan.coverage),
        "area": _m2(plan.area),
        "share": f"{plan.share:.1%}",
        "adopted": plan.adopted or "–",
        "legal_force": plan.legal_force or "–",
        "years": plan.implementation_years or "–",
        "end": plan.implementation_end.isoformat() if plan.implementation_end else "–",
        "state": _(plan.implementation_status),
        "document": plan.document or "–",
    }
    lines = [
        "  " + _("%(plan)s (%(status)s) covers it %(coverage)s: %(area)s, %(share)s") % values,
        "    "
        + _(
            "adopted %(adopted)s, legal force %(legal_force)s, implementation period "
            "%(years)s years, ends %(end)s (%(state)s); document %(document)s"
        )
        % values,
    ]
    for use in plan.uses:
        wording = _use_wording(use, words)
        lines.append(f"    {use.code:<6} {wording:<28} {_m2(use.area):>14}  {use.share:6.1%}")
    for rule in plan.rules:
        value = "" if rule.value is None else f" [{rule.value:g} {rule.unit or ''}]".rstrip()
        lines.append(f"    {rule.code:<10} {_m2(rule.area):>14}{value}  {rule.wording or ''}")
    return lines


def describe_zoning(report: ZoningReport, words: Words | None = None) -> str:
    """The zoning overlay as lines."""
    words = words or English()
    _ = words.gettext
    lines = [
        _("Zoning of %(designation)s (%(area)s):")
        % {"designation": report.property.designation, "area": _m2(report.property.area)}
    ]
    for plan in report.plans:
        lines += _plan_lines(plan, words)
    if not report.plans:
        lines.append("  " + _("no detailed development plan covers it"))
    outside = {"area": _m2(report.outside_plan_area), "share": f"{report.outside_plan_share:.1%}"}
    lines.append(
        "  " + _("outside any detailed development plan in force: %(area)s (%(share)s)") % outside
    )
    r = report.rights
    height = "–" if r.max_height is None else f"{r.max_height:g} m"
    existing = _("existing buildings: %(area)s") % {"area": _m2(r.existing_building_area)}
    if r.used_share is not None:
        existing += " " + _("(%(share)s of the allowed area, %(left)s left)") % {
            "share": f"{r.used_share:.0%}",
            "left": _m2(r.remaining_building_area),
        }
    lines += [
        "  " + _("Building rights (plans in force):"),
        "    " + _("largest building area allowed: %(area)s") % {"area": _m2(r.max_building_area)},
        "    "
        + _("area where building is allowed: %(area)s (prickmark %(prick)s, korsmark %(kors)s)")
        % {
            "area": _m2(r.buildable_area),
            "prick": _m2(r.prickmark_area),
            "kors": _m2(r.korsmark_area),
        },
        "    " + _("highest height: %(height)s") % {"height": height},
        "    " + existing,
    ]
    lines += ["    " + _("note: %(note)s") % {"note": words.note(note)} for note in r.notes]
    return "\n".join(lines)
