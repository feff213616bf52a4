"""Browser tests: the service on a loopback port, Debian's Chromium driven by Playwright.

Every page a test opens is watched: a request to any origin but the service's own fails the
test. ``browser`` (one Chromium for the session) is in tests/conftest.py.
``check_accessibility`` injects axe-core (installed from the npm registry by ``npm ci``)
and fails on serious or critical violations. Screenshots go to ``tests/artifacts/``.
"""

from __future__ import annotations

import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from werkzeug.serving import make_server

from mapservice import create_app

ROOT = Path(__file__).parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture(scope="session")
def live_server(full_sample):
    """The service on 127.0.0.1 with a free port, for the whole session; yields its base URL.

    It serves the full sample (with the solar map), as ``minfastighet sample-data`` builds it.
    """
    app = create_app({"data_dir": str(full_sample.directory)})
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


class Guard:
    """Records every request a page makes that does not go to the service itself."""

    def __init__(self, origin: str) -> None:
        self.origin = origin
        self.foreign: list[str] = []

    def __call__(self, request) -> None:
        parts = urlsplit(request.url)
        if parts.scheme in ("data", "blob", "about"):
            return
        if f"{parts.scheme}://{parts.netloc}" != self.origin:
            self.foreign.append(request.url)


@pytest.fixture
def page(browser, live_server):
    """A fresh page (own context, 1280 × 900) that may talk only to the service."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="sv-SE")
    guard = Guard(live_server)
    context.on("request", guard)
    page = context.new_page()
    yield page
    context.close()
    assert not guard.foreign, f"requests left the service's origin: {guard.foreign}"


def screenshot(page, name: str) -> Path:
    """Save a full-page screenshot as a test artefact and return its path."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def check_accessibility(page, name: str) -> None:
    """Run axe-core (WCAG 2.1 A and AA rules) and fail on serious or critical violations."""
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run 'npm ci' (see README)")
    # Evaluated through the DevTools protocol, not as a <script> tag: the service's strict
    # Content-Security-Policy (rightly) refuses inline scripts without its nonce.
    page.evaluate(AXE.read_text(encoding="utf-8") + "\n;undefined")
    result = page.evaluate("""async () => await axe.run(document, {
        runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})""")
    bad = [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert not bad, f"{name}: accessibility violations: {bad}"
