"""Fixtures shared by every test package.

``sample`` builds the fictitious sample municipality once per test session into a temporary
directory (a few seconds), so tests never depend on files outside their own run.
"""

from __future__ import annotations

import pytest

from data import Dataset, build_sample


@pytest.fixture(scope="session")
def sample(tmp_path_factory) -> Dataset:
    """The sample municipality, built once per session."""
    return build_sample(tmp_path_factory.mktemp("sample") / "sample")


@pytest.fixture(scope="session")
def full_sample(tmp_path_factory) -> Dataset:
    """The sample with its solar map and STAC catalog, as ``minfastighet sample-data`` builds
    it (about half a minute, once per session): for reports, pages and browser tests."""
    from mapservice.commands.sample_data import roof_faces_step, solar_step

    return build_sample(
        tmp_path_factory.mktemp("full-sample") / "sample", steps=(solar_step, roof_faces_step)
    )


@pytest.fixture(scope="session")
def postgis_server(tmp_path_factory):
    """A throw-away PostgreSQL + PostGIS cluster for the session (tests/pgcluster.py); the
    PostGIS tests are skipped, saying why, where the server binaries are not installed."""
    import importlib.util
    import sys
    from pathlib import Path

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
