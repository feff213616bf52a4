"""Feature information in the layer viewer, for people: labelled attributes in the page's
language, the property's report, the solar map's value at the point; hostile data stays text
(issue 16, point 12)."""

from __future__ import annotations

import json
import urllib.request

import pytest
from shapely.geometry import shape

from tests.browser.conftest import check_accessibility, screenshot

WORDS = {
    "sv": {
        "shape": "Takform",
        "gable": "sadeltak",
        "class": "Solklass",
        "report": "Fastighetens rapport",
        "solar": "Solkartan i punkten",
        "unit": "kWh/m² per år",
    },
    "en": {
        "shape": "Roof shape",
        "gable": "gable roof",
        "class": "Solar class",
        "report": "The property's report",
        "solar": "Solar map at this point",
        "unit": "kWh/m² per year",
    },
}


def _get(url: str) -> dict:
    with urllib.request.urlopen(url) as response:
        return json.load(response)


@pytest.mark.parametrize("width", [1280, 375])
@pytest.mark.parametrize("lang", ["sv", "en"])
def test_a_click_on_a_roof_tells_people_what_is_there(page, live_server, lang, width):
    body = _get(f"{live_server}/ogc/collections/roof_faces/items?limit=1&suitability=very_good")
    face = body["features"][0]
    point = shape(face["geometry"]).representative_point()
    building = _get(
        f"{live_server}/ogc/collections/buildings/items/{face['properties']['building_id']}"
    )
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(
        f"{live_server}/karta?lang={lang}#map=19/{point.y}/{point.x}"
        "&layers=parcels,buildings,roof_faces"
    )
    page.wait_for_function("() => window.minfastighetViewer !== undefined")
    page.wait_for_load_state("networkidle")
    page.locator("#viewer-map").focus()
    page.keyboard.press("Enter")  # picks the middle of the map: the roof face
    words = WORDS[lang]
    panel = page.locator("#attributes")
    panel.locator(".solar-here").wait_for()
    text = panel.inner_text()
    assert words["shape"] in text
    if building["properties"]["roof_shape"] == "gable":
        assert words["gable"] in text
    assert "gable" not in text.replace(words["gable"], "") or lang == "en"
    assert words["class"] in text
    for column in ("roof_shape", "building_id", "unit_id", "face_id", "suitability"):
        assert column not in text  # labels, not column names
    for uuid in (face["properties"]["face_id"], face["properties"]["building_id"]):
        assert uuid not in text  # no UUIDs
    assert words["solar"] in text
    assert words["unit"] in text
    assert "2025" in panel.locator(".solar-here").inner_text()  # the solar map's date
    link = panel.get_by_role("link", name=words["report"]).first
    assert link.get_attribute("href") == f"/fastighet/{building['properties']['unit_id']}"
    screenshot(page, f"viewer-info-{lang}-{width}")
    check_accessibility(page, f"viewer with attributes ({lang}, {width})")


def test_hostile_values_are_written_as_text(page, live_server):
    """A value that is markup shows as its characters; nothing runs or is inserted, and an id
    that is not one stays inside the report link's path."""
    hostile = '<img src=x onerror="window.pwned=1"><b>bold</b>'
    feature = {
        "type": "Feature",
        "id": "x",
        "properties": {"designation": hostile, "unit_id": '"><x', "unit_type": hostile},
        "geometry": {
            "type": "Polygon",
            "coordinates": [[[10.0, 55.0], [25.0, 55.0], [25.0, 69.0], [10.0, 69.0], [10.0, 55.0]]],
        },
    }
    body = {
        "type": "FeatureCollection",
        "features": [feature],
        "numberMatched": 1,
        "numberReturned": 1,
    }
    page.route(
        "**/ogc/collections/parcels/items*",
        lambda route: route.fulfill(
            status=200, content_type="application/geo+json", body=json.dumps(body)
        ),
    )
    page.goto(f"{live_server}/karta?lang=en")
    page.wait_for_function("() => window.minfastighetViewer !== undefined")
    page.wait_for_load_state("networkidle")
    page.locator("#viewer-map").focus()
    page.keyboard.press("Enter")
    panel = page.locator("#attributes")
    panel.get_by_role("heading", name="Parcels").wait_for()
    assert panel.locator("img, b").count() == 0
    assert hostile in panel.inner_text()
    href = panel.get_by_role("link").first.get_attribute("href")
    assert href == "/fastighet/%22%3E%3Cx"
    assert page.evaluate("() => window.pwned") is None
