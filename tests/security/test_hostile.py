"""Hostile requests across every route of the app, over the ``hostile`` sample.

The routes come from ``app.url_map`` (a new route is attacked without editing this file). Their
path variables are filled with hostile values, every parameter any view reads gets script,
traversal, injection, CR/LF, odd numbers and bad encodings, and every route is sent the methods
it does not serve. The data itself carries script in every text column. Each answer must be
below 500, carry the edge's headers, reflect no markup unescaped in HTML, show no file's contents
and redirect nowhere off-site.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import quote, urlsplit

import pytest

from mapservice import create_app

from .conftest import fetch

#: Plain values (percent-encoded before they are sent).
XSS = [
    "<img src=x onerror=alert(1)>",
    '"><script>alert(1)</script>',
    "'><svg onload=alert(3)>",
    "javascript:alert(1)",
]
TRAVERSAL = [
    "../../../../etc/passwd",
    "/etc/passwd",
    "....//....//....//etc/passwd",
    "..\\..\\..\\windows\\win.ini",
    "../minfastighet.gpkg",
    "minfastighet.gpkg",
    "file:///etc/passwd",
    "//evil.example/x",
    "https://evil.example/",
]
INJECTION = [
    "' OR '1'='1",
    "1; DROP TABLE parcels; --",
    '" UNION SELECT sqlite_version(), name FROM sqlite_master --',
    "1' AND load_extension('/tmp/x')--",
    "SUNDSVALL BJÖRKÅSEN 2:1' --",
    "%' OR 1=1 --",
]
CRLF = ["a\r\nX-Injected: 1", "a\nSet-Cookie: injected=1", "\r\n\r\n<html>"]
NUMBERS = [
    "1e309",
    "-1e309",
    "-0",
    "NaN",
    "nan",
    "inf",
    "-inf",
    "99999999999999999999",
    "-99999999999999999999",
    "0x10",
    "1_000",
    "-1",
    "0",
    "١٢",
]
#: Already percent-encoded: bytes that are not UTF-8, overlong forms, NUL, surrogates.
ENCODED = ["%ff", "%c0%af", "%c0%ae%c0%ae%2f", "%00", "a%00b", "%ed%a0%80", "%e2%80%ae", "%", "%zz"]
#: Traversal the way a path carries it (not re-encoded).
RAW_PATHS = ["../../../../etc/passwd", "..%2f..%2f..%2fetc%2fpasswd", "%2e%2e/%2e%2e/etc/passwd"]

PLAIN = XSS + TRAVERSAL + INJECTION + CRLF + NUMBERS
HOSTILE = [quote(value, safe="") for value in PLAIN] + ENCODED

#: Every query parameter a view reads (mapservice/web and web/ogc), with some it does not.
PARAMS = [
    "q",
    "designation",
    "beteckning",
    "bbox",
    "bbox-crs",
    "crs",
    "limit",
    "offset",
    "lang",
    "f",
    "x",
    "y",
    "karta",
    "lager",
    "shade",
    "next",
    "url",
]
METHODS = ["PUT", "DELETE", "PATCH", "TRACE", "OPTIONS", "POST", "PROPFIND"]

#: Markup that must never come back unescaped in an HTML answer.
MARKUP = re.compile(
    r"<img src=x|<svg onload|<script>alert|(?:href|src|action)=[\"']?\s*javascript:", re.IGNORECASE
)
#: What a file the service must never serve starts with.
FILES = (b"root:x:0:0", b"SQLite format 3", b"[extensions]", b"; for 16-bit app support")
VARIABLE = re.compile(r"<(?:(?P<converter>[a-z]+)(?:\([^)]*\))?:)?(?P<name>\w+)>")


@pytest.fixture(scope="module")
def app(hostile):
    return create_app({"TESTING": True, "data_dir": str(hostile)})


@pytest.fixture(scope="module")
def valid(client):
    """Valid values of the path variables (a real unit, collection, feature and tile)."""
    report = client.get("/api/v1/search?q=BJÖRKÅSEN 2:1").json["suggestions"][0]
    items = client.get("/ogc/collections/parcels/items?limit=1&f=json").json
    return {
        "unit_id": quote(report["unit_id"], safe=""),
        "key": quote(report["unit_id"], safe=""),
        "plan_id": "x",
        "collection_id": "parcels",
        "feature_id": quote(str(items["features"][0]["id"]), safe=""),
        "package": "leaflet",
        "filename": "leaflet.js",
        "z": "14",
        "x": "9000",
        "y": "4000",
    }


def rules(app) -> list[str]:
    return sorted({rule.rule for rule in app.url_map.iter_rules()})


def fill(rule: str, values: dict[str, str], hostile: str | None = None) -> str:
    """The rule with its variables replaced: the hostile value where given, else a valid one.

    >>> fill("/t/<int:z>/<x>.png", {"z": "1", "x": "2"}, "%00")
    '/t/%00/%00.png'
    >>> fill("/t/<int:z>/<x>.png", {"z": "1", "x": "2"})
    '/t/1/2.png'
    """
    return VARIABLE.sub(lambda m: hostile if hostile is not None else values[m["name"]], rule)


def problems(live, method: str, target: str) -> Iterator[str]:
    """What is wrong with the service's answer to one request (nothing, if it held up)."""
    status, headers, body = fetch(live, target, method)
    where = f"{method} {target[:160]}: {status}"
    if status >= 500:
        yield where
    headers = {name.lower(): value for name, value in headers.items()}
    if method != "TRACE" and "content-security-policy" not in headers:
        yield f"{where} without a CSP"
    if headers.get("x-content-type-options") != "nosniff":
        yield f"{where} without nosniff"
    if any(
        name.startswith("x-injected") or value.startswith("injected")
        for name, value in headers.items()
    ) or "injected=1" in headers.get("set-cookie", ""):
        yield f"{where} carries an injected header"
    location = headers.get("location")
    if location and urlsplit(location).netloc not in ("", "localhost"):
        yield f"{where} redirects off-site to {location}"
    if any(marker in body for marker in FILES):
        yield f"{where} shows a file's contents"
    if "html" in headers.get("content-type", "") and MARKUP.search(body.decode("utf-8", "replace")):
        yield f"{where} reflects markup: {MARKUP.search(body.decode('utf-8', 'replace'))[0]}"


