""" "Kan jag bygga?": a planned building checked against the plan and the bygglov rules.

:func:`check_building` takes a property as a :class:`~layers.building_site.Site` and a
:class:`PlannedBuilding` and answers rule by rule (:class:`Check`: a :class:`CheckCode`, a
:class:`Status` — ok, conflict, or unknown when the data cannot tell — the values it was decided
on and the row of the rule table it applies, :data:`layers.permit_rules.RULES`), then the
:class:`~layers.permit_rules.Procedure`: bygglov, anmälan, neither, or not allowed as drawn.
Codes only: ``mapservice`` words them. Guidance, not a decision: the byggnadsnämnd decides.

>>> from shapely import box
>>> site = Site(unit_id="u", designation="X 1:1", geometry=box(0, 0, 30, 30))
>>> result = check_building(site, PlannedBuilding(box(10, 10, 14, 14), 3.0, "komplementbyggnad"))
>>> result.procedure.value, result.in_plan
('none', False)
>>> [c.code.value for c in result.checks if c.status != "ok"]  # no such layers are loaded
['area_regulations', 'total_defence', 'railway']
"""

from __future__ import annotations

from shapely.geometry.base import BaseGeometry

from layers.building_site import Site
from layers.models import Building
from layers.notes import NoteValue
from layers.permit_rules import (
    BOUNDARY_DISTANCE,
    EXTENSION_AREA,
    RAILWAY_DISTANCE,
    Procedure,
    limits,
)
from layers.planned import (
    ANNEXES,
    DWELLINGS,
    EXTENSIONS,
    PLAN_CHECKS,
    BuildingCheck,
    BuildingKind,
    Check,
    CheckCode,
    PlannedBuilding,
    Status,
)
from layers.rights import SLIVER, area
from layers.text import fold

__all__ = [
    "BuildingCheck",
    "BuildingKind",
    "Check",
    "CheckCode",
    "PlannedBuilding",
    "Status",
    "check_building",
]

#: Building uses that are an en- or tvåbostadshus, and komplementbyggnader (folded).
HOUSE_WORDS = ("smahus", "villa", "enbostadshus", "tvabostadshus", "radhus", "parhus")
ANNEX_WORDS = ("komplement", "garage", "forrad", "uthus")


#: Checks whose conflict takes the exemption away (bygglov), before the plan is looked at.
BLOCKING = (
    CheckCode.PROTECTION,
    CheckCode.PERMIT_REQUIRED,
    CheckCode.TOTAL_DEFENCE,
    CheckCode.RAILWAY,
)


def _values(**values: float | str | None) -> dict[str, NoteValue]:
    return {
        k: (round(v, 2) if isinstance(v, float) else v) for k, v in values.items() if v is not None
    }


def _status(conflict: bool) -> Status:
    return Status.CONFLICT if conflict else Status.OK


def _on(shape: BaseGeometry, footprint: BaseGeometry) -> float:
    return 0.0 if shape.is_empty else float(shape.intersection(footprint).area)


def _plan_checks(site: Site, b: PlannedBuilding) -> list[Check]:
    fp, kind = b.geometry, b.kind
    annex = kind in ANNEXES
    kvarter = [code for code, shape in site.uses.items() if _on(shape, fp) > SLIVER]
    public = _on(site.public_land, fp)
    unfit = kind in DWELLINGS and not {"B", "C"} & set(kvarter)
    checks = [
        Check(
            CheckCode.LAND_USE,
            _status(public > SLIVER or not kvarter or unfit),
            "P01",
            _values(uses=", ".join(sorted(kvarter)) or "–", public_m2=area(public)),
        ),
        Check(
            CheckCode.PRICKMARK,
            _status(_on(site.prickmark, fp) > SLIVER),
            "P01",
            _values(area_m2=area(_on(site.prickmark, fp))),
        ),
    ]
    korsmark = _on(site.korsmark, fp)
    if korsmark > SLIVER or not site.korsmark.is_empty:
        checks.append(
            Check(
                CheckCode.KORSMARK,
                _status(korsmark > SLIVER and not annex),
                "P01",
                _values(area_m2=area(korsmark)),
            )
        )
    checks.append(_area_check(site, b))
    checks.append(_height_check(site, b))
    return checks


def _area_check(site: Site, b: PlannedBuilding) -> Check:
    planned = (
        0.0 if b.kind == BuildingKind.DORMER else area(b.geometry.intersection(site.geometry).area)
    )
    after = area(site.existing_building_area + planned)
    limit = site.max_building_area
    values = _values(planned_m2=planned, existing_m2=site.existing_building_area, after_m2=after)
    if limit is None:
        return Check(CheckCode.BUILDING_AREA, Status.OK, "P01", values)
    over = area(after - limit)
    values |= _values(
        max_m2=limit,
        remaining_m2=area(max(limit - site.existing_building_area, 0.0)),
        over_m2=max(over, 0.0),
    )
    return Check(CheckCode.BUILDING_AREA, _status(over > SLIVER), "P01", values)


