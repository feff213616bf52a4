import datetime as dt

import pytest
from shapely import box

from layers import GeoPackageStore, zoning_report
from layers.notes import ZoningNote
from layers.plan import Plan, add_years

#: These tests run on both vector store backends (tests/conftest.py).
pytestmark = pytest.mark.both_backends

TODAY = dt.date(2026, 11, 27)

SAMPLE_CASES = [
    "björkåsen 3:12",
    "lärkan 2",
    "svalan 1",
    "stenhälla 1:1",
    "lövsättra 1:2",
    "granmyra 1:2",
    "granmyra ga:1",
    "lövsättra s:1",
    "björkåsen 1:1",
]


@pytest.mark.parametrize("designation", SAMPLE_CASES)
def test_shares_sum_to_one_and_areas_are_tenths(store, designation):
    prop = store.find_property(designation)
    report = zoning_report(store, prop, TODAY)
    assert report.shares_total() == pytest.approx(1.0, abs=0.001)
    for plan in report.plans:
        assert plan.area == round(plan.area, 1)
        for use in plan.uses:
            assert use.area == round(use.area, 1)
            assert 0 < use.share <= 1 + 1e-9
        for rule in plan.rules:
            assert 0 < rule.area <= prop.area + 0.1
    used = sum(u.area for p in report.plans if p.in_force for u in p.uses)
    assert used + report.outside_plan_area == pytest.approx(prop.area, abs=0.1 * 20)


def test_a_villa_in_the_1964_stadsplan(store):
    report = zoning_report(store, store.find_property("björkåsen 3:12"), TODAY)
    (plan,) = report.plans
    assert (plan.plan_id, plan.coverage, plan.status) == ("2281K-S112", "wholly", "laga kraft")
    assert plan.implementation_years is None
    assert plan.implementation_status == "ended"
    assert plan.document == "documents/2281K-S112.html"
    assert [u.code for u in plan.uses] == ["B"]
    codes = {r.code: r for r in plan.rules}
    assert {"e1", "h1", "prickmark"} <= set(codes)
    assert codes["e1"].value == 20
    assert codes["e1"].unit == "%"
    prop_area = report.property.area
    rights = report.rights
    assert rights.max_building_area == pytest.approx(0.2 * prop_area, abs=0.1)
    assert rights.buildable_area == pytest.approx(prop_area - codes["prickmark"].area, abs=0.1)
    assert rights.max_height == 7.5
    assert 0 < rights.existing_building_area < rights.max_building_area
    assert rights.remaining_building_area == pytest.approx(
        rights.max_building_area - rights.existing_building_area, abs=0.11
    )


def test_kvarter_with_korsmark_and_running_genomforandetid(store):
    report = zoning_report(store, store.find_property("lärkan 2"), TODAY)
    (plan,) = report.plans
    assert plan.implementation_end == dt.date(2031, 3, 15)
    assert plan.implementation_status == "running"
    assert report.rights.korsmark_area > 0
    assert any(note.code is ZoningNote.KORSMARK for note in report.rights.notes)
    assert report.rights.max_height == 16.0


def test_a_lot_cut_by_the_plan_edge_is_partly_outside(store):
    cut = None
    for prop in store.iter_pages((616_400, 6_918_250, 617_000, 6_918_350)):
        report = zoning_report(store, prop, TODAY)
        if (
            any(p.plan_id == "2281K-DP145" and p.coverage == "partly" for p in report.plans)
            and report.outside_plan_area > 1
        ):
            cut = report
            break
    assert cut is not None, "the sample has lots cut by DP145's northern edge"
    assert 0 < cut.outside_plan_share < 1
    assert cut.shares_total() == pytest.approx(1.0, abs=0.001)
    assert any(note.code is ZoningNote.PARTLY_OUTSIDE for note in cut.rights.notes)


