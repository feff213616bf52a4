"""The service's own base map over HTTP: PNG tiles drawn from its layers, headers, bad z/x/y,
caching keyed by the layers' imports, hostile names and licences, and which maps use it."""

from __future__ import annotations

import io
import json
import re
import shutil

import geopandas as gpd
import numpy as np
import pytest
from PIL import Image
from pyproj import Transformer

from layers.geopackage import GeoPackageStore
from mapservice import create_app
from mapservice.base_map import LAND
from solar.tiles import TMS

pytestmark = pytest.mark.both_backends

#: A point in the sample's streets (EPSG:3006) and the tile over it at zoom 17.
TOWN = (617_000.0, 6_918_000.0)


def town_tile(zoom: int = 17):
    lon, lat = Transformer.from_crs(3006, 4326, always_xy=True).transform(*TOWN)
    return TMS.tile(lon, lat, zoom)


def pixels(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))


def not_land(png: bytes) -> float:
    """The share of pixels that are not the land colour."""
    return float((pixels(png) != np.array(LAND)).any(axis=2).mean())


@pytest.mark.parametrize("zoom", [14, 16, 17, 18])
def test_a_tile_over_the_town_draws_the_layers(client, zoom):
    t = town_tile(zoom)
    response = client.get(f"/tiles/base/{t.z}/{t.x}/{t.y}.png")
    assert response.status_code == 200
    assert response.mimetype == "image/png"
    assert response.data[:8] == b"\x89PNG\r\n\x1a\n"
    assert Image.open(io.BytesIO(response.data)).size == (256, 256)
    assert not_land(response.data) > 0.05  # plan areas, parcels, buildings drawn
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "public" in response.headers["Cache-Control"]
    again = client.get(
        f"/tiles/base/{t.z}/{t.x}/{t.y}.png", headers={"If-None-Match": response.headers["ETag"]}
    )
    assert again.status_code == 304


def test_a_tile_far_from_the_data_is_land_only(client):
    response = client.get("/tiles/base/16/0/0.png")
    assert response.status_code == 200
    assert not_land(response.data) == 0.0


@pytest.mark.parametrize(
    "path",
    [
        "/tiles/base/3/8/0.png",  # x beyond the matrix at zoom 3
        "/tiles/base/3/0/8.png",
        "/tiles/base/25/0/0.png",  # beyond the deepest zoom
        "/tiles/base/-1/0/0.png",
        "/tiles/base/a/0/0.png",
        "/tiles/base/3/0/0.jpg",
        "/tiles/base/99999999999999999999/0/0.png",
    ],
)
def test_a_tile_that_does_not_exist_is_a_4xx(client, path):
    response = client.get(path)
    assert 400 <= response.status_code < 500
    assert response.mimetype != "image/png"


def attributions(page: str) -> list[str]:
    """The attributions of a page's Leaflet tile layers (JSON strings in its script)."""
    return [json.loads(text) for text in re.findall(r'"attribution": ("(?:[^"\\]|\\.)*")', page)]


def test_the_pages_maps_are_drawn_on_the_base_map_without_a_background_url(client):
    page = client.get("/").get_data(as_text=True)
    assert "/tiles/base/{z}/{x}/{y}.png" in page
    assert (
        "© Lantmäteriet (fastighetsindelning), Sundsvalls kommun (detaljplaner); "
        "fiktiva exempeldata"
    ) in attributions(page)


def test_a_configured_background_url_wins(sample, vector_config):
    url = "https://tiles.example.org/{z}/{x}/{y}.png"
    app = create_app(
        {
            "TESTING": True,
            "data_dir": str(sample.directory),
            "background_map_url": url,
            "background_map_attribution": "© Example",
            **vector_config(sample),
        }
    )
    page = app.test_client().get("/").get_data(as_text=True)
    assert url in page
    assert "/tiles/base/" not in page


@pytest.fixture
def data_copy(sample, tmp_path):
    directory = tmp_path / "data"
    shutil.copytree(sample.directory, directory)
    return directory


HOSTILE = '<img src=x onerror="alert(1)">'


def test_an_import_shows_at_once_and_hostile_data_stays_text(data_copy):
    """A re-imported layer is drawn on the next request (the cache is keyed by the import),
    a street name with markup is drawn as letters, and a licence with markup is escaped."""
    app = create_app({"TESTING": True, "data_dir": str(data_copy)})
    client = app.test_client()
    t = town_tile(17)
    url = f"/tiles/base/{t.z}/{t.x}/{t.y}.png"
    before = client.get(url).data
    path = data_copy / "minfastighet.gpkg"
    with GeoPackageStore(path, writable=True) as store:
        addresses = gpd.read_file(path, layer="addresses")
        addresses["street"] = HOSTILE
        store.replace_layer("addresses", addresses, licence=f"CC0 {HOSTILE}")
    after = client.get(url)
    assert after.status_code == 200
    assert after.data != before  # new labels, drawn at once
    page = client.get("/").get_data(as_text=True)
    assert HOSTILE not in page
    assert any("CC0 &lt;img src=x onerror=&#34;alert(1)&#34;&gt;" in a for a in attributions(page))
