"""Fixtures shared by every test package.

``sample`` builds the fictitious sample municipality once per test session into a temporary
directory (a few seconds), so tests never depend on files outside their own run.

``pytest --data-from=kommun-build`` runs the same tests on a data directory that
``minfastighet kommun build`` made from the test delivery in the national products' schemas
(tests/national/deliveries.py) instead: ``sample`` and ``full_sample`` are then that directory,
and the tests listed in :data:`SAMPLE_FACTS` (they assert names or counts of the sample) are
skipped, each with its reason.

``browser`` is Debian's Chromium driven by Playwright, launched once per session for every
package that opens pages (tests/browser, tests/security): Playwright's sync API allows only one
``sync_playwright`` at a time in a thread.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from data import Dataset, build_sample

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

#: Tests that assert facts of the fictitious sample (its designations, names, counts, solar
#: figures), by node id prefix, with why they cannot hold on a ``kommun build`` directory.
_WEB = "tests/mapservice/web/"
SAMPLE_FACTS: dict[str, str] = {
    f"{_WEB}test_ogc.py::test_collections_include_roof_faces_with_layer_information": (
        "counts the sample's hundreds of features"
    ),
    f"{_WEB}test_ogc.py::test_items_page_with_links_and_counts": "pages through >100 parcels",
    f"{_WEB}test_ogc.py::test_bbox_selects_exactly_what_intersects": (
        "a box in the sample's neighbourhood with >10 parcels"
    ),
    f"{_WEB}test_ogc.py::test_an_imported_layer_shows_its_source_licence": (
        "the sample's layers carry no import record; kommun build records every import"
    ),
    f"{_WEB}test_api.py::test_search_suggests_designations_and_addresses": (
        "searches the sample's BJÖRKÅSEN and Björkåsgränd"
    ),
    f"{_WEB}test_api.py::test_the_whole_report_by_id_and_by_designation": (
        "looks the sample's 'Björkåsen 2:1' up by name"
    ),
    f"{_WEB}test_api.py::test_properties_in_a_box": "a box in the sample's neighbourhood",
    f"{_WEB}test_property_page.py::test_start_page_has_search_map_and_notice": (
        "the fictitious-data notice: a kommun build directory holds real deliveries"
    ),
    f"{_WEB}test_app.py::test_start_page_shows_the_data_and_says_it_is_fictitious": (
        "the fictitious-data notice: a kommun build directory holds real deliveries"
    ),
    f"{_WEB}test_property_page.py::test_results_without_javascript": (
        "searches the sample's designations"
    ),
    f"{_WEB}test_property_page.py::test_designation_urls_redirect_to_the_id": (
        "URLs of the sample's designations"
    ),
    f"{_WEB}test_property_page.py::test_report_page_has_every_section": (
        "asserts the sample property's designation on the page"
    ),
    f"{_WEB}test_property_page.py::test_pdf_is_a4_with_the_report_text": (
        "asserts the sample property's designation in the PDF"
    ),
    f"{_WEB}test_ogc_clients.py::test_gdal_spatial_filter_matches_the_store": (
        "a box in the sample's neighbourhood with >10 buildings"
    ),
    f"{_WEB}test_ogc_clients.py::test_owslib_crs_and_bbox_crs": (
        "a box in the sample's neighbourhood"
    ),
    f"{_WEB}test_property_page.py::test_plan_document_is_served_from_the_data": (
        "the sample's plan ids and HTML documents"
    ),
}


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--data-from",
        choices=("sample", "kommun-build"),
        default="sample",
        help="the data directory of the sample fixtures: the generated sample (default) or "
        "one built by 'minfastighet kommun build' from the test delivery",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--data-from") != "kommun-build":
        return
    for item in items:
        for prefix, reason in SAMPLE_FACTS.items():
            if item.nodeid.startswith(prefix):
                item.add_marker(pytest.mark.skip(reason=f"sample fact: {reason}"))


@pytest.fixture(scope="session")
def kommun_built(tmp_path_factory) -> Dataset:
    """A data directory made by ``kommun build --kommun 2281`` from the test delivery."""
    from click.testing import CliRunner

    from mapservice.commands.main import main
    from tests.national.deliveries import write_delivery

    delivery = write_delivery(tmp_path_factory.mktemp("delivery") / "leverans")
    out = tmp_path_factory.mktemp("kommun-build") / "data"
    args = ["kommun", "build", "--kommun", "2281", "--from", str(delivery), "--out", str(out)]
    result = CliRunner().invoke(main, [*args, "--scan-date", "2024-05-20"])
    assert result.exit_code == 0, result.output
    return Dataset.read(out)


@pytest.fixture(scope="session")
def sample(request, tmp_path_factory) -> Dataset:
    """The sample municipality, built once per session."""
    if request.config.getoption("--data-from") == "kommun-build":
        return request.getfixturevalue("kommun_built")
    return build_sample(tmp_path_factory.mktemp("sample") / "sample")


@pytest.fixture(scope="session")
def full_sample(request, tmp_path_factory) -> Dataset:
    """The sample with its solar map and STAC catalog, as ``minfastighet sample-data`` builds
    it (about half a minute, once per session): for reports, pages and browser tests."""
    if request.config.getoption("--data-from") == "kommun-build":
        return request.getfixturevalue("kommun_built")
    from mapservice.commands.sample_data import roof_faces_step, solar_step

    return build_sample(
        tmp_path_factory.mktemp("full-sample") / "sample", steps=(solar_step, roof_faces_step)
    )


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium (headless) for the whole session; the one ``sync_playwright``."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (see README)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


SERVE_CODE = "from mapservice.commands.main import main; main()"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serve_process(data_dir, threads: int = 4, workers: int = 1):
    """Yield the base URL of ``minfastighet serve`` on ``data_dir``; stop it afterwards."""
    port = _free_port()
    options = ("--threads", str(threads), "--workers", str(workers))
    env = {
        **os.environ,
        "MINFASTIGHET_DATA_DIR": str(data_dir),
        "MINFASTIGHET_LOG_LEVEL": "WARNING",
    }
    process = subprocess.Popen(
        [sys.executable, "-c", SERVE_CODE, "serve", "--port", str(port), *options],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=1).close()
                break
            except OSError:
                if process.poll() is not None:
                    raise RuntimeError("the service did not start") from None
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="session")
def serve():
    """``serve(data_dir, threads=4, workers=1)``: a context manager that runs ``minfastighet
    serve`` on ``data_dir`` in its own process on a free loopback port and yields its base URL
    (for real HTTP clients: GDAL holds the GIL while it reads, so a server thread in the test
    process would starve)."""
    return serve_process


@pytest.fixture(scope="session")
def postgis_server(tmp_path_factory):
    """A throw-away PostgreSQL + PostGIS cluster for the session (tests/pgcluster.py); the
    PostGIS tests are skipped, saying why, where the server binaries are not installed."""
    import importlib.util
    import sys

    spec = importlib.util.spec_from_file_location(
        "pgcluster", Path(__file__).with_name("pgcluster.py")
    )
    pgcluster = importlib.util.module_from_spec(spec)
    sys.modules["pgcluster"] = pgcluster  # its dataclass looks its module up
    spec.loader.exec_module(pgcluster)
    server_bindir, start_cluster = pgcluster.server_bindir, pgcluster.start_cluster
    if server_bindir() is None:
        pytest.skip("PostgreSQL + PostGIS not installed (apt-get install postgresql-15-postgis-3)")
    import tempfile

    # Its own directory under the system's temp dir: as root the server runs as nobody, who
    # may not enter pytest's private (0700) temp tree.
    cluster = start_cluster(Path(tempfile.mkdtemp(prefix="minfastighet-pg-")) / "cluster")
    yield cluster
    cluster.stop()


@pytest.fixture(scope="session")
def new_database(postgis_server):
    """Make a fresh database with the project's schema; returns its DSN."""
    import itertools

    import psycopg

    from layers.postgis.store import init_database

    counter = itertools.count()

    def make(schema: bool = True) -> str:
        name = f"test_{next(counter)}"
        with psycopg.connect(postgis_server.dsn, autocommit=True) as con:
            con.execute(f"CREATE DATABASE {name}")
        dsn = postgis_server.dsn.rsplit("/", 1)[0] + "/" + name
        if schema:
            init_database(dsn)
        return dsn

    return make


