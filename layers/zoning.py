"""The zoning overlay: what the detaljplaner say about one property.

For each plan that covers the property (wholly or partly) the overlay gives the plan's data and
genomförandetid, the area and share of the property under each användningsbestämmelse, and the
area under each egenskapsbestämmelse; then the building rights those add up to
(:mod:`layers.rights`) and typed notes (:class:`~layers.notes.ZoningNote`). Only plans in
force (laga kraft) regulate: where plans in force overlap, the newest governs; a plan under work
is listed with its proposals but counts as "outside any detaljplan" for the shares and rights.
Areas are square metres in SWEREF 99 TM, rounded to 0.1 m²; the shares of a property (every
use share plus the share outside any plan) sum to 1.
"""

from __future__ import annotations

import builtins
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

import shapely
from shapely.geometry.base import BaseGeometry

from layers.models import Building, Feature, Model, Property
from layers.notes import Note, ZoningNote
from layers.plan import Plan, PlanRule, PlanUse
from layers.rights import SLIVER, BuildingRights, PlansInForce, area
from layers.store import LayerStore
from sweref import STORAGE_CRS

#: The code of the part of a plan that no användningsbestämmelse covers.
NO_USE = "–"


@dataclass(frozen=True)
class UseCoverage(Model):
    """The part of the property under one användningsbestämmelse of a plan.

    The part of a plan that no användningsbestämmelse covers has the code :data:`NO_USE`.
    """

    code: str
    wording: str | None
    land_form: str | None
    catalogue_code: str | None
    area: float
    share: float


@dataclass(frozen=True)
class RuleCoverage(Model):
    """The part of the property under one egenskapsbestämmelse of a plan."""

    code: str
    category: str | None
    wording: str | None
    value: float | None
    unit: str | None
    catalogue_code: str | None
    area: float
    share: float


@dataclass(frozen=True)
class PlanCoverage(Model):
    """One plan over the property: its data, how much it covers and what it says there."""

    plan_id: str
    name: str
    plan_type: str | None
    status: str
    in_force: bool
    adopted: dt.date | None
    legal_force: dt.date | None
    implementation_years: int | None
    implementation_end: dt.date | None
    implementation_status: str
    document: str | None
    coverage: str
    area: float
    share: float
    uses: tuple[UseCoverage, ...]
    rules: tuple[RuleCoverage, ...]


@dataclass(frozen=True)
class ZoningReport(Feature):
    """The zoning overlay of one property."""

    property: Property
    plans: tuple[PlanCoverage, ...]
    outside_plan_area: float
    outside_plan_share: float
    rights: BuildingRights
    buildings: tuple[Building, ...]
    geometry: BaseGeometry
    crs: str = STORAGE_CRS

    @builtins.property  # the field ``property`` shadows the builtin in this class
    def feature_id(self) -> str:
        return self.property.unit_id

    def to_dict(self) -> dict[str, Any]:
        out = super().to_dict()
        out["property"] = {
            k: v for k, v in out["property"].items() if k not in ("geometry", "parts")
        }
        out.pop("geometry")
        return out

    def _summary(self) -> dict[str, Any]:
        return {
            "designation": str(self.property.designation),
            "area (m²)": self.property.area,
            "plans": ", ".join(f"{p.plan_id} ({p.coverage})" for p in self.plans) or "–",
            "outside plan (m²)": self.outside_plan_area,
            "max building area (m²)": self.rights.max_building_area,
            "buildable area (m²)": self.rights.buildable_area,
            "max height (m)": self.rights.max_height,
            "existing buildings (m²)": self.rights.existing_building_area,
        }

    def shares_total(self) -> float:
        """Sum of the use shares of plans in force, unassigned plan land and the outside share."""
        inside = sum(p.share for p in self.plans if p.in_force)
        return inside + self.outside_plan_share


def zoning_report(store: LayerStore, prop: Property, today: dt.date | None = None) -> ZoningReport:
    """The zoning overlay of ``prop`` from the plans in ``store``."""
    today = today or dt.date.today()
    geometry = prop.geometry
    total = geometry.area
    plans = [
        p for p in store.plans_over(geometry) if p.geometry.intersection(geometry).area > SLIVER
    ]
    uses_by_plan = _group(store.plan_uses_over(geometry))
    rules_by_plan = _group(store.plan_rules_over(geometry))
    pieces = _governing_pieces(plans, geometry)
    in_force = PlansInForce()
    coverages = []
    for plan in sorted(plans, key=_newest_first):
        piece = pieces.get(plan.plan_id) if plan.in_force else plan.geometry.intersection(geometry)
        if piece is None or piece.area <= SLIVER:
            if plan.in_force:
                in_force.notes.append(Note(ZoningNote.REPLACED, {"plan_id": plan.plan_id}))
            continue
        uses = uses_by_plan.get(plan.plan_id, [])
        rules = rules_by_plan.get(plan.plan_id, [])
        rule_coverage, rule_shapes = _rule_coverage(rules, piece, total)
        coverages.append(
            _plan_coverage(
                plan, piece, total, _use_coverage(uses, piece, total), rule_coverage, today
            )
        )
        if plan.in_force:
            in_force.add(uses, rules, rule_shapes, piece)
        else:
            in_force.notes.append(
                Note(ZoningNote.PROPOSAL, {"plan_id": plan.plan_id, "status": plan.status})
            )
    governed = shapely.union_all(list(pieces.values())) if pieces else None
    outside = max(total - (governed.area if governed is not None else 0.0), 0.0)
    buildings = tuple(store.buildings_of(prop.unit_id))
    return ZoningReport(
        property=prop,
        plans=tuple(coverages),
        outside_plan_area=area(outside),
        outside_plan_share=outside / total if total else 0.0,
        rights=in_force.rights(
            buildings,
            geometry,
            partly_outside=outside > SLIVER,
            governed=total - outside > SLIVER,
        ),
        buildings=buildings,
        geometry=geometry,
    )


