"""Report sources: opened and closed together, and aware of the files they were opened from."""

from __future__ import annotations

import os

from data.dataset import Dataset
from mapservice import Settings
from mapservice.report import ReportSources
from mapservice.report.sources import FileVersions, read_dataset


def test_file_versions_notice_a_replaced_changed_created_or_removed_file(tmp_path):
    kept, replaced, created = tmp_path / "kept", tmp_path / "replaced", tmp_path / "created"
    kept.write_text("a")
    replaced.write_text("b")
    versions = FileVersions()
    for path in (kept, replaced, created):
        versions.see(path)
    before = versions.key
    assert not versions.changed()
    (tmp_path / "new").write_text("b")
    os.replace(tmp_path / "new", replaced)
    assert versions.changed()
    again = FileVersions()
    for path in (kept, replaced, created):
        again.see(path)
    assert again.key != before
    created.write_text("c")
    assert again.changed()


def test_sources_know_the_files_they_were_opened_from(full_sample):
    settings = Settings(data_dir=full_sample.directory)
    with ReportSources.from_settings(settings) as sources:
        seen = set(sources.files.paths)
        assert not sources.files.changed()
    directory = full_sample.directory
    assert {
        directory / "minfastighet.gpkg",
        directory / "dataset.json",
        directory / "dsm.tif",
        directory / "stac" / "catalog.json",
        *sources.solar_map.paths,
    } <= seen
    assert sources.closed


def test_sources_take_the_data_set_from_the_reader_they_are_given(sample):
    calls = []

    def read(directory):
        calls.append(directory)
        return read_dataset(directory)

    settings = Settings(data_dir=sample.directory)
    with ReportSources.from_settings(settings, read=read) as sources:
        assert sources.dataset == Dataset.read(sample.directory)
        assert sources.dataset.kommun == "Sundsvall"
    assert calls == [sample.directory]


def test_a_directory_without_a_manifest_has_no_data_set(sample, tmp_path):
    assert read_dataset(tmp_path) is None
    settings = Settings(data_dir=tmp_path, vector_dsn=str(sample.vector_path))
    with ReportSources.from_settings(settings) as sources:
        assert sources.dataset is None
        assert sources.solar_map is None
        assert sources.surface is None


def test_closing_twice_is_harmless(sample):
    sources = ReportSources.from_settings(Settings(data_dir=sample.directory))
    sources.close()
    sources.close()
    assert sources.closed
