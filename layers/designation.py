"""Fastighetsbeteckningar: parse, normalise and format property designations.

A designation is registerområde (the kommun) + trakt + number: ``SUNDSVALL SKÖNSMON 3:12``
(block 3, enhet 12), the kvarter form without block ``SUNDSVALL BALDER 2``, a samfällighet
``SUNDSVALL LÖVSÄTTRA S:1`` or a gemensamhetsanläggning ``SUNDSVALL GRANMYRA GA:1``. Parsing
accepts any case, composed or decomposed å ä ö and extra or missing spaces, and may leave the
kommun out (the store infers it when the trakt exists in one kommun only).

>>> d = parse_designation("sundsvall  Sko\u0308nsmon 3 : 12")
>>> str(d), d.registry_area, d.trakt, d.block, d.unit
('SUNDSVALL SKÖNSMON 3:12', 'SUNDSVALL', 'SKÖNSMON', 3, 12)
>>> str(parse_designation("skönsmon 3:12"))
'SKÖNSMON 3:12'
>>> parse_designation("Granmyra ga:1").kind
'gemensamhetsanläggning'
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import lru_cache

from layers.errors import InvalidDesignation
from layers.text import fold, normalise, number_prefixes, pad

FASTIGHET = "fastighet"
SAMFALLIGHET = "samfällighet"
GA = "gemensamhetsanläggning"
KINDS = (FASTIGHET, SAMFALLIGHET, GA)
_PREFIX = {SAMFALLIGHET: "S", GA: "GA"}

#: Registerområden recognised without a store: the kommuner of Västernorrland, and the kommuner
#: whose names have more than one word (so that their second word is not taken for the trakt).
KNOWN_REGISTRY_AREAS = frozenset(
    {
        "SUNDSVALL",
        "HÄRNÖSAND",
        "TIMRÅ",
        "KRAMFORS",
        "ÖRNSKÖLDSVIK",
        "SOLLEFTEÅ",
        "ÅNGE",
        "UPPLANDS VÄSBY",
        "LILLA EDET",
        "ÖSTRA GÖINGE",
    }
)

#: The number part at the end. A run of digits is only tried from its first digit (``(?<!\d)``):
#: a match from inside a run would start one digit later, so the leftmost match is the same,
#: and a search over ``"1" * 10**5 + "x"`` is linear instead of quadratic.
_NUMBER = re.compile(
    r"(?:(?P<prefix>GA|S)\s*:\s*(?P<special>\d+)"
    r"|(?<!\d)(?P<block>\d+)\s*:\s*(?P<unit>\d+)|(?<!\d)(?P<plain>\d+))$",
    re.IGNORECASE,
)
_NAME_WORD = re.compile(r"[^\W\d_]+(?:[-'.][^\W\d_]+)*\.?")


@dataclass(frozen=True, order=True)
class Designation:
    """A parsed fastighetsbeteckning.

    Attributes
    ----------
    registry_area
        Registerområde (kommun) in upper case, or None when the text left it out.
    trakt
        Trakt or kvarter name, upper case.
    block
        Block number, None in kvarter form and for samfälligheter and GA.
    unit
        Enhet (register unit number).
    kind
        ``fastighet``, ``samfällighet`` or ``gemensamhetsanläggning``.
    """

    registry_area: str | None
    trakt: str
    block: int | None
    unit: int
    kind: str = FASTIGHET

    @property
    def number(self) -> str:
        """The number part: ``3:12``, ``2``, ``S:1`` or ``GA:1``.

        >>> parse_designation("SUNDSVALL LÖVSÄTTRA S:1").number
        'S:1'
        """
        if self.kind in _PREFIX:
            return f"{_PREFIX[self.kind]}:{self.unit}"
        return str(self.unit) if self.block is None else f"{self.block}:{self.unit}"

    @property
    def short(self) -> str:
        """Trakt and number without the kommun: ``SKÖNSMON 3:12``."""
        return f"{self.trakt} {self.number}"

    def __str__(self) -> str:
        return f"{self.registry_area} {self.short}" if self.registry_area else self.short

    def with_registry_area(self, registry_area: str) -> Designation:
        """The same designation in ``registry_area``."""
        return replace(self, registry_area=normalise(registry_area))

    def key(self, with_area: bool = True) -> str:
        """The search key: folded names and zero-padded numbers, which sort numerically.

        >>> parse_designation("Sundsvall Björkåsen 3:12").key()
        'sundsvall bjorkasen 00003:00012'
        >>> parse_designation("Sundsvall Lärkan 2").key(with_area=False)
        'larkan 00002'
        """
        if self.kind in _PREFIX:
            number = f"{_PREFIX[self.kind].lower()}:{pad(self.unit)}"
        elif self.block is None:
            number = pad(self.unit)
        else:
            number = f"{pad(self.block)}:{pad(self.unit)}"
        names = (
            f"{self.registry_area} {self.trakt}" if with_area and self.registry_area else self.trakt
        )
        return f"{fold(names)} {number}"


def parse_designation(
    text: object, registry_areas: Iterable[str] = KNOWN_REGISTRY_AREAS
) -> Designation:
    """Parse a fastighetsbeteckning.

    Parameters
    ----------
    text
        The designation as a person typed it (anything else, such as a JSON number or null,
        raises :class:`InvalidDesignation`).
    registry_areas
        Registerområden to recognise at the start of the text (upper case). Leading words that
        are not one of them belong to the trakt, and ``registry_area`` is None.

    Raises
    ------
    InvalidDesignation
        With a message that says what is wrong with ``text``.

    Examples
    --------
    >>> str(parse_designation("SUNDSVALL BALDER 2"))
    'SUNDSVALL BALDER 2'
    >>> parse_designation("Björkåsen")
    Traceback (most recent call last):
    ...
    layers.errors.InvalidDesignation: 'Björkåsen' lacks the number part ...
    """
    if not isinstance(text, str) or not text.strip():
        raise InvalidDesignation(
            "the designation is empty; write it as KOMMUN TRAKT BLOCK:ENHET, "
            "e.g. SUNDSVALL SKÖNSMON 3:12"
        )
    clean = normalise(text)
    match = _NUMBER.search(clean)
    if match is None:
        raise InvalidDesignation(
            f"{text.strip()!r} lacks the number part of a designation (block:enhet such as 3:12, "
            "an enhet such as 2 for a kvarter, S:1 or GA:1)"
        )
    names = clean[: match.start()].strip()
    if names and (names[-1].isdigit() or names[-1] == ":"):
        raise InvalidDesignation(
            f"{text.strip()!r} has a malformed number part; write "
            "block:enhet (3:12), enhet (2), S:1 or GA:1"
        )
    if not names:
        raise InvalidDesignation(
            f"{text.strip()!r} lacks the trakt or kvarter name before {match.group(0)!r}"
        )
    words = names.split(" ")
    bad = [w for w in words if not _NAME_WORD.fullmatch(w)]
    if bad:
        raise InvalidDesignation(
            f"{text.strip()!r}: {bad[0]!r} is not a valid trakt or kommun "
            "name (only letters, hyphens and spaces)"
        )
    kind, block, unit = _number_part(match, text)
    area, trakt = _split_names(words, registry_areas)
    return Designation(area, trakt, block, unit, kind)


def _number_part(match: re.Match[str], text: str) -> tuple[str, int | None, int]:
    if match.group("prefix"):
        kind = SAMFALLIGHET if match.group("prefix").upper() == "S" else GA
        block, unit = None, int(match.group("special"))
    elif match.group("block"):
        kind, block, unit = FASTIGHET, int(match.group("block")), int(match.group("unit"))
    else:
        kind, block, unit = FASTIGHET, None, int(match.group("plain"))
    if unit < 1 or (block is not None and block < 1):
        raise InvalidDesignation(f"{text.strip()!r}: block and enhet numbers start at 1")
    return kind, block, unit


@lru_cache(maxsize=32)
def _known(registry_areas: frozenset[str]) -> frozenset[str]:
    return frozenset(normalise(a) for a in registry_areas)


def _split_names(words: list[str], registry_areas: Iterable[str]) -> tuple[str | None, str]:
    known = _known(
        registry_areas if isinstance(registry_areas, frozenset) else frozenset(registry_areas)
    )
    longest = max((area.count(" ") + 1 for area in known), default=0)
    for take in range(min(len(words) - 1, longest), 0, -1):  # linear in the number of words
        head = " ".join(words[:take])
        if head in known:
            return head, " ".join(words[take:])
    return None, " ".join(words)


def format_designation(
    designation: Designation | str, registry_areas: Iterable[str] = KNOWN_REGISTRY_AREAS
) -> str:
    """The canonical text of a designation.

    >>> format_designation("sundsvall   lövsättra s:1")
    'SUNDSVALL LÖVSÄTTRA S:1'
    """
    if isinstance(designation, str):
        designation = parse_designation(designation, registry_areas)
    return str(designation)


#: A number typed so far at the end, after a space, a word character or the start. A run of
#: digits is tried from its first digit, or its second where a character other than a space or
#: a word character comes before the run (as before), never from further inside (see _NUMBER).
_RUN_START = r"(?:(?<!\d)|(?<=[^\s\w]\d))"
_PARTIAL_NUMBER = re.compile(
    rf"(?:^|(?<=[\s\w]))(?P<number>(?:ga|s)\s*:\s*\d*|{_RUN_START}\d+\s*:\s*\d*"
    rf"|{_RUN_START}\d+)$"
)


def designation_prefixes(text: str) -> list[str]:
    """Search-key prefixes for a designation typed so far, the most exact first.

    >>> designation_prefixes("Björkåsen 3:1")[:2]
    ['bjorkasen 00003:00001', 'bjorkasen 00003:0001']
    >>> designation_prefixes("sundsvall bj")
    ['sundsvall bj']
    """
    folded = fold(text)
    match = _PARTIAL_NUMBER.search(folded)
    if match is None or not folded[: match.start()].strip():
        return [folded] if folded else []
    names = folded[: match.start()].strip()
    number = re.sub(r"\s+", "", match.group("number"))
    head, _, tail = number.rpartition(":")
    if not _:
        return [f"{names} {p}" for p in number_prefixes(tail)]
    if head in ("s", "ga"):
        return [f"{names} {head}:{p}" for p in number_prefixes(tail)]
    return [f"{names} {pad(head)}:{p}" for p in number_prefixes(tail)]
