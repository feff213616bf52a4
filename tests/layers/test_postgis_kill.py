"""``kill -9`` of a PostGIS import at random moments: each leaves the old or the new layer, the
service keeps working, and a reader querying all the while sees no error."""

from __future__ import annotations

import random
import subprocess
import sys
import threading
import time

import pytest

from layers.features import FeatureQuery
from layers.postgis.copy import copy_from_geopackage
from layers.postgis.store import PostGISStore

#: The importer: swaps in a plans layer of 1500 or 2500 features, over and over.
IMPORTER = """
import sys
import geopandas as gpd
from shapely import box
from layers.postgis.store import PostGISStore

def plans(n):
    rows = [{"plan_id": f"P{i}", "name": "x", "status": "laga kraft",
             "geometry": box(616400 + i % 50 * 10, 6917400 + i // 50 * 10,
                             616405 + i % 50 * 10, 6917405 + i // 50 * 10)} for i in range(n)]
    return gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:3006")

frames = [plans(1500), plans(2500)]
with PostGISStore(sys.argv[1], writable=True) as store:
    print("ready", flush=True)
    for i in range(1000):
        store.replace_layer("plans", frames[i % 2], licence=f"run {i}")
"""

KILLS = 30
SIZES = {1500, 2500}


def _count(store):
    page = store.feature_page(FeatureQuery("plans", (616400, 6917400, 617000, 6918000), (), 1, 0))
    return page.number_matched


@pytest.mark.slow
def test_kill_9_during_imports_leaves_old_or_new_layer(sample, new_database):
    # A database of its own: the importers change the plans layer, which the session's shared
    # sample database (postgis_sample) must keep as the GeoPackage has it.
    postgis_sample = new_database()
    with PostGISStore(postgis_sample, writable=True) as store:
        copy_from_geopackage(sample.vector_path, store)
    rng = random.Random(13)
    errors: list[BaseException] = []
    seen: set[int] = set()
    stop = threading.Event()
    with PostGISStore(postgis_sample, writable=True) as store:
        subprocess.run(
            [sys.executable, "-c", IMPORTER.replace("range(1000)", "range(1)"), postgis_sample],
            check=True,
        )

        def read() -> None:
            with PostGISStore(postgis_sample) as reader:
                while not stop.is_set():
                    try:
                        seen.add(_count(reader))
                        # Sundsvall's: Härnösand, first by key, has no BJÖRKÅSEN 19:8
                        assert "SUNDSVALL" in reader.registry_areas()
                        reader.find_property("SUNDSVALL BJÖRKÅSEN 19:8")
                    except BaseException as err:  # every error counts
                        errors.append(err)

        thread = threading.Thread(target=read)
        thread.start()
        try:
            for _ in range(KILLS):
                child = subprocess.Popen(
                    [sys.executable, "-c", IMPORTER, postgis_sample], stdout=subprocess.PIPE
                )
                assert child.stdout is not None
                child.stdout.readline()
                time.sleep(rng.uniform(0.0, 1.5))
                child.kill()  # SIGKILL
                child.wait()
                child.stdout.close()
                assert _count(store) in SIZES
                assert store.layer_info("plans").count in SIZES
        finally:
            stop.set()
            thread.join()
    assert errors == []
    assert seen <= SIZES
    assert seen
