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


class LayerError(Exception):
    """Base of every error raised by :mod:`layers`."""

    def __str__(self) -> str:  # KeyError would otherwise quote the message
        return str(self.args[0]) if self.args else self.__class__.__name__


class NotFound(LayerError, KeyError):
    """Nothing in the store matches the request."""


class ParcelNotFound(NotFound):
    """No property (register unit) has this id or designation."""


class AddressNotFound(NotFound):
    """No address matches."""


class InvalidDesignation(LayerError, ValueError):
    """A text is not a well-formed fastighetsbeteckning; the message says what is wrong."""


class AmbiguousDesignation(LayerError, ValueError):
    """A designation without kommun matches trakter in several kommuner."""

    def __init__(self, message: str, candidates: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.candidates = tuple(candidates)


class InvalidCoordinates(LayerError, ValueError):
    """Coordinates or a bounding box are malformed (not numbers, min above max …)."""


class OutsideSweden(InvalidCoordinates):
    """Coordinates lie outside Sweden (after transformation to SWEREF 99 TM)."""


class UnsupportedCRS(LayerError, ValueError):
    """A coordinate reference system the service does not accept."""


class StoreUnavailable(LayerError, OSError):
    """The layer store cannot be opened or read (missing, locked, corrupt or not a store)."""


class ImportRefused(LayerError, ValueError):
    """An import was refused; nothing was changed. ``report`` holds the validation report."""

    def __init__(self, message: str, report=None) -> None:
        super().__init__(message)
        self.report = report


class MissingCRS(ImportRefused):
    """The file to import declares no CRS and none was given."""


class UnknownLayer(LayerError, ValueError):
    """A layer name the store does not know."""


class InvalidQuery(LayerError, ValueError):
    """A feature query is malformed: an attribute that may not be filtered on, a value of the
    wrong type, a limit or offset out of range."""


__all__ = [
    "AddressNotFound",
    "AmbiguousDesignation",
    "ImportRefused",
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
