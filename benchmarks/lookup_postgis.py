"""The PostGIS store, side by side: against the GeoPackage store and pygeoapi's PostgreSQL provider.

Run it (about 3 minutes on an idle 2-core machine, 70 s of which copy the data into PostGIS;
7.8 minutes at a load average of 20–35, the copy 264 s of it)::

    pip install -e '.[test,bench]'     # pygeoapi, psycopg2-binary and geoalchemy2 (its provider)
    python benchmarks/lookup_data.py   # once: benchmarks/.data/lookup/minfastighet.gpkg (~1 min)
    python benchmarks/lookup_postgis.py [--repeat 300] [--dsn postgresql://…] [--parts 1 2 3 4]

Data: the 200 000-parcel store from ``lookup_data.py``, copied with ``db copy-from``'s code into
a throw-away PostgreSQL + PostGIS cluster (tests/pgcluster.py: Debian's ``postgresql`` and
``postgresql-15-postgis-3``), or into the database ``--dsn`` names when it already holds that
copy (no copy then). Four parts, all in one run, the load average (``os.getloadavg``) printed
beside them:

1. Lookups: both stores answer the same seeded queries (designation, address prefix, point,
   a 500 m bbox page of 100 parcels through ``LayerStore.features``), taking turns query by
   query and then every 10 queries; every answer is checked equal. Median and 95th percentile
   in ms, ratio PostGIS/GeoPackage of the medians (target: point and designation within 3×).
   On a loaded machine the two orders give different ratios, in no fixed direction
   (docs/LAYERS.md), so both are printed; turns of 10 still share the machine's drift.
2. OGC bbox pages against pygeoapi's ``PostgreSQLProvider`` on the same ``parcels`` table, both
   in-process, no HTTP on either side: ours is what the items view does for a page
   (``LayerStore.features`` and ``feature_bodies``, in SWEREF 99 TM), pygeoapi's
   is ``provider.query`` (SQLAlchemy + GeoAlchemy), each page then serialised with
   ``json.dumps``. Same seeded 500 m boxes, limit 100, interleaved, both in ``fid`` order (the
   provider sorts by it) so the same feature ids are checked. Ratio pygeoapi/ours (target ≥ 2).
3. Reads during swaps: ``--swap-queries`` (10 000) reads of the plans layer from 4 threads while
   it is swapped again and again (``postgis_load.reads_during_swaps``): errors (target 0).
4. Concurrent clients: 8 and 32 threads against one PostGIS pool of ``--pool-size`` connections
   and against the GeoPackage (a store per thread): req/s, p50 and p99 per kind.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from lookup import LARGE, queries  # noqa: E402  # the lookup benchmark's data and queries
from postgis_load import concurrent_clients, reads_during_swaps  # noqa: E402

from layers import GeoPackageStore  # noqa: E402
from layers.postgis.copy import copy_from_geopackage  # noqa: E402
from layers.postgis.store import PostGISStore, init_database  # noqa: E402

TM = "http://www.opengis.net/def/crs/EPSG/0/3006"


def _cluster_module():
    spec = importlib.util.spec_from_file_location(
        "pgcluster", HERE.parent / "tests" / "pgcluster.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules["pgcluster"] = module
    spec.loader.exec_module(module)
    return module


def _load() -> str:
    return "load average {:.1f} {:.1f} {:.1f}".format(*os.getloadavg())


def _timed(fn, arg) -> tuple[float, object]:
    start = time.perf_counter()
    answer = fn(arg)
    return (time.perf_counter() - start) * 1000, answer


def _box(xy, half: float = 250.0) -> tuple[float, float, float, float]:
    return (xy[0] - half, xy[1] - half, xy[0] + half, xy[1] + half)


def lookup_cases(designations, prefixes, points) -> dict:
    """The four lookups: name -> (store -> function of one argument, arguments)."""
    return {
        "designation": (lambda s: s.find_property, designations),
        "address prefix": (lambda s: lambda q: s.suggest_addresses(q, 10), prefixes),
        "point": (lambda s: lambda xy: s.properties_at(*xy), points),
        "bbox page (OGC)": (
            lambda s: lambda xy: s.features("parcels", _box(xy), limit=100),
            points,
        ),
    }


def lookups(gpkg, pg, cases: dict, block: int) -> list[tuple]:
    """Each lookup on both stores, taking turns every ``block`` queries; answers checked."""
    rows = []
    for name, (make, args) in cases.items():
        ours, theirs = make(pg), make(gpkg)
        theirs(args[0]), ours(args[0])  # warm: caches, prepared statements
        t_pg, t_gpkg = [], []
        for start in range(0, len(args), block):
            chunk = args[start : start + block]
            timed_pg = [_timed(ours, arg) for arg in chunk]
            timed_gpkg = [_timed(theirs, arg) for arg in chunk]
            for arg, (a, answer_pg), (b, answer_gpkg) in zip(
                chunk, timed_pg, timed_gpkg, strict=True
            ):
                assert answer_pg == answer_gpkg, (name, arg)
                t_pg.append(a)
                t_gpkg.append(b)
        rows.append((name, t_gpkg, t_pg))
    return rows


def pygeoapi_provider(dsn: str):
    """pygeoapi's PostgreSQL provider on our ``parcels`` table (feature id ``part_id``)."""
    import psycopg
    from pygeoapi.provider.sql import PostgreSQLProvider

    info = psycopg.conninfo.conninfo_to_dict(dsn)
    with warnings.catch_warnings():  # SQLAlchemy: part_id replaces fid as the primary key
        warnings.simplefilter("ignore")
        return PostgreSQLProvider(
            {
                "name": "PostgreSQL",
                "type": "feature",
                "data": {
                    "host": info.get("host", "127.0.0.1"),
                    "port": info.get("port", 5432),
                    "dbname": info["dbname"],
                    "user": info.get("user"),
                    "password": info.get("password"),
                    "search_path": ["public"],
                },
                "id_field": "part_id",
                "table": "parcels",
                "geom_field": "geom",
                "storage_crs": TM,
            }
        )


