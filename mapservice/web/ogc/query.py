"""The query parameters of OGC API Features, parsed strictly into small dataclasses.

An unknown parameter, a repeated one, a property that is not a queryable, or a value that does
not parse is a :class:`~mapservice.errors.BadRequest` (400) naming it: a filter is never
ignored in silence. No Flask here: ``args`` is any mapping with ``getlist`` (a werkzeug
``MultiDict``) or a plain ``dict``.

>>> q = ItemsQuery.from_args({"bbox": "17.25,62.37,17.26,62.38", "limit": "5"}, QUERYABLES_DEMO)
>>> q.bbox, q.limit, q.crs, q.bbox_crs
((17.25, 62.37, 17.26, 62.38), 5, 'CRS84', 'CRS84')
>>> ItemsQuery.from_args({"colour": "red"}, QUERYABLES_DEMO)
Traceback (most recent call last):
...
mapservice.errors.BadRequest: unknown parameter(s): colour; this collection takes f, lang, ...
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

from layers.errors import UnsupportedCRS
from mapservice.errors import BadRequest
from mapservice.web.ogc.crs import parse_crs_uri

#: Parameters every OGC resource takes.
COMMON = ("f", "lang")
FORMATS = ("json", "html")
DEFAULT_LIMIT = 10
#: Largest offset accepted (SQLite's integers are 64-bit).
MAX_OFFSET = 2**62 - 1
QUERYABLES_DEMO = ("trakt",)

#: Request arguments: a werkzeug ``MultiDict`` (which has ``getlist``) or a plain mapping.
Args = Mapping[str, str]


def _single(args: Args, name: str) -> str | None:
    values = (
        args.getlist(name) if hasattr(args, "getlist") else ([args[name]] if name in args else [])
    )
    if len(values) > 1:
        raise BadRequest(f"parameter {name} is given {len(values)} times; give it once")
    return values[0] if values else None


def _check_known(args: Args, known: tuple[str, ...]) -> None:
    unknown = sorted(set(args) - set(known))
    if unknown:
        raise BadRequest(
            f"unknown parameter(s): {', '.join(unknown)}; this collection takes {', '.join(known)}"
        )


def parse_format(args: Args) -> str | None:
    """``f`` as ``json`` or ``html``, or None when not given."""
    value = _single(args, "f")
    if value is not None and value not in FORMATS:
        raise BadRequest(f"f must be json or html, got {value!r}")
    return value


def plain_args(args: Args, extra: tuple[str, ...] = ()) -> str | None:
    """Check a resource that takes only ``f`` and ``lang`` (and ``extra``); return ``f``."""
    _check_known(args, COMMON + extra)
    for name in COMMON + extra:
        _single(args, name)
    return parse_format(args)


def _int(args: Args, name: str, default: int, low: int, high: int | None = None) -> int:
    text = _single(args, name)
    if text is None:
        return default
    try:
        value = int(text)
    except ValueError:
        raise BadRequest(f"{name} must be a whole number, got {text!r}") from None
    if value < low or (high is not None and value > high):
        span = f"between {low} and {high}" if high is not None else f"{low} or more"
        raise BadRequest(f"{name} must be {span}, got {value}")
    return value


def _crs(args: Args, name: str) -> str:
    text = _single(args, name)
    if text is None:
        return "CRS84"
    try:
        return parse_crs_uri(text)
    except UnsupportedCRS as err:
        raise BadRequest(f"{name}: {err}") from err


def parse_bbox(text: str) -> tuple[float, float, float, float]:
    """Four comma-separated finite numbers, lower corner first.

    >>> parse_bbox("1,2,3,4")
    (1.0, 2.0, 3.0, 4.0)
    >>> parse_bbox("1,2,3")
    Traceback (most recent call last):
    ...
    mapservice.errors.BadRequest: bbox must be four numbers (lower corner, upper corner), ...
    """
    parts = text.split(",")
    try:
        values = tuple(float(p) for p in parts)
    except ValueError:
        values = ()
    if len(values) != 4 or not all(math.isfinite(v) for v in values):
        raise BadRequest(f"bbox must be four numbers (lower corner, upper corner), got {text!r}")
    if values[0] > values[2] or values[1] > values[3]:
        raise BadRequest(f"bbox {text!r} has its lower corner above its upper corner")
    return values


@dataclass(frozen=True)
class ItemsQuery:
    """``/collections/{id}/items`` parameters."""

    bbox: tuple[float, float, float, float] | None = None
    bbox_crs: str = "CRS84"
    crs: str = "CRS84"
    limit: int = DEFAULT_LIMIT
    offset: int = 0
    filters: dict[str, str] = field(default_factory=dict)
    format: str | None = None
    #: Free text (``q``), for a collection that can be searched so.
    text: str | None = None

    @classmethod
    def from_args(
        cls,
        args: Args,
        queryables: tuple[str, ...],
        max_items: int = 10_000,
        searchable: bool = False,
    ) -> ItemsQuery:
        """Parse and check every parameter; :class:`BadRequest` names what is wrong.
        ``searchable``: the collection takes ``q`` (its terms are checked by the store)."""
        known = (*COMMON, "bbox", "bbox-crs", "crs", "limit", "offset", *queryables)
        known += ("q",) if searchable else ()
        _check_known(args, known)
        bbox_text = _single(args, "bbox")
        if bbox_text is None and _single(args, "bbox-crs") is not None:
            raise BadRequest("bbox-crs is given without bbox")
        filters = {}
        for name in queryables:
            value = _single(args, name)
            if value is not None:
                filters[name] = value
        _single(args, "lang")
        return cls(
            None if bbox_text is None else parse_bbox(bbox_text),
            _crs(args, "bbox-crs"),
            _crs(args, "crs"),
            _int(args, "limit", DEFAULT_LIMIT, 1, max_items),
            _int(args, "offset", 0, 0, MAX_OFFSET),
            filters,
            parse_format(args),
            _single(args, "q") if searchable else None,
        )


__all__ = [
    "COMMON",
    "DEFAULT_LIMIT",
    "FORMATS",
    "ItemsQuery",
    "parse_bbox",
    "parse_format",
    "plain_args",
]