@pytest.fixture(scope="session")
def postgis_copy(new_database):
    """Copy a data set's GeoPackage into a PostGIS database of its own with ``db copy-from``'s
    code, once per session and data set; returns its DSN."""
    from layers.postgis.copy import copy_from_geopackage
    from layers.postgis.store import PostGISStore

    copies: dict[str, str] = {}

    def copy(dataset: Dataset) -> str:
        key = str(dataset.vector_path)
        if key not in copies:
            dsn = new_database()
            with PostGISStore(dsn, writable=True) as store:
                copy_from_geopackage(dataset.vector_path, store)
            copies[key] = dsn
        return copies[key]

    return copy


@pytest.fixture(scope="session")
def postgis_sample(sample, postgis_copy) -> str:
    """The DSN of a database holding the sample, loaded with ``db copy-from``'s code."""
    return postgis_copy(sample)


#: The vector store backends the suites marked ``both_backends`` run on.
BACKENDS = ("geopackage", "postgis")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Tests marked ``both_backends`` (module or function) that use ``store_backend`` (directly
    or through the app, client and store fixtures) run once per backend; the rest on the
    GeoPackage store alone."""
    if "store_backend" in metafunc.fixturenames and metafunc.definition.get_closest_marker(
        "both_backends"
    ):
        metafunc.parametrize("store_backend", BACKENDS, scope="session")


@pytest.fixture(scope="session")
def store_backend() -> str:
    """The vector store backend of a test not marked ``both_backends``."""
    return "geopackage"


@pytest.fixture(scope="session")
def vector_config(store_backend, request):
    """The service settings that put a data set's vector store on ``store_backend``: none for
    the GeoPackage in its directory, the DSN of its PostGIS copy for PostGIS (the cluster is
    started only when a test asks for PostGIS)."""
    if store_backend == "geopackage":
        return lambda dataset: {}
    copy = request.getfixturevalue("postgis_copy")
    return lambda dataset: {"vector_store": "postgis", "vector_dsn": copy(dataset)}


@pytest.fixture(scope="session")
def open_vector_store(store_backend, vector_config):
    """Open a data set's vector store on ``store_backend`` (read-only)."""
    from layers import open_store

    def opener(dataset: Dataset):
        config = vector_config(dataset)
        return open_store(
            config.get("vector_store", "geopackage"),
            config.get("vector_dsn", dataset.vector_path),
        )

    return opener
