"""Building rights: what the detaljplaner in force allow on a property, and what is used.

The e-rules (utnyttjandegrad) that limit byggnadsarea add up to the largest building area;
kvartersmark not under prickmark is where building is allowed, korsmark the part of it where
only komplementbyggnader may stand; the h-rules give the highest height. :class:`PlansInForce`
gathers what each plan in force says about the part of the property it governs and adds it up
to :class:`BuildingRights`, with :class:`~layers.notes.ZoningNote` notes.

>>> from shapely import box
>>> lot = box(0, 0, 20, 10)
>>> gathered = PlansInForce()
>>> use = PlanUse(use_id="u", plan_id="p", code="B", wording="Bostäder",
...               land_form=KVARTERSMARK, catalogue_code=None, geometry=lot)
>>> gathered.add([use], [], {"prickmark": [box(0, 0, 20, 2)], "korsmark": []}, lot)
>>> rights = gathered.rights((), lot, partly_outside=False, governed=True)
>>> rights.buildable_area, rights.prickmark_area, rights.max_building_area, rights.notes
(160.0, 40.0, None, ())
"""

from __future__ import annotations

from dataclasses import dataclass, field

import shapely
from shapely.geometry.base import BaseGeometry

from layers.models import Building, Model
from layers.notes import Note, ZoningNote
from layers.plan import PlanRule, PlanUse
from layers.text import fold

__all__ = [
    "KVARTERSMARK",
    "SLIVER",
    "BuildingRights",
    "PlansInForce",
    "area",
    "footprint_limits",
    "limits_footprint",
    "over_height",
]

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
class BuildingRights(Model):
    """What the plans in force allow on the property, and what is used.

    ``max_building_area`` is the largest byggnadsarea the e-rules allow (None where no rule
    limits it); ``buildable_area`` is the kvartersmark not under prickmark; ``korsmark_area``
    the part of it where only komplementbyggnader may stand; ``max_height`` the highest
    allowed height (m); ``existing_building_area`` the footprint of the buildings already there;
    ``notes`` what a reader should know besides the figures (:class:`~layers.notes.ZoningNote`).
    """

    max_building_area: float | None
    buildable_area: float
    korsmark_area: float
    prickmark_area: float
    max_height: float | None
    existing_building_area: float
    remaining_building_area: float | None
    used_share: float | None
    notes: tuple[Note, ...]


#: Utnyttjandegrad that limits floor area (bruttoarea, exploateringstal), not the footprint.
FLOOR_AREA_WORDS = ("bruttoarea", "exploateringstal", "vaningsyta")


def limits_footprint(rule: PlanRule) -> bool:
    """True for an utnyttjandegrad rule that limits byggnadsarea (the footprint).

    >>> from shapely import box
    >>> rule = PlanRule(rule_id="r", plan_id="p", code="e2", category="utnyttjandegrad",
    ...                 wording="Största bruttoarea är 500 m²", value=500.0, unit="m²",
    ...                 catalogue_code=None, geometry=box(0, 0, 1, 1))
    >>> limits_footprint(rule)
    False
    """
    if rule.category != "utnyttjandegrad" or rule.value is None or rule.unit not in ("%", "m²"):
        return False
    words = fold(f"{rule.wording or ''} {rule.catalogue_code or ''}")
    return not (
        any(word in words for word in FLOOR_AREA_WORDS) or "bta" in words.replace("_", " ").split()
    )


