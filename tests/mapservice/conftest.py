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


#: The sample property the report tests look at.
DESIGNATION = "SUNDSVALL BJÖRKÅSEN 2:1"


@pytest.fixture(scope="module")
def report_client(full_sample):
    """A client of the app over the full sample (with its solar map)."""
    return create_app({"TESTING": True, "data_dir": str(full_sample.directory)}).test_client()


@pytest.fixture(scope="module")
def unit(report_client):
    """The register unit id of :data:`DESIGNATION`."""
    return report_client.get(f"/api/v1/properties?designation={DESIGNATION}").json["unit_id"]
