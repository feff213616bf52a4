"""The time limit of a report and its PDF, and the largest bbox (issue 12's limits)."""

from __future__ import annotations

import pytest

from mapservice import create_app


@pytest.fixture(scope="module")
def hurried(full_sample):
    """An app whose reports must be done within a microsecond."""
    config = {"TESTING": True, "data_dir": str(full_sample.directory), "report_seconds": 1e-6}
    return create_app(config).test_client()


@pytest.fixture(scope="module")
def unit(hurried):
    return hurried.get("/api/v1/search?q=BJÖRKÅSEN 2:1").json["suggestions"][0]["unit_id"]


@pytest.mark.parametrize(
    "target", ["/api/v1/properties/{unit}", "/fastighet/{unit}", "/fastighet/{unit}.pdf"]
)
def test_a_report_past_its_time_limit_is_a_503(hurried, unit, target):
    response = hurried.get(target.format(unit=unit), headers={"Accept": "application/json"})
    assert response.status_code == 503
    text = response.get_data(as_text=True)
    assert "limit" not in text  # the public message, not the logged detail
    assert "Rapporten tog för lång tid att ta fram" in text  # says what happened, in Swedish


def test_a_report_past_its_time_limit_says_so_in_english(hurried, unit):
    response = hurried.get(f"/api/v1/properties/{unit}?lang=en")
    assert response.status_code == 503
    assert response.json["detail"].startswith("The report took too long to put together")


def test_a_report_within_its_time_limit_is_made(client, unit):
    assert client.get(f"/api/v1/properties/{unit}").status_code == 200


@pytest.fixture(scope="module")
def client(full_sample):
    return create_app({"TESTING": True, "data_dir": str(full_sample.directory)}).test_client()


@pytest.mark.parametrize(
    "target",
    [
        "/api/v1/properties?bbox=17,62,18,63&crs=EPSG:4326",
        "/api/v1/properties?bbox=0,6000000,900000,7700000",
        "/ogc/collections/parcels/items?bbox=10,55,24,69",
        "/ogc/collections/parcels/items?bbox=16.5,62,17.5,63",
        "/api/v1/properties?bbox=17,62,inf,63&crs=EPSG:4326",
        "/api/v1/properties?bbox=17,62,nan,63&crs=EPSG:4326",
    ],
)
def test_a_bbox_beyond_the_largest_is_a_400(client, target):
    response = client.get(target)
    assert response.status_code == 400
    assert response.json["status"] == 400


@pytest.mark.parametrize(
    "target",
    [
        "/api/v1/properties?bbox=17.25,62.369,17.27,62.38&crs=EPSG:4326",
        "/ogc/collections/parcels/items?bbox=17.25,62.369,17.27,62.38",
        "/ogc/collections/parcels/items?bbox=-10,40,-9,41",  # outside Sweden: no features
    ],
)
def test_a_bbox_within_the_largest_is_answered(client, target):
    assert client.get(target).status_code == 200


def test_the_largest_bbox_is_a_setting(full_sample):
    config = {"TESTING": True, "data_dir": str(full_sample.directory), "max_bbox_km2": 1.0}
    small = create_app(config).test_client()
    target = "/api/v1/properties?bbox=17.25,62.369,17.27,62.38&crs=EPSG:4326"
    assert small.get(target).status_code == 400
