"""What the examples in docs/API.md run on: the sample municipality's base layers, built once."""

from __future__ import annotations

import pytest

from data import build_sample


@pytest.fixture(scope="session")
def _docs_sample(tmp_path_factory):
    return build_sample(tmp_path_factory.mktemp("docs-sample") / "sample")


@pytest.fixture(autouse=True)
def _sample_dir(doctest_namespace, _docs_sample):
    doctest_namespace["sample_dir"] = _docs_sample.directory
