"""The report assembly without Flask: layers and solar composed into one typed report."""

from __future__ import annotations

import json
import sys

import pytest

from layers import ParcelNotFound
from mapservice.report import OwnerChoices, ReportSources, build_report
from solar.errors import InvalidAssumption

#: These tests run on both vector store backends (tests/conftest.py).
pytestmark = pytest.mark.both_backends

DESIGNATION = "SUNDSVALL BJÖRKÅSEN 2:1"


def _open(sample) -> ReportSources:
    d = sample.directory
    return ReportSources.open("geopackage", d / "minfastighet.gpkg", d, d / "stac" / "catalog.json")


@pytest.fixture(scope="module")
def sources(full_sample, vector_config):
    d, config = full_sample.directory, vector_config(full_sample)
    backend = config.get("vector_store", "geopackage")
    location = config.get("vector_dsn", d / "minfastighet.gpkg")
    with ReportSources.open(backend, location, d, d / "stac" / "catalog.json") as opened:
        yield opened


@pytest.fixture(scope="module")
def report(sources):
    return build_report(sources, sources.store.find_property(DESIGNATION).unit_id)


def test_report_composes_property_plan_and_roofs(report):
    assert report.designation == DESIGNATION
    assert report.kommun == "Sundsvall"
    assert report.addresses
    assert report.buildings
    assert report.zoning.plans
    assert report.solar is not None
    assert report.solar.pv.peak_kwp > 0
    assert report.solar.permit is not None
    # every building with roof data has a class, and the classes are known ones
    assert set(report.building_classes) <= {b.building_id for b in report.buildings}
    assert set(report.building_classes.values()) <= {"poor", "moderate", "good", "very_good"}
    assert report.notice["sv"] == "Kartan är inte rättsligt gällande."
    assert report.data_notice is not None  # the sample is fictitious


def test_report_sources_have_dates(report):
    keys = {s.key: s for s in report.sources}
    assert keys["solar"].date == "2025-05-20"
    assert keys["cadastre"].date
    assert {s.name.split()[0] for s in report.sources if s.key == "plan"} == {
        p.plan_id for p in report.zoning.plans
    }


def test_report_is_json_geojson_and_html(report):
    body = json.loads(json.dumps(report.to_dict()))
    assert body["unit_id"] == report.unit_id
    assert body["zoning"]["plans"]
    assert body["solar"]["pv"]["assumptions"]["purchase_sek_kwh"] == 1.5
    assert all("solar_class" in b for b in body["buildings"])
    features = report.__geo_interface__["features"]
    assert features[0]["id"] == report.unit_id
    assert len(features) == 1 + len(report.buildings)
    assert DESIGNATION in report._repr_html_()


def test_owner_choices_change_the_estimate(sources, report):
    dearer = build_report(sources, report.unit_id, OwnerChoices(price_sek_kwh=3.0))
    assert dearer.solar.pv.savings_sek_year > report.solar.pv.savings_sek_year
    better = build_report(sources, report.unit_id, OwnerChoices(efficiency=0.25))
    assert better.solar.pv.peak_kwp > report.solar.pv.peak_kwp
    less = build_report(sources, report.unit_id, OwnerChoices(roof_share=0.3))
    assert less.solar.pv.usable_m2 < report.solar.pv.usable_m2


def test_bad_choices_and_unknown_ids_raise(sources):
    with pytest.raises(InvalidAssumption):
        OwnerChoices(roof_share=1.5).assumptions()
    with pytest.raises(ParcelNotFound):
        build_report(sources, "00000000-0000-0000-0000-000000000000")


def test_without_a_solar_map_the_report_says_so(sample):
    with _open(sample) as opened:
        prop = opened.store.find_property(DESIGNATION)
        result = build_report(opened, prop.unit_id)
    assert result.solar is None
    assert result.solar_missing == "no_map"
    assert result.zoning.plans
    assert [s.key for s in result.sources if s.key == "solar"] == []


def test_property_outside_any_plan(sources):
    bounds = sources.dataset.bounds
    for prop in sources.store.iter_pages(bounds):
        result = build_report(sources, prop.unit_id)
        if not result.zoning.plans:
            assert not result.in_plan
            assert result.zoning.outside_plan_share == pytest.approx(1.0)
            assert result.solar.permit.case in ("outside_plan", "area_regulations")
            return
    pytest.skip("every sample property lies in a plan")


def test_report_assembly_never_imports_flask():
    code = (
        "import sys; import mapservice.report, mapservice.report.map_image, "
        "mapservice.report.pdf; print('flask' in sys.modules)"
    )
    import subprocess

    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
