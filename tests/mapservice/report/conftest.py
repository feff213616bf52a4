"""Fixtures of the report tests."""

from __future__ import annotations

import pytest

from mapservice.report.sources import ReportSources


@pytest.fixture(scope="module")
def sources(full_sample):
    """The full sample's report sources (vector store, data directory, solar catalog)."""
    with ReportSources.open(
        "geopackage",
        full_sample.directory / "minfastighet.gpkg",
        full_sample.directory,
        full_sample.directory / "stac" / "catalog.json",
    ) as opened:
        yield opened
