"""Fixtures shared by every test package.

``sample`` builds the fictitious sample municipality once per test session into a temporary
directory (a few seconds), so tests never depend on files outside their own run.
"""

from __future__ import annotations

import pytest

from data import Dataset, build_sample


@pytest.fixture(scope="session")
def sample(tmp_path_factory) -> Dataset:
    """The sample municipality, built once per session."""
    return build_sample(tmp_path_factory.mktemp("sample") / "sample")


@pytest.fixture(scope="session")
def full_sample(tmp_path_factory) -> Dataset:
    """The sample with its solar map and STAC catalog, as ``minfastighet sample-data`` builds
    it (about half a minute, once per session): for reports, pages and browser tests."""
    from mapservice.commands.sample_data import roof_faces_step, solar_step

    return build_sample(
        tmp_path_factory.mktemp("full-sample") / "sample", steps=(solar_step, roof_faces_step)
    )
