"""Attacks on the solar catalog: a crafted STAC catalog whose hrefs name files outside the data
directory or URLs, and ``catalog add`` given a VRT that reads another file."""

from __future__ import annotations

import http.server
import json
import threading
from typing import ClassVar

import numpy as np
import pytest
import rasterio
from affine import Affine

from solar.catalog import add_to_catalog, list_tiles
from solar.errors import CatalogError
from solar.ingest import import_solar_raster

ORIGIN = (617_000.0, 6_918_000.0)


def geotiff(path, value=900.0, size=32):
    path.parent.mkdir(parents=True, exist_ok=True)
    profile = {
        "driver": "GTiff",
        "width": size,
        "height": size,
        "count": 1,
        "dtype": "float32",
        "crs": "EPSG:3006",
        "nodata": -9999.0,
        "transform": Affine(1.0, 0, ORIGIN[0], 0, -1.0, ORIGIN[1]),
    }
    with rasterio.open(path, "w", **profile) as dst:
        dst.write(np.full((size, size), value, np.float32), 1)
        dst.update_tags(1, UNIT="kWh/m2")
    return path


@pytest.fixture
def data(tmp_path):
    """A data directory with a catalogued solar map (``stac/``, ``solar/``)."""
    data = tmp_path / "data"
    add_to_catalog(
        data / "stac" / "catalog.json", geotiff(data / "solar" / "a.tif"), "2024-06-01", "t"
    )
    return data


def item_file(data):
    return next((data / "stac").glob("*/*/*.json"))


@pytest.mark.parametrize(
    "href", ["/etc/passwd", "../../../../x.tif", "http://127.0.0.1:9/x.tif", "/vsicurl/http://x"]
)
def test_asset_hrefs_outside_the_data_directory_are_refused(data, href):
    item = item_file(data)
    doc = json.loads(item.read_text())
    doc["assets"]["irradiation"]["href"] = href
    item.write_text(json.dumps(doc))
    with pytest.raises(CatalogError, match="solar catalog names"):
        list_tiles(data / "stac" / "catalog.json")


class _Recorder(http.server.BaseHTTPRequestHandler):
    seen: ClassVar[list[str]] = []

    def do_GET(self):
        self.seen.append(self.path)
        body = json.dumps({"type": "Collection"}).encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    _Recorder.seen = []
    httpd = http.server.HTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


@pytest.mark.parametrize("where", ["url", "outside"])
def test_links_to_urls_or_outside_files_are_never_read(data, server, tmp_path, where):
    outside = tmp_path / "elsewhere" / "collection.json"
    outside.parent.mkdir()
    outside.write_text(json.dumps({"type": "Collection"}))
    href = (
        f"http://127.0.0.1:{server.server_port}/collection.json" if where == "url" else str(outside)
    )
    catalog = data / "stac" / "catalog.json"
    doc = json.loads(catalog.read_text())
    for link in doc["links"]:
        if link["rel"] == "child":
            link["href"] = href
    catalog.write_text(json.dumps(doc))
    with pytest.raises(CatalogError):
        list_tiles(catalog)
    assert _Recorder.seen == []


def test_a_vrt_named_tif_is_not_added(data, tmp_path):
    secret = geotiff(tmp_path / "private" / "secret.tif", value=700.0)
    evil = tmp_path / "evil.tif"
    evil.write_text(
        f'<VRTDataset rasterXSize="32" rasterYSize="32"><SRS>EPSG:3006</SRS>'
        f"<GeoTransform>{ORIGIN[0]}, 1, 0, {ORIGIN[1]}, 0, -1</GeoTransform>"
        '<VRTRasterBand dataType="Float32" band="1"><SimpleSource>'
        f'<SourceFilename relativeToVRT="0">{secret}</SourceFilename><SourceBand>1</SourceBand>'
        "</SimpleSource></VRTRasterBand></VRTDataset>"
    )
    catalog = data / "stac" / "catalog.json"
    with pytest.raises(CatalogError, match="GeoTIFF"):
        import_solar_raster(evil, catalog, "2024-06-01")
    assert [t.id for t in list_tiles(catalog)] == ["a"]


@pytest.mark.parametrize("path", ["/vsicurl/http://127.0.0.1:9/x.tif", "http://127.0.0.1:9/x.tif"])
def test_catalog_add_reads_local_files_only(data, path):
    with pytest.raises(CatalogError, match="not a local file"):
        import_solar_raster(path, data / "stac" / "catalog.json", "2024-06-01")


def test_a_solar_map_outside_the_data_directory_is_not_catalogued(data, tmp_path):
    cog = geotiff(tmp_path / "elsewhere" / "b.tif")
    with pytest.raises(CatalogError, match="outside its data directory"):
        add_to_catalog(tmp_path / "data" / "stac" / "catalog.json", cog, "2024-06-01", "t")
