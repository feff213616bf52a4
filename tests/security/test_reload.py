"""Imports show while the service runs: a served app (waitress, several threads) that answers
requests during an import answers from the new layer within a second of the swap, in every
thread, and never from a mixture of versions."""

from __future__ import annotations

import concurrent.futures
import json
import shutil
import threading
import time
import urllib.request

import pyogrio
import pytest
import waitress

from layers.importer import import_layer
from mapservice import create_app
from mapservice.web.resources import close

THREADS = 4


@pytest.fixture
def served(sample, tmp_path):
    """(base URL, data directory) of the app served by waitress on a loopback port."""
    data = tmp_path / "data"
    shutil.copytree(sample.directory, data)
    app = create_app({"TESTING": True, "data_dir": str(data)})
    server = waitress.create_server(app, host="127.0.0.1", port=0, threads=THREADS)
    closing = threading.Event()

    def run():
        try:
            server.run()
        except OSError:  # the listening socket closed under select(), as webtest's server knows
            if not closing.is_set():
                raise

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.effective_port}", data
    closing.set()
    server.task_dispatcher.shutdown()
    server.close()
    thread.join(5)
    for channel in list(server._map.values()):  # connections the clients left open
        channel.close()
    close(app)


def plan_ids(base):
    url = f"{base}/ogc/collections/plans/items?f=json&limit=100"
    with urllib.request.urlopen(url, timeout=10) as response:
        body = json.load(response)
    assert body["numberMatched"] == len(body["features"])  # one version within a request
    return frozenset(f["id"] for f in body["features"])


def test_an_import_shows_in_every_thread_within_a_second(served, tmp_path):
    base, data = served
    plans = pyogrio.read_dataframe(data / "minfastighet.gpkg", layer="plans")
    before = frozenset(plans["plan_id"])
    kept = plans.iloc[:2]
    source = tmp_path / "detaljplaner.gpkg"
    pyogrio.write_dataframe(kept, source)
    after = frozenset(kept["plan_id"])
    assert before != after
    seen: list[frozenset] = []
    stop = threading.Event()

    def keep_asking():
        while not stop.is_set():
            seen.append(plan_ids(base))

    with (
        concurrent.futures.ThreadPoolExecutor(THREADS) as background,
        concurrent.futures.ThreadPoolExecutor(THREADS) as pool,
    ):
        askers = [background.submit(keep_asking) for _ in range(THREADS)]
        try:  # a failed assertion stops the askers too, so the test fails instead of hanging
            while len(seen) < 4 * THREADS:  # every server thread has opened the old store
                assert not any(a.done() for a in askers), [a.result() for a in askers if a.done()]
                time.sleep(0.01)
            import_layer(data / "minfastighet.gpkg", "plans", source)
            swapped = time.monotonic()
            while True:
                answers = list(pool.map(lambda _: plan_ids(base), range(2 * THREADS)))
                if set(answers) == {after}:
                    break
                assert time.monotonic() - swapped < 1.0, "an old layer was still served after 1 s"
        finally:
            stop.set()
        for asker in askers:
            asker.result()
    assert set(seen) <= {before, after}  # the old layer or the new one, never a part
