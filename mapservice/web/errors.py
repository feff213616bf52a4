"""The error handlers: every error through :data:`mapservice.errors.STATUS_CODES` to a response.

API requests get an RFC 9457 ``application/problem+json`` body; people get an HTML page.
"""

from __future__ import annotations

import logging

from flask import Flask, Response, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from mapservice.errors import TITLES, UNEXPECTED, status_for

log = logging.getLogger(__name__)


def wants_json() -> bool:
    """True for API routes and for clients that prefer JSON over HTML."""
    if request.path.startswith(("/api/", "/ogc", "/tiles/")) or request.path == "/healthz":
        return True
    best = request.accept_mimetypes.best_match(
        ["text/html", "application/json", "application/problem+json"]
    )
    return best in ("application/json", "application/problem+json")


def problem(status: int, detail: str, title: str | None = None) -> Response:
    """An RFC 9457 problem response."""
    body = {
        "type": "about:blank",
        "title": title or TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
        "instance": request.path,
    }
    response = jsonify(body)
    response.status_code = status
    response.mimetype = "application/problem+json"
    return response


def _render(status: int, detail: str, title: str | None = None):
    if wants_json():
        return problem(status, detail, title)
    page = render_template(
        "error.html", status=status, title=title or TITLES.get(status, "Fel"), detail=detail
    )
    return page, status


def register_error_handlers(app: Flask) -> None:
    """Route every error through :data:`STATUS_CODES` into a problem body or an HTML page."""

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException):
        return _render(error.code or 500, error.description or "", error.name)

    @app.errorhandler(Exception)
    def _domain(error: Exception):
        status = status_for(error)
        if status >= 500:
            log.exception("error while serving %s", request.path)
            detail = str(error) if status == 503 else UNEXPECTED
        else:
            detail = str(error)
        return _render(status, detail)
