"""Languages: Swedish by default, English by ``?lang=en`` or the language switch.

Texts are translated with Flask-Babel from gettext catalogs in ``mapservice/translations``
(message ids are English; ``sv`` is the default locale). The choice made with ``?lang=`` is kept
in a cookie so that links within the service stay in that language. The browser's
Accept-Language is deliberately not used: a Swedish public service shows Swedish unless asked.
"""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Flask, Response, g, request
from flask_babel import Babel

from mapservice.errors import BadRequest
from mapservice.i18n_catalog import TRANSLATIONS
from mapservice.web.resources import get_settings

COOKIE = "lang"
LANGUAGE_NAMES = {"sv": "Svenska", "en": "English"}

babel = Babel()


def select_locale() -> str:
    """The language of this request: ``?lang=``, then the cookie, then the default."""
    settings = get_settings()
    asked = request.args.get("lang")
    if asked is not None:
        if asked not in settings.languages:
            raise BadRequest(f"lang must be one of {', '.join(settings.languages)}, got {asked!r}")
        g.lang_asked = asked
        return asked
    cookie = request.cookies.get(COOKIE)
    return cookie if cookie in settings.languages else settings.default_language


def current_language() -> str:
    """The language the current request is served in."""
    if "lang" not in g:
        g.lang = select_locale()
    return g.lang


def url_in(language: str) -> str:
    """The current page's URL in another language (other query parameters kept).

    Only the path and query are used, so the link never leaves the service's origin.
    """
    kept = () if g.get("oversized") else request.args.items(multi=True)  # see web.edge
    args = [(k, v) for k, v in kept if k != "lang"]
    args.append(("lang", language))
    return f"{request.path}?{urlencode(args)}"


def _check_language() -> None:
    """Settle the language before the view runs, so a bad ``?lang=`` is a 400 on every route."""
    current_language()


def _remember(response: Response) -> Response:
    asked = g.get("lang_asked")
    if asked and request.cookies.get(COOKIE) != asked:
        response.set_cookie(
            COOKIE,
            asked,
            max_age=365 * 24 * 3600,
            samesite="Lax",
            httponly=True,
            secure=request.is_secure,  # over HTTPS (behind a proxy: see proxy_count)
        )
    return response


def init_app(app: Flask) -> None:
    """Wire Flask-Babel, the template helpers and the language cookie into ``app``."""
    babel.init_app(
        app,
        locale_selector=current_language,
        default_translation_directories=str(TRANSLATIONS),
        default_locale="sv",
    )
    app.before_request(_check_language)
    app.after_request(_remember)

    @app.context_processor
    def _languages():
        settings = get_settings()
        return {
            "lang": current_language(),
            "languages": settings.languages,
            "language_names": LANGUAGE_NAMES,
            "url_in": url_in,
        }
