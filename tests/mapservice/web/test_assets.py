"""Front-end assets come from registry packages and are served by the service itself."""

from __future__ import annotations

import pytest


def test_leaflet_is_served_locally(client):
    with client.get("/assets/leaflet/leaflet.js") as response:
        assert response.status_code == 200
        assert b"Leaflet" in response.data[:400]
        assert "max-age" in response.headers["Cache-Control"]
    with client.get("/assets/leaflet/leaflet.css") as css:
        assert css.mimetype == "text/css"


@pytest.mark.parametrize(
    "path",
    [
        "/assets/leaflet/../../../etc/passwd",
        "/assets/leaflet/%2e%2e/__init__.py",
        "/assets/other/leaflet.js",
        "/assets/leaflet/nope.js",
    ],
)
def test_nothing_outside_the_packages_is_served(client, path):
    response = client.get(path)
    assert response.status_code == 404
