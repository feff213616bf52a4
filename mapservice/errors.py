"""The service's own errors, and the one table that maps every package's errors to HTTP.

Each package has its own exception family (``data.SampleDataError``, ``layers.LayerError``,
``solar.SolarError`` and :class:`ServiceError` here); :data:`STATUS_CODES` says which HTTP status
each means. API requests get an RFC 9457 ``application/problem+json`` body; people get an HTML
page. What either is told is the error's **public** message (its class's ``public_code``,
worded by :mod:`mapservice.wording` in the request's language), never its message: that is the
detail, for the log. Only where a family declares ``public_detail`` (its messages say what was
wrong with the request: a parameter, a designation) does an API client also get the message as
the problem's ``detail``, with any path of this machine hidden. :func:`problem_for` decides;
the handlers that render it live in :mod:`mapservice.web.errors`. This module imports no Flask,
so the command line and the report use the same table.

>>> problem = problem_for(BadRequest("x must be a number"), "sv")
>>> problem.status, problem.title, problem.detail
(400, 'Felaktig begäran', 'x must be a number')
>>> problem.message
'Begäran är inte giltig: kontrollera dess parametrar.'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from data.errors import IncompleteSample, SampleDataError
from layers.errors import (
    AmbiguousDesignation,
    ImportRefused,
    InvalidCoordinates,
    InvalidDesignation,
    InvalidQuery,
    LayerError,
    NotFound,
    StoreUnavailable,
    UnknownLayer,
    UnsupportedCRS,
)
from mapservice.wording import error_message, http_message, status_title
from solar.errors import (
    CatalogError,
    ClimateError,
    InvalidAssumption,
    InvalidBuildings,
    InvalidGeometry,
    InvalidModel,
    InvalidSurface,
    NotIrradiation,
    SolarError,
    SolarMapNotFound,
    TileOutOfRange,
)


class ServiceError(Exception):
    """Base of the web layer's own errors."""

    #: The public message's code (see ``layers.errors.LayerError.public_code``).
    public_code: ClassVar[str] = "service_error"
    #: True where the message only describes the request.
    public_detail: ClassVar[bool] = False


class BadRequest(ServiceError, ValueError):
    """A request's parameters are malformed (the message says which and why)."""

    public_code = "bad_request"
    public_detail = True


class ReportTimeout(ServiceError, TimeoutError):
    """A report or its PDF took longer than the ``report_seconds`` setting allows (see
    :mod:`mapservice.report.deadline`)."""

    public_code = "report_timeout"


#: Exception class → HTTP status. The most specific class listed wins.
STATUS_CODES: dict[type[BaseException], int] = {
    BadRequest: 400,
    ReportTimeout: 503,
    IncompleteSample: 503,
    SampleDataError: 500,
    NotFound: 404,  # ParcelNotFound, AddressNotFound
    InvalidDesignation: 400,
    InvalidCoordinates: 400,  # OutsideSweden too
    UnsupportedCRS: 400,
    UnknownLayer: 400,
    InvalidQuery: 400,  # a feature filter, limit or offset that is not accepted
    AmbiguousDesignation: 409,  # well-formed, but the kommun must be chosen among candidates
    ImportRefused: 422,  # MissingCRS too
    StoreUnavailable: 503,
    LayerError: 500,
    SolarMapNotFound: 404,  # no catalogued solar map covers the place
    TileOutOfRange: 404,  # z/x/y outside the tile matrix set: no such tile
    InvalidGeometry: 400,
    InvalidAssumption: 400,  # a PV assumption (price, efficiency …) out of its range
    InvalidModel: 400,
    InvalidSurface: 422,
    InvalidBuildings: 422,
    ClimateError: 422,
    NotIrradiation: 422,  # a raster offered to the catalog is not annual kWh/m²
    CatalogError: 503,  # the solar catalog is missing or unreadable
    SolarError: 500,
}


def status_for(error: BaseException) -> int:
    """The HTTP status an exception maps to (500 when the table does not know it).

    >>> status_for(BadRequest("x"))
    400
    >>> status_for(RuntimeError("x"))
    500
    """
    for cls in type(error).__mro__:
        if cls in STATUS_CODES:
            return STATUS_CODES[cls]
    return 500


@dataclass(frozen=True)
class Problem:
    """What a person or an API client is told about an error, in the request's language.

    ``title`` names the status, ``message`` is the error's public message (what a person
    reads), ``detail`` what an API client reads: the message about its request where the error
    family allows it, otherwise the public message. None of them holds a server path.
    """

    status: int
    title: str
    message: str
    detail: str


#: The JSON schema of an RFC 9457 problem body, as both OpenAPI documents describe it.
PROBLEM_SCHEMA: dict[str, object] = {
    "type": "object",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
    },
}


def problem_for(error: BaseException, lang: str) -> Problem:
    """The public side of ``error`` in ``lang`` (the error itself is the detail for the log).

    >>> from data.errors import IncompleteSample
    >>> problem = problem_for(IncompleteSample("/srv/data lacks dataset.json"), "en")
    >>> problem.status, problem.detail
    (503, 'The service has no data to show yet. Try again later.')
    """
    status = status_for(error)
    message = error_message(getattr(type(error), "public_code", "unexpected"), lang)
    detail = message
    if status < 500 and getattr(type(error), "public_detail", False):
        detail = without_paths(str(error)) or message
    return Problem(status, status_title(status, lang), message, detail)


def http_problem(status: int, lang: str, description: str | None = None) -> Problem:
    """The public side of an HTTP error no family raised (an unknown route, a wrong method).

    ``description`` is what the service said about the request when it raised the error (an
    unknown collection): API clients read it, with any path hidden.
    """
    message = http_message(status, lang)
    detail = without_paths(description) if description else message
    return Problem(status, status_title(status, lang), message, detail)


#: An absolute path: a slash not inside a word, URL or unit (``kWh/m²``), up to a separator.
_PATH = re.compile(r"(?<![\w:/.~-])/[^\s'\"`,;:()<>\[\]{}]+")


def without_paths(text: str) -> str:
    """``text`` with every absolute path into this machine's file system replaced by ``…``.

    A path counts when its first directory exists here; an API route is not one.

    >>> without_paths("cannot open /tmp/x/minfastighet.gpkg: locked")
    'cannot open …: locked'
    >>> without_paths("see /api/v1/openapi.json for the kWh/m² values")
    'see /api/v1/openapi.json for the kWh/m² values'
    """

    def hide(match: re.Match[str]) -> str:
        parts = Path(match.group(0)).parts
        return "…" if len(parts) > 1 and Path(parts[0], parts[1]).exists() else match.group(0)

    return _PATH.sub(hide, text)