@dataclass
class PlansInForce:
    """What the plans in force put on a property, gathered plan by plan (newest first).

    :meth:`add` takes each plan's part of the property that it governs; :meth:`rights` adds
    them up. ``notes`` may be added to on the way (a plan replaced, a proposal).
    """

    kvarter: list[BaseGeometry] = field(default_factory=list)
    prickmark: list[BaseGeometry] = field(default_factory=list)
    korsmark: list[BaseGeometry] = field(default_factory=list)
    footprint_limits: list[float] = field(default_factory=list)
    heights: list[float] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)

    def add(
        self,
        uses: list[PlanUse],
        rules: list[PlanRule],
        rule_shapes: dict[str, list[BaseGeometry]],
        piece: BaseGeometry,
    ) -> None:
        """Gather what one plan in force says about ``piece``, the part of it that governs."""
        self.kvarter += [
            u.geometry.intersection(piece) for u in uses if u.land_form == KVARTERSMARK
        ]
        self.prickmark += rule_shapes["prickmark"]
        self.korsmark += rule_shapes["korsmark"]
        self.footprint_limits += footprint_limits(rules, piece)
        self.heights += [
            r.value
            for r in rules
            if r.category == "höjd"
            and r.value is not None
            and r.geometry.intersection(piece).area > SLIVER
        ]

    def rights(
        self,
        buildings: tuple[Building, ...],
        geometry: BaseGeometry,
        *,
        partly_outside: bool,
        governed: bool,
    ) -> BuildingRights:
        """The building rights these plans add up to, against the ``buildings`` there."""
        kvarter = shapely.union_all(self.kvarter) if self.kvarter else shapely.Polygon()
        prick = (
            shapely.union_all(self.prickmark).intersection(kvarter)
            if self.prickmark
            else shapely.Polygon()
        )
        buildable = kvarter.difference(prick)
        kors_area = (
            shapely.union_all(self.korsmark).intersection(buildable).area if self.korsmark else 0.0
        )
        max_area = sum(self.footprint_limits) if self.footprint_limits else None
        notes = list(self.notes)
        if kvarter.area <= SLIVER and governed:
            notes.append(Note(ZoningNote.NO_KVARTERSMARK))
        if kors_area > SLIVER:
            notes.append(Note(ZoningNote.KORSMARK))
        if partly_outside:
            notes.append(Note(ZoningNote.PARTLY_OUTSIDE))
        max_height = max(self.heights) if self.heights else None
        notes += over_height(buildings, max_height)
        existing = sum(b.geometry.intersection(geometry).area for b in buildings)
        remaining = None if max_area is None else max(max_area - existing, 0.0)
        used = None if not max_area else existing / max_area
        return BuildingRights(
            max_building_area=None if max_area is None else area(max_area),
            buildable_area=area(buildable.area),
            korsmark_area=area(kors_area),
            prickmark_area=area(prick.area),
            max_height=max_height,
            existing_building_area=area(existing),
            remaining_building_area=None if remaining is None else area(remaining),
            used_share=None if used is None else round(used, 4),
            notes=tuple(notes),
        )


def over_height(buildings: tuple[Building, ...], max_height: float | None) -> list[Note]:
    """A note for each building higher than the highest height the plans allow (more than
    5 cm over, as heights are measured to the centimetre).

    >>> from shapely import box
    >>> b = Building("b1", "u", None, None, None, 8.45, None, 1.0, box(0, 0, 1, 1))
    >>> [n.to_dict() for n in over_height((b,), 8.0)]
    [{'code': 'over_height', 'params': {'height': 8.45, 'max_height': 8.0}}]
    >>> over_height((b,), None), over_height((b,), 9.0)
    ([], [])
    """
    if max_height is None:
        return []
    return [
        Note(ZoningNote.OVER_HEIGHT, {"height": b.height, "max_height": max_height})
        for b in buildings
        if b.height is not None and b.height > max_height + 0.05
    ]


def footprint_limits(rules: list[PlanRule], piece: BaseGeometry) -> list[float]:
    """Largest building areas from utnyttjandegrad rules: % of the property area within the
    rule's area, or m² per property."""
    limits = []
    for rule in rules:
        if not limits_footprint(rule) or rule.value is None:
            continue
        inside = rule.geometry.intersection(piece).area
        if inside <= SLIVER:
            continue
        limits.append(rule.value / 100 * inside if rule.unit == "%" else rule.value)
    return limits
