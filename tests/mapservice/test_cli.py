"""The minfastighet command line: sample-data and serve."""

from __future__ import annotations

import sqlite3

import pytest
from click.testing import CliRunner

from mapservice.cli import main


@pytest.fixture
def runner():
    return CliRunner()


def test_sample_data_builds_and_then_skips_if_present(runner, tmp_path):
    out = tmp_path / "sample"
    result = runner.invoke(main, ["sample-data", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "679 parcels" in result.output
    # The search table is built into the sample, so a read-only data directory works.
    with sqlite3.connect(f"file:{out / 'minfastighet.gpkg'}?mode=ro", uri=True) as con:
        names = {r[0] for r in con.execute("SELECT name FROM sqlite_master")}
    assert "layers_search" in names
    assert (out / "stac" / "catalog.json").is_file()
    again = runner.invoke(main, ["sample-data", "--out", str(out), "--if-missing"])
    assert again.exit_code == 0
    assert "nothing to do" in again.output


def test_sample_data_refuses_a_file_as_output(runner, tmp_path):
    target = tmp_path / "file"
    target.write_text("x")
    result = runner.invoke(main, ["sample-data", "--out", str(target)])
    assert result.exit_code != 0
    assert "is a file" in result.output


def test_serve_reports_bad_settings_without_a_traceback(runner, tmp_path, monkeypatch):
    monkeypatch.setenv("MINFASTIGHET_DATA_DIR", str(tmp_path / "missing"))
    result = runner.invoke(main, ["serve"])
    assert result.exit_code == 1
    assert "sample-data" in result.output
    assert "Traceback" not in result.output


def test_serve_runs_waitress_with_the_app(runner, sample, monkeypatch):
    calls = {}

    def fake_serve(app, **kwargs):
        calls.update(kwargs, app=app)

    monkeypatch.setenv("MINFASTIGHET_DATA_DIR", str(sample.directory))
    monkeypatch.setattr("waitress.serve", fake_serve)
    result = runner.invoke(main, ["serve", "--port", "5123"])
    assert result.exit_code == 0, result.output
    assert calls["host"] == "127.0.0.1"
    assert calls["port"] == 5123
    assert calls["app"].name == "mapservice"


def test_serve_rejects_a_bad_port(runner):
    result = runner.invoke(main, ["serve", "--port", "70000"])
    assert result.exit_code == 2
    assert "70000" in result.output
