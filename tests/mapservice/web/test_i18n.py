"""Swedish by default, English on request, every text translated, catalogs compiled."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

import mapservice

PACKAGE = Path(mapservice.__file__).parent
CATALOG = PACKAGE / "translations" / "sv" / "LC_MESSAGES"


def test_pages_are_swedish_by_default(client):
    page = client.get("/").get_data(as_text=True)
    assert '<html lang="sv">' in page
    assert "Hoppa till innehållet" in page
    assert "Kartan är inte rättsligt gällande." in page


def test_lang_parameter_switches_to_english_and_is_remembered(client):
    response = client.get("/?lang=en")
    page = response.get_data(as_text=True)
    assert '<html lang="en">' in page
    assert "Skip to content" in page
    assert "The map is not legally binding." in page
    assert "invented" in page  # the fictitious-data notice in English
    assert "lang=en" in response.headers["Set-Cookie"]
    again = client.get("/").get_data(as_text=True)
    assert '<html lang="en">' in again


def test_language_switch_links_keep_the_page_and_its_query(client):
    page = client.get("/sok?q=Storv%C3%A4gen").get_data(as_text=True)
    assert 'href="/sok?q=Storv%C3%A4gen&amp;lang=en"' in page


@pytest.mark.parametrize("path", ["/?lang=de", "/healthz?lang=xx"])
def test_unknown_language_is_a_clear_400(client, path):
    response = client.get(path, headers={"Accept": "application/json"})
    assert response.status_code == 400
    assert "lang must be one of sv, en" in response.json["detail"]


def test_every_text_in_the_code_has_a_swedish_translation():
    method_map = [("**/templates/**.html", "jinja2"), ("**.py", "python")]
    keywords = {"_": None, "gettext": None, "lazy_gettext": None, "_l": None}
    found = {
        message
        for _file, _line, message, _comments, _context in extract_from_dir(
            str(PACKAGE), method_map, keywords=keywords
        )
    }
    with (CATALOG / "messages.po").open("rb") as f:
        catalog = read_po(f)
    missing = sorted(m for m in found if not (catalog.get(m) and catalog.get(m).string))
    assert not missing, f"untranslated: {missing}"


def test_compiled_catalog_matches_its_source():
    with (CATALOG / "messages.po").open("rb") as f:
        catalog = read_po(f)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    assert buffer.getvalue() == (CATALOG / "messages.mo").read_bytes(), (
        "run: pybabel compile -d mapservice/translations"
    )
