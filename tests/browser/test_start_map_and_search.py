"""Issue 16, points 8–10 in Chromium: the start map asks to zoom in before a click picks a
property, the legal notice stands once, the maps are drawn on the service's own base map
(no background URL), and a misspelling gets "did you mean" in Swedish and English."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import ARTIFACTS, check_accessibility, screenshot


def map_zoom(page) -> int:
    return page.evaluate("() => window[document.getElementById('start-map').dataset.map].getZoom()")


def base_tiles_loaded(page) -> int:
    """How many of the service's own base map tiles the page shows, loaded."""
    return page.evaluate(
        """() => [...document.querySelectorAll('img.leaflet-tile-loaded')]
        .filter(img => img.src.includes('/tiles/base/')).length"""
    )


def test_a_click_at_the_overview_asks_to_zoom_in(page, live_server):
    page.goto(live_server + "/")
    frame = page.locator("#start-map .leaflet-container")
    frame.scroll_into_view_if_needed()
    page.wait_for_function("() => document.querySelectorAll('img.leaflet-tile-loaded').length > 0")
    assert map_zoom(page) < 16
    assert base_tiles_loaded(page) > 0
    screenshot(page, "start-map-overview")
    url = page.url
    box = frame.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    status = page.locator("#map-status")
    status.wait_for()
    page.wait_for_function("() => document.getElementById('map-status').textContent.length > 0")
    assert status.inner_text().startswith("Zooma in för att välja en fastighet")
    assert page.url == url  # no street parcel's report opened
    page.wait_for_function(
        "() => window[document.getElementById('start-map').dataset.map].getZoom() >= 16"
    )
    page.wait_for_timeout(800)  # the boundaries and tiles of the new view
    screenshot(page, "start-map-zoomed")
    with page.expect_navigation():
        page.mouse.click(box["x"] + box["width"] / 2 + 3, box["y"] + box["height"] / 2 + 3)
    assert re.search(r"/fastighet/[0-9a-f-]{36}", page.url)


@pytest.mark.parametrize(
    ("path", "text"),
    [
        ("/", "Kartan är inte rättsligt gällande."),
        ("/?lang=en", "The map is not legally binding."),
        ("/sok?q=Björkåsen 2:1", "Kartan är inte rättsligt gällande."),
        ("/fastighet?beteckning=SUNDSVALL BJÖRKÅSEN 2:1", "Kartan är inte rättsligt gällande."),
        (
            "/fastighet?beteckning=SUNDSVALL BJÖRKÅSEN 2:1&lang=en",
            "The map is not legally binding.",
        ),
    ],
)
def test_the_legal_notice_stands_once(page, live_server, path, text):
    page.goto(live_server + path)
    assert page.locator("body").inner_text().count(text) == 1


def test_the_report_map_is_drawn_on_the_base_map(page, live_server):
    page.goto(f"{live_server}/fastighet?beteckning=SUNDSVALL BJÖRKÅSEN 2:1")
    page.locator(".leaflet-container").first.scroll_into_view_if_needed()
    page.wait_for_function(
        "() => [...document.querySelectorAll('img.leaflet-tile-loaded')]"
        ".some(img => img.src.includes('/tiles/base/'))"
    )
    assert base_tiles_loaded(page) > 0
    attribution = page.locator(".leaflet-control-attribution").first.inner_text()
    assert "Lantmäteriet (fastighetsindelning)" in attribution
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.locator(".leaflet-container").first.screenshot(path=str(ARTIFACTS / "report-map-base.png"))


@pytest.mark.parametrize(("lang", "words"), [("sv", "Menade du:"), ("en", "Did you mean:")])
def test_a_misspelling_gets_did_you_mean_as_you_type(page, live_server, lang, words):
    page.goto(f"{live_server}/?lang={lang}")
    page.locator("#q").click()
    page.keyboard.type("Björkåsn 2:1", delay=20)
    page.locator("#q-nearest").wait_for(state="visible")
    assert page.locator("#q-nearest").inner_text() == words
    assert page.get_by_role("option").first.inner_text() == "SUNDSVALL BJÖRKÅSEN 2:1"
    assert page.locator("#q-status").inner_text().startswith(words)
    screenshot(page, f"did-you-mean-{lang}")
    page.keyboard.press("Enter")  # without a chosen option: the form's results page
    page.wait_for_url(re.compile(r"/sok\?"))
    assert words in page.locator("#did-you-mean").inner_text()
    assert page.locator("ul.results a").first.inner_text() == "SUNDSVALL BJÖRKÅSEN 2:1"
    check_accessibility(page, f"did you mean ({lang})")
