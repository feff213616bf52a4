"""The building check on the sample, with answers known by construction.

Every building is placed from the property's own shapes (its boundary, its prickmark, its
buildings), so each case says why its answer is what it is; the expected figures are worked out
from the sample's plan rules, never read back from the code under test.
"""

from __future__ import annotations

import dataclasses

import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shapely import affinity, box

from layers.building_check import BuildingKind, CheckCode, PlannedBuilding, Status, check_building
from layers.building_site import PlanArea, building_site
from layers.errors import InvalidBuilding
from layers.permit_rules import RULES, Procedure

# Björkåsen 4:1: stadsplan 2281K-S112, e1 20 % of the property, h1 nockhöjd 7.5 m, 6 m of
# prickmark along the street, one house, no protection.
PLAIN = "sundsvall björkåsen 4:1"


@pytest.fixture
def site(store):
    return building_site(store, store.find_property(PLAIN))


def free_spot(site, size: float, clearance: float = 6.5) -> shapely.Point:
    """A point where a ``size`` square stands ``clearance`` from the boundary, off prickmark
    and clear of the buildings."""
    room = site.geometry.buffer(-clearance - size / 2)
    room = room.difference(site.prickmark.buffer(size))
    for building in site.buildings:
        room = room.difference(building.geometry.buffer(size))
    assert room.area > 0
    return room.representative_point()


def square(point, width, depth=None):
    depth = depth or width
    return box(point.x - width / 2, point.y - depth / 2, point.x + width / 2, point.y + depth / 2)


def status(result, code):
    check = result.check(code)
    assert check is not None, code
    return check.status


def test_small_outbuilding_far_from_the_boundary_needs_no_permit(site):
    building = PlannedBuilding(square(free_spot(site, 4), 4), 3.0, BuildingKind.FRIGGEBOD)
    result = check_building(site, building)
    assert result.procedure == Procedure.NONE
    assert result.procedure_rule == "R02"
    assert RULES["R02"].reference.text() == "PBL (2010:900) 9 kap. 4 § (SFS 2025:974)"
    # every rule the data can answer is ok; railways and total defence areas are not loaded
    unknown = {c.code for c in result.checks if c.status != Status.OK}
    assert unknown == NOT_LOADED
    assert all(result.check(code).values["layer"] == "none" for code in NOT_LOADED)


NOT_LOADED = {CheckCode.RAILWAY, CheckCode.TOTAL_DEFENCE}


@pytest.mark.parametrize(
    ("metres", "procedure", "railway"),
    [(29.0, Procedure.BYGGLOV, Status.CONFLICT), (31.0, Procedure.NONE, Status.OK)],
)
def test_a_railway_closer_than_30_m_takes_the_exemption(site, metres, procedure, railway):
    footprint = square(free_spot(site, 4), 4)
    x0, y0, x1, _ = footprint.bounds
    track = shapely.LineString([(x0 - 50, y0 - metres), (x1 + 50, y0 - metres)])
    result = check_building(
        dataclasses.replace(site, railways=track, defence_areas=shapely.Polygon()),
        PlannedBuilding(footprint, 3.0, BuildingKind.FRIGGEBOD),
    )
    check = result.check(CheckCode.RAILWAY)
    assert check.status == railway
    assert check.values["distance_m"] == pytest.approx(metres)
    assert check.values["min_m"] == 30.0
    assert result.procedure == procedure
    assert result.procedure_rule == ("R09" if railway == Status.CONFLICT else "R02")
    assert check.to_dict()["source"] == "PBL (2010:900) 9 kap. 34–35 § (SFS 2025:974)"


@pytest.mark.parametrize("inside", [True, False])
def test_an_area_of_national_interest_for_total_defence_takes_the_exemption(site, inside):
    footprint = square(free_spot(site, 4), 4)
    area = footprint.buffer(10) if inside else footprint.buffer(10).difference(footprint.buffer(2))
    result = check_building(
        dataclasses.replace(site, defence_areas=area, railways=shapely.MultiLineString()),
        PlannedBuilding(footprint, 3.0, BuildingKind.FRIGGEBOD),
    )
    assert result.check(CheckCode.TOTAL_DEFENCE).status == (
        Status.CONFLICT if inside else Status.OK
    )
    assert result.procedure == (Procedure.BYGGLOV if inside else Procedure.NONE)
    assert (result.procedure_rule == "R12") is inside
    assert result.check(CheckCode.RAILWAY).status == Status.OK  # a layer without railways


