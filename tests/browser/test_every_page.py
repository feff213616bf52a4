"""Every page of the service, in Swedish and English, at 1280 and 375 px: axe finds no serious
or critical violation, nothing is wider than the window, the page says what language it is in,
and a screenshot of each is kept (tests/artifacts/every-<page>-<lang>-<width>.png)."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from tests.browser.conftest import check_accessibility, screenshot

WIDTHS = (1280, 375)
LANGS = ("sv", "en")


@pytest.fixture(scope="module")
def unit(live_server):
    import json
    import urllib.request

    url = f"{live_server}/api/v1/search?q={quote('LÖVSÄTTRA 2:6')}"
    with urllib.request.urlopen(url, timeout=30) as response:
        return json.load(response)["suggestions"][0]["unit_id"]


def _pages(unit: str) -> dict[str, str]:
    return {
        "start": "/",
        "search": f"/sok?q={quote('Björkåsen')}",
        "search-misspelt": f"/sok?q={quote('Björkåsn 2:1')}",
        "report": f"/fastighet/{unit}",
        "building-check": f"/fastighet/{unit}/kan-jag-bygga",
        "viewer": "/karta",
        "accessibility": "/tillganglighet",
        "ogc-landing": "/ogc/?f=html",
        "ogc-collections": "/ogc/collections?f=html",
        "ogc-items": "/ogc/collections/parcels/items?f=html&limit=5",
        "not-found": "/fastighet/00000000-0000-0000-0000-000000000000",
    }


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("lang", LANGS)
def test_every_page_is_accessible_and_fits(browser, live_server, unit, lang, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    failures = []
    try:
        for name, path in _pages(unit).items():
            sep = "&" if "?" in path else "?"
            page.goto(f"{live_server}{path}{sep}lang={lang}")
            page.wait_for_load_state("networkidle")
            assert page.locator("html").get_attribute("lang") == lang, name
            overflow = page.evaluate(
                "() => document.documentElement.scrollWidth - window.innerWidth"
            )
            if overflow > 1:
                failures.append(f"{name}: {overflow} px wider than the window")
            screenshot(page, f"every-{name}-{lang}-{width}")
            check_accessibility(page, f"{name} ({lang}, {width} px)")
    finally:
        context.close()
    assert not failures, failures
