"""The owner's path through the service in Chromium: search by keyboard, the report, its map,
the assumptions, the PDF, the language switch and a share link; axe on every page kind."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from tests.browser.conftest import Guard, check_accessibility, screenshot

DESIGNATION = "SUNDSVALL BJÖRKÅSEN 2:1"


def _tab_to(page, element_id: str, limit: int = 25) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == element_id:
            return
    pytest.fail(f"#{element_id} cannot be reached with Tab")


def _choose_suggestion(page, text: str, expected: str) -> None:
    _tab_to(page, "q")
    page.keyboard.type(text, delay=30)
    option = page.get_by_role("option").filter(has_text=expected).first
    option.wait_for()
    assert page.get_by_role("status").first.inner_text() != ""
    assert page.locator("#q").get_attribute("aria-expanded") == "true"
    options = page.get_by_role("option").all_inner_texts()
    index = next(i for i, label in enumerate(options) if expected in label)
    for _ in range(index + 1):
        page.keyboard.press("ArrowDown")
    assert page.locator("#q").get_attribute("aria-activedescendant") == f"q-option-{index}"
    with page.expect_navigation():
        page.keyboard.press("Enter")


@pytest.fixture
def report_url(page, live_server):
    page.goto(f"{live_server}/fastighet?beteckning={DESIGNATION}")
    return page.url


def test_search_by_designation_with_the_keyboard(page, live_server):
    page.goto(live_server + "/")
    _choose_suggestion(page, "Björkåsen 2:", DESIGNATION)
    assert re.search(r"/fastighet/[0-9a-f-]{36}", page.url)
    assert page.get_by_role("heading", level=1).inner_text() == DESIGNATION
    screenshot(page, "report-sv")


def test_search_by_address_with_the_keyboard(page, live_server):
    page.goto(live_server + "/")
    _choose_suggestion(page, "Björkåsgränd 2", "Björkåsgränd 2,")
    assert page.get_by_role("heading", level=1).inner_text() == DESIGNATION


def test_search_without_suggestions_lands_on_results(page, live_server):
    page.goto(live_server + "/?q=Björkås")
    assert "/sok" in page.url
    assert page.get_by_role("link", name=DESIGNATION).count() == 1
    screenshot(page, "results-sv")


def test_toggle_a_layer_and_change_an_assumption(page, report_url):
    solar = page.locator(".leaflet-control-layers-overlays label").filter(has_text="Solkarta")
    solar.locator("input").check()
    solar.locator("input").uncheck()
    assert "solar" not in page.url.split("lager=")[1].split("&")[0]
    assert page.locator(".leaflet-tile-pane img[src*='/tiles/solar/']").count() == 0
    before = page.locator("#pv-savings").inner_text()
    page.locator("#pris").fill("3")
    with page.expect_navigation():
        page.locator("#pris").press("Enter")
    after = page.locator("#pv-savings").inner_text()
    assert before != after
    assert page.locator("#pris").input_value() == "3,0"  # Swedish decimal comma (issue 16, 3)
    # the map state travelled with the form
    assert "solar" not in page.url.split("lager=")[1].split("&")[0]


def test_download_the_pdf(page, report_url):
    with page.expect_download() as info:
        page.get_by_role("link", name="Ladda ner rapporten som PDF").click()
    body = info.value.path().read_bytes()
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(body)).pages)
    assert DESIGNATION in text
    assert "Kartan är inte rättsligt gällande." in text
    assert "kWp" in text
    assert "Källor" in text


def test_switch_language_on_the_report(page, report_url):
    page.get_by_role("link", name="English").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", name="Solar power").is_visible()
    assert page.get_by_role("heading", name="Detailed development plan").is_visible()
    screenshot(page, "report-en")


def test_a_share_link_restores_the_view(page, browser, live_server, report_url):
    page.wait_for_load_state("networkidle")  # the first fit of the map has settled
    target = page.evaluate("""() => {
        const map = window[document.getElementById('report-map').dataset.map];
        const c = map.getCenter();
        map.setView([c.lat + 0.0004, c.lng - 0.0006], 17, {animate: false});
        const moved = map.getCenter();
        return {lat: moved.lat, lng: moved.lng};
    }""")
    page.locator(".leaflet-control-layers-overlays label").filter(has_text="Planområden").locator(
        "input"
    ).uncheck()
    shared = live_server + page.locator("#share-link").get_attribute("href")
    assert "karta=" in shared
    assert "lager=" in shared
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    guard = Guard(live_server)
    context.on("request", guard)
    other = context.new_page()
    other.goto(shared)
    # The view is restored once the map's first fit has settled; wait for it, then read it.
    other.wait_for_function(
        """() => {
        const map = window[document.getElementById('report-map').dataset.map];
        return !map._animatingZoom && map.getZoom() === 17;
    }""",
        timeout=10_000,
    )
    state = other.evaluate("""() => {
        const frame = document.getElementById('report-map');
        const map = window[frame.dataset.map];
        const names = JSON.parse(frame.dataset.layers);
        const c = map.getCenter();
        return {lat: c.lat, lng: c.lng, zoom: map.getZoom(),
                plans: map.hasLayer(window[names.plans]),
                solar: map.hasLayer(window[names.solar])};
    }""")
    screenshot(other, "report-shared")
    context.close()
    assert not guard.foreign
    assert state["zoom"] == 17
    assert state["plans"] is False
    assert state["solar"] is True
    assert state["lat"] == pytest.approx(target["lat"], abs=1e-5)
    assert state["lng"] == pytest.approx(target["lng"], abs=1e-5)


@pytest.mark.parametrize("lang", ["sv", "en"])
@pytest.mark.parametrize("kind", ["start", "results", "property"])
def test_no_serious_accessibility_violations(page, live_server, lang, kind):
    paths = {
        "start": "/",
        "results": "/sok?q=Björkås",
        "property": f"/fastighet?beteckning={DESIGNATION}",
    }
    page.goto(f"{live_server}{paths[kind]}&lang={lang}".replace("/&", "/?"))
    check_accessibility(page, f"{kind} page ({lang})")


@pytest.mark.parametrize("width", [360, 320])
def test_the_report_fits_a_phone_and_400_percent_zoom(browser, live_server, width):
    # 320 CSS pixels is a 1280 pixel window at 400 % zoom (WCAG 1.4.10 reflow)
    context = browser.new_context(viewport={"width": width, "height": 740})
    guard = Guard(live_server)
    context.on("request", guard)
    page = context.new_page()
    page.goto(f"{live_server}/fastighet?beteckning={DESIGNATION}&lang=sv")
    scroll = page.evaluate("document.documentElement.scrollWidth")
    screenshot(page, f"report-{width}px")
    # the list of layers is folded into its button, which says what it is and opens with the
    # keyboard (a tap or the pointer opens it too)
    layers = page.locator("#report-map .leaflet-control-layers")
    folded = "leaflet-control-layers-expanded" not in (layers.get_attribute("class") or "")
    toggle = layers.locator(".leaflet-control-layers-toggle")
    label = toggle.get_attribute("aria-label")
    toggle.press("Enter")
    opened = "leaflet-control-layers-expanded" in (layers.get_attribute("class") or "")
    context.close()
    assert scroll <= width
    assert not guard.foreign
    assert folded
    assert label == "Kartlager"
    assert opened


def test_search_works_without_javascript(browser, live_server):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server + "/")
    page.get_by_label("Fastighetsbeteckning eller adress").fill("Björkås")
    page.get_by_role("button", name="Sök").click()
    page.wait_for_load_state()
    assert "/sok?q=Bj" in page.url
    page.get_by_role("link", name=DESIGNATION).click()
    page.wait_for_load_state()
    heading = page.get_by_role("heading", level=1).inner_text()
    context.close()
    assert heading == DESIGNATION
