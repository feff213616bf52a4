"""The data set's manifest: one typed model, written by the builder and read back the same."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys

import pytest

from data.dataset import MANIFEST_NAME, Dataset
from data.errors import IncompleteSample

TINY = Dataset("Exempel", "2281", "Sundsvall", "EPSG:3006", (1.0, 2.0, 3.0, 4.0))


@pytest.mark.parametrize(
    "dataset",
    [
        TINY,
        dataclasses.replace(
            TINY,
            fictitious=True,
            notice={"sv": "Påhittat.", "en": "Invented."},
            seed=7,
            layers={"parcels": 3},
            files={"dsm.tif": "surface model"},
            trakter=("BJÖRKÅSEN",),
        ),
    ],
)
def test_from_dict_of_to_dict_is_the_same_data_set(dataset):
    assert Dataset.from_dict(dataset.to_dict()) == dataset
    assert Dataset.from_dict(json.loads(json.dumps(dataset.to_dict()))) == dataset


def test_the_built_sample_reads_back_as_the_data_set_the_builder_returned(sample):
    assert Dataset.read(sample.directory) == sample
    written = json.loads((sample.directory / MANIFEST_NAME).read_text(encoding="utf-8"))
    assert written == sample.to_dict()
    assert Dataset.from_dict(sample.to_dict(), sample.directory) == sample


def test_write_then_read_round_trips(tmp_path):
    (tmp_path / "minfastighet.gpkg").write_bytes(b"")
    written = TINY.write(tmp_path)
    assert written.directory == tmp_path
    assert Dataset.read(tmp_path) == written
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_paths_are_in_the_data_directory(sample):
    d = sample.directory
    assert sample.vector_path == d / "minfastighet.gpkg"
    assert (sample.dsm_path, sample.dtm_path) == (d / "dsm.tif", d / "dtm.tif")
    assert sample.solar_catalog_path == d / "stac" / "catalog.json"
    assert sample.manifest_path == d / "dataset.json"
    with pytest.raises(ValueError, match="no directory"):
        TINY.vector_path  # noqa: B018


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"format_version": 2}, "another format version"),
        ({"colour": "red"}, "unknown keys colour"),
        ({"files": {"missing.tif": "x"}}, "lacks missing.tif"),
    ],
)
def test_reading_a_wrong_manifest_says_what_is_wrong(tmp_path, change, message):
    (tmp_path / "minfastighet.gpkg").write_bytes(b"")
    values = {**TINY.to_dict(), **change}
    (tmp_path / MANIFEST_NAME).write_text(json.dumps(values), encoding="utf-8")
    with pytest.raises(IncompleteSample, match=message):
        Dataset.read(tmp_path)


def test_a_missing_key_is_named():
    values = TINY.to_dict()
    del values["kommun"]
    with pytest.raises(ValueError, match="lacks kommun"):
        Dataset.from_dict(values)


def test_reading_a_manifest_does_not_load_the_builder():
    code = "import sys, data, data.dataset; print('data.build' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