def test_a_plan_under_work_is_listed_but_does_not_regulate(store):
    prop = next(
        p
        for p in store.iter_pages((617_100, 6_918_100, 617_300, 6_918_300))
        if p.unit_type == "fastighet"
        and any(pl.plan_id == "2281K-DP240" for pl in zoning_report(store, p, TODAY).plans)
    )
    report = zoning_report(store, prop, TODAY)
    proposal = next(p for p in report.plans if p.plan_id == "2281K-DP240")
    assert not proposal.in_force
    assert proposal.implementation_status == "not in force"
    assert report.outside_plan_share == pytest.approx(1.0, abs=0.001)
    assert report.rights.max_building_area is None
    assert any(note.code is ZoningNote.PROPOSAL for note in report.rights.notes)


def test_outside_every_plan(store):
    report = zoning_report(store, store.find_property("lövsättra 1:2"), TODAY)
    assert report.plans == () or all(not p.in_force for p in report.plans)
    assert report.outside_plan_area == report.property.area
    assert report.rights.buildable_area == 0


def test_tiny_plan_half_over_a_lot(tiny_store_path):
    with GeoPackageStore(tiny_store_path) as store:
        prop = store.find_property("sundsvall ekbacken 1:1")  # 50 × 40 m, plan over x < 25
        report = zoning_report(store, prop, dt.date(2024, 1, 1))
    (plan,) = report.plans
    assert plan.coverage == "partly"
    assert plan.area == 1000.0
    assert plan.share == 0.5
    assert report.outside_plan_area == 1000.0
    assert plan.implementation_end == dt.date(2025, 2, 28)  # laga kraft 29 Feb 2020 + 5 years
    assert plan.implementation_status == "running"
    rights = report.rights
    assert rights.max_building_area == 200.0  # e1 in m² per property
    assert rights.prickmark_area == 100.0
    assert rights.buildable_area == 900.0
    assert rights.existing_building_area == 100.0
    assert rights.used_share == 0.5
    assert report.to_dict()["property"]["designation"] == "SUNDSVALL EKBACKEN 1:1"
    assert report.__geo_interface__["id"] == prop.unit_id
    assert "max building area" in report._repr_html_()
    moved = report.to_crs(4326)
    assert moved.crs == moved.property.crs == moved.buildings[0].crs == "EPSG:4326"
    assert 17 < moved.geometry.centroid.x < 18
    assert moved.rights == report.rights  # areas stay those computed in SWEREF 99 TM


def test_newest_plan_governs_an_overlap():
    from layers.zoning import _governing_pieces

    old = Plan(
        "OLD",
        "old",
        None,
        "laga kraft",
        None,
        dt.date(1990, 1, 1),
        10,
        None,
        None,
        box(0, 0, 10, 10),
    )
    new = Plan(
        "NEW",
        "new",
        None,
        "laga kraft",
        None,
        dt.date(2020, 1, 1),
        10,
        None,
        None,
        box(5, 0, 15, 10),
    )
    pieces = _governing_pieces([old, new], box(0, 0, 15, 10))
    assert pieces["NEW"].area == 100
    assert pieces["OLD"].area == 50


def test_add_years_handles_leap_days():
    assert add_years(dt.date(2020, 2, 29), 4) == dt.date(2024, 2, 29)
    assert add_years(dt.date(2021, 3, 15), 10) == dt.date(2031, 3, 15)


@pytest.mark.parametrize(
    ("wording", "unit", "counts"),
    [
        ("Största byggnadsarea är 30 % av fastighetsarean", "%", True),
        ("Största byggnadsarea är 200 m² per fastighet", "m²", True),
        ("Största bruttoarea är 500 m²", "m²", False),
        ("Största exploateringstal är 0,4", None, False),
        ("Max BTA 400 m²", "m²", False),
    ],
)
def test_only_footprint_limits_count_as_building_area(wording, unit, counts):
    from layers.plan import PlanRule
    from layers.rights import limits_footprint

    rule = PlanRule("r", "p", "e1", "utnyttjandegrad", wording, 30.0, unit, None, box(0, 0, 1, 1))
    assert limits_footprint(rule) is counts