def attack(live, requests: list[tuple[str, str]]) -> tuple[int, list[str]]:
    """Send every ``(method, target)`` (4 at a time); the number sent and the problems seen."""
    with ThreadPoolExecutor(4) as pool:
        found = pool.map(lambda request: list(problems(live, *request)), requests)
        return len(requests), [problem for some in found for problem in some]


def test_the_routes_are_all_attacked(app):
    """Every route of the app has at least one variable-free or variable-filled form here."""
    assert len(rules(app)) >= 25
    assert all(fill(rule, {}, "v").count("<") == 0 for rule in rules(app))


def test_hostile_path_variables(app, live, valid):
    """Each path variable of each route gets every hostile value (the others stay valid)."""
    requests = []
    for rule in rules(app):
        for name in {m["name"] for m in VARIABLE.finditer(rule)}:
            for value in HOSTILE + RAW_PATHS:
                method = "POST" if "building-check" in rule else "GET"
                requests.append((method, fill(rule, {**valid, name: value})))
    sent, found = attack(live, requests)
    assert sent > 500
    assert not found, "\n".join(found[:30])


#: Parameters the report's pages read (they are answered by building a whole report).
REPORT_PARAMS = ["lang", "karta", "lager", "shade", "next"]


def test_hostile_parameters(app, live, valid):
    """Every parameter any view reads gets script on every GET route (its path filled validly),
    and one of the other hostile values in turn."""
    others = [value for value in HOSTILE if value not in map(quote_all, XSS)]
    requests = []
    for i, rule in enumerate(rules(app)):
        if "building-check" in rule or rule.startswith(("/static", "/assets")):
            continue
        path = fill(rule, valid)
        heavy = any(s in rule for s in (".pdf", "<path:unit_id>", "kan-jag-bygga", "planer"))
        for j, param in enumerate(REPORT_PARAMS if heavy else PARAMS):
            requests.append(("GET", f"{path}?{param}={quote_all(XSS[(i + j) % len(XSS)])}"))
            if not heavy:
                requests.append(("GET", f"{path}?{param}={others[(i * 7 + j) % len(others)]}"))
    sent, found = attack(live, requests)
    assert sent > 300
    assert not found, "\n".join(found[:30])


def quote_all(value: str) -> str:
    """``value`` percent-encoded, slashes included.

    >>> quote_all("a/b c")
    'a%2Fb%20c'
    """
    return quote(value, safe="")


def test_odd_methods_on_every_route(app, live, valid):
    """Methods a route does not serve are 405 (or the OPTIONS answer), never a 5xx."""
    requests = [(method, fill(rule, valid)) for rule in rules(app) for method in METHODS]
    sent, found = attack(live, requests)
    assert sent >= 100
    assert not found, "\n".join(found[:30])
    status, _, _ = fetch(live, "/api/v1/search?q=a", "TRACE")
    assert status == 405


def test_bbox_corners_of_every_shape(live):
    """Odd numbers in each corner of a bbox, in the API and in OGC API Features."""
    requests = []
    for value in NUMBERS + ENCODED:
        for corner in range(4):
            bbox = ["17.3", "62.39", "17.31", "62.4"]
            bbox[corner] = value if value in ENCODED else quote(value, safe="")
            joined = ",".join(bbox)
            requests.append(("GET", f"/api/v1/properties?bbox={joined}&crs=EPSG:4326"))
            requests.append(("GET", f"/ogc/collections/parcels/items?bbox={joined}"))
    sent, found = attack(live, requests)
    assert sent > 100
    assert not found, "\n".join(found[:30])
