"""The planner's everyday tools in the layer viewer, in Swedish and English at 1280 and 375 px:
search that zooms to the hit, a scale bar, layer opacity, the background map, the print to
PDF, the layer list grouped; each panel open passes axe (issue 16, point 13)."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from tests.browser.conftest import check_accessibility, screenshot

WORDS = {
    "sv": {
        "groups": ("Fastighet", "Plan", "Solenergi"),
        "shows": "Kartan visar",
        "none": "Inget hittades",
        "own": "Tjänstens egen baskarta",
        "scale": "Skala 1:500",
    },
    "en": {
        "groups": ("Property", "Plan", "Solar energy"),
        "shows": "The map shows",
        "none": "Nothing found",
        "own": "The service's own base map",
        "scale": "Scale 1:500",
    },
}


def _search(page, text: str) -> None:
    page.fill("#viewer-search-q", text)
    page.press("#viewer-search-q", "Enter")


@pytest.mark.parametrize("width", [1280, 375])
@pytest.mark.parametrize("lang", ["sv", "en"])
def test_planners_tools(page, live_server, lang, width):
    words = WORDS[lang]
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server}/karta?lang={lang}")
    page.wait_for_function("() => window.minfastighetViewer !== undefined")
    page.wait_for_load_state("networkidle")

    # the layer list, grouped: property, plan, solar
    legends = page.locator(".layer-group > legend").all_inner_texts()
    assert tuple(legends[:3]) == words["groups"]
    group = page.locator(".layer-group", has=page.locator("legend", has_text=words["groups"][2]))
    assert group.locator("#layer-roof_faces").count() == 1
    assert group.locator("#layer-solar").count() == 1
    assert page.locator(".layer-group").nth(0).locator("#layer-parcels").count() == 1

    # a scale bar (Leaflet's own control, metric)
    assert page.locator(".leaflet-control-scale-line").inner_text().strip().endswith("m")

    # search: a designation zooms to its parcel and outlines it
    _search(page, "Björkåsen 2:1")
    page.wait_for_function(
        "() => document.getElementById('viewer-search-status').textContent.length > 12"
        " && window.minfastighetViewer.map.getZoom() >= 17"
    )
    status = page.inner_text("#viewer-search-status")
    assert words["shows"] in status
    assert "BJÖRKÅSEN 2:1" in status
    assert page.locator("#viewer-map path[stroke='#d81b60']").count() >= 1
    # a plan id (typed in lower case) zooms to the plan
    _search(page, "2281k-s112")
    page.wait_for_function(
        "() => document.getElementById('viewer-search-status').textContent.includes('2281K-S112')"
    )
    # so does a part of a plan's name, accents left out, picked from the list
    _search(page, "granmyra")
    plan = page.locator("#viewer-search-results button", has_text="2281K-DP240")
    plan.wait_for()
    assert "Granmyra" in plan.inner_text()
    plan.click()
    page.wait_for_function(
        "() => document.getElementById('viewer-search-status').textContent.includes('2281K-DP240')"
    )
    # nothing found says so
    _search(page, "qqqq xyz")
    page.wait_for_function(
        "(t) => document.getElementById('viewer-search-status').textContent.includes(t)",
        arg=words["none"],
    )
    check_accessibility(page, f"viewer search ({lang}, {width})")
    _search(page, "Björkåsen 2:1")
    page.wait_for_function("() => window.minfastighetViewer.map.getZoom() >= 17")
    page.wait_for_load_state("networkidle")

    # opacity of a layer: the slider sets its strokes' opacity
    page.locator("#opacity-buildings").fill("30")
    page.wait_for_function(
        "() => Array.from(document.querySelectorAll(\"#viewer-map path[stroke='#5d4037']\"))"
        ".some(p => p.getAttribute('stroke-opacity') === '0.3')"
    )

    # background map: the service's own base map tiles
    page.locator("#basemap-panel summary").click()
    page.get_by_label(words["own"]).check()
    page.wait_for_function(
        "() => Array.from(document.querySelectorAll('#viewer-map img.leaflet-tile-loaded'))"
        ".some(i => i.src.includes('/tiles/base/'))"
    )
    check_accessibility(page, f"viewer background map panel ({lang}, {width})")

    # print: the form carries the view; the PDF has the chosen scale
    page.locator("#print-panel summary").click()
    page.select_option("#print-scale", "500")
    page.select_option("#print-paper", "a3")
    # the frame that prints is outlined on the map
    page.wait_for_function(
        "() => document.querySelectorAll(\"#viewer-map path[stroke='#1a237e']\").length === 1"
    )
    query = page.evaluate(
        "() => new URLSearchParams(new FormData(document.getElementById('print-form'))).toString()"
    )
    assert "layers=parcels%2Cbuildings%2Cplan_uses" in query
    response = page.request.get(f"{live_server}/karta/utskrift.pdf?{query}")
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    text = PdfReader(io.BytesIO(response.body())).pages[0].extract_text()
    assert words["scale"] in text
    check_accessibility(page, f"viewer print panel ({lang}, {width})")

    page.locator("#share-panel summary").click()
    check_accessibility(page, f"viewer share panel ({lang}, {width})")
    screenshot(page, f"viewer-tools-{lang}-{width}")


def test_search_picks_with_the_keyboard(page, live_server):
    page.goto(f"{live_server}/karta?lang=en")
    page.wait_for_function("() => window.minfastighetViewer !== undefined")
    _search(page, "Björkåsen 2:")
    page.locator("#viewer-search-results button").first.wait_for()
    assert page.locator("#viewer-search-results button").count() > 1
    page.locator("#viewer-search-results button").nth(1).focus()
    page.keyboard.press("Enter")
    page.wait_for_function(
        "() => document.getElementById('viewer-search-status').textContent.startsWith('The map')"
    )
    assert page.evaluate("() => window.minfastighetViewer.map.getZoom()") >= 17


@pytest.mark.parametrize(
    ("lang", "did_you_mean", "shows"),
    [("sv", "Menade du", "Kartan visar"), ("en", "Did you mean", "The map shows")],
)
def test_search_an_address_and_a_misspelling(page, live_server, lang, did_you_mean, shows):
    page.goto(f"{live_server}/karta?lang={lang}")
    page.wait_for_function("() => window.minfastighetViewer !== undefined")
    _search(page, "Björkåsgränd 4")  # an address goes straight to its point
    page.wait_for_function(
        "(t) => document.getElementById('viewer-search-status').textContent.startsWith(t)",
        arg=shows,
    )
    assert "Björkåsgränd 4" in page.inner_text("#viewer-search-status")
    assert page.evaluate("() => window.minfastighetViewer.map.getZoom()") >= 18
    _search(page, "Björkåsn 2:1")  # a misspelling: the nearest names, for the user to pick
    page.wait_for_function(
        "(t) => document.getElementById('viewer-search-status').textContent.startsWith(t)",
        arg=did_you_mean,
    )
    assert "BJÖRKÅSEN 2:1" in page.inner_text("#viewer-search-results")
