"""The service's edge: limits, security headers and the public URL, for every request.

- **Limits** (before any view runs): a query string longer than ``max_query_length`` or a path
  longer than that is a 414; a search text or designation (``q``, ``designation``,
  ``beteckning``, a designation in ``/fastighet/…``) longer than ``max_text_length`` is a 400;
  a body longer than ``max_body_bytes`` is a 413 (Flask's ``MAX_CONTENT_LENGTH``). A refused
  request costs microseconds, so a flood of huge requests cannot stall the threads. A bbox
  covering more than ``max_bbox_km2`` is a 400 (:func:`check_bbox`). Every request starts a
  deadline of ``report_seconds`` that a report and its PDF check between their steps
  (:mod:`mapservice.report.deadline`: 503 past it).
- **Headers** (on every response, errors included): a Content-Security-Policy that allows
  scripts, styles, images and connections from the service itself only (inline scripts only
  with the response's nonce, which the folium maps carry), ``frame-ancestors 'none'`` and
  ``X-Frame-Options: DENY``, ``X-Content-Type-Options: nosniff``, a same-origin
  ``Referrer-Policy``, HSTS over HTTPS, and a ``Cache-Control`` where the view set none:
  reports may be kept privately for a few minutes, everything else is revalidated.
- **Public URL**: absolute links (``/ogc``, OpenAPI, TileJSON) come from ``public_url`` when it
  is set; behind ``proxy_count`` trusted proxies their ``X-Forwarded-*`` headers are read
  (werkzeug's ``ProxyFix``); unless ``public_url`` is set, the host a request names (``Host``,
  or the proxy's ``X-Forwarded-Host``) must be one of ``trusted_hosts`` (a 400 if not), so a
  spoofed ``Host`` never reaches a link.

>>> for part in policy({"img": "https://tiles.example.org"}, "abc").split("; "):
...     print(part)
default-src 'self'
script-src 'self' 'nonce-abc'
style-src 'self'
style-src-attr 'unsafe-inline'
img-src 'self' data: https://tiles.example.org
connect-src 'self'
font-src 'self'
object-src 'none'
base-uri 'none'
form-action 'self'
frame-ancestors 'none'
"""

from __future__ import annotations

import math
import secrets
from collections.abc import Callable, Iterable, Sequence
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, Response, g, request
from pyproj.exceptions import ProjError
from werkzeug.exceptions import RequestURITooLarge
from werkzeug.middleware.proxy_fix import ProxyFix

from mapservice.errors import BadRequest
from mapservice.report import deadline
from mapservice.web.resources import get_settings
from sweref import STORAGE_CRS, reproject_bounds

#: Parameters that carry text people type: bounded by ``max_text_length``.
TEXT_PARAMETERS = ("q", "designation", "beteckning")
#: Routes whose answer is one property's report (``Cache-Control: private``).
REPORT_ENDPOINTS = frozenset(
    {"property_page.report", "property_page.pdf", "api.property_report", "api.properties"}
)
REPORT_MAX_AGE = 300


