"""Belägenhetsadresser as people type them: ``Storvägen 14A``, ``storvagen 14 a, Sundsvall``.

A query is a street, optionally a number and a letter, optionally a postort after a comma or
after the number. Search keys ignore case, accents and spaces inside the street name and pad the
number so keys sort in numeric order.

>>> q = parse_address_query("storvagen 14 a, Sundsvall")
>>> q.street, q.number, q.letter, q.town
('storvagen', '14', 'a', 'sundsvall')
>>> address_key("Storvägen", 14, "A")
'storvagen 00014a'
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from layers.text import fold, number_prefixes, pad

#: What may follow an address's number: a letter (not the start of a word) and a postort.
_TAIL = re.compile(r" ?(?:(?P<letter>[^\W\d_])(?![^\W\d_]))? ?(?P<town>[^\W\d_]\D*)?")
_LETTER = re.compile(r"[^\W\d_]")


@dataclass(frozen=True)
class AddressQuery:
    """A folded address query: ``street`` without spaces, ``number`` and ``letter`` as typed."""

    street: str
    number: str = ""
    letter: str = ""
    town: str = ""


def street_key(street: str) -> str:
    """A street name folded, without spaces.

    >>> street_key("Norra Kyrkogatan")
    'norrakyrkogatan'
    """
    return fold(street).replace(" ", "")


def address_key(street: str, number: int | None, letter: str | None) -> str:
    """The search key of an address."""
    tail = (pad(number) if number is not None else "") + fold(letter or "")
    return f"{street_key(street)} {tail}".rstrip()


def parse_address_query(text: str) -> AddressQuery | None:
    """Split a typed address into street, number, letter and postort; None if it has no street.

    >>> parse_address_query("Storvägen 14 Sundsvall").town
    'sundsvall'
    >>> parse_address_query("14") is None
    True
    """
    folded = fold(text)
    town = ""
    if "," in folded:
        folded, _, town = folded.partition(",")
    folded = folded.strip()
    if _LETTER.search(folded) is None:
        return None
    street, number, tail = _split_number(folded)
    match = _TAIL.fullmatch(tail)
    if not number or _LETTER.search(street) is None or match is None:
        street, number, match = folded, "", None
    letter = match.group("letter") or "" if match else ""
    tail_town = (match.group("town") or "").strip() if match else ""
    town = re.sub(r"\d", "", town).strip() or tail_town
    return AddressQuery(street_key(street), number, letter, street_key(town))


def _split_number(text: str) -> tuple[str, str, str]:
    """``text`` around its last run of digits: before (stripped), the digits, after.

    A scan from the end, linear in the text (a regex with two lazy groups was quadratic).

    >>> _split_number("storvagen 2 14a sundsvall")
    ('storvagen 2', '14', 'a sundsvall')
    >>> _split_number("storvagen")
    ('storvagen', '', '')
    """
    end = len(text)
    while end and not text[end - 1].isdecimal():
        end -= 1
    start = end
    while start and text[start - 1].isdecimal():
        start -= 1
    if start == end:
        return text, "", ""
    return text[:start].rstrip(), text[start:end], text[end:]


def exact_key(query: AddressQuery | None) -> str | None:
    """The search key of an address query as typed (street, number and letter), or None.

    >>> exact_key(parse_address_query("Storvägen 4a")), exact_key(None)
    ('storvagen 00004a', None)
    """
    if query is None:
        return None
    return f"{query.street} {pad(query.number)}{query.letter}"


def address_prefixes(query: AddressQuery) -> list[str]:
    """Key prefixes for an address query, the exact number first.

    >>> address_prefixes(parse_address_query("Storvägen 1"))[:2]
    ['storvagen 00001', 'storvagen 0001']
    >>> address_prefixes(parse_address_query("stor"))
    ['stor']
    """
    if not query.number:
        return [query.street]
    if query.letter:
        return [f"{query.street} {pad(query.number)}{query.letter}"]
    return [f"{query.street} {p}" for p in number_prefixes(query.number)]
