"""Plan documents lead only where the operator said: a file in the data directory's
``documents/`` folder or an ``https`` link to a configured host; never the GeoPackage, never a
redirect to any other site."""

from __future__ import annotations

import shutil

import pyogrio
import pytest

from layers import GeoPackageStore
from mapservice import create_app

DESIGNATION = "SUNDSVALL BJÖRKÅSEN 2:1"
ARCHIVE = "planarkiv.sundsvall.se"


@pytest.fixture
def data(sample, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(sample.directory, data)
    return data


def set_document(data, document):
    """Every plan's document set to ``document``, through the store's write interface."""
    path = data / "minfastighet.gpkg"
    plans = pyogrio.read_dataframe(path, layer="plans")
    plans["document"] = document
    with GeoPackageStore(path, writable=True) as store:
        store.replace_layer("plans", plans)


def plan_url(client):
    unit = client.get(f"/api/v1/properties?designation={DESIGNATION}").json["unit_id"]
    plan = client.get(f"/api/v1/properties/{unit}").json["zoning"]["plans"][0]["plan_id"]
    return f"/fastighet/{unit}/planer/{plan}/dokument"


@pytest.mark.parametrize(
    "document",
    [
        "minfastighet.gpkg",
        "dataset.json",
        "documents/../minfastighet.gpkg",
        "/etc/passwd",
        "https://evil.example/phish",
        f"https://{ARCHIVE}@evil.example/phish",
        f"http://{ARCHIVE}/DP1.pdf",
        "javascript://%0aalert(1)",
    ],
)
def test_a_document_outside_the_folder_or_the_configured_hosts_is_not_served(data, document):
    set_document(data, document)
    client = create_app(
        {"TESTING": True, "data_dir": str(data), "document_hosts": [ARCHIVE]}
    ).test_client()
    response = client.get(plan_url(client))
    assert response.status_code == 404
    assert "Location" not in response.headers
    assert b"SQLite format 3" not in response.data
    page = client.get(plan_url(client).removesuffix("/dokument") + "?lang=en")
    assert page.status_code == 200  # the plan's page says so, and links no document
    assert "/dokument" not in page.get_data(as_text=True)
    assert "Not available from this service" in page.get_data(as_text=True)


def test_a_link_to_a_configured_host_redirects_and_documents_are_served(data):
    set_document(data, f"https://{ARCHIVE}/DP1.pdf")
    client = create_app(
        {"TESTING": True, "data_dir": str(data), "document_hosts": [ARCHIVE]}
    ).test_client()
    url = plan_url(client)
    assert client.get(url).headers["Location"] == f"https://{ARCHIVE}/DP1.pdf"
    unconfigured = create_app({"TESTING": True, "data_dir": str(data)}).test_client()
    assert unconfigured.get(url).status_code == 404
    document = next((data / "documents").iterdir())
    set_document(data, f"documents/{document.name}")
    with client.get(url) as response:
        assert response.status_code == 200
        assert response.data == document.read_bytes()
