"""The report never contradicts itself: page, PDF and JSON say the same, every state has one
wording in each language, and no state is empty or contradictory (issue 16, points 4 and 6).

Every property of the full sample is summarised in both languages; the page and the PDF are
rendered for one property of each kind of state (the keys its summary has, whether a plan in
force governs it wholly, partly or not at all), so every wording is checked on page and PDF.
"""

from __future__ import annotations

import io
import re
import sqlite3

import pytest
from pypdf import PdfReader

from mapservice import create_app
from mapservice.report import build_report
from mapservice.report.summary import summarise

LANGS = ("sv", "en")
#: What no answer may say: a placeholder, a raw number format or a raw timestamp.
EMPTY = re.compile(r"^\s*[–-]?\s*$|\b\d+\.0 (år|years?)\b|T\d\d:\d\d:\d\d|None|nan|^0[.,]0 m²")


@pytest.fixture(scope="module")
def reports(full_sample, sources):
    with sqlite3.connect(full_sample.directory / "minfastighet.gpkg") as con:
        units = [row[0] for row in con.execute("SELECT unit_id FROM parcels GROUP BY unit_id")]
    return [build_report(sources, unit) for unit in units]


def _kind(report) -> tuple:
    share = report.zoning.outside_plan_share
    coverage = "outside" if not report.in_plan else ("partly" if share > 0 else "wholly")
    return coverage, tuple(sorted({f.key.split(".")[0] for f in summarise(report, "en")}))


@pytest.fixture(scope="module")
def one_of_each(reports):
    kinds: dict[tuple, object] = {}
    for report in reports:
        kinds.setdefault(_kind(report), report)
    return list(kinds.values())


def test_every_property_has_one_answer_per_state(reports):
    assert len(reports) > 600
    seen: dict[tuple[str, str], set[str]] = {}
    for report in reports:
        for lang in LANGS:
            facts = summarise(report, lang)
            for fact in facts:
                assert not EMPTY.search(fact.value), (report.designation, fact)
                assert fact.label.strip(), fact
            keys = [f.key for f in facts]
            answers = [k for k in keys if not k.startswith("note.")]  # a note may recur
            assert len(answers) == len(set(answers)), (report.designation, keys)
            values = " ".join(f.value for f in facts)
            if not report.in_plan:
                # outside every plan in force: no building figure, no "not limited by the plan"
                assert not {"building_area", "max_height"} & set(keys)
                assert not re.search("m² allowed|tillåten", values)
            if report.solar is not None:
                assert {"peak_kwp", "annual_kwh", "savings", "payback"} <= set(keys)
        for fact_sv, fact_en in zip(summarise(report, "sv"), summarise(report, "en"), strict=True):
            assert fact_sv.key == fact_en.key
            seen.setdefault((fact_sv.key.split(".")[0], "sv"), set()).add(fact_sv.label)
    assert {"plan", "source"} <= {key for key, _ in seen}


def test_a_building_over_the_plans_height_is_flagged(reports):
    flagged = [
        r
        for r in reports
        if r.zoning.rights.max_height is not None
        and any(b.height and b.height > r.zoning.rights.max_height + 0.05 for b in r.buildings)
    ]
    assert flagged, "the sample has a building over its plan's height (LÖVSÄTTRA 2:6)"
    for report in flagged:
        keys = [f.key for f in summarise(report, "sv")]
        assert "note.over_height" in keys, report.designation


def test_json_has_the_summary(reports):
    report = reports[0]
    for lang in LANGS:
        body = report.to_dict(lang)
        assert body["summary"] == [f.to_dict() for f in summarise(report, lang)]


@pytest.fixture(scope="module")
def client(full_sample):
    return create_app({"TESTING": True, "data_dir": str(full_sample.directory)}).test_client()


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).replace("&nbsp;", " ").split())


@pytest.mark.parametrize("lang", LANGS)
def test_page_pdf_and_json_say_the_same(client, one_of_each, lang):
    assert len(one_of_each) >= 3  # outside, partly and wholly in a plan at least
    for report in one_of_each:
        body = client.get(f"/api/v1/properties/{report.unit_id}?lang={lang}")
        expected = [f.to_dict() for f in summarise(report, lang)]
        assert body.json["summary"] == expected
        page = client.get(f"/fastighet/{report.unit_id}?lang={lang}")
        assert page.status_code == 200
        summary = page.get_data(as_text=True).split('id="summary"', 1)[1].split("</dl>", 1)[0]
        text = _text(summary)
        pdf = client.get(f"/fastighet/{report.unit_id}.pdf?lang={lang}")
        pdf_text = " ".join(
            " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages).split()
        )
        for fact in expected:
            value = " ".join(fact["value"].split())
            assert value in text, (report.designation, lang, fact)
            assert value in pdf_text, (report.designation, lang, fact)


def test_the_cadastre_date_is_the_layers_import_date(full_sample, reports):
    with sqlite3.connect(full_sample.directory / "minfastighet.gpkg") as con:
        (imported,) = con.execute(
            "SELECT max(last_change) FROM gpkg_contents WHERE table_name = 'parcels'"
        ).fetchone()
    for lang in LANGS:
        (fact,) = [f for f in summarise(reports[0], lang) if f.key == "source.cadastre"]
        assert fact.value.startswith(imported[:10] + " ")


@pytest.mark.parametrize("lang", LANGS)
def test_titles_name_the_service_once(client, one_of_each, lang):
    start = client.get(f"/?lang={lang}").get_data(as_text=True)
    assert "<title>Min fastighet</title>" in start
    page = client.get(f"/fastighet/{one_of_each[0].unit_id}?lang={lang}").get_data(as_text=True)
    title = page.split("<title>", 1)[1].split("</title>", 1)[0]
    assert title == f"{one_of_each[0].designation} – Min fastighet"


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(
    ("designation", "args"),
    [
        ("SUNDSVALL STENHÄLLA 2:3", ""),
        ("SUNDSVALL STENHÄLLA 2:3", "agare=private&forbrukning=40000"),
        ("SUNDSVALL LÄRKAN 2", ""),
        ("SUNDSVALL LÄRKAN 2", "agare=company&forbrukning=2500,5"),
    ],
)
def test_owner_types_say_the_same_on_page_pdf_and_json(client, designation, args, lang):
    """The owner's answers (type, use, self-use, deduction, payback, the limits of
    micro-production) are the summary's rows, the same in all three (issue 16, point 2)."""
    unit = client.get(f"/api/v1/properties?designation={designation}").json["unit_id"]
    query = f"lang={lang}&{args}"
    facts = client.get(f"/api/v1/properties/{unit}?{query}").json["summary"]
    keys = {f["key"] for f in facts}
    assert {"owner", "use_kwh", "self_use", "deduction", "payback"} <= keys
    page = client.get(f"/fastighet/{unit}?{query}")
    assert page.status_code == 200
    text = _text(page.get_data(as_text=True).split('id="summary"', 1)[1].split("</dl>", 1)[0])
    pdf = client.get(f"/fastighet/{unit}.pdf?{query}")
    pdf_text = " ".join(
        " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages).split()
    )
    for fact in facts:
        value = " ".join(fact["value"].split())
        assert not EMPTY.search(value), fact
        assert value in text, (designation, lang, fact)
        assert value in pdf_text, (designation, lang, fact)
