"""An import killed with SIGKILL at random moments never leaves a broken layer behind."""

import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import warnings

import pyogrio
from shapely import box

from layers import GeoPackageStore

from .conftest import X0, Y0, frame

CHILD = """
import sys
from layers.importer import import_layer
print("ready", flush=True)
sys.stdin.readline()
import_layer(sys.argv[1], "parcels", sys.argv[2])
print("done", flush=True)
"""


def grid(n, trakt):
    side = int(n**0.5) + 1
    rows = [
        {
            "designation": f"SUNDSVALL {trakt} {k // side + 1}:{k % side + 1}",
            "unit_id": f"{trakt}-{k}",
            "geometry": box(
                X0 + (k % side) * 20,
                Y0 + (k // side) * 20,
                X0 + (k % side) * 20 + 20,
                Y0 + (k // side) * 20 + 20,
            ),
        }
        for k in range(n)
    ]
    return frame(rows)


def parcel_count(path):
    con = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
    try:
        assert con.execute("PRAGMA quick_check").fetchone()[0] == "ok"
        return con.execute("SELECT count(*) FROM parcels").fetchone()[0]
    finally:
        con.close()


def run_child(store, source, kill_after=None):
    """Run one import in a child process; kill it ``kill_after`` seconds after it starts."""
    with subprocess.Popen(
        [sys.executable, "-c", CHILD, str(store), str(source)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    ) as child:
        assert child.stdout.readline().strip() == "ready"
        start = time.perf_counter()
        child.stdin.write("go\n")
        child.stdin.flush()
        if kill_after is None:
            assert child.stdout.readline().strip() == "done"
            elapsed = time.perf_counter() - start
            assert child.wait(timeout=120) == 0
            return elapsed
        time.sleep(kill_after)
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
        return kill_after


def test_sigkill_at_random_moments_leaves_the_layer_intact(tiny_store_path, tmp_path):
    store = tmp_path / "store.gpkg"
    shutil.copyfile(tiny_store_path, store)
    sources = {}
    for n, trakt in ((3000, "ALFA"), (3001, "BETA")):
        sources[n] = tmp_path / f"{trakt}.gpkg"
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            pyogrio.write_dataframe(grid(n, trakt), sources[n])
    duration = run_child(store, sources[3000])  # one undisturbed import sets the time scale
    assert parcel_count(store) == 3000
    rng = random.Random(2281)
    current, seen = 3000, set()
    kills = 12
    # Stratified random moments over the whole import (and a little past it), so that kills
    # land before, during and after the swap; the first is at once, the last surely after.
    moments = [0.0] + [rng.uniform(k, k + 1) / kills * duration * 1.2 for k in range(kills - 2)]
    for attempt, moment in enumerate([*moments, duration * 3]):
        target = 3001 if current == 3000 else 3000
        run_child(store, sources[target], kill_after=moment)
        now = parcel_count(store)
        assert now in (current, target), f"attempt {attempt}: {now} parcels"
        seen.add(now == target)
        current = now
        with GeoPackageStore(store) as reader:  # readable, and its search index agrees
            prefix = "alfa" if now == 3000 else "beta"
            assert reader.suggest_designations(prefix, 1)
    run_child(store, sources[3000])
    leftovers = [p.name for p in tmp_path.iterdir() if ".import-" in p.name]
    assert leftovers == []
    assert seen == {True, False}, "kills landed both before and after the swap"
