"""App and client fixtures, built from create_app as in Flask's tutorial."""

from __future__ import annotations

import pytest

from mapservice import create_app


@pytest.fixture
def app(sample):
    return create_app({"TESTING": True, "data_dir": str(sample.directory)})


@pytest.fixture
def client(app):
    return app.test_client()
