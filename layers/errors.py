"""The exception family of :mod:`layers`.

Every error raised on purpose by this package is a :class:`LayerError`; each leaf also inherits
the builtin a caller would naturally catch (``ParcelNotFound`` is a ``KeyError``,
``InvalidDesignation`` a ``ValueError``). Messages are written for people: they say what was
wrong with the input and, where it helps, what to do instead.

>>> from layers.errors import ParcelNotFound
>>> err = ParcelNotFound("no property SUNDSVALL BJÖRKÅSEN 99:1 in the store")
>>> isinstance(err, KeyError), str(err)
(True, 'no property SUNDSVALL BJÖRKÅSEN 99:1 in the store')
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

if TYPE_CHECKING:
    from layers.import_report import ImportReport


class LayerError(Exception):
    """Base of every error raised by :mod:`layers`."""

    #: The public message's code: what a person or an API client is told (``mapservice.wording``
    #: words it); the message itself is the detail, for the log.
    public_code: ClassVar[str] = "layer_error"
    #: True where the message only describes the request (what was asked and why it is refused),
    #: so an API client may see it; otherwise it may hold paths or a library's raw text.
    public_detail: ClassVar[bool] = False

    def __str__(self) -> str:  # KeyError would otherwise quote the message
        return str(self.args[0]) if self.args else self.__class__.__name__


class NotFound(LayerError, KeyError):
    """Nothing in the store matches the request."""

    public_code = "not_found"
    public_detail = True


class ParcelNotFound(NotFound):
    """No property (register unit) has this id or designation."""

    public_code = "property_not_found"


class AddressNotFound(NotFound):
    """No address matches."""

    public_code = "address_not_found"


class InvalidDesignation(LayerError, ValueError):
    """A text is not a well-formed fastighetsbeteckning; the message says what is wrong."""

    public_code = "invalid_designation"
    public_detail = True


class AmbiguousDesignation(LayerError, ValueError):
    """A designation without kommun matches trakter in several kommuner."""

    public_code = "ambiguous_designation"
    public_detail = True

    def __init__(self, message: str, candidates: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.candidates = tuple(candidates)


class InvalidCoordinates(LayerError, ValueError):
    """Coordinates or a bounding box are malformed (not numbers, min above max …)."""

    public_code = "invalid_coordinates"
    public_detail = True


class OutsideSweden(InvalidCoordinates):
    """Coordinates lie outside Sweden (after transformation to SWEREF 99 TM)."""

    public_code = "outside_sweden"


class UnsupportedCRS(LayerError, ValueError):
    """A coordinate reference system the service does not accept."""

    public_code = "unsupported_crs"
    public_detail = True


class StoreUnavailable(LayerError, OSError):
    """The layer store cannot be opened or read (missing, locked, corrupt or not a store)."""

    public_code = "store_unavailable"


class ImportRefused(LayerError, ValueError):
    """An import was refused; nothing was changed. ``report`` holds the validation report."""

    public_code = "import_refused"

    def __init__(self, message: str, report: ImportReport | None = None) -> None:
        super().__init__(message)
        self.report = report


class MissingCRS(ImportRefused):
    """The file to import declares no CRS and none was given."""

    public_code = "missing_crs"


class UnknownLayer(LayerError, ValueError):
    """A layer name the store does not know."""

    public_code = "unknown_layer"
    public_detail = True


class InvalidQuery(LayerError, ValueError):
    """A feature query is malformed: an attribute that may not be filtered on, a value of the
    wrong type, a limit or offset out of range."""

    public_code = "invalid_query"
    public_detail = True


class InvalidBuilding(InvalidQuery):
    """A planned building that cannot be checked: not one valid polygon, a height or an area
    out of range, an unknown kind."""

    public_code = "invalid_building"


__all__ = [
    "AddressNotFound",
    "AmbiguousDesignation",
    "ImportRefused",
    "InvalidBuilding",
    "InvalidCoordinates",
    "InvalidDesignation",
    "InvalidQuery",
    "LayerError",
    "MissingCRS",
    "NotFound",
    "OutsideSweden",
    "ParcelNotFound",
    "StoreUnavailable",
    "UnknownLayer",
    "UnsupportedCRS",
]
