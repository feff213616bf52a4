"""The zoning overlay: what the detaljplaner say about one property.

For each plan that covers the property (wholly or partly) the overlay gives the plan's data and
genomförandetid, the area and share of the property under each användningsbestämmelse, and the
area under each egenskapsbestämmelse; then the building rights those add up to. Only plans in
force (laga kraft) regulate: where plans in force overlap, the newest governs; a plan under work
is listed with its proposals but counts as "outside any detaljplan" for the shares and rights.
Areas are square metres in SWEREF 99 TM, rounded to 0.1 m²; the shares of a property (every
use share plus the share outside any plan) sum to 1.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import shapely
from shapely.geometry.base import BaseGeometry

from layers.models import Building, Feature, Model, Property
from layers.plan import Plan, PlanRule, PlanUse
from layers.store import LayerStore
from layers.text import fold

#: Pieces smaller than this (m²) are slivers from shared boundaries, not coverage.
SLIVER = 0.05
KVARTERSMARK = "kvartersmark"


def area(value: float) -> float:
    """An area rounded to 0.1 m².

    >>> area(123.456)
    123.5
    """
    return round(float(value), 1)


@dataclass(frozen=True)
class UseCoverage(Model):
    """The part of the property under one användningsbestämmelse of a plan."""

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
class BuildingRights(Model):
    """What the plans in force allow on the property, and what is used.

    ``max_building_area`` is the largest byggnadsarea the e-rules allow (None where no rule
    limits it); ``buildable_area`` is the kvartersmark not under prickmark; ``korsmark_area``
    the part of it where only komplementbyggnader may stand; ``max_height`` the highest
    allowed height (m); ``existing_building_area`` the footprint of the buildings already there.
    """

    max_building_area: float | None
    buildable_area: float
    korsmark_area: float
    prickmark_area: float
    max_height: float | None
    existing_building_area: float
    remaining_building_area: float | None
    used_share: float | None
    notes: tuple[str, ...]


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
    crs: str = "EPSG:3006"

    @property
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
    coverages, kvarter, prick, kors, e_area, heights, notes = [], [], [], [], [], [], []
    for plan in sorted(plans, key=_newest_first):
        piece = pieces.get(plan.plan_id) if plan.in_force else plan.geometry.intersection(geometry)
        if piece is None or piece.area <= SLIVER:
            if plan.in_force:
                notes.append(f"{plan.plan_id} is replaced here by a newer plan")
            continue
        uses = _use_coverage(uses_by_plan.get(plan.plan_id, []), piece, total)
        rules, rule_shapes = _rule_coverage(rules_by_plan.get(plan.plan_id, []), piece, total)
        coverages.append(_plan_coverage(plan, piece, total, uses, rules, today))
        if not plan.in_force:
            notes.append(f"{plan.plan_id} is {plan.status}: its rules are proposals, not in force")
            continue
        kvarter += [
            u.geometry.intersection(piece)
            for u in uses_by_plan.get(plan.plan_id, [])
            if u.land_form == KVARTERSMARK
        ]
        prick += rule_shapes["prickmark"]
        kors += rule_shapes["korsmark"]
        e_area += _e_limits(rules_by_plan.get(plan.plan_id, []), piece)
        heights += [
            r.value
            for r in rules_by_plan.get(plan.plan_id, [])
            if r.category == "höjd"
            and r.value is not None
            and r.geometry.intersection(piece).area > SLIVER
        ]
    governed = shapely.union_all(list(pieces.values())) if pieces else None
    outside = total - (governed.area if governed is not None else 0.0)
    buildings = tuple(store.buildings_of(prop.unit_id))
    rights = _rights(
        kvarter,
        prick,
        kors,
        e_area,
        heights,
        buildings,
        geometry,
        notes,
        outside > SLIVER,
        total - outside > SLIVER,
    )
    return ZoningReport(
        prop,
        tuple(coverages),
        area(max(outside, 0.0)),
        max(outside, 0.0) / total if total else 0.0,
        rights,
        buildings,
        geometry,
    )


def _group(items):
    groups = defaultdict(list)
    for item in items:
        groups[item.plan_id].append(item)
    return groups


def _newest_first(plan: Plan):
    return (not plan.in_force, -(plan.legal_force or dt.date.min).toordinal(), plan.plan_id)


def _governing_pieces(plans: list[Plan], geometry: BaseGeometry) -> dict[str, BaseGeometry]:
    """The part of the property each plan in force governs (the newest wins an overlap)."""
    pieces, taken = {}, None
    for plan in sorted((p for p in plans if p.in_force), key=_newest_first):
        piece = plan.geometry.intersection(geometry)
        if taken is not None:
            piece = piece.difference(taken)
        pieces[plan.plan_id] = piece
        taken = piece if taken is None else taken.union(piece)
    return pieces


def _use_coverage(uses: list[PlanUse], piece: BaseGeometry, total: float):
    grouped: dict[tuple, list] = defaultdict(list)
    for use in uses:
        grouped[(use.code, use.wording, use.land_form, use.catalogue_code)].append(
            use.geometry.intersection(piece)
        )
    out = []
    covered = 0.0
    for key, shapes in sorted(grouped.items(), key=lambda kv: kv[0][0]):
        size = shapely.union_all(shapes).area
        if size > SLIVER:
            covered += size
            out.append(UseCoverage(*key, area(size), size / total))
    rest = piece.area - covered
    if rest > SLIVER:
        out.append(
            UseCoverage("–", "utan användningsbestämmelse", None, None, area(rest), rest / total)
        )
    return tuple(out)


def _rule_coverage(rules: list[PlanRule], piece: BaseGeometry, total: float):
    grouped: dict[tuple, list] = defaultdict(list)
    for rule in rules:
        grouped[
            (rule.code, rule.category, rule.wording, rule.value, rule.unit, rule.catalogue_code)
        ].append(rule.geometry.intersection(piece))
    out, shapes_by_kind = [], {"prickmark": [], "korsmark": []}
    for key, shapes in sorted(grouped.items(), key=lambda kv: (kv[0][0], kv[0][2] or "")):
        shape = shapely.union_all(shapes)
        if shape.area <= SLIVER:
            continue
        out.append(RuleCoverage(*key, area(shape.area), shape.area / total))
        kind = key[1] if key[1] in shapes_by_kind else key[0]
        if kind in shapes_by_kind:
            shapes_by_kind[kind].append(shape)
    return tuple(out), shapes_by_kind


#: Utnyttjandegrad that limits floor area (bruttoarea, exploateringstal), not the footprint.
FLOOR_AREA_WORDS = ("bruttoarea", "exploateringstal", "vaningsyta")


def limits_footprint(rule: PlanRule) -> bool:
    """True for an utnyttjandegrad rule that limits byggnadsarea (the footprint).

    >>> from shapely import box
    >>> rule = PlanRule("r", "p", "e2", "utnyttjandegrad", "Största bruttoarea är 500 m²",
    ...                 500.0, "m²", None, box(0, 0, 1, 1))
    >>> limits_footprint(rule)
    False
    """
    if rule.category != "utnyttjandegrad" or rule.value is None or rule.unit not in ("%", "m²"):
        return False
    words = fold(f"{rule.wording or ''} {rule.catalogue_code or ''}")
    return not (
        any(word in words for word in FLOOR_AREA_WORDS) or "bta" in words.replace("_", " ").split()
    )


def _e_limits(rules: list[PlanRule], piece: BaseGeometry) -> list[float]:
    """Largest building areas from utnyttjandegrad rules: % of the property area within the
    rule's area, or m² per property."""
    limits = []
    for rule in rules:
        if not limits_footprint(rule):
            continue
        inside = rule.geometry.intersection(piece).area
        if inside <= SLIVER:
            continue
        limits.append(rule.value / 100 * inside if rule.unit == "%" else rule.value)
    return limits


