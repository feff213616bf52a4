"""The report page's form: figures in the page's language, a refused value told at its field,
and the owner type and yearly use in the API (issue 16, points 2 and 3)."""

from __future__ import annotations

import re

import pytest


@pytest.fixture
def client(report_client, unit):
    if report_client.get(f"/api/v1/properties/{unit}").json["solar"] is None:
        pytest.skip("the property has no solar estimate in this data directory (no form)")
    return report_client


def _input(html: str, name: str) -> str:
    return re.search(rf'<input id="{name}"[^>]*>', html).group(0)


def test_swedish_decimal_commas_in_and_out(client, unit):
    response = client.get(f"/fastighet/{unit}?lang=sv&verkningsgrad=12,5&pris=2,25")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'value="12,5"' in _input(html, "verkningsgrad")
    assert 'value="2,25"' in _input(html, "pris")
    assert 'type="text"' in _input(html, "pris")  # a number input refuses "12,5" by locale
    english = client.get(f"/fastighet/{unit}?lang=en&verkningsgrad=12,5").get_data(as_text=True)
    assert 'value="12.5"' in _input(english, "verkningsgrad")


@pytest.mark.parametrize(
    ("lang", "args", "message"),
    [
        ("sv", "pris=abc", "Ange ett tal, till exempel 12,5."),
        ("en", "pris=abc", "Enter a number, for example 12.5."),
        ("sv", "takandel=0", "Ange ett tal från 10 till 100."),
        ("en", "forbrukning=5", "Enter a number from 100 to 10,000,000."),
    ],
)
def test_a_bad_value_gets_a_message_at_its_field(client, unit, lang, args, message):
    response = client.get(f"/fastighet/{unit}?lang={lang}&{args}")
    assert response.status_code == 400
    assert response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    assert f'<html lang="{lang}">' in html
    assert 'id="summary"' in html  # the report itself, not an error page
    name, raw = args.split("=")
    field = _input(html, name)
    assert 'aria-invalid="true"' in field
    assert f'aria-describedby="{name}-error' in field
    assert f'value="{raw}"' in field  # kept as typed, to correct
    assert f'<p class="field-error" id="{name}-error">{message}</p>' in html


def test_the_owner_type_in_the_form(client, unit):
    guessed = client.get(f"/fastighet/{unit}?lang=sv").get_data(as_text=True)
    assert re.search(r'<option value="" selected>\w+ \(gissat\)</option>', guessed)
    html = client.get(f"/fastighet/{unit}?lang=sv&agare=company").get_data(as_text=True)
    assert '<option value="company" selected>Företag</option>' in html
    bad = client.get(f"/fastighet/{unit}?lang=en&agare=landlord")
    assert bad.status_code == 400
    assert 'id="agare-error"' in bad.get_data(as_text=True)


def test_the_api_takes_owner_type_and_use_with_problems_for_bad_values(client, unit):
    body = client.get(f"/api/v1/properties/{unit}?agare=company&forbrukning=12%20500").json
    assert body["owner"]["owner"] == "company"
    assert body["owner"]["use_kwh"] == 12_500
    assert body["owner"]["use_source"] == "entered"
    assert body["solar"]["pv"]["green_deduction_sek"] == 0
    for args, word in (("agare=landlord", "agare"), ("forbrukning=abc", "forbrukning")):
        problem = client.get(f"/api/v1/properties/{unit}?{args}")
        assert problem.status_code == 400
        assert problem.mimetype == "application/problem+json"
        assert word in problem.json["detail"]


def test_openapi_describes_owner_type_and_use(client):
    document = client.get("/api/v1/openapi.json").json
    params = {p["name"]: p for p in document["paths"]["/properties/{unit_id}"]["get"]["parameters"]}
    assert params["agare"]["schema"]["enum"] == ["private", "company", "housing"]
    assert params["forbrukning"]["schema"]["minimum"] == 100
