"""The error shape: RFC 9457 problem bodies for APIs, HTML pages for people, no 500 leaks."""

from __future__ import annotations

import pytest
from flask import Blueprint

from data.errors import IncompleteSample
from mapservice import create_app
from mapservice.errors import STATUS_CODES, BadRequest, status_for

PROBLEM_KEYS = {"type", "title", "status", "detail", "instance"}


@pytest.fixture
def failing_app(sample):
    bp = Blueprint("failing", __name__)

    @bp.get("/api/v1/bad")
    def bad():
        raise BadRequest("x must be a number, got 'abc'")

    @bp.get("/api/v1/boom")
    def boom():
        raise RuntimeError("secret internals /etc/passwd")

    @bp.get("/api/v1/missing-data")
    def missing():
        raise IncompleteSample("the data directory holds no sample data")

    app = create_app({"data_dir": str(sample.directory)})
    app.register_blueprint(bp)
    return app


def test_api_errors_are_problem_documents(failing_app):
    response = failing_app.test_client().get("/api/v1/bad")
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"
    assert set(response.json) == PROBLEM_KEYS
    assert response.json["status"] == 400
    assert response.json["detail"] == "x must be a number, got 'abc'"
    assert response.json["instance"] == "/api/v1/bad"


def test_unexpected_errors_are_500_without_internals(failing_app, caplog):
    response = failing_app.test_client().get("/api/v1/boom")
    assert response.status_code == 500
    assert set(response.json) == PROBLEM_KEYS
    assert "passwd" not in response.get_data(as_text=True)
    assert "secret internals" in caplog.text


def test_missing_data_is_service_unavailable(failing_app):
    response = failing_app.test_client().get("/api/v1/missing-data")
    assert response.status_code == 503
    assert "no sample data" in response.json["detail"]


def test_unknown_api_route_is_a_404_problem(client):
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert set(response.json) == PROBLEM_KEYS


def test_people_get_an_html_page(client):
    response = client.get("/no-such-page", headers={"Accept": "text/html"})
    assert response.status_code == 404
    assert response.mimetype == "text/html"
    assert "Till startsidan" in response.get_data(as_text=True)


def test_json_clients_get_problems_on_any_route(client):
    response = client.get("/no-such-page", headers={"Accept": "application/json"})
    assert response.mimetype == "application/problem+json"


def test_wrong_method_is_405(client):
    response = client.post("/healthz")
    assert response.status_code == 405
    assert response.json["status"] == 405


def test_status_table_prefers_the_most_specific_class():
    assert STATUS_CODES[IncompleteSample] == 503
    assert status_for(IncompleteSample("x")) == 503
