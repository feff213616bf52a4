"""The notebooks in notebooks/ run top to bottom on the sample, and show the batch's figures.

The two that read the layer store (through ``mapservice.analysis``) run on both vector store
backends (tests/conftest.py), the store given to their kernel through the environment as a
shell gives it; laser_to_solar reads the buildings from the GeoPackage file itself, as
``minfastighet solar-map --buildings FILE`` does, and runs once."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from mapservice import load_settings
from mapservice.analysis.batch import run_batch

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
#: Appended to a notebook before it runs: prints the figures it showed, as JSON.
CHECKS = {
    "solar_district.ipynb": "print(json.dumps({'by_trakt': by_trakt.kwh_year.to_dict(), "
    "'by_plan': by_plan.kwh_year.to_dict(), "
    "'best': best.designation.tolist()}))",
    "plan_rights.ipynb": "print(json.dumps({'unused': unused.designation.tolist(), "
    "'crossing': crossing.designation.tolist(), "
    "'remaining': unused_by_trakt['sum'].to_dict()}))",
    "laser_to_solar.ipynb": "print(json.dumps(summary))",
}


def test_every_notebook_is_checked():
    assert sorted(p.name for p in NOTEBOOKS.glob("*.ipynb")) == sorted(CHECKS)


@pytest.mark.parametrize("name", sorted(CHECKS))
def test_committed_without_outputs(name):
    book = nbformat.read(NOTEBOOKS / name, as_version=4)
    for cell in book.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [], f"{name}: strip the outputs before committing"
            assert cell.execution_count is None, f"{name}: strip the execution counts"


@pytest.fixture(scope="module")
def backend(full_sample, vector_config) -> dict[str, str]:
    """The environment that puts the notebooks' kernel on the test's store backend."""
    return {f"MINFASTIGHET_{k.upper()}": str(v) for k, v in vector_config(full_sample).items()}


@pytest.fixture(scope="module")
def batch(full_sample, vector_config, tmp_path_factory):
    settings = load_settings({"data_dir": full_sample.directory, **vector_config(full_sample)})
    return run_batch(settings, "2281", tmp_path_factory.mktemp("batch") / "reports.parquet")


def _run(name: str, data_dir: Path, cwd: Path, monkeypatch, env: dict | None = None) -> dict:
    monkeypatch.setenv("MINFASTIGHET_DATA_DIR", str(data_dir))
    for key, value in (env or {}).items():
        monkeypatch.setenv(key, value)
    book = nbformat.read(NOTEBOOKS / name, as_version=4)
    book.cells.append(nbformat.v4.new_code_cell("import json\n" + CHECKS[name]))
    NotebookClient(
        book, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(cwd)}}
    ).execute()
    errors = [
        o
        for c in book.cells
        if c.cell_type == "code"
        for o in c.outputs
        if o.output_type == "error"
    ]
    assert not errors
    return json.loads(book.cells[-1].outputs[-1].text)


@pytest.mark.both_backends
def test_solar_district_shows_the_batch_figures(batch, backend, full_sample, tmp_path, monkeypatch):
    shown = _run("solar_district.ipynb", full_sample.directory, tmp_path, monkeypatch, backend)
    by_trakt = batch.groupby("trakt").kwh_year.sum().round(1)
    assert shown["by_trakt"] == pytest.approx(by_trakt.to_dict(), abs=0.051)
    assert set(shown["by_plan"]) == (
        {p for ids in batch.plan_ids.dropna() for p in ids.split(";") if p}
        | ({"outside plan"} if (batch.plans == 0).any() else set())
    )
    assert shown["best"] == batch.nlargest(10, "kwh_year").designation.tolist()
    assert sum(shown["by_trakt"].values()) == pytest.approx(batch.kwh_year.sum(), rel=1e-6)


@pytest.mark.both_backends
def test_plan_rights_shows_the_batch_figures(batch, backend, full_sample, tmp_path, monkeypatch):
    shown = _run("plan_rights.ipynb", full_sample.directory, tmp_path, monkeypatch, backend)
    unused = batch[batch.remaining_building_area_m2 >= 50]
    assert sorted(shown["unused"]) == sorted(unused.designation)
    assert shown["remaining"] == pytest.approx(
        unused.groupby("trakt").remaining_building_area_m2.sum().round(1).to_dict(), abs=0.051
    )
    crossing = batch[(batch.plans > 1) | ((batch.plans > 0) & (batch.outside_plan_share > 0.01))]
    assert shown["crossing"] == crossing.designation.tolist()
    assert len(shown["crossing"]) > 0


def test_laser_to_solar_agrees_inside_the_window(full_sample, tmp_path, monkeypatch):
    shown = _run("laser_to_solar.ipynb", full_sample.directory, tmp_path, monkeypatch)
    assert shown["roof pixels"] > 1000
    # away from the window's edge the two runs see the same shadows, bar what lies > 10 m out
    assert shown["inner mean |difference|"] < 10
    assert abs(shown["mean difference"]) < shown["inner max |difference|"]
