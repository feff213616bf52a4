"""What a building check needs to know about a property: its plan areas as shapes, its buildings.

:class:`Site` is plain data (shapely geometries in SWEREF 99 TM), so the check itself
(:mod:`layers.building_check`) is a pure function that tests build by hand; :func:`building_site`
reads it from a :class:`~layers.store.LayerStore` through the zoning overlay. Only plans in force
regulate, and where they overlap the newest governs (as in :mod:`layers.zoning`).

>>> rule_height_kind("Högsta nockhöjd är 7,5 meter.", None)
'ridge'
>>> is_protection("q1", "skydd av kulturvärden"), is_protection("e1", "utnyttjandegrad")
(True, False)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import shapely
from shapely.geometry.base import BaseGeometry

from layers.models import Building, Property
from layers.plan import PlanRule
from layers.rights import KVARTERSMARK
from layers.store import LayerStore
from layers.text import fold
from layers.zoning import _governing_pieces, zoning_report

__all__ = ["HeightLimit", "PlanArea", "Site", "building_site", "is_protection"]

EMPTY = shapely.Polygon()
_PROTECTION_CODE = re.compile(r"^[qrk]\d*$", re.IGNORECASE)
_PROTECTION_WORDS = ("skydd", "kulturvard", "varsamhet", "rivningsforbud", "forvanskas")
_PERMIT_WORDS = ("utokad lovplikt", "bygglov kravs", "lovplikt")


@dataclass(frozen=True)
class PlanArea:
    """A plan rule's area on the property: its code, wording and shape."""

    code: str
    wording: str | None
    geometry: BaseGeometry


@dataclass(frozen=True)
class HeightLimit:
    """An h-rule: the largest height (m), what it measures (ridge, building, total), where."""

    code: str
    value: float
    kind: str
    geometry: BaseGeometry


@dataclass(frozen=True)
class Site:
    """A property as the building check sees it.

    ``plan_area`` is the part governed by a detaljplan in force; ``uses`` maps each
    kvartersmark use code to its shape, ``public_land`` is allmän plats; ``max_building_area``
    the e-rules' largest byggnadsarea (None without one) and ``existing_building_area`` what the
    ``buildings`` already cover. ``railways`` (track centre lines) and ``defence_areas``
    (riksintresse för totalförsvaret) are None when no such layer is loaded: the check then
    cannot tell.
    """

    unit_id: str
    designation: str
    geometry: BaseGeometry
    plan_area: BaseGeometry = EMPTY
    uses: dict[str, BaseGeometry] = field(default_factory=dict)
    public_land: BaseGeometry = EMPTY
    prickmark: BaseGeometry = EMPTY
    korsmark: BaseGeometry = EMPTY
    heights: tuple[HeightLimit, ...] = ()
    protection: tuple[PlanArea, ...] = ()
    permit_required: tuple[PlanArea, ...] = ()
    max_building_area: float | None = None
    existing_building_area: float = 0.0
    buildings: tuple[Building, ...] = ()
    railways: BaseGeometry | None = None
    defence_areas: BaseGeometry | None = None


def rule_height_kind(wording: str | None, catalogue_code: str | None) -> str:
    """What an h-rule measures: ``ridge`` (nockhöjd), ``building`` (byggnadshöjd) or ``total``."""
    words = fold(f"{wording or ''} {catalogue_code or ''}")
    if "nock" in words:
        return "ridge"
    if "byggnadshojd" in words:
        return "building"
    return "total"


def is_protection(code: str, category: str | None, wording: str | None = None) -> bool:
    """A skydds-, rivningsförbuds- or varsamhetsbestämmelse (q, r, k)."""
    words = fold(f"{category or ''} {wording or ''}")
    return bool(_PROTECTION_CODE.match(code)) or any(w in words for w in _PROTECTION_WORDS)


def _requires_permit(rule: PlanRule) -> bool:
    words = fold(f"{rule.category or ''} {rule.wording or ''}")
    return any(w in words for w in _PERMIT_WORDS)


def building_site(store: LayerStore, prop: Property) -> Site:
    """The :class:`Site` of ``prop``: its plans in force, their rules' shapes, its buildings."""
    geometry = prop.geometry
    zoning = zoning_report(store, prop)
    plans = [p for p in store.plans_over(geometry) if p.in_force]
    pieces = _governing_pieces(plans, geometry)
    uses: dict[str, list[BaseGeometry]] = {}
    public: list[BaseGeometry] = []
    for use in store.plan_uses_over(geometry):
        piece = pieces.get(use.plan_id)
        if piece is None:
            continue
        shape = use.geometry.intersection(piece)
        (uses.setdefault(use.code, []) if use.land_form == KVARTERSMARK else public).append(shape)
    areas: dict[str, list[BaseGeometry]] = {"prickmark": [], "korsmark": []}
    heights, protection, permit = [], [], []
    for rule in store.plan_rules_over(geometry):
        piece = pieces.get(rule.plan_id)
        if piece is None:
            continue
        shape = rule.geometry.intersection(piece)
        kind = rule.category if rule.category in areas else rule.code
        if kind in areas:
            areas[kind].append(shape)
        elif rule.category == "höjd" and rule.value is not None:
            kind = rule_height_kind(rule.wording, rule.catalogue_code)
            heights.append(HeightLimit(rule.code, rule.value, kind, shape))
        elif is_protection(rule.code, rule.category, rule.wording):
            protection.append(PlanArea(rule.code, rule.wording, shape))
        elif _requires_permit(rule):
            permit.append(PlanArea(rule.code, rule.wording, shape))
    return Site(
        unit_id=prop.unit_id,
        designation=str(prop.designation),
        geometry=geometry,
        plan_area=shapely.union_all(list(pieces.values())) if pieces else EMPTY,
        uses={code: shapely.union_all(shapes) for code, shapes in uses.items()},
        public_land=shapely.union_all(public) if public else EMPTY,
        prickmark=shapely.union_all(areas["prickmark"]) if areas["prickmark"] else EMPTY,
        korsmark=shapely.union_all(areas["korsmark"]) if areas["korsmark"] else EMPTY,
        heights=tuple(heights),
        protection=tuple(protection),
        permit_required=tuple(permit),
        max_building_area=zoning.rights.max_building_area,
        existing_building_area=zoning.rights.existing_building_area,
        buildings=zoning.buildings,
    )
