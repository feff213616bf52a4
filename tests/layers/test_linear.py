"""The parsers of what people type are linear in its length (issue 12, finding 1).

A designation of ``"1" * 40000 + "x"`` took ~50 s (the number regex backtracked from every digit)
and a search text ``"A " * 20000 + "1:1"`` ~100 s (the address regex's two lazy groups and the
kommun split over every prefix of words). Each shape below is 10⁵ characters; a quadratic parser
takes seconds to minutes on it, a linear one a few tens of milliseconds.
"""

from __future__ import annotations

import contextlib
import time

import pytest

from layers.address import parse_address_query
from layers.designation import designation_prefixes, parse_designation
from layers.errors import InvalidDesignation

N = 100_000
SHAPES = {
    "digits then a letter": "1" * N + "x",
    "words then a number": "A " * (N // 2) + "1:1",
    "words then a letter": "A " * (N // 2) + "x",
    "spaces inside": "1" + " " * N + "x",
    "digits and spaces": "1 " * (N // 2),
    "colons": "1:" * (N // 2),
    "samfälligheter": "S:" * (N // 2) + "x",
    "dotted word": "A." * (N // 2) + "1",
    "one long word": "A" * N + "1",
    "letters and digits": "a1" * (N // 2),
    "commas": "a," * (N // 2),
    "s and spaces": "s " * (N // 2) + "1",
    "a long valid designation": "SUNDSVALL " + "Ö" * N + " 3:12",
}


def _parse(text: str) -> None:
    with contextlib.suppress(InvalidDesignation):
        parse_designation(text)


@pytest.mark.parametrize("parser", [_parse, designation_prefixes, parse_address_query])
@pytest.mark.parametrize("text", SHAPES.values(), ids=SHAPES.keys())
def test_parsers_are_linear(parser, text):
    started = time.perf_counter()
    parser(text)
    assert time.perf_counter() - started < 0.5


def test_long_names_still_parse():
    d = parse_designation("sundsvall " + "björk" * 1000 + " 3:12")
    assert (d.registry_area, d.block, d.unit) == ("SUNDSVALL", 3, 12)
    assert parse_address_query("Storvägen 2 14a Sundsvall").number == "14"