def test_earlier_outbuildings_count_and_are_said_to(site):
    spot = free_spot(site, 4)
    building = PlannedBuilding(square(spot, 4), 3.0, BuildingKind.FRIGGEBOD)
    alone = check_building(site, building).check(CheckCode.EARLIER_ANNEXES)
    assert alone.status == Status.OK  # Björkåsen 4:1 has one house and no outbuilding
    assert alone.values["existing_m2"] == 0.0
    house = site.buildings[0]
    garage = dataclasses.replace(house, geometry=square(spot, 4).buffer(-1), use="Garage")
    result = check_building(dataclasses.replace(site, buildings=(house, garage)), building)
    earlier = result.check(CheckCode.EARLIER_ANNEXES)
    assert earlier.status == Status.UNKNOWN  # built with a permit or without: not in the data
    assert earlier.values["existing_m2"] == pytest.approx(4.0)
    assert earlier.values["max_total_m2"] == 45.0
    assert result.check(CheckCode.EXEMPTION_SIZE).values["total_m2"] == pytest.approx(20.0)
    assert earlier.rule_id == "R16"


def test_earlier_extensions_cannot_be_told(site):
    x0, y0, *_ = site.buildings[0].geometry.bounds
    extension = box(x0, y0 - 3, x0 + 5, y0)  # 15 m² against the house's south wall
    result = check_building(site, PlannedBuilding(extension, 3.0, BuildingKind.EXTENSION))
    earlier = result.check(CheckCode.EARLIER_EXTENSIONS)
    assert earlier.status == Status.UNKNOWN
    assert earlier.values["max_area_m2"] == 30.0


def test_the_same_in_a_q_area_needs_a_permit(store):
    for number in range(1, 13):
        prop = store.find_property(f"sundsvall björkåsen 2:{number}")
        q_site = building_site(store, prop)
        annexes = [b for b in q_site.buildings if b.use == "komplementbyggnad"]
        if not annexes and (q_site.max_building_area or 0) - q_site.existing_building_area > 20:
            break
    else:
        pytest.fail("no protected villa lot without an outbuilding in the sample")
    assert q_site.protection, "Björkåsen block 2 carries q1"
    building = PlannedBuilding(square(free_spot(q_site, 4), 4), 3.0, BuildingKind.FRIGGEBOD)
    result = check_building(q_site, building)
    assert status(result, CheckCode.PROTECTION) == Status.CONFLICT
    assert result.procedure == Procedure.BYGGLOV
    assert result.procedure_rule == "R11"
    assert "9 kap. 37 §" in RULES["R11"].reference.text()


def test_a_plan_that_requires_permits_excludes_the_exemption(site):
    excluding = dataclasses.replace(
        site,
        permit_required=(PlanArea("a1", "Bygglov krävs för komplementbyggnad.", site.geometry),),
    )
    building = PlannedBuilding(square(free_spot(site, 4), 4), 3.0, BuildingKind.FRIGGEBOD)
    result = check_building(excluding, building)
    assert status(result, CheckCode.PERMIT_REQUIRED) == Status.CONFLICT
    assert (result.procedure, result.procedure_rule) == (Procedure.BYGGLOV, "R13")


def test_main_building_on_prickmark_is_a_conflict(site):
    strip = site.prickmark.intersection(site.geometry)
    footprint = square(strip.representative_point(), 8, 4).intersection(strip)
    result = check_building(site, PlannedBuilding(footprint, 6.0, BuildingKind.MAIN))
    assert status(result, CheckCode.PRICKMARK) == Status.CONFLICT
    assert result.check(CheckCode.PRICKMARK).values["area_m2"] == pytest.approx(
        footprint.area, abs=0.1
    )
    assert result.procedure == Procedure.NOT_ALLOWED


def test_exempt_outbuilding_on_prickmark_is_told_it_deviates(site):
    strip = site.prickmark.intersection(site.geometry)
    footprint = square(strip.representative_point(), 4, 4).intersection(strip)
    building = PlannedBuilding(footprint, 3.0, "komplementbyggnad", neighbour_consent=True)
    result = check_building(site, building)
    assert status(result, CheckCode.PRICKMARK) == Status.CONFLICT
    assert status(result, CheckCode.PLAN_DEVIATION) == Status.OK  # PBL 10 kap. 2 a §
    assert RULES[result.check(CheckCode.PLAN_DEVIATION).rule_id].reference.section == "2 a"
    assert result.procedure == Procedure.NONE  # the neighbours consent to the 0-m distance
    without = check_building(site, dataclasses.replace(building, neighbour_consent=False))
    assert status(without, CheckCode.BOUNDARY_DISTANCE) == Status.CONFLICT
    assert without.procedure == Procedure.NOT_ALLOWED  # a permit against the plan


