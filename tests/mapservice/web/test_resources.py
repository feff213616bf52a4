"""One owner per resource: one solar map per thread for tiles, points and reports; a request
reads one version of the data; replaced files are reopened; everything closes; the manifest is
read once."""

from __future__ import annotations

import concurrent.futures
import gc
import json
import shutil
import subprocess
import sys
import threading
import weakref

import numpy as np
import pytest
import rasterio

from data.dataset import Dataset
from mapservice import Settings, create_app
from mapservice.report import ReportSources
from mapservice.web.resources import close, get_raster, get_renderer, get_sources, warm_up
from solar.catalog import add_to_catalog
from solar.raster import CogMosaic
from solar.tiles import TMS
from tests.mapservice.conftest import write_solar_map

ORIGIN = (616_500.0, 6_918_500.0)  # inside the sample municipality, upper-left, EPSG:3006
DESIGNATION = "SUNDSVALL BJÖRKÅSEN 2:1"


def write_map(path, value):
    """A 200 × 200 px solar map of one value at :data:`ORIGIN`, replacing ``path``."""
    return write_solar_map(path, np.full((200, 200), value), ORIGIN)


@pytest.fixture
def data_dir(sample, tmp_path):
    """A copy of the sample with a catalogued solar map of 800 kWh/m²·year."""
    directory = tmp_path / "data"
    shutil.copytree(sample.directory, directory)
    cog = write_map(directory / "solar" / "solar.tif", 800.0)
    add_to_catalog(directory / "stac" / "catalog.json", cog, "2024-05-01", "test")
    with ReportSources.from_settings(Settings(data_dir=directory)):
        pass  # a store that indexes itself when first opened (a write) has done so: count opens
    return directory


@pytest.fixture
def app(data_dir):
    app = create_app({"TESTING": True, "data_dir": str(data_dir)})
    yield app
    close(app)


@pytest.fixture
def opened(monkeypatch):
    """(thread, paths) of every solar map or surface model the sources open."""
    seen = []

    class Counting(CogMosaic):
        def __init__(self, paths, *args, **kwargs):
            super().__init__(paths, *args, **kwargs)
            seen.append((threading.get_ident(), tuple(p.name for p in self.paths)))

    monkeypatch.setattr("mapservice.report.sources.CogMosaic", Counting)
    return seen


def tile_path(zoom=18):
    lon, lat = rasterio.warp.transform("EPSG:3006", "EPSG:4326", [ORIGIN[0] + 50], [ORIGIN[1] - 50])
    t = TMS.tile(lon[0], lat[0], zoom)
    return f"/tiles/solar/{t.z}/{t.x}/{t.y}.png"


POINT = f"/api/v1/solar/point?x={ORIGIN[0] + 10}&y={ORIGIN[1] - 10}"


def test_tiles_points_and_reports_read_one_solar_map_per_thread(app, opened):
    unit = app.test_client().get(f"/api/v1/properties?designation={DESIGNATION}").json["unit_id"]
    both = threading.Barrier(2)

    def serve():
        both.wait()  # two threads, each with its own handles
        client = app.test_client()
        codes = [client.get(u).status_code for u in (tile_path(), POINT, f"/fastighet/{unit}")]
        codes += [client.get(u).status_code for u in (tile_path(17), POINT)]
        return codes

    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        results = [pool.submit(serve) for _ in range(2)]
        assert [r.result() for r in results] == [[200] * 5] * 2
    solar = [thread for thread, names in opened if names == ("solar.tif",)]
    assert len(solar) == 3  # the main thread's first request, then one per worker thread
    assert len(set(solar)) == 3


def test_a_request_hands_out_one_solar_map_to_all(app):
    with app.test_request_context("/"):
        solar_map = get_sources().solar_map
        assert get_raster("solar") is solar_map
        assert get_renderer().raster is solar_map
        assert get_raster("surface") is get_sources().surface


