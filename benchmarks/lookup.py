"""Property lookups, side by side: layers' GeoPackage store against pyogrio (GDAL) queries.

Data: the sample municipality (built into a temporary directory) and the 200 000-parcel store
from ``python benchmarks/lookup_data.py``. Then ``python benchmarks/lookup.py``. In one process,
one after the other, on the same file and the same seeded queries:

- designation: ``store.find_property(text)`` (parse, kommun, all parts) against
  ``pyogrio.read_dataframe(where="designation = …")``;
- address prefix: ``store.suggest_addresses(prefix, 10)`` (case/accent tolerant, ranked)
  against ``read_dataframe(where="label LIKE 'prefix%'", max_features=10)`` (neither);
- point: ``store.properties_at(x, y)`` against ``read_dataframe(bbox=point)`` plus
  ``covers``.

Each lookup is timed on its own (warm store, opened once; ``--repeat`` queries); the table shows
the median and 95th percentile in milliseconds and the ratio peer/layers of the medians.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

import pyogrio
import shapely

from layers import GeoPackageStore

HERE = Path(__file__).resolve().parent
LARGE = HERE / ".data" / "lookup" / "minfastighet.gpkg"


def timed(fn, queries) -> list[float]:
    times = []
    for query in queries:
        start = time.perf_counter()
        fn(query)
        times.append((time.perf_counter() - start) * 1000)
    return times


def queries(path: Path, repeat: int, rng: random.Random):
    import sqlite3

    con = sqlite3.connect(path)
    total = con.execute("SELECT max(fid) FROM parcels").fetchone()[0]
    picks = [rng.randint(1, total) for _ in range(repeat)]
    designations = [
        con.execute("SELECT designation FROM parcels WHERE fid = ?", (f,)).fetchone()[0]
        for f in picks
    ]
    top = con.execute("SELECT max(fid) FROM addresses").fetchone()[0]
    labels = [
        con.execute("SELECT label FROM addresses WHERE fid = ?", (rng.randint(1, top),)).fetchone()[
            0
        ]
        for _ in range(repeat)
    ]
    minx, maxx, miny, maxy = con.execute(
        "SELECT min(minx), max(maxx), min(miny), max(maxy) FROM rtree_parcels_geom"
    ).fetchone()
    con.close()
    # Prefixes as people type them: 2 to 12 characters, lower case half the time.
    prefixes = [label[: rng.randint(2, min(12, len(label)))] for label in labels]
    prefixes = [p.lower() if i % 2 else p for i, p in enumerate(prefixes)]
    points = [(rng.uniform(minx, maxx), rng.uniform(miny, maxy)) for _ in range(repeat)]
    return designations, prefixes, points


def peer_point(path, xy):
    x, y = xy
    frame = pyogrio.read_dataframe(path, layer="parcels", bbox=(x, y, x, y))
    return frame[frame.geometry.covers(shapely.Point(x, y))]


def run(path: Path, repeat: int, seed: int) -> list[tuple]:
    rng = random.Random(seed)
    designations, prefixes, points = queries(path, repeat, rng)
    rows = []
    with GeoPackageStore(path) as store:
        store.find_property(designations[0])  # warm up the page cache
        ours = {
            "designation": timed(store.find_property, designations),
            "address prefix": timed(lambda p: store.suggest_addresses(p, 10), prefixes),
            "point": timed(lambda p: store.properties_at(*p), points),
        }
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        peer = {
            "designation": timed(
                lambda d: pyogrio.read_dataframe(
                    path, layer="parcels", where=f"designation = '{d}'"
                ),
                designations,
            ),
            "address prefix": timed(
                lambda p: pyogrio.read_dataframe(
                    path, layer="addresses", where=f"label LIKE '{p}%'", max_features=10
                ),
                prefixes,
            ),
            "point": timed(lambda p: peer_point(path, p), points),
        }
    for name, times in ours.items():
        median = statistics.median(times)
        p95 = statistics.quantiles(times, n=20)[-1]
        peer_median = statistics.median(peer[name])
        rows.append((name, median, p95, peer_median, peer_median / median))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=500)
    parser.add_argument("--seed", type=int, default=2281)
    parser.add_argument("--large", type=Path, default=LARGE)
    args = parser.parse_args()
    from data import build_sample

    with tempfile.TemporaryDirectory() as tmp:
        sample = build_sample(Path(tmp) / "sample")
        stores = {"sample (679 parcels)": sample.vector_path}
        if args.large.exists():
            stores["generated (200 000 parcels)"] = args.large
        else:
            print(f"{args.large} missing: run python benchmarks/lookup_data.py", file=sys.stderr)
        print(
            f"{'store':<28} {'lookup':<15} {'median ms':>10} {'p95 ms':>8} "
            f"{'pyogrio ms':>11} {'ratio':>7}"
        )
        worst = 0.0
        for label, path in stores.items():
            for name, median, p95, peer, ratio in run(path, args.repeat, args.seed):
                worst = max(worst, median)
                print(
                    f"{label:<28} {name:<15} {median:>10.3f} {p95:>8.3f} {peer:>11.3f} "
                    f"{ratio:>6.1f}×"
                )
    print(f"slowest median: {worst:.3f} ms ({'under' if worst < 5 else 'OVER'} 5 ms)")
    return 0 if worst < 5 else 1


if __name__ == "__main__":
    sys.exit(main())
