"""Free-text search in a layer (OGC API ``q``): which attributes, which terms, what matches.

A term matches when it is part of one of a feature's text fields (:data:`TEXT_FIELDS`), both
compared without case, accents, spaces or punctuation: "granmyra" finds "Detaljplan för
Granmyra", "dp 188" finds "2281K-DP188". Terms are comma-separated and a comma is "or", as
``q`` is in OGC API - Records. The stores match in Python on the few text fields of a layer
(a municipality's plans are hundreds to a few thousand), so both backends answer alike.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from layers.errors import InvalidQuery
from layers.text import fold

__all__ = [
    "MAX_TERMS",
    "TERM_LENGTH",
    "TEXT_FIELDS",
    "search_terms",
    "text_fields",
    "text_matches",
    "text_terms",
]

#: The attributes a free-text search (OGC API ``q``) looks in, per layer: a plan is found by a
#: part of its id or its name ("skönsmon" finds "Detaljplan för Skönsmon 2:1").
TEXT_FIELDS = {"plans": ("plan_id", "name")}
#: At most this many search terms, each at most :data:`TERM_LENGTH` characters.
MAX_TERMS, TERM_LENGTH = 10, 100


def _compact(text: str) -> str:
    """Folded (:func:`~layers.text.fold`) without spaces and punctuation: "DP 12" is "dp12",
    as is "DP-12"."""
    return _NOT_ALNUM.sub("", fold(text))


_NOT_ALNUM = re.compile(r"[\W_]+")


def text_terms(q: str) -> tuple[str, ...]:
    """The terms of a free-text search: comma-separated, with case, accents, spaces and
    punctuation left out.

    A feature matches when any term is part of any of its text fields, compared in the same
    form (OGC API - Records, ``q``: a comma is "or").

    >>> text_terms("Skönsmon, DP 12 ,,")
    ('skonsmon', 'dp12')
    >>> text_terms(" , ")
    Traceback (most recent call last):
    ...
    layers.errors.InvalidQuery: q holds no search term
    """
    parts = q.split(",")
    if len(parts) > MAX_TERMS:
        raise InvalidQuery(f"q takes at most {MAX_TERMS} comma-separated terms")
    terms: list[str] = []
    for part in parts:
        if len(part) > TERM_LENGTH:
            raise InvalidQuery(f"a search term is at most {TERM_LENGTH} characters long")
        term = _compact(part)
        if term and term not in terms:
            terms.append(term)
    if not terms:
        raise InvalidQuery("q holds no search term")
    return tuple(terms)


def search_terms(layer: str, q: str | None) -> tuple[str, ...]:
    """:func:`text_terms` of ``q`` for ``layer`` (none without ``q``); :class:`InvalidQuery`
    for a layer without :data:`TEXT_FIELDS`."""
    if q is None:
        return ()
    if layer not in TEXT_FIELDS:
        raise InvalidQuery(f"{layer} has no text to search; q searches {', '.join(TEXT_FIELDS)}")
    return text_terms(q)


def text_matches(terms: tuple[str, ...], values: tuple[Any, ...]) -> bool:
    """Whether any of ``terms`` (:func:`text_terms`) is part of any of ``values`` in the same
    form.

    >>> text_matches(("skonsmon", "p124"), ("2281K-P123", "Detaljplan för SKÖNSMON"))
    True
    """
    texts = [_compact(str(v)) for v in values if v is not None]
    return any(term in text for term in terms for text in texts)


def text_fields(layer: str, attributes: Iterable[str]) -> list[str]:
    """The text fields of ``layer`` that its table has (an operator's layer may lack one).

    >>> text_fields("plans", ["plan_id", "status"]), text_fields("parcels", ["designation"])
    (['plan_id'], [])
    """
    have = set(attributes)
    return [name for name in TEXT_FIELDS.get(layer, ()) if name in have]
