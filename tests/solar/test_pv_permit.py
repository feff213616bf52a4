"""PV assumptions and estimate, suitability classes, permit guidance."""

from __future__ import annotations

import pytest

from solar.errors import InvalidAssumption
from solar.permit import PlanContext, PlanProvision, permit_guidance
from solar.pv import FaceInput, PVAssumptions, estimate_pv
from solar.suitability import Suitability, model_from_parameters, reference_irradiation

Q1 = PlanProvision("q1", "skydd av kulturvärden", "Kulturhistoriskt värdefull miljö.", "2281K-S112")
E1 = PlanProvision("e1", "utnyttjandegrad", "Största byggnadsarea är 200 m² per fastighet.")


def test_estimate_follows_every_assumption():
    a = PVAssumptions(
        module_w_per_m2=210,
        system_loss=0.1,
        pitched_share=0.8,
        self_use_share=0.5,
        purchase_sek_kwh=2.0,
        export_sek_kwh=0.5,
        cost_sek_per_kwp=15_000,
        green_deduction=0.2,
        co2_g_per_kwh=100,
        household_kwh=10_000,
        degradation=0.0,  # without degradation and discounting the payback is the simple one
        discount_rate=0.0,
    )
    pv = estimate_pv([FaceInput(50, 35, 1000, "very_good"), FaceInput(50, 35, 500, "poor")], a)
    assert pv.faces_used == 1
    assert pv.usable_m2 == 40
    assert pv.peak_kwp == pytest.approx(8.4)
    assert pv.annual_kwh == pytest.approx(40 * 1000 * 0.21 * 0.9)
    assert pv.household_share == pytest.approx(pv.annual_kwh / 10_000)
    assert pv.savings_sek_year == pytest.approx(pv.annual_kwh * (0.5 * 2.0 + 0.5 * 0.5))
    assert pv.green_deduction_sek == pytest.approx(8.4 * 15_000 * 0.97 * 0.2)
    assert pv.payback_years == pytest.approx(
        round((8.4 * 15_000 - pv.green_deduction_sek) / pv.savings_sek_year, 1)
    )
    assert pv.co2_kg_year == pytest.approx(pv.annual_kwh * 0.1)
    assert pv.to_dict()["assumptions"]["green_deduction_date"] == "2025-07-01"


def test_small_faces_and_flat_roofs():
    a = PVAssumptions()
    tiny = estimate_pv([FaceInput(12, 30, 1000, "very_good")], a)  # 8.4 m² usable < 10
    flat = estimate_pv([FaceInput(40, 2, 900, "good")], a)
    assert tiny.usable_m2 == 0
    assert tiny.payback_years is None
    assert flat.usable_m2 == 20


def test_deduction_is_capped():
    pv = estimate_pv([FaceInput(2000, 30, 1000, "very_good")])
    assert pv.green_deduction_sek == 50_000


@pytest.mark.parametrize(
    "change",
    [
        {"system_loss": 1.5},
        {"min_class": "great"},
        {"green_deduction_date": "soon"},
        {"monthly_share": (0.5, 0.5)},
        {"module_w_per_m2": 0},
    ],
)
def test_bad_assumptions_are_refused(change):
    with pytest.raises(InvalidAssumption):
        PVAssumptions(**change)


def test_suitability_bounds_and_checks():
    s = Suitability(reference=1200, shares=(0.5, 0.7, 0.9))
    assert s.edges == pytest.approx((600, 840, 1080))
    assert [s.classify(v) for v in (599, 600, 1079, 1080)] == [
        "poor",
        "moderate",
        "good",
        "very_good",
    ]
    assert s.to_dict()["classes"][3]["label_sv"] == "mycket god"
    with pytest.raises(InvalidAssumption):
        Suitability(shares=(0.8, 0.7, 0.9))
    with pytest.raises(InvalidAssumption):
        Suitability(reference=20)


def test_reference_roof_in_sundsvall_with_the_default_climate():
    model = model_from_parameters({"step_minutes": 30, "directions": 16})
    value, tilt = reference_irradiation(model, 62.39, 17.31)
    # PVGIS-like optimum for 62° N: 40–50° tilt, ≈ 25 % above the horizontal 910 kWh/m²
    assert 1050 < value < 1250
    assert tilt in (40, 45, 50)
    classes = Suitability.for_map({"step_minutes": 30, "directions": 16}, 62.39, 17.31)
    assert classes.reference == value
    assert f"{tilt}° tilt" in classes.source


@pytest.mark.parametrize(
    ("plan", "case", "needed"),
    [
        (PlanContext(), "outside_plan", False),
        (PlanContext(in_detailed_plan=True, rules=(E1,)), "exempt_in_plan", False),
        (PlanContext(in_detailed_plan=True, rules=(E1, Q1)), "protected", True),
        (
            PlanContext(
                in_detailed_plan=True,
                rules=(PlanProvision("b1", "utformning", "Solceller kräver bygglov."),),
            ),
            "plan_requires",
            True,
        ),
        (PlanContext(national_interest_culture=True), "national_interest_culture", None),
        (PlanContext(national_interest_defence=True, in_detailed_plan=True), "defence", True),
        (PlanContext(area_regulations=True), "area_regulations", None),
        (
            PlanContext(in_detailed_plan=False, rules=(Q1,)),
            "protected",
            True,
        ),  # områdesbestämmelser
    ],
)
def test_permit_cases(plan, case, needed):
    guidance = permit_guidance(plan)
    assert (guidance.case, guidance.permit_needed) == (case, needed)
    body = guidance.to_dict()
    assert body["sources"]
    assert "inte ett beslut" in body["disclaimer"]["sv"]
    assert "bygglov" in guidance._repr_html_()


def test_protection_is_read_from_codes_and_wording():
    assert PlanProvision("r", "", "").protects_culture
    assert PlanProvision("k2", "", "").protects_culture
    assert PlanProvision("f1", "utformning", "Byggnaden får inte förvanskas.").protects_culture
    assert not PlanProvision("e1", "utnyttjandegrad", "Största byggnadsarea 20 %").protects_culture
    assert not PlanProvision("b1", "", "Bullerskydd ska finnas.").protects_culture