def test_requests_of_a_thread_share_its_sources_until_the_app_closes(app, opened):
    with app.app_context():
        first = get_sources()
    with app.app_context():
        assert get_sources() is first
    assert not first.closed
    assert len(opened) == 2  # the solar map and the surface model, once
    close(app)
    assert first.closed
    with app.app_context():
        assert get_sources() is not first


def test_sources_in_use_close_at_the_end_of_their_request(app):
    with app.app_context():
        used = get_sources()
        close(app)
        assert not used.closed
        assert used.store.get_property(used.store.find_property(DESIGNATION).unit_id)
    assert used.closed


def test_a_replaced_solar_map_is_seen_by_the_next_request(app, data_dir):
    client = app.test_client()
    assert client.get(POINT).json["value"] == 800.0
    before = client.get(tile_path()).headers["ETag"]
    with app.app_context():
        old = get_sources()
    write_map(data_dir / "solar" / "solar.tif", 1100.0)
    assert client.get(POINT).json["value"] == 1100.0
    assert client.get(tile_path()).headers["ETag"] != before
    assert old.closed
    with app.app_context():
        assert get_sources() is not old


def test_one_request_reads_one_version_even_when_the_data_changes_meanwhile(app, data_dir):
    with app.app_context():
        solar_map = get_raster("solar")
        write_map(data_dir / "solar" / "solar.tif", 1100.0)
        assert get_raster("solar") is solar_map
        assert get_sources().solar_map is solar_map
    with app.app_context():
        assert get_raster("solar") is not solar_map


def test_a_thread_releases_its_sources_when_it_ends(app):
    def open_sources():
        with app.app_context():
            return weakref.ref(get_sources())

    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        ref = pool.submit(open_sources).result()
        assert ref() is not None
    gc.collect()
    assert ref() is None


def test_the_manifest_is_read_once(data_dir, monkeypatch):
    reads = []
    original = Dataset.read.__func__

    def counting(cls, directory):
        reads.append(directory)
        return original(cls, directory)

    monkeypatch.setattr(Dataset, "read", classmethod(counting))
    app = create_app({"TESTING": True, "data_dir": str(data_dir)})
    client = app.test_client()
    for url in ("/", "/healthz", f"/api/v1/properties?designation={DESIGNATION}", POINT, "/ogc/"):
        assert client.get(url).status_code == 200, url
    assert len(reads) == 1
    close(app)


def test_the_service_does_not_load_the_sample_builder(data_dir):
    code = (
        "import sys; from mapservice import create_app; "
        f"client = create_app({{'data_dir': {str(data_dir)!r}}}).test_client(); "
        "codes = [client.get(u).status_code for u in ('/', '/healthz', '/karta')]; "
        "print(codes, 'data.build' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[200, 200, 200] False"


def test_warming_up_does_what_the_first_request_would_wait_for(data_dir):
    """In a fresh process: after the warm-up the suitability reference of the map's model is
    computed and the zonal kernel loaded, so the first request finds both ready."""
    with rasterio.open(
        data_dir / "solar" / "solar.tif", "r+", IGNORE_COG_LAYOUT_BREAK="YES"
    ) as dst:
        dst.update_tags(SOLAR_MODEL=json.dumps({"step_minutes": 60}))
    code = (
        "from mapservice import create_app; from mapservice.web.resources import warm_up; "
        "from solar.suitability import _reference_irradiation as ref; "
        "from solar.coverage import summarise_polygon as kernel; "
        f"app = create_app({{'data_dir': {str(data_dir)!r}}}); "
        "before = (ref.cache_info().currsize, len(kernel.signatures)); "
        "warm_up(app).join(); "
        "print(before, (ref.cache_info().currsize, len(kernel.signatures)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "(0, 0) (1, 1)"


def test_a_failed_warm_up_is_logged_not_raised(app, data_dir, caplog):
    (data_dir / "minfastighet.gpkg").rename(data_dir / "elsewhere.gpkg")
    with caplog.at_level("WARNING", logger="mapservice.web.resources"):
        warm_up(app).join()
    assert "warming up on" in caplog.text
    assert app.test_client().get("/api/v1/search?q=sundsvall").status_code == 503