def ogc_pages(pg, dsn: str, points) -> tuple[list[float], list[float], int]:
    """Interleaved bbox pages, ours and pygeoapi's; (ms ours, ms pygeoapi, same answers)."""
    from mapservice.web.ogc.documents import feature_bodies

    provider = pygeoapi_provider(dsn)
    info = pg.layer_info("parcels")

    def ours(xy) -> list[str]:
        page = pg.features("parcels", _box(xy), limit=100)
        body = {
            "type": "FeatureCollection",
            "features": feature_bodies(page.features, info, TM),
            "numberMatched": page.number_matched,
            "numberReturned": len(page.features),
        }
        json.dumps(body)
        return [f["id"] for f in body["features"]]

    def theirs(xy) -> list[str]:
        body = provider.query(
            offset=0, limit=100, bbox=list(_box(xy)), sortby=[{"property": "fid", "order": "+"}]
        )
        json.dumps(body, default=str)
        return [f["id"] for f in body["features"]]

    ours(points[0]), theirs(points[0])  # warm: pools, reflection, prepared statements
    t_ours, t_theirs, same = [], [], 0
    for xy in points:
        a, ids_a = _timed(ours, xy)
        b, ids_b = _timed(theirs, xy)
        same += ids_a == ids_b
        t_ours.append(a)
        t_theirs.append(b)
    return t_ours, t_theirs, same


def _p95(values: list[float]) -> float:
    return sorted(values)[int(0.95 * (len(values) - 1))]


def _copied(dsn: str) -> None:
    init_database(dsn)
    start = time.perf_counter()
    with PostGISStore(dsn, writable=True) as store:
        copied = copy_from_geopackage(LARGE, store)
    print(
        f"copy-from: {copied['parcels']} parcels, {time.perf_counter() - start:.1f} s ({_load()})"
    )


def concurrency_cases(cases: dict, requests: int) -> dict:
    """The same lookups as calls on any store, ``requests`` of each (bbox pages a fifth)."""
    out = {}
    for name, (make, args) in cases.items():
        count = requests // 5 if "bbox" in name else requests
        picked = [args[i % len(args)] for i in range(count)]
        out[name] = [lambda s, a=a, make=make: make(s)(a) for a in picked]
    return out


def report(args, gpkg, pg, dsn: str) -> None:
    designations, prefixes, points = queries(LARGE, args.repeat, random.Random(args.seed))
    cases = lookup_cases(designations, prefixes, points)
    if 1 in args.parts:
        lookup_part(gpkg, pg, cases, args.repeat)
    if 2 in args.parts:
        ogc_part(pg, dsn, points)
    if 3 in args.parts:
        swap_part(dsn, points, args.swap_queries)
    if 4 in args.parts:
        clients_part(dsn, cases, args)


