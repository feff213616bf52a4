"""The error shape: RFC 9457 problem bodies for APIs, HTML pages for people, no 500 leaks, and
for every error of the table its public message in the request's language, never a path."""

from __future__ import annotations

import logging

import pytest
from flask import Blueprint
from markupsafe import escape

from data.errors import IncompleteSample, SampleDataError
from layers.errors import LayerError
from mapservice import create_app
from mapservice.errors import STATUS_CODES, BadRequest, ServiceError, status_for
from mapservice.wording import ERRORS, error_message, status_title
from solar.errors import SolarError

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


def test_missing_data_is_service_unavailable(failing_app, caplog):
    response = failing_app.test_client().get("/api/v1/missing-data")
    assert response.status_code == 503
    # the message is the detail for the log; the client reads the public message
    assert "no sample data" not in response.get_data(as_text=True)
    assert response.json["detail"] == "Tjänsten har inga data att visa ännu. Försök igen senare."
    assert "no sample data" in caplog.text


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


#: Raw text of a library, as a detail might carry it.
RAW = "sqlite3.DatabaseError: file is not a database"


@pytest.fixture
def raising_client(sample):
    """A client of an app whose routes raise each class of the table with a server path."""
    bp = Blueprint("raising", __name__)
    classes = {cls.__name__: cls for cls in STATUS_CODES}
    path = sample.directory / "minfastighet.gpkg"

    def raise_it(name: str):
        raise classes[name](f"cannot read {path}: {RAW}")

    bp.add_url_rule("/api/v1/raise/<name>", "api", raise_it)
    bp.add_url_rule("/raise/<name>", "page", raise_it)
    app = create_app({"data_dir": str(sample.directory)})
    app.register_blueprint(bp)
    return app.test_client()


@pytest.mark.parametrize("cls", list(STATUS_CODES), ids=lambda cls: cls.__name__)
def test_every_error_shows_its_public_message_in_the_request_language(
    raising_client, sample, caplog, cls
):
    caplog.set_level(logging.INFO, logger="mapservice.web.errors")
    server_path = str(sample.directory)
    messages = {lang: error_message(cls.public_code, lang) for lang in ("sv", "en")}
    titles = {lang: status_title(STATUS_CODES[cls], lang) for lang in ("sv", "en")}
    assert messages["sv"] != messages["en"]
    assert titles["sv"] != titles["en"]
    for lang, other in (("sv", "en"), ("en", "sv")):
        api = raising_client.get(f"/api/v1/raise/{cls.__name__}?lang={lang}")
        page = raising_client.get(f"/raise/{cls.__name__}?lang={lang}")
        for response in (api, page):
            body = response.get_data(as_text=True)
            assert response.status_code == STATUS_CODES[cls]
            assert server_path not in body
        assert api.json["title"] == titles[lang]
        if cls.public_detail:  # a message about the request: shown to API clients, path hidden
            assert api.json["detail"] == f"cannot read …: {RAW}"
        else:
            assert api.json["detail"] == messages[lang]
        text = page.get_data(as_text=True)
        assert f'<html lang="{lang}">' in text
        assert escape(messages[lang]) in text
        assert escape(messages[other]) not in text
        assert RAW not in text
    assert server_path in caplog.text  # the detail goes to the log


def _family(cls: type) -> list[type]:
    return [cls, *(leaf for sub in cls.__subclasses__() for leaf in _family(sub))]


def test_every_error_class_has_a_worded_public_message():
    for base in (ServiceError, SampleDataError, LayerError, SolarError):
        for cls in _family(base):
            assert cls.public_code in ERRORS, cls
