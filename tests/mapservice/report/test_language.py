"""Every report of the sample in one language: page, JSON, PDF and ``find --report``.

Each property's report is rendered in Swedish and in English, and a word list of each language
finds text of the other one. What is law in Swedish (a plan's own name and its rules' wordings
and categories, the statutes' names, the rates' citations) and proper names (designations,
addresses, the kommun, the data set's name, register unit types, Lantmäteriet) are taken out of
the text first.

One property of every kind (unit type, plan situation, permit case and zoning notes), chosen
in a fixed order, is checked in all four forms. Every property of the sample (``slow``) is
checked in its JSON and its page: the PDF and ``find --report`` word the same report with the
same catalog, and rendering and reading back a PDF for each of the sample's 678 properties in
both languages took four of the suite's 13 minutes. Note codes the sample never produces are
worded in both languages by the last test.
"""

from __future__ import annotations

import io
import json
import re
from html.parser import HTMLParser

import pytest
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po
from click.testing import CliRunner
from pypdf import PdfReader

from layers import describe, open_store, zoning_report
from layers import notes as layer_notes
from mapservice.commands.main import main
from mapservice.i18n_catalog import TRANSLATIONS
from mapservice.report.build import plan_context
from mapservice.wording import note_text
from solar import notes as solar_notes
from solar.permit import SOURCES, permit_guidance

#: Words that only Swedish text has (never a term of art the English text keeps in Swedish).
SWEDISH_WORDS = """och eller inte för med som är ska kan får av till från inom utanför krävs gäller
ligger fastigheten byggnaden byggnader kommunen antagen genomförandetid saknas ingen inga solceller
taket ytmodell laserskanning solkarta fastighetsindelning belägenhetsadresser pågår helt delvis
förslag rapport kartan källor utan här där högsta största befintliga tillåtna kvar olämplig
måttlig mycket obs dess bestämmelser planer gällande"""
#: Words that only English text has.
ENGLISH_WORDS = """the and of is are not with without property building buildings permit allowed
outside inside roof roofs yearly year years must may only there here note zoning largest highest
existing left covers wholly partly running ended force adopted document sources report map solar
power panels laser scanning municipality suggestions very good poor moderate"""
SWEDISH = frozenset(SWEDISH_WORDS.split())
ENGLISH = frozenset(ENGLISH_WORDS.split())
OTHER = {"sv": ENGLISH, "en": SWEDISH}
WORD = re.compile(r"[^\W\d_]+")


class _Text(HTMLParser):
    """The text a person reads on a page: text nodes outside scripts and styles."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._skip += tag in ("script", "style")

    def handle_endtag(self, tag: str) -> None:
        self._skip -= tag in ("script", "style")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def page_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join(parser.parts)


def json_texts(body: object) -> list[str]:
    """Every ``text`` member of a JSON document: the worded notes and sources."""
    if isinstance(body, dict):
        own = [body["text"]] if isinstance(body.get("text"), str) else []
        return own + [t for v in body.values() for t in json_texts(v)]
    if isinstance(body, list):
        return [t for v in body for t in json_texts(v)]
    return []


def normal(text: str) -> str:
    return " ".join(text.split())


def foreign_words(text: str, lang: str, allowed: list[str]) -> set[str]:
    """The other language's words in ``text`` once the ``allowed`` phrases are taken out."""
    text = normal(text)
    for phrase in sorted(allowed, key=len, reverse=True):
        text = text.replace(phrase, " ")
    return {w for w in WORD.findall(text.lower()) if w in OTHER[lang]}


def allowed_phrases(report: dict) -> list[str]:
    """The Swedish law and proper names a report of either language quotes as they are."""
    phrases = [report["designation"], report["kommun"], report["property"]["unit_type"]]
    phrases += ["Lantmäteriet", *SOURCES.values()]
    for address in report["addresses"]:
        phrases += [address["label"], address["street"], address["postal_town"] or ""]
    for source in report["sources"]:
        if source["key"] == "cadastre":
            phrases.append(source["detail"])
    for rate in (report["owner"] or {}).get("rates", []):
        phrases.append(rate["citation"])  # statutes, authorities and papers as cited
    for plan in report["zoning"]["plans"]:
        phrases += [plan["plan_id"], plan["name"]]
        for item in plan["uses"] + plan["rules"]:
            phrases += [item.get("wording") or "", item.get("category") or ""]
    return [normal(p) for p in phrases if p]


