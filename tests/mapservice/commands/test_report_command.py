"""``minfastighet report``: the same report as JSON, HTML or PDF, and clear errors."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from mapservice.commands.main import main

DESIGNATION = "SUNDSVALL BJÖRKÅSEN 2:1"


@pytest.fixture
def run(full_sample, monkeypatch):
    monkeypatch.setenv("MINFASTIGHET_DATA_DIR", str(full_sample.directory))
    runner = CliRunner()
    return lambda *args: runner.invoke(main, ["report", *args])


def test_json_by_designation_and_by_id(run):
    result = run("Björkåsen", "2:1")
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert body["designation"] == DESIGNATION
    again = json.loads(run(body["unit_id"]).stdout)
    assert again["zoning"] == body["zoning"]


def test_pdf_and_html_files(run, tmp_path):
    pdf = tmp_path / "r.pdf"
    assert run(DESIGNATION, "--format", "pdf", "-o", str(pdf)).exit_code == 0
    assert DESIGNATION in PdfReader(pdf).pages[0].extract_text()
    html = tmp_path / "r.html"
    assert run(DESIGNATION, "--format", "html", "--lang", "en", "-o", str(html)).exit_code == 0
    page = html.read_text()
    assert '<html lang="en">' in page
    assert "Solar power" in page


@pytest.mark.parametrize(
    "query", ["!!!", "SUNDSVALL NOPE 1:1", "00000000-0000-0000-0000-000000000000"]
)
def test_bad_input_is_a_message_and_exit_1(run, query):
    result = run(query)
    assert result.exit_code == 1
    assert "Error:" in result.output
    assert "Traceback" not in result.output
