"""The layer viewer's layout, measured: "About the layer" keeps the panel readable, and on a
phone the map is on the first screen (issue 16, point 11)."""

from __future__ import annotations

import pytest

from tests.browser.conftest import screenshot

BOXES = """() => {
  const box = s => { const b = document.querySelector(s).getBoundingClientRect();
                     return {x: b.x, y: b.y + scrollY, width: b.width, height: b.height}; };
  return {panel: box('.viewer-panel'), map: box('#viewer-map'),
          values: Array.from(document.querySelectorAll('details[open] .layer-info dd'),
                             d => d.getBoundingClientRect().width),
          page: document.documentElement.scrollHeight,
          scrollWidth: document.documentElement.scrollWidth};
}"""


def _open(page, live_server, width: int, lang: str):
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(f"{live_server}/karta?lang={lang}")
    page.wait_for_function("() => window.minfastighetViewer !== undefined")
    return page.evaluate(BOXES)


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_about_the_layer_keeps_the_panel_and_the_page_in_shape(page, live_server, lang):
    closed = _open(page, live_server, 1280, lang)
    page.locator(".layer-list details summary").first.click()
    opened = page.evaluate(BOXES)
    assert opened["panel"]["width"] == pytest.approx(closed["panel"]["width"], abs=1)
    assert opened["panel"]["width"] >= 250
    assert opened["values"], "the layer information is shown"
    assert min(opened["values"]) >= 200, opened["values"]  # values are not squeezed
    assert opened["page"] - closed["page"] < 600  # it grows by its few lines, not 5 000 px
    assert opened["map"]["width"] >= 700
    assert opened["scrollWidth"] <= 1280
    screenshot(page, f"viewer-about-layer-1280-{lang}")


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_on_a_phone_the_map_comes_first(page, live_server, lang):
    boxes = _open(page, live_server, 375, lang)
    # on the first screen (800 px), under the search and above the layer list (was 1 189 px)
    assert boxes["map"]["y"] < 400, boxes
    assert boxes["map"]["y"] + boxes["map"]["height"] / 2 < 800
    assert boxes["map"]["y"] + boxes["map"]["height"] <= boxes["panel"]["y"]
    assert boxes["map"]["width"] >= 330
    assert boxes["scrollWidth"] <= 375
    page.locator(".layer-list details summary").first.click()
    opened = page.evaluate(BOXES)
    assert min(opened["values"]) >= 250
    screenshot(page, f"viewer-375-{lang}")
