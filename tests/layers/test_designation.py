import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from layers.designation import (
    GA,
    KNOWN_REGISTRY_AREAS,
    SAMFALLIGHET,
    Designation,
    designation_prefixes,
    format_designation,
    parse_designation,
)
from layers.errors import InvalidDesignation, LayerError


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("SUNDSVALL SKÖNSMON 3:12", ("SUNDSVALL", "SKÖNSMON", 3, 12, "fastighet")),
        ("Sundsvall Skönsmon 3:12", ("SUNDSVALL", "SKÖNSMON", 3, 12, "fastighet")),
        ("skönsmon 3:12", (None, "SKÖNSMON", 3, 12, "fastighet")),
        ("  sundsvall   skönsmon   3 : 12 ", ("SUNDSVALL", "SKÖNSMON", 3, 12, "fastighet")),
        ("sundsvall skönsmon3:12", ("SUNDSVALL", "SKÖNSMON", 3, 12, "fastighet")),
        ("SUNDSVALL BALDER 2", ("SUNDSVALL", "BALDER", None, 2, "fastighet")),
        ("sundsvall lövsättra s:1", ("SUNDSVALL", "LÖVSÄTTRA", None, 1, SAMFALLIGHET)),
        ("Granmyra GA:1", (None, "GRANMYRA", None, 1, GA)),
        ("Upplands Väsby Kårsta 1:2", ("UPPLANDS VÄSBY", "KÅRSTA", 1, 2, "fastighet")),
        ("Stockholm Norra Djurgården 1:1", (None, "STOCKHOLM NORRA DJURGÅRDEN", 1, 1, "fastighet")),
        (
            unicodedata.normalize("NFD", "Örnsköldsvik Ålidhem 4:7"),
            ("ÖRNSKÖLDSVIK", "ÅLIDHEM", 4, 7, "fastighet"),
        ),
    ],
)
def test_parse_accepts_the_forms_people_type(text, expected):
    d = parse_designation(text)
    assert (d.registry_area, d.trakt, d.block, d.unit, d.kind) == expected


def test_composed_and_decomposed_give_the_same_designation():
    composed = unicodedata.normalize("NFC", "Sundsvall Lärkan 2")
    decomposed = unicodedata.normalize("NFD", composed)
    assert composed != decomposed
    assert parse_designation(composed) == parse_designation(decomposed)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("Björkåsen", "lacks the number part"),
        ("3:12", "lacks the trakt"),
        ("Björkåsen 0:1", "start at 1"),
        ("Björkåsen 3:0", "start at 1"),
        ("Björk#åsen 3:1", "not a valid trakt"),
        ("Björkåsen 3:12:4", "malformed number part"),
    ],
)
def test_malformed_designations_say_what_is_wrong(text, says):
    with pytest.raises(InvalidDesignation, match=says) as caught:
        parse_designation(text)
    assert isinstance(caught.value, ValueError)
    assert isinstance(caught.value, LayerError)


def test_format_designation_is_canonical():
    assert format_designation("sundsvall   lärkan 2") == "SUNDSVALL LÄRKAN 2"
    assert str(Designation("SUNDSVALL", "GRANMYRA", None, 1, GA)) == "SUNDSVALL GRANMYRA GA:1"


def test_prefixes_put_the_exact_number_first():
    assert designation_prefixes("Björkåsen 3:1")[0] == "bjorkasen 00003:00001"
    assert designation_prefixes("lövsättra s:") == ["lovsattra s:"]
    assert designation_prefixes("a") == ["a"]
    assert designation_prefixes("") == []


LETTERS = "ABCDEFGHIJKLMNOPRSTUVYÅÄÖ"
words = st.text(alphabet=LETTERS, min_size=2, max_size=10).filter(
    lambda w: w not in {a.split(" ")[0] for a in KNOWN_REGISTRY_AREAS} and w not in ("S", "GA")
)
numbers = st.integers(min_value=1, max_value=99999)


@st.composite
def designations(draw):
    kind = draw(st.sampled_from(["fastighet", "kvarter", SAMFALLIGHET, GA]))
    area = draw(st.none() | st.sampled_from(sorted(KNOWN_REGISTRY_AREAS)))
    trakt = " ".join(draw(st.lists(words, min_size=1, max_size=3)))
    unit = draw(numbers)
    if kind == "fastighet":
        return Designation(area, trakt, draw(numbers), unit)
    return Designation(area, trakt, None, unit, "fastighet" if kind == "kvarter" else kind)


@settings(deadline=None, max_examples=300)
@given(designations())
def test_parsing_a_formatted_designation_gives_it_back(designation):
    assert parse_designation(str(designation)) == designation


@settings(deadline=None)
@given(designations(), st.sampled_from(["lower", "title", "nfd", "spaces"]))
def test_parsing_tolerates_case_accents_and_spacing(designation, style):
    text = str(designation)
    text = {
        "lower": text.lower(),
        "title": text.title(),
        "nfd": unicodedata.normalize("NFD", text),
        "spaces": "  " + text.replace(" ", "   ").replace(":", " : ") + " ",
    }[style]
    assert parse_designation(text) == designation


@settings(deadline=None)
@given(designations())
def test_search_key_of_a_designation_starts_with_its_own_prefix(designation):
    key = designation.key(with_area=designation.registry_area is not None)
    assert key.startswith(designation_prefixes(str(designation))[0])
