"""The layer viewer /karta in Chromium: layers on and off, attributes of a parcel and a plan
area, measuring, coordinates in SWEREF 99, the share link; accessible and offline."""

from __future__ import annotations

import json
import re
import urllib.request
from urllib.parse import quote

import pyproj
import pytest
import shapely
from shapely.geometry import shape

from tests.browser.conftest import check_accessibility, screenshot


def _get(url: str) -> dict:
    with urllib.request.urlopen(url) as response:
        return json.load(response)


@pytest.fixture
def viewer(page, live_server):
    page.goto(f"{live_server}/karta?lang=en")
    page.wait_for_function("() => window.minfastighetViewer !== undefined")
    page.wait_for_function(
        "() => document.querySelectorAll(\"#viewer-map path[stroke='#1f1f1f']\").length > 50"
    )  # the parcels are drawn
    page.wait_for_load_state("networkidle")
    return page


def _point_in(live_server: str, collection: str, query: str = "") -> shapely.Point:
    """A point well inside the first feature of a collection that matches ``query``."""
    body = _get(f"{live_server}/ogc/collections/{collection}/items?limit=1&{query}")
    feature = body["features"][0]
    return shape(feature["geometry"]).representative_point(), feature


def _screen(page, lat: float, lng: float) -> list[float]:
    """Where a place is on the screen (viewport pixels)."""
    return page.evaluate(
        """([lat, lng]) => {
        const m = window.minfastighetViewer.map, p = m.latLngToContainerPoint([lat, lng]),
              r = m.getContainer().getBoundingClientRect();
        return [r.left + p.x, r.top + p.y]; }""",
        [lat, lng],
    )


def _click(page, point: shapely.Point) -> None:
    page.evaluate(
        "([lat, lng]) => window.minfastighetViewer.map.setView([lat, lng], 19)", [point.y, point.x]
    )
    page.wait_for_load_state("networkidle")
    page.locator("#viewer-map").scroll_into_view_if_needed()
    page.mouse.click(*_screen(page, point.y, point.x))


def _paths(page, colour: str) -> int:
    return page.locator(f"#viewer-map path[stroke='{colour}']").count()


def test_layers_toggle_and_draw(viewer):
    page = viewer
    assert _paths(page, "#1f1f1f") > 50  # parcels are on
    assert _paths(page, "#b71c1c") == 0  # plan rules are off
    page.get_by_label("Property provisions").check()
    page.wait_for_function(
        "() => document.querySelectorAll(\"#viewer-map path[stroke='#b71c1c']\").length > 10"
    )
    page.get_by_label("Buildings").uncheck()
    page.wait_for_timeout(300)
    assert _paths(page, "#5d4037") == 0
    page.get_by_label("Solar map").check()
    page.wait_for_selector("#viewer-map img.leaflet-tile-loaded")
    assert page.locator(".solar-legend .ramp").is_visible()
    assert "layers=parcels,plan_uses,plan_rules,solar" in page.input_value("#share-link")
    screenshot(page, "viewer-layers")
    page.get_by_label("Property provisions").uncheck()
    page.get_by_label("Land-use provisions").uncheck()
    page.evaluate("window.minfastighetViewer.map.setView([62.3745, 17.2620], 18)")
    page.wait_for_load_state("networkidle")
    screenshot(page, "viewer-solar")


def test_click_a_parcel_and_a_plan_area_shows_their_attributes(viewer, live_server):
    page = viewer
    page.get_by_label("Detailed development plans").check()
    page.get_by_label("Property provisions").check()
    point, rule = _point_in(live_server, "plan_rules", "code=e1")
    _click(page, point)
    panel = page.locator("#attributes")
    panel.get_by_role("heading", name="Parcels").wait_for()
    text = panel.inner_text()
    parcel = _get(
        f"{live_server}/ogc/collections/parcels/items?limit=5&bbox="
        f"{point.x},{point.y},{point.x},{point.y}"
    )["features"]
    assert parcel
    assert any(p["properties"]["designation"] in text for p in parcel)
    for heading in (
        "Parcels",
        "Land-use provisions",
        "Detailed development plans",
        "Property provisions",
    ):
        assert panel.get_by_role("heading", name=heading).count() >= 1
    assert rule["properties"]["wording"] in text  # the plan rule's full wording
    assert rule["properties"]["plan_id"] in text
    screenshot(page, "viewer-attributes")


def test_measure_coordinates_and_share_link(viewer, live_server):
    page = viewer
    box = page.locator("#viewer-map").bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    tm = page.locator("#coords-tm").inner_text()
    zone = page.locator("#coords-zone").inner_text()
    assert tm.startswith("N 6")
    assert zone.startswith("N 6")
    assert tm != zone
    assert "SWEREF 99 17 15" in page.locator("#coords").inner_text()
    # a 60 m × 40 m rectangle laid out in SWEREF 99 17 15 measures 2 400 m² and 200 m
    to_lonlat = pyproj.Transformer.from_crs("EPSG:3014", "EPSG:4326", always_xy=True)
    corners = [
        to_lonlat.transform(150500 + dx, 6918000 + dy)
        for dx, dy in ((0, 0), (60, 0), (60, 40), (0, 40))
    ]
    page.evaluate(
        "([lat, lng]) => window.minfastighetViewer.map.setView([lat, lng], 19)",
        [corners[0][1], corners[0][0]],
    )
    page.get_by_role("button", name="Area").click()
    page.locator("#viewer-map").scroll_into_view_if_needed()
    for lon, lat in corners:
        page.mouse.click(*_screen(page, lat, lon))
        page.wait_for_timeout(350)  # not a double-click
    result = page.locator("#measure-result").inner_text()
    area, perimeter = (
        float(v.replace("\u00a0", "").replace(" ", ""))
        for v in re.findall(r"([\d\s\u00a0]+) m", result)[:2]
    )
    assert area == pytest.approx(2400, rel=0.02)
    assert perimeter == pytest.approx(200, rel=0.01)
    page.get_by_role("button", name="Finish").click()
    screenshot(page, "viewer-measure")
    link = page.input_value("#share-link")
    assert "#map=" in link
    assert "layers=" in link
    other = page.context.new_page()
    other.goto(link.replace("layers=parcels,buildings,plan_uses", "layers=plans"))
    other.wait_for_function("() => window.minfastighetViewer !== undefined")
    assert other.is_checked("#layer-plans")
    assert not other.is_checked("#layer-parcels")
    other.close()


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_viewer_has_no_serious_accessibility_violations(page, live_server, lang):
    page.goto(f"{live_server}/karta?lang={lang}")
    page.wait_for_function("() => window.minfastighetViewer !== undefined")
    check_accessibility(page, f"viewer ({lang})")


def test_keyboard_picks_the_middle_of_the_map(page, live_server):
    page.goto(f"{live_server}/karta")  # Swedish
    page.wait_for_function("() => window.minfastighetViewer !== undefined")
    point, parcel = _point_in(live_server, "parcels", "trakt=" + quote("LÄRKAN"))
    page.evaluate(
        "([lat, lng]) => window.minfastighetViewer.map.setView([lat, lng], 19)", [point.y, point.x]
    )
    page.wait_for_load_state("networkidle")
    page.locator("#viewer-map").focus()
    page.keyboard.press("Enter")
    panel = page.locator("#attributes")
    panel.get_by_role("heading", name="Fastighetsytor").wait_for()
    assert parcel["properties"]["designation"] in panel.inner_text()
    screenshot(page, "viewer-keyboard-sv")
