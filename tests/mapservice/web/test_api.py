"""The JSON API: search, reports, lookups by designation, box and point; OpenAPI; problems."""

from __future__ import annotations

import pytest

from layers.crs import from_storage

#: These tests run on both vector store backends (tests/conftest.py).
pytestmark = pytest.mark.both_backends

DESIGNATION = "SUNDSVALL BJÖRKÅSEN 2:1"


@pytest.fixture
def client(report_client):
    return report_client


def test_search_suggests_designations_and_addresses(client):
    body = client.get("/api/v1/search?q=björkåsen 2:").json
    assert body["suggestions"][0]["designation"].startswith("SUNDSVALL BJÖRKÅSEN 2:")
    assert body["suggestions"][0]["page"].startswith("/fastighet/")
    addresses = client.get("/api/v1/search?q=Björkåsgränd 2").json["suggestions"]
    assert any(s["kind"] == "address" for s in addresses)
    assert client.get("/api/v1/search?q=b").json["suggestions"] == []


def test_the_whole_report_by_id_and_by_designation(client, unit):
    by_id = client.get(f"/api/v1/properties/{unit}").json
    by_name = client.get("/api/v1/properties?designation=Björkåsen 2:1")
    assert by_name.headers["Content-Location"] == f"/api/v1/properties/{unit}"
    assert by_id["designation"] == by_name.json["designation"] == DESIGNATION
    for key in ("property", "addresses", "buildings", "zoning", "solar", "sources", "notice"):
        assert by_id[key]
    changed = client.get(f"/api/v1/properties/{unit}?pris=3").json
    assert changed["solar"]["pv"]["savings_sek_year"] > by_id["solar"]["pv"]["savings_sek_year"]


@pytest.mark.parametrize("crs", ["EPSG:3006", "EPSG:3014", "EPSG:3021", "EPSG:4326"])
def test_properties_at_a_point_in_any_supported_crs(client, unit, full_sample, crs):
    report = client.get(f"/api/v1/properties/{unit}").json
    ring = report["property"]["geometry"]["coordinates"][0]
    east = sum(x for x, _ in ring[:-1]) / (len(ring) - 1)
    north = sum(y for _, y in ring[:-1]) / (len(ring) - 1)
    x, y = from_storage(east, north, crs)
    body = client.get(f"/api/v1/properties/at?x={x}&y={y}&crs={crs}").json
    assert [f["id"] for f in body["features"]] == [unit]


def test_properties_in_a_box(client):
    body = client.get("/api/v1/properties?bbox=17.249,62.369,17.252,62.371&crs=EPSG:4326").json
    assert body["type"] == "FeatureCollection"
    assert body["features"]
    lon, lat = body["features"][0]["geometry"]["coordinates"][0][0]
    assert 17 < lon < 18
    assert 62 < lat < 63


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/api/v1/properties/00000000-0000-0000-0000-000000000000", 404),
        ("/api/v1/properties/not-an-id", 400),
        ("/api/v1/properties?designation=!!!", 400),
        ("/api/v1/properties?designation=SUNDSVALL NOPE 1:1", 404),
        ("/api/v1/properties/at?x=1&y=2", 400),
        ("/api/v1/properties/at?x=17.3&y=95&crs=EPSG:4326", 400),
        ("/api/v1/properties/at?x=616420&y=6917430&crs=EPSG:9999", 400),
        ("/api/v1/properties/at?x=abc&y=1", 400),
        ("/api/v1/properties/at?y=1", 400),
        ("/api/v1/properties?bbox=1,2,3", 400),
        ("/api/v1/properties", 400),
        ("/api/v1/search", 400),
        ("/api/v1/search?q=abc&colour=red", 400),
        ("/api/v1/properties/00000000-0000-0000-0000-000000000000?pris=-1", 400),
    ],
)
def test_bad_requests_are_4xx_problems(client, url, status):
    response = client.get(url)
    assert response.status_code == status
    assert response.mimetype == "application/problem+json"
    assert response.json["status"] == status
    assert response.json["detail"]


def test_bad_assumption_on_a_real_property_is_a_400(client, unit):
    response = client.get(f"/api/v1/properties/{unit}?takandel=500")
    assert response.status_code == 400
    assert "takandel" in response.json["detail"]


def test_openapi_document_is_valid_and_lists_every_route(client):
    validator = pytest.importorskip("openapi_spec_validator")
    doc = client.get("/api/v1/openapi.json").json
    validator.validate(doc)
    app = client.application
    routes = {
        rule.rule.removeprefix("/api/v1").replace("<unit_id>", "{unit_id}")
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/v1/") and not rule.rule.startswith("/api/v1/solar")
    }
    assert routes == set(doc["paths"])
