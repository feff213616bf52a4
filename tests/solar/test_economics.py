"""The dated table of rates and the owner's money model (issue 16, point 2)."""

from __future__ import annotations

import datetime as dt

import pytest

from solar.economics import (
    CHECK_DATE,
    OWNERS,
    RATES,
    USE_PROFILES,
    discounted_payback,
    net_present_value,
    rate,
)
from solar.errors import InvalidAssumption
from solar.pv import FaceInput, PVAssumptions, estimate_pv

BIG_FLAT_ROOF = [FaceInput(area_m2=600.0, tilt=2.0, irradiation=950.0, suitability="good")]
VILLA_ROOF = [FaceInput(area_m2=40.0, tilt=30.0, irradiation=1000.0, suitability="very_good")]


@pytest.mark.parametrize(
    ("key", "day", "owner", "value"),
    [
        ("green_deduction", "2022-12-31", "private", 0.15),
        ("green_deduction", "2023-01-01", "private", 0.20),
        ("green_deduction", "2025-06-30", "private", 0.20),
        ("green_deduction", "2025-07-01", "private", 0.15),
        ("green_deduction", "2026-11-30", "private", 0.15),
        ("green_deduction", "2026-11-30", "company", 0.0),
        ("green_deduction", "2026-11-30", "housing", 0.0),
        ("export_tax_credit_sek_kwh", "2025-12-31", "company", 0.60),
        ("export_tax_credit_sek_kwh", "2026-01-01", "private", 0.0),
        ("energy_tax_free_kwp", "2026-11-30", "company", 500.0),
        ("micro_production_kw", "2026-11-30", "housing", 43.5),
    ],
)
def test_rates_by_date_and_owner(key, day, owner, value):
    assert rate(key, dt.date.fromisoformat(day), owner).value == value


def test_every_row_has_a_source_a_kind_and_no_overlap():
    for row in RATES:
        assert row.note.strip(), row
        assert row.citation.strip() or row.kind == "estimate", row
        assert row.kind in {"law", "statistics", "estimate"}, row
        assert set(row.owners) <= set(OWNERS)
        assert row.valid_to is None or row.valid_to >= row.valid_from
    for a in RATES:
        for b in RATES:
            if a is b or a.key != b.key or not set(a.owners) & set(b.owners):
                continue
            a_end, b_end = a.valid_to or dt.date.max, b.valid_to or dt.date.max
            assert a_end < b.valid_from or b_end < a.valid_from, (a, b)
    with pytest.raises(KeyError):
        rate("green_deduction", dt.date(2020, 6, 1), "private")  # before the law


def test_defaults_are_the_private_persons_rates_on_the_check_date():
    assert PVAssumptions() == PVAssumptions.for_owner("private", CHECK_DATE)


def test_a_company_gets_no_green_deduction_and_counts_without_vat():
    private = estimate_pv(VILLA_ROOF, PVAssumptions.for_owner("private"))
    company = estimate_pv(VILLA_ROOF, PVAssumptions.for_owner("company", use_kwh=20_000.0))
    assert private.green_deduction_sek > 0
    assert company.green_deduction_sek == 0
    assert company.investment_sek == pytest.approx(private.investment_sek / 0.85 / 1.25, rel=0.01)
    assert PVAssumptions.for_owner("housing").vat_deductible is False


def test_default_use_by_owner_type():
    assert PVAssumptions.for_owner("private").household_kwh == 20_000
    assert PVAssumptions.for_owner("housing", floor_m2=2000.0).household_kwh == 60_000
    assert PVAssumptions.for_owner("company", floor_m2=1000.0).household_kwh == 50_000
    assert PVAssumptions.for_owner("company", use_kwh=1234.0).household_kwh == 1234
    with pytest.raises(InvalidAssumption):
        PVAssumptions.for_owner("landlord")


def test_monthly_self_use_follows_the_use():
    small = estimate_pv(BIG_FLAT_ROOF, PVAssumptions.for_owner("company", use_kwh=5_000.0))
    large = estimate_pv(BIG_FLAT_ROOF, PVAssumptions.for_owner("company", use_kwh=500_000.0))
    assert small.annual_kwh == large.annual_kwh
    assert small.self_use_kwh < large.self_use_kwh
    assert small.self_use_kwh + small.export_kwh == pytest.approx(small.annual_kwh)
    # the daytime use all year, except in dark winter months when the panels make less
    assert 0.9 * 0.7 * 5_000 < small.self_use_kwh <= 0.7 * 5_000
    for used, made in zip(small.monthly_self_use_kwh, small.monthly_kwh, strict=True):
        assert used <= made + 1e-9
    assert sum(USE_PROFILES["private"]) == pytest.approx(1)


def test_limits_of_micro_production():
    big = estimate_pv(BIG_FLAT_ROOF, PVAssumptions.for_owner("company", use_kwh=20_000.0))
    assert big.peak_kwp > 43.5
    assert [n.code.value for n in big.notes] == ["over_micro_production", "net_producer"]
    villa = estimate_pv(VILLA_ROOF)
    assert villa.notes == ()


def test_payback_with_degradation_and_discounting():
    pv = estimate_pv(VILLA_ROOF)
    a = pv.assumptions
    assert (a.degradation, a.discount_rate) == (0.005, 0.03)
    simple = pv.investment_sek / pv.savings_sek_year
    assert pv.payback_years is None or pv.payback_years > simple
    assert pv.lifetime_net_sek == pytest.approx(
        net_present_value(pv.investment_sek, pv.savings_sek_year, 0.005, 0.03, 25)
    )
    assert discounted_payback(100.0, 10.0, 0.0, 0.0, 25) == pytest.approx(10.0)
    assert discounted_payback(100.0, 10.0, 0.0, 0.0, 5) is None
    assert discounted_payback(100.0, 0.0, 0.0, 0.0, 25) is None