def lookup_part(gpkg, pg, cases: dict, repeat: int) -> None:
    for block in (1, 10):
        print(
            f"\n1. lookups, {repeat} each, the stores taking turns every {block} "
            f"quer{'y' if block == 1 else 'ies'} ({_load()})"
        )
        print(
            f"{'query':18} {'gpkg med':>9} {'p95':>7} {'postgis med':>12} {'p95':>7} {'pg/gpkg':>8}"
        )
        for name, t_gpkg, t_pg in lookups(gpkg, pg, cases, block):
            a, b = statistics.median(t_gpkg), statistics.median(t_pg)
            print(
                f"{name:18} {a:9.2f} {_p95(t_gpkg):7.2f} {b:12.2f} {_p95(t_pg):7.2f} {b / a:8.2f}"
            )
        print(f"({_load()})")


def ogc_part(pg, dsn: str, points) -> None:
    print(f"\n2. OGC bbox pages (500 m, limit 100), in-process, interleaved ({_load()})")
    t_ours, t_theirs, same = ogc_pages(pg, dsn, points)
    a, b = statistics.median(t_ours), statistics.median(t_theirs)
    print(
        f"{'':10} {'ours med':>9} {'p95':>7} {'pygeoapi med':>13} {'p95':>7} {'pygeoapi/ours':>14}"
    )
    print(
        f"{'parcels':10} {a:9.2f} {_p95(t_ours):7.2f} {b:13.2f} {_p95(t_theirs):7.2f} "
        f"{b / a:14.2f}   same ids: {same}/{len(points)} ({_load()})"
    )


def swap_part(dsn: str, points, queries: int) -> None:
    print(f"\n3. reads during swaps of the plans layer ({_load()})")
    swaps = reads_during_swaps(dsn, LARGE, queries, 4, points)
    print(
        f"{swaps['queries']} queries from 4 threads in {swaps['seconds']:.1f} s during "
        f"{swaps['swaps']} swaps: {swaps['errors']} errors, {swaps['old']} answers from the old "
        f"version, {swaps['new']} from the new ({_load()})"
    )
    for line in swaps["first errors"]:
        print("  error:", line)


def clients_part(dsn: str, cases: dict, args) -> None:
    print(f"\n4. concurrent clients, PostGIS pool of {args.pool_size} ({_load()})")
    print(f"{'backend':11} {'clients':>7} {'kind':18} {'req/s':>8} {'p50 ms':>7} {'p99 ms':>7} err")
    rows = concurrent_clients(
        LARGE, dsn, concurrency_cases(cases, args.requests), args.clients, args.pool_size
    )
    for backend, clients, kind, rate, p50, p99, errors in rows:
        print(f"{backend:11} {clients:7d} {kind:18} {rate:8.0f} {p50:7.2f} {p99:7.2f} {errors}")
    print(f"({_load()})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=300, help="queries per lookup kind")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--dsn", help="a database already holding the copy (no cluster, no copy)")
    parser.add_argument("--swap-queries", type=int, default=10_000)
    parser.add_argument("--clients", type=int, nargs="+", default=[8, 32])
    parser.add_argument("--pool-size", type=int, default=8)
    parser.add_argument("--requests", type=int, default=2000, help="per kind and client level")
    parser.add_argument("--parts", type=int, nargs="+", default=[1, 2, 3, 4], help="which parts")
    args = parser.parse_args()
    if not LARGE.is_file():
        print(f"no {LARGE}; run python benchmarks/lookup_data.py first", file=sys.stderr)
        return 1
    cluster = None
    if args.dsn is None:
        work = Path(tempfile.mkdtemp(prefix="mf-bench-pg-"))
        cluster = _cluster_module().start_cluster(work / "c")
    dsn = args.dsn or cluster.dsn
    try:
        if cluster is not None:
            _copied(dsn)
        with GeoPackageStore(LARGE) as gpkg, PostGISStore(dsn) as pg:
            report(args, gpkg, pg, dsn)
    finally:
        if cluster is not None:
            cluster.stop()  # and its directory; then the one it was made in
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
