"""The minfastighet command line: sample-data and serve."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys

import pytest
from click.testing import CliRunner

from mapservice.commands.main import main


@pytest.fixture
def runner():
    return CliRunner()


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The full sample (search table and solar map included), built by the CLI in-process."""
    out = tmp_path_factory.mktemp("cli") / "sample"
    result = CliRunner().invoke(main, ["sample-data", "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out, result.output


def _digests(directory):
    return {
        p.relative_to(directory).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(directory.rglob("*"))
        if p.is_file()
    }


def test_sample_data_is_byte_identical_in_another_process(built, tmp_path):
    out, _ = built
    env = {**os.environ, "PYTHONHASHSEED": "12345"}  # set and dict orders change with it
    subprocess.run(
        [
            sys.executable,
            "-m",
            "mapservice.commands.main",
            "sample-data",
            "--out",
            str(tmp_path / "again"),
        ],
        check=True,
        env=env,
        capture_output=True,
    )
    assert _digests(tmp_path / "again") == _digests(out)


def test_sample_data_builds_and_then_skips_if_present(runner, built):
    out, output = built
    assert "679 parcels" in output
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
