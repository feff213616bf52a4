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


def test_proj4_is_served_locally(client):
    with client.get("/assets/proj4/proj4.js") as response:
        assert response.status_code == 200
        assert b"proj4" in response.data


def test_a_missing_asset_stops_the_service_saying_how_to_install_it(sample, monkeypatch, tmp_path):
    from click.testing import CliRunner

    from mapservice import create_app
    from mapservice.commands.main import main
    from mapservice.web import assets

    nowhere = assets.AssetPackage("proj4", (tmp_path / "vendor",), ("proj4.js",), "npm ci")
    monkeypatch.setitem(assets.PACKAGES, "proj4", nowhere)
    with pytest.raises(assets.AssetsMissing, match=r"proj4 is not installed .*: npm ci"):
        create_app({"data_dir": str(sample.directory)})
    monkeypatch.setenv("MINFASTIGHET_DATA_DIR", str(sample.directory))
    result = CliRunner().invoke(main, ["serve", "--port", "1"])
    assert result.exit_code == 1
    assert "proj4 is not installed" in result.output
    assert "Traceback" not in result.output
