"""The application factory and the start page."""

from __future__ import annotations

import pytest

from mapservice import create_app


def test_start_page_shows_the_data_and_says_it_is_fictitious(client):
    response = client.get("/")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert '<html lang="sv">' in page
    assert "påhittade" in page
    assert "Fastighetsytor" in page
    assert "EPSG:3006" in page
    assert "Kartan är inte rättsligt gällande" in page


def test_health_reports_the_layers(client, sample):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json["status"] == "ok"
    assert response.json["layers"] == sample.manifest["layers"]


def test_health_is_degraded_without_a_vector_store(tmp_path):
    client = create_app({"data_dir": str(tmp_path)}).test_client()
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json["status"] == "degraded"


def test_start_page_works_for_data_without_a_manifest(tmp_path):
    response = create_app({"data_dir": str(tmp_path)}).test_client().get("/")
    assert response.status_code == 200
    assert "dataset.json saknas" in response.get_data(as_text=True)


def test_nothing_is_built_at_import_time():
    import app as entry

    assert not hasattr(entry, "app")
    assert entry.create_app is create_app


def test_stylesheet_is_served_by_the_service(client):
    with client.get("/static/site.css") as response:
        assert response.status_code == 200
        assert response.mimetype == "text/css"


@pytest.mark.parametrize("flask_key", ["TESTING", "PROPAGATE_EXCEPTIONS"])
def test_upper_case_config_goes_to_flask(sample, flask_key):
    app = create_app({flask_key: True, "data_dir": str(sample.directory)})
    assert app.config[flask_key] is True
