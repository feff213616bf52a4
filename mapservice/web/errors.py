"""The error handlers: every error through :data:`mapservice.errors.STATUS_CODES` to a response.

API requests get an RFC 9457 ``application/problem+json`` body; people get an HTML page. Both
say the error's public message in the request's language (:func:`mapservice.errors.problem_for`);
the error itself, with its paths and raw text, goes to the log only.
"""

from __future__ import annotations

import logging

from flask import Flask, Response, g, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from mapservice.errors import BadRequest, Problem, http_problem, problem_for
from mapservice.web.i18n import current_language
from mapservice.web.resources import get_settings

log = logging.getLogger(__name__)


def wants_json() -> bool:
    """True for API routes and for clients that prefer JSON over HTML."""
    if request.path.startswith(("/api/", "/ogc", "/tiles/")) or request.path == "/healthz":
        return True
    best = request.accept_mimetypes.best_match(
        ["text/html", "application/json", "application/problem+json"]
    )
    return best in ("application/json", "application/problem+json")


def problem(status: int, detail: str, title: str) -> Response:
    """An RFC 9457 problem response."""
    body = {
        "type": "about:blank",
        "title": title,
        "status": status,
        "detail": detail,
        "instance": request.path,
    }
    response = jsonify(body)
    response.status_code = status
    response.mimetype = "application/problem+json"
    return response


def _language() -> str:
    """The request's language, or the default where ``?lang=`` itself was the error."""
    try:
        return current_language()
    except BadRequest:
        g.lang = get_settings().default_language
        return str(g.lang)


def _render(shown: Problem) -> Response | tuple[str, int]:
    if wants_json():
        return problem(shown.status, shown.detail, shown.title)
    page = render_template(
        "error.html", status=shown.status, title=shown.title, detail=shown.message
    )
    return page, shown.status


def register_error_handlers(app: Flask) -> None:
    """Route every error through :data:`STATUS_CODES` into a problem body or an HTML page."""

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException) -> Response | tuple[str, int]:
        status = error.code or 500
        log.info("%s on %s: %s", status, request.path, error.description)
        # werkzeug's own description is generic English; the service's says what was asked
        said = error.description if error.description != type(error).description else None
        return _render(http_problem(status, _language(), said))

    @app.errorhandler(Exception)
    def _domain(error: Exception) -> Response | tuple[str, int]:
        shown = problem_for(error, _language())
        if shown.status >= 500:
            log.exception("error while serving %s", request.path)
        else:
            log.info("%s on %s: %s", type(error).__name__, request.path, error)
        return _render(shown)
