"""The service as an attacker meets it: a client of the app over the full sample.

``hostile`` is a copy of the full sample in which every text column of every layer (but the
ids and keys the store joins on) holds script: what a malicious or careless import would leave.
"""

from __future__ import annotations

import shutil

import pytest

from mapservice import create_app

#: What an attacker writes into every text field it can reach.
XSS = "<img src=x onerror=alert(1)>"
SCRIPT = "</script><script>alert(2)</script>"
PAYLOAD = f"{XSS}{SCRIPT}\"'><svg onload=alert(3)>"

#: Columns the layers join or look up on: ids, keys and codes whose form the store relies on.
KEYS = {
    "unit_id",
    "part_id",
    "address_id",
    "building_id",
    "plan_id",
    "use_id",
    "rule_id",
    "face_id",
    "designation",
    "designation_key",
    "kommunkod",
    "status",
    "kind",
    "unit_type",
    "category",
    "unit",
    "document",
    "registry_area",
    "trakt",
    "adopted",
    "legal_force",
    "roof_shape",
    "suitability",
    "plan_type",
    "land_form",
    "catalogue_code",
    "letter",
    "postcode",
}


@pytest.fixture(scope="module")
def app(full_sample):
    return create_app({"TESTING": True, "data_dir": str(full_sample.directory)})


@pytest.fixture(scope="module")
def client(app):
    return app.test_client()


@pytest.fixture(scope="module")
def live(app):
    """The app on a loopback port (werkzeug's threaded server); yields ``(host, port)``."""
    import threading

    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield "127.0.0.1", server.server_port
    server.shutdown()
    thread.join(timeout=5)


def fetch(live, target: str, method: str = "GET", headers=None) -> tuple[int, dict, bytes]:
    """One raw HTTP request (no client-side normalisation of the target)."""
    import http.client

    con = http.client.HTTPConnection(*live, timeout=60)
    try:
        con.putrequest(method, target, skip_host=True, skip_accept_encoding=True)
        con.putheader("Host", (headers or {}).get("Host", "localhost"))
        for name, value in (headers or {}).items():
            if name != "Host":
                con.putheader(name, value)
        con.endheaders()
        response = con.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        con.close()


@pytest.fixture(scope="module")
def unit(client):
    """A register unit id of the sample."""
    return client.get("/api/v1/properties?designation=SUNDSVALL BJÖRKÅSEN 2:1").json["unit_id"]


@pytest.fixture(scope="session")
def hostile(full_sample, tmp_path_factory):
    """A copy of the full sample with :data:`PAYLOAD` in every text column of every layer."""
    import geopandas as gpd

    from layers.backends import open_store

    directory = tmp_path_factory.mktemp("hostile") / "sample"
    shutil.copytree(full_sample.directory, directory)
    path = directory / "minfastighet.gpkg"
    with open_store("geopackage", path, writable=True) as store:
        for name in store.layer_names():
            frame = gpd.read_file(path, layer=name)
            for column in frame.columns:
                if column in KEYS or column == frame.geometry.name:
                    continue
                if frame[column].map(type).eq(str).any():
                    frame[column] = [
                        f"{value}{PAYLOAD}" if isinstance(value, str) else value
                        for value in frame[column]
                    ]
            store.replace_layer(name, frame)
    return directory