def _height_check(site: Site, b: PlannedBuilding) -> Check:
    limits_here = [h for h in site.heights if _on(h.geometry, b.geometry) > SLIVER]
    if not limits_here:
        return Check(CheckCode.HEIGHT, Status.OK, "P01", _values(height_m=b.height_m))
    strictest = min(limits_here, key=lambda h: h.value)
    values = _values(
        height_m=b.height_m, max_m=strictest.value, rule=strictest.code, measure=strictest.kind
    )
    if b.height_m <= strictest.value:
        return Check(CheckCode.HEIGHT, Status.OK, "P01", values)
    # a ridge above a byggnadshöjd may still be within it: that depends on the roof
    status = Status.UNKNOWN if strictest.kind == "building" else Status.CONFLICT
    return Check(CheckCode.HEIGHT, status, "P01", values)


def _protection_checks(site: Site, b: PlannedBuilding) -> list[Check]:
    protected = [p.code for p in site.protection if _on(p.geometry, site.geometry) > SLIVER]
    checks = [
        Check(
            CheckCode.PROTECTION,
            _status(bool(protected)),
            "R11",
            _values(rules=", ".join(sorted(set(protected))) or None),
        )
    ]
    if site.permit_required:
        required = [p.code for p in site.permit_required if _on(p.geometry, b.geometry) > SLIVER]
        checks.append(
            Check(
                CheckCode.PERMIT_REQUIRED,
                _status(bool(required)),
                "R13",
                _values(rules=", ".join(sorted(set(required))) or None),
            )
        )
    return checks


def _where_exemptions_end(site: Site, b: PlannedBuilding) -> list[Check]:
    """Total defence areas (R12) and railways (R09): ok, conflict, or cannot tell without the
    layer (the service loads neither today)."""
    if site.defence_areas is None:
        defence = Check(CheckCode.TOTAL_DEFENCE, Status.UNKNOWN, "R12", _values(layer="none"))
    else:
        inside = _on(site.defence_areas, b.geometry) > SLIVER
        defence = Check(CheckCode.TOTAL_DEFENCE, _status(inside), "R12")
    limit = _values(min_m=RAILWAY_DISTANCE)
    if site.railways is None:
        return [defence, Check(CheckCode.RAILWAY, Status.UNKNOWN, "R09", limit | {"layer": "none"})]
    distance = float(b.geometry.distance(site.railways)) if not site.railways.is_empty else None
    close = distance is not None and distance < RAILWAY_DISTANCE
    railway = Check(CheckCode.RAILWAY, _status(close), "R09", limit | _values(distance_m=distance))
    return [defence, railway]


def _earlier(site: Site, b: PlannedBuilding, in_plan: bool) -> Check:
    """Earlier lovfria measures count against the totals (R16): outbuildings in the register
    are counted as if built without a permit; earlier extensions are not in the register."""
    if b.kind in EXTENSIONS:
        values = _values(max_area_m2=EXTENSION_AREA)
        return Check(CheckCode.EARLIER_EXTENSIONS, Status.UNKNOWN, "R16", values)
    annexes = area(sum(x.geometry.area for x in _uses(site.buildings, ANNEX_WORDS)))
    values = _values(existing_m2=annexes, max_total_m2=limits(in_plan=in_plan).total_area)
    status = Status.UNKNOWN if annexes > SLIVER else Status.OK
    return Check(CheckCode.EARLIER_ANNEXES, status, "R16", values)


def _uses(buildings: tuple[Building, ...], words: tuple[str, ...]) -> list[Building]:
    return [x for x in buildings if any(w in fold(x.use or "") for w in words)]


def _annex_size(site: Site, b: PlannedBuilding, in_plan: bool) -> Check:
    lim = limits(in_plan=in_plan)
    annexes = sum(x.geometry.area for x in _uses(site.buildings, ANNEX_WORDS))
    mains = [x.geometry.area for x in site.buildings if x not in _uses(site.buildings, ANNEX_WORDS)]
    total = area(annexes + b.geometry.area)
    bigger = bool(mains) and b.geometry.area >= max(mains)
    over = b.area > lim.building_area or b.height_m > lim.ridge_height or total > lim.total_area
    values = _values(
        area_m2=b.area,
        max_area_m2=lim.building_area,
        height_m=b.height_m,
        max_height_m=lim.ridge_height,
        total_m2=total,
        max_total_m2=lim.total_area,
        main_m2=area(max(mains)) if mains else None,
    )
    return Check(
        CheckCode.EXEMPTION_SIZE,
        _status(over or bigger),
        "R05" if over or bigger else lim.rule_id,
        values,
    )