def _plan_coverage(
    plan: Plan, piece: BaseGeometry, total: float, uses, rules, today: dt.date
) -> PlanCoverage:
    whole = total - piece.area <= SLIVER
    share = sum(u.share for u in uses)
    return PlanCoverage(
        plan.plan_id,
        plan.name,
        plan.plan_type,
        plan.status,
        plan.in_force,
        plan.adopted,
        plan.legal_force,
        plan.implementation_years,
        plan.implementation_end,
        plan.implementation_status(today),
        plan.document,
        "wholly" if whole else "partly",
        area(piece.area),
        share,
        uses,
        rules,
    )


def _rights(
    kvarter, prick, kors, e_limits, heights, buildings, geometry, notes, partly_outside, governed
) -> BuildingRights:
    kvarter_shape = shapely.union_all(kvarter) if kvarter else shapely.Polygon()
    prick_shape = (
        shapely.union_all(prick).intersection(kvarter_shape) if prick else shapely.Polygon()
    )
    buildable = kvarter_shape.difference(prick_shape)
    kors_area = shapely.union_all(kors).intersection(buildable).area if kors else 0.0
    max_area = sum(e_limits) if e_limits else None
    notes = list(notes)
    if kvarter_shape.area <= SLIVER and governed:
        notes.append("no kvartersmark: the plans in force allow no private building here")
    if kors_area > SLIVER:
        notes.append("korsmark: only komplementbyggnader may stand there")
    if partly_outside:
        notes.append(
            "part of the property lies outside any detaljplan in force; building "
            "there is judged case by case (bygglov, PBL)"
        )
    existing = sum(b.geometry.intersection(geometry).area for b in buildings)
    remaining = None if max_area is None else max(max_area - existing, 0.0)
    used = None if not max_area else existing / max_area
    return BuildingRights(
        None if max_area is None else area(max_area),
        area(buildable.area),
        area(kors_area),
        area(prick_shape.area),
        max(heights) if heights else None,
        area(existing),
        None if remaining is None else area(remaining),
        None if used is None else round(used, 4),
        tuple(notes),
    )


__all__ = [
    "BuildingRights",
    "PlanCoverage",
    "RuleCoverage",
    "UseCoverage",
    "ZoningReport",
    "zoning_report",
]
