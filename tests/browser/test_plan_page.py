"""The plan page in Chromium at 1280 and 375 px, in Swedish and English: the map draws the
plan, the layout fits the width, axe finds no serious violation, and the way back leads to the
report (issue 16, point 7)."""

from __future__ import annotations

import json
import urllib.parse
import urllib.request

import pytest

from tests.browser.conftest import check_accessibility, screenshot

DESIGNATION = "SUNDSVALL BJÖRKÅSEN 2:1"


def _get(url: str) -> dict:
    with urllib.request.urlopen(url) as response:
        return json.load(response)


@pytest.fixture(scope="module")
def plan_url(live_server) -> str:
    query = urllib.parse.quote(DESIGNATION)
    unit = _get(f"{live_server}/api/v1/properties?designation={query}")["unit_id"]
    plan = _get(f"{live_server}/api/v1/properties/{unit}")["zoning"]["plans"][0]["plan_id"]
    return f"{live_server}/fastighet/{unit}/planer/{plan}"


@pytest.mark.parametrize("lang", ["sv", "en"])
@pytest.mark.parametrize("width", [1280, 375])
def test_plan_page_draws_the_plan_fits_and_is_accessible(page, plan_url, lang, width):
    page.set_viewport_size({"width": width, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda err: errors.append(str(err)))
    page.goto(f"{plan_url}?lang={lang}")
    drawn = "#plan-map .leaflet-overlay-pane svg > g path"  # not the rasters' <defs>
    page.wait_for_selector(drawn)
    page.wait_for_load_state("networkidle")
    assert page.locator(drawn).count() > 10
    # prickmark and korsmark are filled with the report map's rasters, defined once per map
    fills = page.eval_on_selector_all(drawn, "ps => ps.map(p => p.getAttribute('fill'))")
    assert "url(#mf-dots)" in fills
    assert page.locator("#plan-map pattern#mf-dots").count() == 1
    assert page.locator("#plan-map .plan-code").count() > 0  # the use codes as labels
    screenshot(page, f"plan-page-{lang}-{width}")
    wide = page.evaluate("""() => [...document.querySelectorAll('main *')]
        .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
        .map(e => e.tagName + '#' + e.id + '.' + e.className).slice(0, 5)""")
    # nothing wider than the window: no sideways scrolling of the page
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width, wide
    map_box = page.locator("#plan-map").bounding_box()
    assert map_box["width"] > 0.8 * min(width, 600)
    assert map_box["height"] > 300
    assert page.locator("#plan-rules tbody tr").count() > 0
    screenshot(page, f"plan-page-{lang}-{width}")
    check_accessibility(page, f"plan page {lang} {width}")
    assert not errors, errors
    page.locator("#back-link").click()
    page.wait_for_load_state("domcontentloaded")
    assert page.locator("h1").inner_text() == DESIGNATION