@pytest.fixture(scope="module")
def units(full_sample) -> list[str]:
    """Every register unit of the sample, by id."""
    with open_store("geopackage", full_sample.directory / "minfastighet.gpkg") as store:
        bounds = json.loads((full_sample.directory / "dataset.json").read_text())["bounds"]
        pages = store.iter_pages(tuple(bounds))
        return sorted({p.unit_id for p in pages})


@pytest.fixture(scope="module")
def kinds(full_sample, units) -> list[str]:
    """The first property (by id) of every kind: unit type, plans, permit case, notes."""
    seen: dict[tuple, str] = {}
    with open_store("geopackage", full_sample.directory / "minfastighet.gpkg") as store:
        for unit in units:
            zoning = zoning_report(store, store.get_property(unit))
            kind = (
                zoning.property.unit_type,
                tuple(sorted(n.code for n in zoning.rights.notes)),
                permit_guidance(plan_context(zoning)).case,
                tuple(
                    sorted((p.status, p.coverage, p.implementation_status) for p in zoning.plans)
                ),
                bool(store.addresses_of(unit)),
            )
            seen.setdefault(kind, unit)
    return sorted(seen.values())


@pytest.fixture(scope="module")
def find_runner(full_sample):
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("MINFASTIGHET_DATA_DIR", str(full_sample.directory))
        runner = CliRunner()
        yield lambda *args: runner.invoke(main, ["find", *args])


def _check(report_client, find_runner, unit: str, every_form: bool = True) -> None:
    """``unit``'s report in each language: JSON and page, and with ``every_form`` its PDF and
    ``find --report`` too."""
    for lang in ("sv", "en"):
        body = report_client.get(f"/api/v1/properties/{unit}?lang={lang}").json
        assert body["lang"] == lang
        allowed = allowed_phrases(body)
        page = report_client.get(f"/fastighet/{unit}?lang={lang}")
        assert page.status_code == 200
        texts = {
            "json": " · ".join(json_texts(body)),
            "page": page_text(page.get_data(as_text=True)),
        }
        if every_form:
            pdf = report_client.get(f"/fastighet/{unit}.pdf?lang={lang}")
            found = find_runner(body["designation"], "--report", "--lang", lang)
            assert pdf.status_code == 200
            assert found.exit_code == 0, found.output
            texts["pdf"] = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages)
            texts["find"] = found.output
        for form, text in texts.items():
            assert not foreign_words(text, lang, allowed), (unit, lang, form, text)


def test_every_kind_of_report_is_in_one_language(report_client, find_runner, kinds):
    assert len(kinds) >= 10
    for unit in kinds:
        _check(report_client, find_runner, unit)


@pytest.mark.slow
def test_every_report_of_the_sample_is_in_one_language(report_client, find_runner, units):
    assert len(units) > 100
    for unit in units:
        _check(report_client, find_runner, unit, every_form=False)


CODES = [*layer_notes.ZoningNote, *solar_notes.PermitNote, *solar_notes.PotentialNote]
#: Parameters as the domain gives them: plan ids, statuses and rule texts are Swedish law.
PARAMS = {
    "plan_id": "2281K-DP240",
    "status": "under arbete",
    "rule": "q1",
    "wording": "Solceller kräver bygglov.",
    "provision": "skydd av kulturvärden",
    "height": 8.45,
    "max_height": 8.0,
    "kwp": 52.5,
    "limit": 43.5,
}


@pytest.mark.parametrize("code", CODES, ids=str)
@pytest.mark.parametrize("lang", ["sv", "en"])
def test_every_note_code_is_worded_in_each_language(code, lang):
    cls = layer_notes.Note if code in layer_notes.ZoningNote else solar_notes.Note
    note = cls(code, PARAMS)
    text = note_text(note, lang)
    assert "%(" not in text
    assert not foreign_words(text, lang, [str(v) for v in PARAMS.values()]), text
    assert text != note_text(note, "en" if lang == "sv" else "sv")


def test_the_command_lines_phrases_have_a_swedish_translation():
    found = {
        message
        for _line, message, _comments, _context in extract_from_file(
            "python", describe.__file__, keywords={"_": None, "gettext": None}
        )
    }
    with (TRANSLATIONS / "sv" / "LC_MESSAGES" / "messages.po").open("rb") as f:
        catalog = read_po(f)
    assert "Zoning of %(designation)s (%(area)s):" in found
    assert not [m for m in found if not (catalog.get(m) and catalog.get(m).string)]
