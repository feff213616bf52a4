"""Batch reports: single-process and Dask give the same rows, reruns skip finished parts."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
from click.testing import CliRunner

from layers import open_store
from mapservice import load_settings
from mapservice.analysis.batch import (
    COLUMNS,
    BatchError,
    key_figures,
    parts_dir,
    plan_partitions,
    run_batch,
)
from mapservice.commands.main import main
from mapservice.report import ReportSources, build_report

#: Every test that reads the store runs on both vector store backends (tests/conftest.py): the
#: rows and figures, Dask (its workers open the store from the settings they are sent), reruns,
#: formats and the CLI (given the backend through its environment). The CLI's checks of its
#: arguments read no store and run once.


def _backend_env(settings, monkeypatch) -> None:
    """The settings' data directory and vector store in the environment, as a shell gives
    them to ``minfastighet``."""
    monkeypatch.setenv("MINFASTIGHET_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("MINFASTIGHET_VECTOR_STORE", settings.vector_store)
    if settings.vector_store == "postgis":
        monkeypatch.setenv("MINFASTIGHET_VECTOR_DSN", settings.vector_location)


@pytest.fixture(scope="module")
def settings(full_sample, vector_config):
    return load_settings({"data_dir": full_sample.directory, **vector_config(full_sample)})


@pytest.fixture(scope="module")
def single(settings, tmp_path_factory):
    out = tmp_path_factory.mktemp("single") / "reports.parquet"
    return run_batch(settings, "2281", out), out


def _same(a: gpd.GeoDataFrame, b: gpd.GeoDataFrame) -> None:
    pd.testing.assert_frame_equal(
        pd.DataFrame(a.drop(columns="geometry")),
        pd.DataFrame(b.drop(columns="geometry")),
        check_exact=True,
    )
    assert list(a.geometry.to_wkb()) == list(b.geometry.to_wkb())
    assert a.crs == b.crs


@pytest.mark.both_backends
def test_every_property_once_with_key_figures(single, settings):
    frame, out = single
    with open_store(settings.vector_store, settings.vector_location) as store:
        partitions = plan_partitions(store, "2281")
    ids = [u for p in partitions for u in p.unit_ids]
    assert list(frame.unit_id) == ids
    assert len(set(ids)) == len(ids) > 600
    assert list(frame.columns) == [*COLUMNS, "geometry"]
    assert frame.crs.to_epsg() == 3006
    solar = frame[frame.kwp > 0]
    assert len(solar) > 400
    assert (solar.kwh_year > 0).all()
    assert (solar.savings_sek_year > 0).all()
    assert set(frame.permit_case.dropna()) <= {
        "exempt_in_plan",
        "outside_plan",
        "protected",
        "permit_in_plan",
        "outside_plan_protected",
    }
    _same(gpd.read_parquet(out), frame)


@pytest.mark.both_backends
def test_rows_are_the_reports_figures(single, full_sample):
    frame, _ = single
    settings = load_settings({"data_dir": full_sample.directory})
    with ReportSources.open(
        settings.vector_store, settings.vector_path, settings.data_dir, settings.solar_catalog_path
    ) as sources:
        for unit_id in frame.unit_id.iloc[::97]:
            report = build_report(sources, unit_id)
            row = frame.set_index("unit_id").loc[unit_id]
            figures = key_figures(report)
            assert figures["kwp"] == (report.solar.pv.peak_kwp if report.solar else None)
            assert row.kwp == figures["kwp"] or (pd.isna(row.kwp) and figures["kwp"] is None)
            assert row.area_m2 == report.property.area
            remaining = report.zoning.rights.remaining_building_area
            assert (
                pd.isna(row.remaining_building_area_m2)
                if remaining is None
                else row.remaining_building_area_m2 == remaining
            )


@pytest.mark.both_backends
def test_dask_local_cluster_gives_identical_rows(single, settings, tmp_path):
    from distributed import Client, LocalCluster

    with (
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        Client(cluster) as client,
    ):
        frame = run_batch(settings, "2281", tmp_path / "dask.parquet", client)
        workers = {w for w in client.run(lambda: 1)}
    assert len(workers) == 2
    _same(single[0], frame)
    _same(single[0], gpd.read_parquet(tmp_path / "dask.parquet"))


@pytest.mark.both_backends
def test_rerun_skips_finished_partitions(single, settings, tmp_path):
    out = tmp_path / "r.parquet"
    run_batch(settings, "2281", out)
    parts = sorted(parts_dir(out).glob("part-*.parquet"))
    assert len(parts) >= 2
    stamps = {p: p.stat().st_mtime_ns for p in parts}
    parts[0].unlink()
    calls = []
    frame = run_batch(
        settings, "2281", out, progress=lambda done, total: calls.append((done, total))
    )
    _same(single[0], frame)
    missing = len(gpd.read_parquet(parts[0]))
    assert calls[0] == (len(frame) - missing, len(frame))
    assert calls[-1] == (len(frame),) * 2
    assert all(p.stat().st_mtime_ns == stamps[p] for p in parts[1:])
    assert not list(parts_dir(out).glob(".*tmp"))


@pytest.mark.both_backends
@pytest.mark.parametrize("name", ["r.gpkg", "r.csv"])
def test_other_formats(single, settings, tmp_path, name):
    frame = single[0]
    out = tmp_path / name
    parts = parts_dir(out)
    parts.mkdir()
    for part in parts_dir(single[1]).iterdir():  # reuse the finished partitions
        (parts / part.name).write_bytes(part.read_bytes())
    run_batch(settings, "2281", out)
    back = (
        gpd.read_file(out, layer="reports")
        if name.endswith(".gpkg")
        else pd.read_csv(out, dtype={"kommunkod": str})
    )
    assert list(back.unit_id) == list(frame.unit_id)
    assert back.kwh_year.fillna(-1).tolist() == pytest.approx(frame.kwh_year.fillna(-1).tolist())


@pytest.mark.both_backends
def test_cli_single_process(settings, single, tmp_path, monkeypatch):
    _backend_env(settings, monkeypatch)
    out = tmp_path / "cli.parquet"
    result = CliRunner().invoke(
        main, ["batch", "--kommun", "2281", "--out", str(out), "--single-process"]
    )
    assert result.exit_code == 0, result.output
    assert "678 properties" in result.output or f"{len(single[0]):,} properties" in result.output
    _same(single[0], gpd.read_parquet(out))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--kommun", "22", "--out", "r.parquet"], "four digits"),
        (["--kommun", "2281", "--out", "r.xlsx"], ".parquet, .gpkg or .csv"),
        (["--kommun", "2262", "--out", "r.parquet", "--single-process"], "no property of kommun"),
        (
            ["--kommun", "2281", "--out", "r.csv", "--single-process", "--scheduler", "tcp://x:1"],
            "exclude each other",
        ),
    ],
)
def test_cli_bad_input(settings, tmp_path, monkeypatch, args, message):
    monkeypatch.setenv("MINFASTIGHET_DATA_DIR", str(settings.data_dir))
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["batch", *args])
    assert result.exit_code != 0
    assert message in result.output
    assert not list(tmp_path.iterdir()) or message == "no property of kommun"


@pytest.mark.both_backends
def test_unknown_kommun_raises(settings, tmp_path):
    with pytest.raises(BatchError, match="2262"):
        run_batch(settings, "2262", tmp_path / "r.parquet")


def test_analysts_api_never_imports_flask_or_dask():
    import subprocess
    import sys

    code = (
        "import sys; import mapservice.analysis, mapservice.analysis.batch; "
        "print('flask' in sys.modules, 'distributed' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]
