""" "Kan jag bygga?" as a person uses it: the keyboard form, drawing with the mouse, the verdict,
the PDF, the share link, and no serious accessibility violation."""

from __future__ import annotations

import pytest
from pypdf import PdfReader

from layers import GeoPackageStore
from layers.building_site import building_site

from .conftest import check_accessibility, screenshot

NONE = "Varken bygglov eller anmälan krävs."


@pytest.fixture(scope="module")
def place(full_sample):
    """Björkåsen 4:1 and a free spot on it, far from the boundary (as in tests/layers)."""
    with GeoPackageStore(full_sample.vector_path) as store:
        prop = store.find_property("sundsvall björkåsen 4:1")
        site = building_site(store, prop)
    room = site.geometry.buffer(-8.5).difference(site.prickmark.buffer(4))
    for building in site.buildings:
        room = room.difference(building.geometry.buffer(4))
    point = room.representative_point()
    return prop.unit_id, round(point.x, 2), round(point.y, 2)


def test_keyboard_form_verdict_pdf_and_share_link(page, live_server, place, tmp_path):
    key, x, y = place
    page.goto(f"{live_server}/fastighet/{key}/kan-jag-bygga")
    _type_form(page, x, y)
    page.wait_for_selector("#build-verdict")
    assert page.inner_text("#build-verdict") == NONE
    assert page.locator("path.layer-planned").count() == 1
    assert page.locator("path.layer-prickmark").count() == 1
    screenshot(page, "building-check-form")
    _accessibility(page)

    with page.expect_download() as download:
        page.click("#build-pdf")
    pdf = tmp_path / "plan.pdf"
    download.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")

    share = page.get_attribute("#build-share", "href")
    other = page.context.new_page()
    other.goto(f"{live_server}{share}")
    assert other.inner_text("#build-verdict") == NONE
    assert other.input_value("#build-width") == "4"


def _accessibility(page) -> None:
    """axe-core on the same page in a context that lets the test inject it past the CSP."""
    context = page.context.browser.new_context(bypass_csp=True)
    try:
        checked = context.new_page()
        checked.goto(page.url)
        check_accessibility(checked, "building check")
    finally:
        context.close()


def test_drawing_with_the_mouse(page, live_server, place):
    key, x, y = place
    page.goto(f"{live_server}/fastighet/{key}/kan-jag-bygga")
    page.fill("#build-height", "3")
    _drag(page, x, y)
    with page.expect_navigation():
        page.mouse.up()
    assert page.inner_text("#build-verdict") == NONE
    assert float(page.input_value("#build-width")) == pytest.approx(4.0, abs=0.3)
    assert float(page.input_value("#build-x")) == pytest.approx(x, abs=0.3)
    screenshot(page, "building-check-drawn")


def _drag(page, x, y, half=2.0):
    """Drag out a 2·half m square centred on (x, y) (SWEREF 99 TM) on the sketch with the
    mouse, the button still down."""
    corners = page.evaluate(
        """([x, y, h]) => {
            const svg = document.getElementById('build-sketch');
            svg.scrollIntoView();
            const minx = parseFloat(svg.dataset.minx), maxy = parseFloat(svg.dataset.maxy);
            const ctm = svg.getScreenCTM();
            return [[x - h, y + h], [x + h, y - h]].map(([px, py]) => {
                const p = svg.createSVGPoint();
                p.x = px - minx; p.y = maxy - py;
                const q = p.matrixTransform(ctm);
                return [q.x, q.y];
            });
        }""",
        [x, y, half],
    )
    (x0, y0), (x1, y1) = corners
    page.mouse.move(x0, y0)
    page.mouse.down()
    page.mouse.move((x0 + x1) / 2, (y0 + y1) / 2)
    page.mouse.move(x1, y1)  # the caller lets go (page.mouse.up())


def _type_form(page, x, y) -> None:
    """Fill the form with the keyboard (a friggebod 4 × 4 × 3 m at x, y) and press Enter, which
    submits it, as a keyboard user does."""
    page.select_option("#build-kind", "friggebod")
    for field, value in (("width", "4"), ("depth", "4"), ("x", x), ("y", y), ("height", "3")):
        page.focus(f"#build-{field}")
        page.keyboard.press("Control+A")
        page.keyboard.type(str(value))
    page.focus("#build-height")
    page.keyboard.press("Enter")


def test_in_the_report_drawn_with_the_mouse_answered_in_place(page, live_server, place):
    key, x, y = place
    page.goto(f"{live_server}/fastighet/{key}")
    page.evaluate("() => { window.stayed = true; }")  # gone if the page were reloaded
    assert page.locator("#report-map").count() == 1
    page.fill("#build-height", "3")
    _drag(page, x, y)
    page.mouse.up()
    page.wait_for_selector("#build-verdict")
    assert page.inner_text("#build-verdict") == NONE
    assert page.evaluate("() => window.stayed === true")  # answered in place, not reloaded
    assert page.locator("#report-map").count() == 1  # still the report, map and all
    assert float(page.input_value("#build-width")) == pytest.approx(4.0, abs=0.3)
    assert page.locator("path.layer-planned").count() == 1
    assert page.locator("path.layer-winter_shadow").count() == 1
    # the address bar is the share link of the report with the building
    assert f"/fastighet/{key}?" in page.url
    assert "bredd=" in page.url
    screenshot(page, "report-building-check-drawn")
    check_accessibility(page, "report with a building check")


def test_in_the_report_keyboard_form_pdfs_and_share_link(page, live_server, place, tmp_path):
    key, x, y = place
    page.goto(f"{live_server}/fastighet/{key}")
    page.evaluate("() => { window.stayed = true; }")
    _type_form(page, x, y)
    page.wait_for_selector("#build-verdict")
    assert page.inner_text("#build-verdict") == NONE
    assert page.evaluate("() => window.stayed === true")
    assert page.evaluate("() => document.activeElement.id") == "build-verdict"
    screenshot(page, "report-building-check-form")

    texts = {}
    for link in ("#build-pdf", "#build-report-pdf"):
        with page.expect_download() as download:
            page.click(link)
        pdf = tmp_path / f"{link[1:]}.pdf"
        download.value.save_as(pdf)
        texts[link] = "".join(p.extract_text() for p in PdfReader(pdf).pages)
    assert NONE in texts["#build-pdf"]
    # the report's PDF carries the situationsplan after the report
    report_text = texts["#build-report-pdf"]
    assert "Fastighetsrapport" in report_text
    assert NONE in report_text
    assert report_text.index("Fastighetsrapport") < report_text.index(NONE)

    share = page.get_attribute("#build-share", "href")
    assert share.startswith(f"/fastighet/{key}?")
    assert share.endswith("#build-heading")
    other = page.context.new_page()
    other.goto(f"{live_server}{share}")
    assert other.locator("#report-map").count() == 1
    assert other.inner_text("#build-verdict") == NONE
    assert other.input_value("#build-width") == "4"
