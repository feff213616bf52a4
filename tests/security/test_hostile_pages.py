"""Chromium over data with script in every text column: no dialog, no CSP violation.

The ``hostile`` sample carries ``<img src=x onerror=alert(1)>``, ``</script><script>…`` and
``<svg onload=…>`` in every text column of every layer. Each page is opened in Debian's
Chromium (Playwright); a dialog (``alert``) or a ``securitypolicyviolation`` event (recorded by
an init script before the page's own scripts run) fails the test, as does a console error.
"""

from __future__ import annotations

import threading

import pytest
from werkzeug.serving import make_server

from mapservice import create_app

WATCH = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', e => window.__violations.push(
    e.violatedDirective + ' ' + e.blockedURI + ' ' + e.sourceFile + ':' + e.lineNumber));
"""


@pytest.fixture(scope="module")
def base(hostile):
    server = make_server("127.0.0.1", 0, create_app({"data_dir": str(hostile)}), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture(scope="module")
def chromium(browser):
    """The session's Chromium (tests/conftest.py): one ``sync_playwright`` per session."""
    return browser


@pytest.fixture(scope="module")
def unit(base):
    import json
    import urllib.request

    with urllib.request.urlopen(f"{base}/api/v1/search?q=BJ%C3%96RK%C3%85SEN%202:1") as r:
        return json.load(r)["suggestions"][0]["unit_id"]


PAGES = [
    "/fastighet/{unit}",
    "/fastighet/{unit}/kan-jag-bygga",
    "/karta",
    "/ogc/collections?f=html",
    "/ogc/collections/plan_uses?f=html",
    "/ogc/collections/plan_uses/items?f=html&limit=20",
    "/ogc/collections/parcels/items?f=html&limit=20",
    "/ogc/collections/buildings/items?f=html&limit=20",
    "/ogc/collections/addresses/items?f=html&limit=20",
    "/sok?q=BJ%C3%96RK%C3%85SEN",
]


@pytest.mark.parametrize("target", PAGES)
def test_no_script_from_the_data_runs(chromium, base, unit, target):
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(WATCH)
    page = context.new_page()
    dialogs: list[str] = []
    errors: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    try:
        response = page.goto(base + target.format(unit=unit), wait_until="networkidle")
        assert response is not None
        assert response.status == 200
        page.wait_for_timeout(500)  # tooltips and late scripts
        for element in page.query_selector_all("path.leaflet-interactive")[:10]:
            element.hover(force=True)  # the tooltips write the data's text
        violations = page.evaluate("window.__violations")
    finally:
        context.close()
    assert dialogs == []
    assert violations == []
    assert [e for e in errors if "Content Security Policy" in e or "Refused" in e] == []


def test_no_script_from_the_data_runs_on_a_plan_page(chromium, base, unit):
    """The plan page (issue 16, point 7): name, authority, codes and wordings, and the map's
    use-code labels, all from the hostile data."""
    import json
    import urllib.parse
    import urllib.request

    with urllib.request.urlopen(f"{base}/api/v1/properties/{unit}") as r:
        plan = json.load(r)["zoning"]["plans"][0]["plan_id"]
    target = f"/fastighet/{unit}/planer/{urllib.parse.quote(plan, safe='')}"
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(WATCH)
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    try:
        response = page.goto(base + target, wait_until="networkidle")
        assert response is not None
        assert response.status == 200
        assert page.locator("#plan-map .plan-code").count() > 0  # the labels are drawn
        page.wait_for_timeout(500)
        violations = page.evaluate("window.__violations")
    finally:
        context.close()
    assert dialogs == []
    assert violations == []