def test_exceeding_the_remaining_building_area_gives_the_right_figures(site):
    # e1: 20 % of the property; what is left is that less the house's footprint.
    limit = round(0.20 * site.geometry.area, 1)
    left = round(limit - site.existing_building_area, 1)
    spot = free_spot(site, 10, clearance=0.5)
    footprint = square(spot, 10, (left + 10) / 10)  # 10 m² more than is left
    result = check_building(site, PlannedBuilding(footprint, 5.0, BuildingKind.MAIN))
    check = result.check(CheckCode.BUILDING_AREA)
    assert check.status == Status.CONFLICT
    assert check.values["max_m2"] == pytest.approx(limit, abs=0.1)
    assert check.values["remaining_m2"] == pytest.approx(left, abs=0.1)
    assert check.values["over_m2"] == pytest.approx(10.0, abs=0.15)


def test_a_height_over_h1_is_a_conflict(site):
    footprint = square(free_spot(site, 6), 6)
    result = check_building(site, PlannedBuilding(footprint, 7.6, BuildingKind.MAIN))
    check = result.check(CheckCode.HEIGHT)
    assert (check.status, check.values["max_m"], check.values["rule"]) == (
        Status.CONFLICT,
        7.5,
        "h1",
    )
    ok = check_building(site, PlannedBuilding(footprint, 7.5, BuildingKind.MAIN))
    assert status(ok, CheckCode.HEIGHT) == Status.OK
    assert (ok.procedure, ok.procedure_rule) == (Procedure.BYGGLOV, "R01")


def test_exemption_limits_inside_a_plan(site):
    spot = free_spot(site, 6)
    big = check_building(site, PlannedBuilding(square(spot, 6, 5.5), 3.0, "komplementbyggnad"))
    assert big.check(CheckCode.EXEMPTION_SIZE).status == Status.CONFLICT  # 33 m² > 30 m²
    high = check_building(site, PlannedBuilding(square(spot, 4), 4.1, "komplementbyggnad"))
    assert high.check(CheckCode.EXEMPTION_SIZE).status == Status.CONFLICT  # ridge > 4.0 m
    assert high.procedure == Procedure.BYGGLOV
    assert high.procedure_rule == "R05"


def test_every_check_names_its_source_and_date(site):
    result = check_building(site, PlannedBuilding(square(free_spot(site, 4), 4), 3.0, "carport"))
    for item in result.to_dict()["checks"]:
        assert item["source"].startswith(("PBL (2010:900)", "PBF (2011:338)"))
        assert "SFS 20" in item["source"]
        assert item["checked"] == "2026-11-30"


@pytest.mark.parametrize(
    ("geometry", "height", "kind"),
    [
        (box(0, 0, 0.5, 0.5), 3.0, "friggebod"),
        (box(0, 0, 5, 5), 0.0, "friggebod"),
        (box(0, 0, 5, 5), float("nan"), "friggebod"),
        (box(0, 0, 5, 5), 3.0, "castle"),
        (shapely.Point(0, 0).buffer(3), 101.0, "friggebod"),
        (shapely.MultiPolygon([box(0, 0, 5, 5), box(10, 0, 15, 5)]), 3.0, "friggebod"),
    ],
)
def test_bad_buildings_are_refused(geometry, height, kind):
    with pytest.raises(InvalidBuilding):
        PlannedBuilding(geometry, height, kind)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(dx=st.floats(-1, 1), dy=st.floats(-1, 1), turn=st.floats(0, 90))
def test_moving_a_building_inside_the_property_keeps_the_area_result(site, dx, dy, turn):
    room = site.geometry.buffer(-4)
    here = square(free_spot(site, 4, clearance=2), 4)
    x0, y0, x1, y1 = room.bounds
    moved = affinity.rotate(
        affinity.translate(here, dx * (x1 - x0) / 2, dy * (y1 - y0) / 2), turn, "centroid"
    )
    if not room.contains(moved):
        return
    first = check_building(site, PlannedBuilding(here, 3.0, "main_building"))
    second = check_building(site, PlannedBuilding(moved, 3.0, "main_building"))
    a, b = first.check(CheckCode.BUILDING_AREA), second.check(CheckCode.BUILDING_AREA)
    assert (a.status, a.values["after_m2"]) == (b.status, b.values["after_m2"])