_Item = TypeVar("_Item", PlanUse, PlanRule)


def _group(items: Iterable[_Item]) -> dict[str, list[_Item]]:
    groups: dict[str, list[_Item]] = defaultdict(list)
    for item in items:
        groups[item.plan_id].append(item)
    return groups


def _newest_first(plan: Plan) -> tuple[bool, int, str]:
    return (not plan.in_force, -(plan.legal_force or dt.date.min).toordinal(), plan.plan_id)


def _governing_pieces(plans: list[Plan], geometry: BaseGeometry) -> dict[str, BaseGeometry]:
    """The part of the property each plan in force governs (the newest wins an overlap)."""
    pieces: dict[str, BaseGeometry] = {}
    taken: BaseGeometry | None = None
    for plan in sorted((p for p in plans if p.in_force), key=_newest_first):
        piece = plan.geometry.intersection(geometry)
        if taken is not None:
            piece = piece.difference(taken)
        pieces[plan.plan_id] = piece
        taken = piece if taken is None else taken.union(piece)
    return pieces


_UseKey = tuple[str, str | None, str | None, str | None]


def _use_coverage(
    uses: list[PlanUse], piece: BaseGeometry, total: float
) -> tuple[UseCoverage, ...]:
    grouped: dict[_UseKey, list[BaseGeometry]] = defaultdict(list)
    for use in uses:
        grouped[(use.code, use.wording, use.land_form, use.catalogue_code)].append(
            use.geometry.intersection(piece)
        )
    sizes: list[tuple[_UseKey, float]] = []
    for key, shapes in sorted(grouped.items(), key=lambda kv: kv[0][0]):
        size = shapely.union_all(shapes).area
        if size > SLIVER:
            sizes.append((key, size))
    rest = piece.area - sum(size for _, size in sizes)
    if rest > SLIVER:
        sizes.append(((NO_USE, None, None, None), rest))
    return tuple(
        UseCoverage(
            code=code,
            wording=wording,
            land_form=land_form,
            catalogue_code=catalogue_code,
            area=area(size),
            share=size / total,
        )
        for (code, wording, land_form, catalogue_code), size in sizes
    )


_RuleKey = tuple[str, str | None, str | None, float | None, str | None, str | None]


def _rule_coverage(
    rules: list[PlanRule], piece: BaseGeometry, total: float
) -> tuple[tuple[RuleCoverage, ...], dict[str, list[BaseGeometry]]]:
    grouped: dict[_RuleKey, list[BaseGeometry]] = defaultdict(list)
    for rule in rules:
        grouped[
            (rule.code, rule.category, rule.wording, rule.value, rule.unit, rule.catalogue_code)
        ].append(rule.geometry.intersection(piece))
    out = []
    shapes_by_kind: dict[str, list[BaseGeometry]] = {"prickmark": [], "korsmark": []}
    for (code, category, wording, value, unit, catalogue_code), shapes in sorted(
        grouped.items(), key=lambda kv: (kv[0][0], kv[0][2] or "")
    ):
        shape = shapely.union_all(shapes)
        if shape.area <= SLIVER:
            continue
        out.append(
            RuleCoverage(
                code=code,
                category=category,
                wording=wording,
                value=value,
                unit=unit,
                catalogue_code=catalogue_code,
                area=area(shape.area),
                share=shape.area / total,
            )
        )
        kind = category if category in shapes_by_kind else code
        if kind in shapes_by_kind:
            shapes_by_kind[kind].append(shape)
    return tuple(out), shapes_by_kind


def _plan_coverage(
    plan: Plan,
    piece: BaseGeometry,
    total: float,
    uses: tuple[UseCoverage, ...],
    rules: tuple[RuleCoverage, ...],
    today: dt.date,
) -> PlanCoverage:
    return PlanCoverage(
        plan_id=plan.plan_id,
        name=plan.name,
        plan_type=plan.plan_type,
        status=plan.status,
        in_force=plan.in_force,
        adopted=plan.adopted,
        legal_force=plan.legal_force,
        implementation_years=plan.implementation_years,
        implementation_end=plan.implementation_end,
        implementation_status=plan.implementation_status(today),
        document=plan.document,
        coverage="wholly" if total - piece.area <= SLIVER else "partly",
        area=area(piece.area),
        share=sum(u.share for u in uses),
        uses=uses,
        rules=rules,
    )


__all__ = [
    "BuildingRights",
    "PlanCoverage",
    "RuleCoverage",
    "UseCoverage",
    "ZoningReport",
    "zoning_report",
]
