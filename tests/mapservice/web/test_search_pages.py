"""Search that forgives on the results page (/sok) and in the search box's API, on both
stores (issue 16, point 10)."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.both_backends


def links(page: str) -> list[str]:
    return re.findall(r'<li><a href="/fastighet/[^"]+">([^<]+)</a>', page)


@pytest.mark.parametrize(
    ("lang", "words"),
    [("sv", "Menade du:"), ("en", "Did you mean:")],
)
def test_a_misspelling_gets_did_you_mean(client, lang, words):
    response = client.get(f"/sok?q=Björkåsn 2:1&lang={lang}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert words in page
    assert links(page)[0] == "SUNDSVALL BJÖRKÅSEN 2:1"


def test_a_postnummer_lists_its_properties(client):
    page = client.get("/sok?q=856 41&lang=en").get_data(as_text=True)
    assert "have an address with this postnummer" in page
    assert "SUNDSVALL BJÖRKÅSEN 2:1" in links(page)


def test_a_street_alone_lists_its_properties(client):
    page = client.get("/sok?q=Björkåsgränd").get_data(as_text=True)
    assert "har en adress på den här gatan" in page
    assert "SUNDSVALL BJÖRKÅSEN 2:1" in links(page)


def test_a_designation_without_diacritics_goes_to_its_report(client):
    plain = client.get("/sok?q=Lovsattra 2:6")
    exact = client.get("/sok?q=LÖVSÄTTRA 2:6")
    assert plain.status_code == exact.status_code == 303
    assert plain.location == exact.location


def test_a_hostile_text_is_shown_as_text(client):
    page = client.get("/sok?q=<script>alert(1)</script> 2:1").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page


def test_the_search_api_says_did_you_mean(client):
    body = client.get("/api/v1/search?q=Björkåsn 2:1").json
    assert body["did_you_mean"] is True
    assert body["suggestions"][0]["designation"] == "SUNDSVALL BJÖRKÅSEN 2:1"
    assert client.get("/api/v1/search?q=Björkåsen 2:1").json["did_you_mean"] is False
    by_code = client.get("/api/v1/search?q=856 41&limit=3").json
    assert len(by_code["suggestions"]) == 3
    assert by_code["did_you_mean"] is False
