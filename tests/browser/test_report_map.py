"""The report map in Chromium: roof faces by click and by keyboard, the plan's symbols, the
legend against what the map draws, at 1280 and 375 px in both languages (issue 16, points 1
and 5). Screenshots: tests/artifacts/report-map-*.png."""

from __future__ import annotations

import pytest

from tests.browser.conftest import check_accessibility, screenshot

SOUTH_FACING = "SUNDSVALL LÖVSÄTTRA 2:6"
PRICK_AND_KORS = "SUNDSVALL LÖVSÄTTRA 4:6"
WORDS = {
    "sv": ("Klass: mycket god", "Lutning: ", "Riktning: 180°", "kWh/m²: ", "Takfält "),
    "en": ("Class: very good", "Tilt: ", "Facing: 180°", "kWh/m²: ", "Roof face "),
}
LAYER = {"sv": "Byggnader och takfält", "en": "Buildings and roof faces"}


def _open(page, live_server, designation: str, lang: str, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server}/fastighet?beteckning={designation}&lang={lang}")
    if page.locator("h1").inner_text() != designation:
        pytest.skip(f"{designation} is the sample's; this data set has no such property")
    page.locator("path[data-symbol='property']").wait_for(state="attached")
    page.wait_for_load_state("networkidle")  # the first fit of the map has settled


def _popup(page) -> str:
    """The text of the one open popup (a closed one fades out for 0.2 s before it goes)."""
    page.wait_for_function("() => document.querySelectorAll('.leaflet-popup').length === 1")
    return page.locator(".leaflet-popup-content").inner_text()


def _symbols_drawn(page) -> set[str]:
    return set(
        page.evaluate(
            "() => Array.from(document.querySelectorAll('#report-map path[data-symbol]'),"
            " p => p.getAttribute('data-symbol'))"
        )
    )


def _legend(page) -> set[str]:
    return set(
        page.evaluate(
            "() => Array.from(document.querySelectorAll('ul.legend li[data-symbol]'),"
            " li => li.getAttribute('data-symbol'))"
        )
    )


@pytest.mark.parametrize("width", [1280, 375])
@pytest.mark.parametrize("lang", ["sv", "en"])
def test_a_roof_face_by_click_and_by_keyboard(page, live_server, lang, width):
    _open(page, live_server, SOUTH_FACING, lang, width)
    best, tilt, facing, energy, name = WORDS[lang]
    faces = page.locator("path[data-face]")
    assert faces.count() == 4
    assert LAYER[lang] in page.locator(".leaflet-control-layers-overlays").inner_text()
    south = page.locator(f"path[data-face][aria-label*='{best}']")
    assert south.count() == 1
    assert south.get_attribute("role") == "button"
    assert south.get_attribute("tabindex") == "0"
    # the class is the outline; the fill is light, so the solar map shows through
    assert float(south.get_attribute("fill-opacity")) <= 0.3
    south.scroll_into_view_if_needed()
    south.click(force=True)  # the face lies over the plan areas and the tiles
    text = _popup(page)
    for word in (best, tilt, facing, energy, name):
        assert word in text, (word, text)
    screenshot(page, f"report-map-face-click-{lang}-{width}")
    page.keyboard.press("Escape")
    # keyboard: from the first face, Tab moves to the next and its figures show
    faces.first.focus()
    page.keyboard.press("Tab")
    focused = page.evaluate("() => document.activeElement.getAttribute('data-face')")
    assert focused == "2"
    label = page.evaluate("() => document.activeElement.getAttribute('aria-label')")
    assert _popup(page).replace("\n", ", ") == label
    page.keyboard.press("Enter")
    assert name + "2" in _popup(page)
    screenshot(page, f"report-map-face-keyboard-{lang}-{width}")
    # the roof faces table is linked to the map: a face's number focuses that face
    page.keyboard.press("Escape")
    page.locator("button.face-link[data-face='3']").click()
    assert page.evaluate("() => document.activeElement.getAttribute('data-face')") == "3"
    assert name + "3" in _popup(page)
    assert _legend(page) == _symbols_drawn(page) | {"solar"}
    check_accessibility(page, f"report map {lang} {width}")


@pytest.mark.parametrize("width", [1280, 375])
@pytest.mark.parametrize("lang", ["sv", "en"])
def test_prickmark_and_korsmark_are_drawn_with_their_rasters(page, live_server, lang, width):
    _open(page, live_server, PRICK_AND_KORS, lang, width)
    drawn = _symbols_drawn(page)
    assert {"plan.prickmark", "plan.korsmark", "plan.rule", "plan.use"} <= drawn
    for symbol, pattern in (("plan.prickmark", "dots"), ("plan.korsmark", "crosses")):
        fills = page.evaluate(
            f"() => Array.from(document.querySelectorAll(\"path[data-symbol='{symbol}']\"),"
            " p => p.getAttribute('fill'))"
        )
        assert set(fills) == {f"url(#mf-{pattern})"}
        assert page.locator(f"#report-map pattern#mf-{pattern} path").count() == 1
    labels = page.locator(".leaflet-tooltip.map-label").all_inner_texts()
    assert any(label.startswith("B ") for label in labels), labels
    assert _legend(page) == drawn | {"solar"}
    page.locator("#legend-heading").scroll_into_view_if_needed()
    screenshot(page, f"report-map-plan-{lang}-{width}")
    check_accessibility(page, f"report map plan {lang} {width}")
