"""One detaljplan as seen from one property: what the plan page shows, without Flask.

:func:`plan_sheet` reads a plan that covers part of a property from the layer store: its data
and its coverage of the property (from :func:`layers.zoning_report`, so the page and the report
agree), every användningsbestämmelse and egenskapsbestämmelse of the whole plan with the codes
and wording the import recorded (Boverket's, BFS 2020:5), and the dates the plan layers were
imported, which the page gives as the rules' source. A plan that does not cover the property
is :class:`layers.errors.NotFound`: the page is reached only through a property's plans.

>>> unique_rows([("B", "Bostäder"), ("GATA", "Gata"), ("B", "Bostäder")])
(('B', 'Bostäder'), ('GATA', 'Gata'))
"""

from __future__ import annotations

import builtins
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TypeVar

from layers import zoning_report
from layers.errors import NotFound
from layers.models import Property
from layers.plan import Plan, PlanRule, PlanUse
from layers.store import LayerStore
from layers.zoning import PlanCoverage

__all__ = ["LayerSource", "PlanSheet", "plan_sheet", "unique_rows"]

#: The layers a plan page's rules come from, in the order the page names them.
PLAN_LAYERS = ("plans", "plan_uses", "plan_rules")

T = TypeVar("T")


@dataclass(frozen=True)
class LayerSource:
    """A layer the page's rules come from: its title and when it was imported (YYYY-MM-DD)."""

    layer: str
    title: str
    imported: str | None


@dataclass(frozen=True)
class PlanSheet:
    """A plan over a property: the plan, its coverage of the property, its rules and sources.

    ``uses`` and ``rules`` are every area of the whole plan (for the map), sorted by code;
    :attr:`use_rows` and :attr:`rule_rows` list each provision once (for the tables).
    """

    property: Property
    plan: Plan
    coverage: PlanCoverage
    uses: tuple[PlanUse, ...]
    rules: tuple[PlanRule, ...]
    sources: tuple[LayerSource, ...]

    @builtins.property  # the field ``property`` shadows the builtin in this class
    def designation(self) -> str:
        return str(self.property.designation)

    @builtins.property  # the field ``property`` shadows the builtin in this class
    def use_rows(self) -> tuple[tuple[str, str | None], ...]:
        """Each användningsbestämmelse once: (code, wording)."""
        return unique_rows((u.code, u.wording) for u in self.uses)

    @builtins.property  # the field ``property`` shadows the builtin in this class
    def rule_rows(self) -> tuple[tuple[str, str | None, str | None, float | None, str | None], ...]:
        """Each egenskapsbestämmelse once: (code, category, wording, value, unit)."""
        return unique_rows((r.code, r.category, r.wording, r.value, r.unit) for r in self.rules)


def unique_rows(rows: Iterable[T]) -> tuple[T, ...]:
    """``rows`` without repeats, in their first order."""
    return tuple(dict.fromkeys(rows))


def plan_sheet(store: LayerStore, unit_id: str, plan_id: str) -> PlanSheet:
    """The plan ``plan_id`` over the property ``unit_id``, read from ``store``.

    Raises
    ------
    layers.errors.ParcelNotFound
        No property has the id.
    layers.errors.NotFound
        No plan with this id covers part of the property.
    """
    prop = store.get_property(unit_id)
    coverage = next((p for p in zoning_report(store, prop).plans if p.plan_id == plan_id), None)
    plan = next((p for p in store.plans_over(prop.geometry) if p.plan_id == plan_id), None)
    if coverage is None or plan is None:
        raise NotFound("no plan with the requested id covers this property")
    uses = sorted(
        (u for u in store.plan_uses_over(plan.geometry) if u.plan_id == plan_id),
        key=lambda u: (u.code, u.wording or ""),
    )
    rules = sorted(
        (r for r in store.plan_rules_over(plan.geometry) if r.plan_id == plan_id),
        key=lambda r: (r.code, r.wording or "", r.value or 0.0),
    )
    return PlanSheet(prop, plan, coverage, tuple(uses), tuple(rules), _sources(store))


def _sources(store: LayerStore) -> tuple[LayerSource, ...]:
    names = set(store.layer_names())
    out = []
    for layer in PLAN_LAYERS:
        if layer in names:
            info = store.layer_info(layer)
            out.append(LayerSource(layer, info.title, (info.last_change or "")[:10] or None))
    return tuple(out)