def _extension_size(site: Site, b: PlannedBuilding) -> Check:
    near = [x for x in site.buildings if x.geometry.distance(b.geometry) < 0.5]
    base = max(
        near, key=lambda x: x.geometry.intersection(b.geometry.buffer(0.5)).area, default=None
    )
    rule = "R08" if b.kind == BuildingKind.DORMER else "R06"
    values = _values(
        area_m2=b.area,
        max_area_m2=EXTENSION_AREA,
        height_m=b.height_m,
        building_height_m=None if base is None else base.height,
    )
    if base is None:
        return Check(CheckCode.EXTENSION_SIZE, Status.UNKNOWN, rule, values | {"attached": 0})
    over = b.area > EXTENSION_AREA or (base.height is not None and b.height_m > base.height)
    status = Status.UNKNOWN if base.height is None and not over else _status(over)
    return Check(CheckCode.EXTENSION_SIZE, status, "R07" if over else rule, values)


def _deviation_allowed(site: Site, b: PlannedBuilding) -> bool:
    """A measure PBL 10 kap. 2 a § lets deviate from the plan (if it is lovfri)."""
    if b.kind in DWELLINGS:
        return True
    houses = _uses(site.buildings, HOUSE_WORDS)
    if b.kind in EXTENSIONS:
        near = [x for x in site.buildings if x.geometry.distance(b.geometry) < 0.5]
        return any(x in houses or x in _uses(site.buildings, ANNEX_WORDS) for x in near)
    return bool(houses)


def _boundary(site: Site, b: PlannedBuilding) -> Check:
    distance = float(b.geometry.distance(site.geometry.boundary))
    if not site.geometry.contains(b.geometry):
        distance = 0.0
    values = _values(distance_m=distance, min_m=BOUNDARY_DISTANCE, consent=int(b.neighbour_consent))
    close = distance < BOUNDARY_DISTANCE
    return Check(
        CheckCode.BOUNDARY_DISTANCE, _status(close and not b.neighbour_consent), "R10", values
    )


def check_building(site: Site, building: PlannedBuilding) -> BuildingCheck:
    """Check ``building`` on ``site``: every rule, then the procedure it needs.

    Guidance, not a decision. The order follows the research note of issue 15: protection and
    the plan's own permit rules first, then the exemption's limits, then the plan (with the
    deviations PBL 10 kap. 2 a § allows a lovfri measure), the boundary, anmälan.
    """
    fp = building.geometry
    in_plan = _on(site.plan_area, fp) > fp.area / 2
    outside = area(fp.difference(site.geometry).area)
    checks = [
        Check(
            CheckCode.INSIDE_PROPERTY, _status(outside > SLIVER), "R02", _values(outside_m2=outside)
        )
    ]
    if in_plan:
        checks += _plan_checks(site, building)
    else:
        checks.append(Check(CheckCode.AREA_REGULATIONS, Status.UNKNOWN, "R03"))
    plan_ok = all(c.status != Status.CONFLICT for c in checks if c.code in PLAN_CHECKS)
    if building.kind == BuildingKind.MAIN:
        return _result(site, building, in_plan, checks, Procedure.BYGGLOV, "R01", plan_ok)
    checks += _protection_checks(site, building) + _where_exemptions_end(site, building)
    size = (
        _extension_size(site, building)
        if building.kind in EXTENSIONS
        else _annex_size(site, building, in_plan)
    )
    checks += [size, _earlier(site, building, in_plan)]
    blocked = [c for c in checks if c.code in (*BLOCKING, size.code) and c.status == "conflict"]
    if blocked:
        return _result(
            site, building, in_plan, checks, Procedure.BYGGLOV, blocked[0].rule_id, plan_ok
        )
    if not plan_ok:
        allowed = _deviation_allowed(site, building)
        checks.append(Check(CheckCode.PLAN_DEVIATION, _status(not allowed), "R15"))
        if not allowed:
            return _result(site, building, in_plan, checks, Procedure.BYGGLOV, "R15", False)
    checks.append(_boundary(site, building))
    if checks[-1].status == Status.CONFLICT:
        return _result(site, building, in_plan, checks, Procedure.BYGGLOV, "R10", plan_ok)
    if building.kind in DWELLINGS:
        checks.append(Check(CheckCode.ANMALAN_TRIGGERS, Status.UNKNOWN, "R04"))
    return _result(site, building, in_plan, checks, Procedure.NONE, size.rule_id, True)


def _result(
    site: Site,
    building: PlannedBuilding,
    in_plan: bool,
    checks: list[Check],
    procedure: Procedure,
    rule_id: str,
    plan_ok: bool,
) -> BuildingCheck:
    """The answer; a building that needs a permit but breaks the plan (or lies outside the
    property) is not allowed as drawn."""
    inside = checks[0].status == Status.OK
    if not inside or (procedure == Procedure.BYGGLOV and not plan_ok):
        procedure, rule_id = Procedure.NOT_ALLOWED, "P01"
    return BuildingCheck(
        site.unit_id, site.designation, building, in_plan, procedure, rule_id, tuple(checks)
    )