def policy(sources: dict[str, str], nonce: str | None) -> str:
    """The Content-Security-Policy with the extra ``img`` origin and the script ``nonce``."""
    script = "'self'" + (f" 'nonce-{nonce}'" if nonce else "")
    img = " ".join(filter(None, ("'self' data:", sources.get("img"))))
    return "; ".join(
        (
            "default-src 'self'",
            f"script-src {script}",
            "style-src 'self'",
            # Leaflet and the pages set element styles (positions, colours, bar widths); only
            # style attributes, never a <style> element or a script, are allowed inline.
            "style-src-attr 'unsafe-inline'",
            f"img-src {img}",
            "connect-src 'self'",
            "font-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        )
    )


def csp_nonce() -> str:
    """This response's script nonce (made on first use; the header names it)."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(18)
    return str(g.csp_nonce)


def origin(url: str | None) -> str | None:
    """The scheme and host of ``url`` (``https://tiles.example.org``), None for none.

    >>> origin("https://tiles.example.org/{z}/{x}/{y}.png"), origin(None)
    ('https://tiles.example.org', None)
    """
    if not url:
        return None
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _check_limits() -> None:
    settings = get_settings()
    if len(request.query_string) > settings.max_query_length or (
        len(request.path) > settings.max_query_length
    ):
        g.lang = settings.default_language  # answered without reading the query's parameters
        g.oversized = True
    if len(request.query_string) > settings.max_query_length:
        raise RequestURITooLarge(f"the query string is longer than {settings.max_query_length}")
    if len(request.path) > settings.max_query_length:
        raise RequestURITooLarge(f"the path is longer than {settings.max_query_length}")
    longest = settings.max_text_length
    for name in TEXT_PARAMETERS:
        if any(len(value) > longest for value in request.args.getlist(name)):
            raise BadRequest(f"{name} is longer than {longest} characters")
    if request.path.startswith("/fastighet/") and len(request.path) > longest + 64:
        raise BadRequest(f"a designation is at most {longest} characters")
    deadline.start(settings.report_seconds)


def _end_deadline(_: BaseException | None) -> None:
    deadline.stop()


def check_bbox(bounds: Sequence[float], crs: str, largest_km2: float | None = None) -> None:
    """Refuse a bbox (x, y order in ``crs``) that is not four finite numbers or covers more
    than ``largest_km2`` (default: the ``max_bbox_km2`` setting), measured in SWEREF 99 TM.

    >>> check_bbox((17.30, 62.39, 17.31, 62.40), "EPSG:4326", 1.0)
    >>> check_bbox((0, 0, 100_000, 100_000), "EPSG:3006", 2500.0)
    Traceback (most recent call last):
    ...
    mapservice.errors.BadRequest: the bbox covers 10000 km², more than 2500 km²
    """
    if len(bounds) != 4 or not all(math.isfinite(v) for v in bounds):
        raise BadRequest("bbox must be four finite numbers: minx,miny,maxx,maxy")
    largest = get_settings().max_bbox_km2 if largest_km2 is None else largest_km2
    try:
        box = (bounds[0], bounds[1], bounds[2], bounds[3])
        minx, miny, maxx, maxy = reproject_bounds(box, crs, STORAGE_CRS)
    except (ProjError, ValueError) as err:  # a box pyproj cannot move has no area to measure
        raise BadRequest("the bbox cannot be moved to SWEREF 99 TM") from err
    area = abs(maxx - minx) * abs(maxy - miny) / 1e6
    if not math.isfinite(area) or area > largest:
        raise BadRequest(f"the bbox covers {area:.0f} km², more than {largest:.0f} km²")


def _headers(response: Response) -> Response:
    settings = get_settings()
    extra = {"img": origin(settings.background_map_url) or ""}
    headers = response.headers
    headers["Content-Security-Policy"] = policy(extra, g.get("csp_nonce"))
    headers["X-Content-Type-Options"] = "nosniff"
    headers["X-Frame-Options"] = "DENY"
    headers["Referrer-Policy"] = "same-origin"
    headers["Cross-Origin-Opener-Policy"] = "same-origin"
    if request.is_secure:
        headers["Strict-Transport-Security"] = "max-age=31536000"
    if "Cache-Control" not in headers:
        if response.status_code < 400 and request.endpoint in REPORT_ENDPOINTS:
            headers["Cache-Control"] = f"private, max-age={REPORT_MAX_AGE}"
        else:
            headers["Cache-Control"] = "no-cache"
    return response


class PublicURL:
    """WSGI middleware: every request seen as arriving at ``url`` (scheme, host, path prefix)."""

    def __init__(self, app: Callable[..., Iterable[bytes]], url: str) -> None:
        parts = urlsplit(url)
        self.app, self.scheme, self.host = app, parts.scheme, parts.netloc
        self.prefix = parts.path.rstrip("/")

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        environ["wsgi.url_scheme"] = self.scheme
        environ["HTTP_HOST"] = self.host
        environ.pop("HTTP_X_FORWARDED_HOST", None)
        if self.prefix:
            environ["SCRIPT_NAME"] = self.prefix
            path = environ.get("PATH_INFO", "")
            if path.startswith(self.prefix + "/") or path == self.prefix:
                environ["PATH_INFO"] = path[len(self.prefix) :]
        return self.app(environ, start_response)


class TrustedHosts:
    """WSGI middleware: a request whose ``Host`` is not one of ``hosts`` gets a plain 400.

    Answered before Flask routes anything (Flask cannot build URLs for such a request, so its
    error page could not be drawn), with the same security headers as every response.
    """

    def __init__(self, app: Callable[..., Iterable[bytes]], hosts: Iterable[str]) -> None:
        self.app, self.hosts = app, frozenset(h.lower() for h in hosts)

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        host = environ.get("HTTP_HOST") or environ.get("SERVER_NAME", "")
        if host_name(host) in self.hosts:
            return self.app(environ, start_response)
        body = (
            b'{"type":"about:blank","title":"Bad Request","status":400,'
            b'"detail":"the Host header names no host this service answers for"}'
        )
        headers = [
            ("Content-Type", "application/problem+json"),
            ("Content-Length", str(len(body))),
            ("Content-Security-Policy", policy({}, None)),
            ("X-Content-Type-Options", "nosniff"),
            ("X-Frame-Options", "DENY"),
            ("Referrer-Policy", "same-origin"),
            ("Cache-Control", "no-store"),
        ]
        start_response("400 Bad Request", headers)
        return [body]


def host_name(host: str) -> str:
    """The name in a ``Host`` header, without its port, lower case.

    >>> host_name("LocalHost:5000"), host_name("[::1]:80"), host_name("::1")
    ('localhost', '::1', '::1')
    """
    host = host.strip().lower()
    if host.startswith("["):
        return host[1:].partition("]")[0]
    if host.count(":") == 1:
        return host.partition(":")[0]
    return host


def init_app(app: Flask) -> None:
    """Wire the limits, the headers and the public URL into ``app``."""
    settings = get_settings(app)
    app.config["MAX_CONTENT_LENGTH"] = settings.max_body_bytes
    # Innermost first: the host check (or the public URL) sees what the proxies forwarded.
    wsgi: Any = app.wsgi_app
    if settings.public_url:
        wsgi = PublicURL(wsgi, settings.public_url)
    else:
        wsgi = TrustedHosts(wsgi, settings.trusted_hosts)
    if settings.proxy_count:
        n = settings.proxy_count
        wsgi = ProxyFix(wsgi, x_for=n, x_proto=n, x_host=n, x_prefix=n)
    app.wsgi_app = wsgi  # type: ignore[method-assign]  # Flask's documented way to wrap it
    app.before_request_funcs.setdefault(None, []).insert(0, _check_limits)
    app.teardown_request(_end_deadline)
    app.after_request(_headers)
    app.add_template_global(csp_nonce)
