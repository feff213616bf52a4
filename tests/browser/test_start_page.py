"""The start page as a person sees it: language switch by keyboard, accessible, offline."""

from __future__ import annotations

import pytest

from tests.browser.conftest import check_accessibility, screenshot


def test_start_page_in_swedish_and_english_by_keyboard(page, live_server):
    page.goto(live_server + "/")
    assert page.locator("html").get_attribute("lang") == "sv"
    assert page.get_by_role("heading", level=1).inner_text() == "Min fastighet"
    screenshot(page, "start-sv")
    # Tab to the skip link first, then on to the language switch, and follow it.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Hoppa till innehållet"
    page.get_by_role("link", name="English").focus()
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_text("The map is not legally binding.").is_visible()
    screenshot(page, "start-en")


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_start_page_has_no_serious_accessibility_violations(page, live_server, lang):
    page.goto(f"{live_server}/?lang={lang}")
    check_accessibility(page, f"start page ({lang})")


def test_start_page_on_a_phone(browser, live_server):
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(live_server + "/")
    width = page.evaluate("document.documentElement.scrollWidth")
    screenshot(page, "start-phone")
    context.close()
    assert width <= 360
