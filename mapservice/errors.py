"""The service's own errors, and the one table that maps every package's errors to HTTP.

Each package has its own exception family (``data.SampleDataError``, later ``layers.LayerError``
and ``solar.SolarError``); :data:`STATUS_CODES` says which HTTP status each means. API requests
get an RFC 9457 ``application/problem+json`` body; people get an HTML page. The detail shown is
the exception's message, written for people; anything unexpected is logged and shown as a
generic 500 without internals. The handlers that render them live in
:mod:`mapservice.web.errors`; this module imports no Flask, so the command line and the report
use the same table.
"""

from __future__ import annotations

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


class BadRequest(ServiceError, ValueError):
    """A request's parameters are malformed."""


#: Exception class → HTTP status. The most specific class listed wins.
STATUS_CODES: dict[type[BaseException], int] = {
    BadRequest: 400,
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

UNEXPECTED = "Ett oväntat fel inträffade. / An unexpected error occurred."

TITLES = {
    400: "Bad Request",
    404: "Not Found",
    405: "Method Not Allowed",
    409: "Conflict",
    413: "Content Too Large",
    422: "Unprocessable Content",
    500: "Internal Server Error",
    503: "Service Unavailable",
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
