"""The ``find`` and ``import`` subcommands, through click's runner."""

import json
import shutil

import pyogrio
import pytest
from click.testing import CliRunner
from shapely import box

from mapservice.commands.main import main

from .conftest import X0, Y0, frame


@pytest.fixture
def run(sample_store_path, monkeypatch):
    monkeypatch.setenv("MINFASTIGHET_DATA_DIR", str(sample_store_path.parent))

    def invoke(*args):
        return CliRunner().invoke(main, list(args))

    return invoke


def test_find_by_designation_as_text(run):
    result = run("find", "björkåsen", "3:12")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("SUNDSVALL BJÖRKÅSEN 3:12  fastighet")


def test_find_with_report_as_json(run):
    result = run("find", "Lärkan 2", "--report", "--format", "json")
    assert result.exit_code == 0, result.output
    body = json.loads(result.output)
    assert body["kind"] == "designation"
    assert body["properties"][0]["designation"] == "SUNDSVALL LÄRKAN 2"
    zoning = body["zoning"][0]
    assert zoning["plans"][0]["plan_id"] == "2281K-DP231"
    assert zoning["rights"]["max_height"] == 16.0


def test_find_report_as_text(run):
    result = run("find", "björkåsen 3:12", "--report")
    assert result.exit_code == 0
    assert "2281K-S112" in result.output
    assert "largest building area allowed: 210.0 m²" in result.output


def test_find_by_address_and_suggestions(run):
    result = run("find", "storvagen 14")
    assert result.exit_code == 0
    assert result.output.startswith("Address Storvägen 14, 856 42 SUNDSVALL:")
    result = run("find", "storv")
    assert result.exit_code == 0
    assert result.output.startswith("Suggestions for 'storv':")


def test_find_at_a_point_in_wgs84_with_output_crs(run):
    result = run(
        "find",
        "--at",
        "17.2531",
        "62.3712",
        "--crs",
        "EPSG:4326",
        "--format",
        "json",
        "--out-crs",
        "EPSG:4326",
    )
    assert result.exit_code == 0, result.output
    body = json.loads(result.output)
    assert len(body["properties"]) == 1
    x, y = body["properties"][0]["parts"][0]["geometry"]["coordinates"][0][0][0]
    assert 17 < x < 18
    assert 62 < y < 63


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("find", "björkåsen 99:1"), "no property SUNDSVALL BJÖRKÅSEN 99:1"),
        (("find", "--at", "62.37", "17.25", "--crs", "EPSG:4326"), "swapped"),
        (("find", "--at", "1", "2", "--crs", "EPSG:2154"), "not supported"),
        (("find",), "give either a QUERY or --at"),
        (("find", "zz#"), "nothing matches"),
    ],
)
def test_find_errors_are_one_line_and_non_zero(run, args, says):
    result = run(*args)
    assert result.exit_code != 0
    assert says in result.output
    assert "Traceback" not in result.output


def test_import_validates_reports_and_swaps(sample_store_path, tmp_path, monkeypatch):
    data = tmp_path / "data"
    data.mkdir()
    shutil.copyfile(sample_store_path, data / "minfastighet.gpkg")
    monkeypatch.setenv("MINFASTIGHET_DATA_DIR", str(data))
    plans = frame(
        [
            {
                "planid": "2281K-DP999",
                "plannamn": "Ny plan",
                "planstatus": "laga kraft",
                "lagakraftdatum": "2025-01-10",
                "genomforandetid": 5,
                "ägare": "x",
                "geometry": box(X0, Y0, X0 + 100, Y0 + 100),
            }
        ]
    )
    source = tmp_path / "plans.gpkg"
    pyogrio.write_dataframe(plans, source)
    runner = CliRunner()
    result = runner.invoke(main, ["import", "plans", str(source)])
    assert result.exit_code == 0, result.output
    assert "owner/personal fields dropped, never stored: ägare" in result.output
    assert "imported 1 features" in result.output
    result = runner.invoke(main, ["find", "björkåsen 1:1", "--report"])
    assert "2281K-DP999" in result.output


def test_import_refusal_prints_the_report_and_exits_non_zero(
    sample_store_path, tmp_path, monkeypatch
):
    data = tmp_path / "data"
    data.mkdir()
    shutil.copyfile(sample_store_path, data / "minfastighet.gpkg")
    before = (data / "minfastighet.gpkg").read_bytes()
    monkeypatch.setenv("MINFASTIGHET_DATA_DIR", str(data))
    bad = frame(
        [
            {
                "designation": "not a designation",
                "unit_id": "u",
                "geometry": box(X0, Y0, X0 + 1, Y0 + 1),
            }
        ]
    )
    source = tmp_path / "bad.gpkg"
    pyogrio.write_dataframe(bad, source)
    result = CliRunner().invoke(main, ["import", "parcels", str(source), "--format", "json"])
    assert result.exit_code == 1
    body = json.loads(result.stdout)
    assert body["ok"] is False
    assert "lacks the number part" in body["errors"][0]
    assert "the store is unchanged" in result.output
    assert (data / "minfastighet.gpkg").read_bytes() == before
    result = CliRunner().invoke(main, ["import", "parcels", str(source), "--map", "nonsense"])
    assert result.exit_code == 2
    assert "SOURCE=TARGET" in result.output
