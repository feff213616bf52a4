"""Solar map tiles over HTTP: PNG tiles, caching headers, TileJSON, legend, point values."""

from __future__ import annotations

import shutil

import numpy as np
import pytest
import rasterio

from mapservice import create_app
from solar.catalog import add_to_catalog
from solar.tiles import TMS
from tests.mapservice.conftest import write_solar_map

NODATA = -9999.0
ORIGIN = (616_500.0, 6_918_500.0)  # inside the sample municipality, upper-left, EPSG:3006


@pytest.fixture(scope="module")
def data_dir(sample, tmp_path_factory):
    """The sample plus a catalogued 200 × 200 px solar map: 800 in the west half, 1000 east."""
    directory = tmp_path_factory.mktemp("tiles") / "data"
    shutil.copytree(sample.directory, directory)
    values = np.full((200, 200), 800, np.float32)
    values[:, 100:] = 1000
    values[:10, :10] = NODATA
    cog = write_solar_map(directory / "solar" / "solar.tif", values, ORIGIN, NODATA)
    add_to_catalog(directory / "stac" / "catalog.json", cog, "2024-05-01", "test")
    return directory


@pytest.fixture
def client(data_dir):
    return create_app({"data_dir": str(data_dir), "tile_max_age": 600}).test_client()


def covering_tile(zoom=18):
    lon, lat = rasterio.warp.transform("EPSG:3006", "EPSG:4326", [ORIGIN[0] + 50], [ORIGIN[1] - 50])
    return TMS.tile(lon[0], lat[0], zoom)


def test_a_tile_over_the_map_is_a_cacheable_png(client):
    t = covering_tile()
    response = client.get(f"/tiles/solar/{t.z}/{t.x}/{t.y}.png")
    assert response.status_code == 200
    assert response.mimetype == "image/png"
    assert response.data[:8] == b"\x89PNG\r\n\x1a\n"
    assert response.headers["Cache-Control"] in ("public, max-age=600", "max-age=600, public")
    etag = response.headers["ETag"]
    again = client.get(f"/tiles/solar/{t.z}/{t.x}/{t.y}.png", headers={"If-None-Match": etag})
    assert again.status_code == 304


def test_tiles_outside_the_data_are_transparent_pngs(client):
    response = client.get("/tiles/solar/12/0/0.png")
    assert response.status_code == 200
    assert response.mimetype == "image/png"


@pytest.mark.parametrize(
    "path",
    [
        "/tiles/solar/25/0/0.png",
        "/tiles/solar/3/8/0.png",
        "/tiles/solar/3/0/9.png",
        "/tiles/solar/-1/0/0.png",
        "/tiles/solar/a/b/c.png",
        "/tiles/solar/3/0/0.jpg",
    ],
)
def test_out_of_range_tiles_are_404_problems(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"


def test_tilejson_describes_the_tiles(client):
    body = client.get("/tiles/solar/tilejson.json").json
    assert body["tilejson"] == "3.0.0"
    assert body["tiles"][0].endswith("/tiles/solar/{z}/{x}/{y}.png")
    west, south, east, north = body["bounds"]
    assert 17.2 < west < east < 17.3
    assert 62.3 < south < north < 62.4
    assert body["legend"]["unit"] == "kWh/m²·year"


def test_legend_runs_from_low_to_high(client):
    body = client.get("/tiles/solar/legend.json").json
    values = [stop["value"] for stop in body["stops"]]
    assert values == sorted(values)
    assert body["stops"][0]["color"].startswith("#")


@pytest.mark.parametrize(
    ("x", "y", "crs", "value"),
    [
        (ORIGIN[0] + 10, ORIGIN[1] - 10, "EPSG:3006", 800.0),
        (ORIGIN[0] + 90, ORIGIN[1] - 10, "EPSG:3006", 1000.0),
        (ORIGIN[0] + 1, ORIGIN[1] - 1, "EPSG:3006", None),  # a nodata pixel
    ],
)
def test_point_values(client, x, y, crs, value):
    response = client.get(f"/api/v1/solar/point?x={x}&y={y}&crs={crs}")
    assert response.status_code == 200
    assert response.json["value"] == value
    assert response.json["unit"] == "kWh/m2/year"


def test_point_in_another_crs(client):
    lon, lat = rasterio.warp.transform("EPSG:3006", "EPSG:4326", [ORIGIN[0] + 90], [ORIGIN[1] - 10])
    response = client.get(f"/api/v1/solar/point?x={lon[0]}&y={lat[0]}&crs=EPSG:4326")
    assert response.json["value"] == 1000.0


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ("x=1&y=2&crs=EPSG:3006", 400),  # outside Sweden
        ("x=abc&y=2", 400),
        ("y=2", 400),
        ("x=617000&y=6918000&crs=EPSG:9999", 400),
        ("x=617000&y=6918000&colour=red", 400),
        ("x=616000&y=6917000", 404),  # in Sweden, but no solar map there
    ],
)
def test_bad_point_queries_are_problems(client, query, status):
    response = client.get(f"/api/v1/solar/point?{query}")
    assert response.status_code == status
    assert response.mimetype == "application/problem+json"


def test_without_a_catalog_tiles_are_404(sample):
    client = create_app({"data_dir": str(sample.directory)}).test_client()
    response = client.get("/tiles/solar/12/0/0.png")
    assert response.status_code == 404
    assert "no solar map" in response.json["detail"]
