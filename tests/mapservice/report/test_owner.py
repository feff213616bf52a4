"""Who the owner is: the owner type guessed from the buildings, its deductions, taxes and
default use, the owner's own yearly use, and the limits of micro-production (issue 16, point 2).

STENHÄLLA 2:3 (industry) and LÄRKAN 2 (a block of flats) were calculated as a household:
"100 % of the household's use", a green deduction, 15 000 kWh a year.
"""

from __future__ import annotations

import pytest

from mapservice.report import OwnerChoices, build_report
from mapservice.report.summary import rate_rows, summarise
from mapservice.wording import Wording
from solar.economics import RATES

INDUSTRY = "SUNDSVALL STENHÄLLA 2:3"
FLATS = "SUNDSVALL LÄRKAN 2"
VILLA = "SUNDSVALL BJÖRKÅSEN 2:1"


def _report(sources, designation, **choices):
    unit = sources.store.find_property(designation).unit_id
    return build_report(sources, unit, OwnerChoices(**choices))


def _facts(report, lang="en"):
    return {f.key: f.value for f in summarise(report, lang)}


def test_industry_is_a_company_without_green_deduction(sources):
    report = _report(sources, INDUSTRY)
    assert report.owner.owner == "company"
    assert report.owner.guessed
    assert report.owner.use_source == "per_m2"
    pv = report.solar.pv
    assert pv.green_deduction_sek == 0
    assert pv.assumptions.vat_deductible
    facts = _facts(report)
    assert facts["owner"] == "Company (guessed from the use of the buildings)"
    assert facts["deduction"] == "none: only private persons get it"
    assert "household" not in " ".join(facts.values())
    assert pv.peak_kwp > 43.5
    assert "note.over_micro_production" in facts
    assert "43.5 kW" in facts["note.over_micro_production"]
    sv = _facts(report, "sv")
    assert sv["deduction"] == "inget: bara privatpersoner får det"
    assert "43,5 kW" in sv["note.over_micro_production"]


def test_the_owner_may_choose_another_type(sources):
    private = _report(sources, INDUSTRY, owner="private")
    assert not private.owner.guessed
    assert private.solar.pv.green_deduction_sek == 50_000  # capped
    assert _facts(private)["owner"] == "Private person (chosen)"
    assert _facts(private)["deduction"].startswith("50,000 SEK (15 %")


def test_flats_are_a_housing_association_with_use_from_the_floor_area(sources):
    report = _report(sources, FLATS)
    owner = report.owner
    assert owner.owner == "housing"
    assert owner.floor_m2 > 1000
    assert owner.use_kwh == pytest.approx(30 * owner.floor_m2, abs=1)
    assert report.solar.pv.assumptions.household_kwh == owner.use_kwh
    assert report.solar.pv.green_deduction_sek == 0
    assert not report.solar.pv.assumptions.vat_deductible
    assert "30 kWh/m²" in _facts(report)["use_kwh"]


def test_a_villa_is_a_private_person_with_the_sourced_default(sources):
    report = _report(sources, VILLA)
    assert (report.owner.owner, report.owner.use_source) == ("private", "default")
    assert report.owner.use_kwh == 20_000
    assert report.solar.pv.green_deduction_sek > 0
    assert report.solar.pv.assumptions.export_tax_credit_sek_kwh == 0  # abolished 2026-01-01


def test_the_owners_own_use_changes_the_self_use(sources):
    low = _report(sources, FLATS, use_kwh=2_000.0)
    high = _report(sources, FLATS, use_kwh=2_000_000.0)
    assert low.owner.use_source == "entered"
    assert low.solar.pv.annual_kwh == high.solar.pv.annual_kwh
    assert low.solar.pv.self_use_kwh < high.solar.pv.self_use_kwh
    assert low.solar.pv.savings_sek_year < high.solar.pv.savings_sek_year
    assert "note.net_producer" in _facts(low)
    assert "note.net_producer" not in _facts(high)
    assert _facts(low)["use_kwh"] == "2,000 kWh (entered by you)"


def test_every_rate_used_is_in_the_json_with_its_source(sources):
    body = _report(sources, FLATS).to_dict("en")
    owner = body["owner"]
    assert owner["rates_date"]
    keys = {r["key"] for r in owner["rates"]}
    assert {"green_deduction", "micro_production_kw", "degradation", "discount_rate"} <= keys
    for row in owner["rates"]:
        assert row["citation"] or row["kind"] == "estimate"
        assert row["note"]
        assert row["note"] in row["text"]
        assert row["kind"] in {"law", "statistics", "estimate"}
    swedish = _report(sources, FLATS).to_dict("sv")["owner"]["rates"]
    vat = next(r for r in swedish if r["key"] == "vat")
    assert vat["text"].startswith("lag: Mervärdesskattelagen (2023:200) — 25 %; ett företag")
    assert vat["note"].startswith("25 %; a company deducts")  # the message id stays English
    pv = body["solar"]["pv"]
    assert len(pv["monthly_self_use_kwh"]) == 12
    assert sum(pv["monthly_self_use_kwh"]) == pytest.approx(pv["self_use_kwh"])


def test_every_rate_cites_its_source_as_written_and_its_note_is_translated():
    words = Wording("sv")
    for row in RATES:
        assert row.citation.strip() or row.kind == "estimate", row
        assert row.note.strip(), row
        assert words.gettext(row.note) != row.note, row
    [(name, _value, source)] = rate_rows(RATES[1:2], "sv")
    assert name == "Grönt avdrag (skattereduktion för grön teknik) för solceller"
    assert source == (
        "lag, 2023-01-01–2025-06-30: Inkomstskattelagen (1999:1229) 67 kap.; lagen (2020:1066); "
        "Prop. 2024/25:109 Förändrade skattesubventioner för solceller och mikroproduktion av "
        "el — Bara privatpersoner: höjt till 20 % från den 1 januari 2023."
    )
