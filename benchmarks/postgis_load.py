"""The PostGIS store under load, for ``benchmarks/lookup_postgis.py``: reads during swaps and
concurrent clients against one pool (issue 13, point 6).

- :func:`reads_during_swaps`: reader threads share one read-only :class:`PostGISStore` and ask
  ``plans_over(point)`` and ``features("plans", box)`` while a writer swaps the ``plans`` layer
  again and again between two versions (the plan's name differs) through the store's own
  atomic swap. Every answer must be wholly the old or wholly the new version; an exception or
  a mixed answer is counted as an error.
- :func:`concurrent_clients`: N client threads send the same seeded lookups (designation,
  address prefix, point, bbox page) to one PostGIS store (one pool of ``pool_size``
  connections) or, for the GeoPackage, to one store per thread (SQLite connections belong to
  the thread that opened them, as in the service); requests per second and the 50th/99th
  percentile latency per kind.
"""

from __future__ import annotations

import statistics
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any

import pyogrio
import shapely

from layers import GeoPackageStore
from layers.postgis.store import PostGISStore

#: The name the second version of the plan carries.
NEW_NAME_SUFFIX = " (ny)"


def _plans_versions(gpkg_path) -> tuple[Any, Any]:
    old = pyogrio.read_dataframe(gpkg_path, layer="plans")
    new = old.copy()
    new["name"] = [f"{n}{NEW_NAME_SUFFIX}" for n in old["name"]]
    return old, new


def _read_plans(
    store: PostGISStore, xy: tuple[float, float], kind: int, names: dict[str, set[str]]
) -> tuple[set[str], str | None]:
    """The plan names one read found (the plans at a point, or a page of plans in a 500 m box)
    and the version they all belong to (None: an error or a mixed answer)."""
    x, y = xy
    try:
        if kind:
            found = {p.name for p in store.plans_over(shapely.Point(x, y))}
        else:
            page = store.features("plans", (x - 250, y - 250, x + 250, y + 250), limit=10)
            found = {str(r.properties["name"]) for r in page.features}
    except Exception as err:  # every failure is what is counted
        return {f"{type(err).__name__}: {err}"}, None
    return found, next((k for k, v in names.items() if found and found <= v), None)


def reads_during_swaps(
    dsn: str, gpkg_path, queries: int, readers: int, points: Sequence[tuple[float, float]]
) -> dict[str, Any]:
    """``queries`` reads from ``readers`` threads while the plans layer is swapped; counts."""
    old, new = _plans_versions(gpkg_path)
    names = {"old": set(old["name"]), "new": set(new["name"])}
    extent = shapely.box(*old.total_bounds)
    inside = [xy for xy in points if extent.covers(shapely.Point(xy))] or [
        tuple(extent.centroid.coords[0])
    ]
    counts = {"errors": 0, "old": 0, "new": 0, "swaps": 0}
    errors: list[str] = []
    lock = threading.Lock()
    done = threading.Event()
    per_reader = queries // readers

    def reader(store: PostGISStore, offset: int) -> None:
        for i in range(per_reader):
            found, kind = _read_plans(store, inside[(offset + i) % len(inside)], i % 2, names)
            with lock:
                if kind is None:
                    counts["errors"] += 1
                    errors.append(repr(found))
                else:
                    counts[kind] += 1

    def writer() -> None:
        with PostGISStore(dsn, writable=True) as store:
            frames = (new, old)
            while not done.is_set():
                store.copy_layer("plans", frames[counts["swaps"] % 2], None, None)
                counts["swaps"] += 1
            if counts["swaps"] % 2:  # leave the original version in place
                store.copy_layer("plans", old, None, None)

    start = time.perf_counter()
    with PostGISStore(dsn, pool_size=readers) as store:
        threads = [threading.Thread(target=reader, args=(store, k * 7919)) for k in range(readers)]
        swapper = threading.Thread(target=writer)
        swapper.start()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        done.set()
        swapper.join()
    counts["seconds"] = time.perf_counter() - start
    counts["queries"] = per_reader * readers
    counts["first errors"] = errors[:3]
    return counts


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def _clients(
    open_store: Callable[[], Any], shared: bool, clients: int, calls: list[Callable[[Any], Any]]
) -> tuple[float, list[float], int]:
    """Run ``calls`` split over ``clients`` threads; (wall seconds, latencies ms, errors)."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    barrier = threading.Barrier(clients + 1)
    store = open_store() if shared else None

    def client(k: int) -> None:
        own = store if shared else open_store()
        mine: list[float] = []
        failed = 0
        try:
            barrier.wait()
            for call in calls[k::clients]:
                begin = time.perf_counter()
                try:
                    call(own)
                except Exception:  # counted, as a client would see it
                    failed += 1
                mine.append((time.perf_counter() - begin) * 1000)
        finally:
            if not shared:
                own.close()
        with lock:
            latencies.extend(mine)
            errors[0] += failed

    threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
    for thread in threads:
        thread.start()
    barrier.wait()
    start = time.perf_counter()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - start
    if store is not None:
        store.close()
    return wall, latencies, errors[0]


def concurrent_clients(
    gpkg_path,
    dsn: str,
    cases: dict[str, list[Callable[[Any], Any]]],
    levels: Sequence[int],
    pool_size: int,
) -> list[tuple[str, int, str, float, float, float, int]]:
    """Rows (backend, clients, kind, req/s, p50 ms, p99 ms, errors) for every level and kind."""
    backends: dict[str, tuple[Callable[[], Any], bool]] = {
        "geopackage": (lambda: GeoPackageStore(gpkg_path), False),
        "postgis": (lambda: PostGISStore(dsn, pool_size=pool_size), True),
    }
    rows = []
    for clients in levels:
        for kind, calls in cases.items():
            for backend, (opener, shared) in backends.items():
                wall, latencies, errors = _clients(opener, shared, clients, calls)
                rows.append(
                    (
                        backend,
                        clients,
                        kind,
                        len(latencies) / wall,
                        statistics.median(latencies),
                        _percentile(latencies, 0.99),
                        errors,
                    )
                )
    return rows


__all__ = ["concurrent_clients", "reads_during_swaps"]
