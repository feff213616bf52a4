"""Zonal statistics, side by side: solar.zonal against exactextract and rasterstats.

Data: ``python benchmarks/zonal_data.py`` (16 000² px float32 COG, 20 000 parcels tiling 8 × 8
km). Then ``python benchmarks/zonal.py``. Every measurement runs in a fresh process (so peak
memory is its own), one after the other in one run, on the same raster and polygons, for count,
sum, mean, min and max (solar.zonal also computes four class areas; exactextract and
rasterstats are not asked for them, which only favours them). Prints a table and writes
``benchmarks/.data/zonal/results.json``.

- batch: all parcels (and 5 000 and 10 000 for the memory curve); throughput in parcels/s
  (best of ``--repeat`` alternating runs), peak RSS in MiB (the highest seen). rasterstats
  runs once, on ``--rasterstats-sample`` parcels.
- accuracy: share of parcels whose mean is within 1 % of exactextract's.
- single warm: raster open, one parcel at a time; single cold: open the raster, one parcel,
  close. Both tools interleaved parcel by parcel in one process (medians of ``--single``
  parcels each, wall and CPU time).

exactextract reads rasters with its C++ GDAL reader only when GDAL's Python bindings (osgeo)
import, else through rasterio in Python (slower). The bindings are not on PyPI as wheels; build
them once for the system GDAL into ``benchmarks/.data/gdal-python``, which the workers then
put on their path (the table says which reader exactextract used)::

    apt-get install -y libgdal-dev && pip install wheel
    pip install --no-build-isolation --target benchmarks/.data/gdal-python \
        "gdal==$(gdal-config --version)"
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
DATA = HERE / ".data" / "zonal"
#: GDAL's Python bindings for exactextract's own GDAL reader (see the module docstring).
GDAL_PYTHON = HERE / ".data" / "gdal-python"
OPS = ["count", "sum", "mean", "min", "max"]
EDGES = [600.0, 800.0, 1000.0]
NODATA = -9999.0


def _parcels(n: int | None):
    import geopandas as gpd

    frame = gpd.read_file(DATA / "parcels.gpkg", layer="parcels", engine="pyogrio")
    if n is None:
        return frame
    # a contiguous area growing southwards: n parcels cover n/20 000 of the map
    centre = frame.geometry.centroid
    order = np.lexsort((centre.x.to_numpy(), -np.floor(centre.y.to_numpy() / 100.0)))
    return frame.iloc[order[:n]].reset_index(drop=True)


def _rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def batch_minfastighet(n, raster):
    from solar.raster import CogMosaic
    from solar.zonal import zonal_table

    frame = _parcels(n)
    geoms = frame.geometry.values
    base = _rss_mib()
    start = time.perf_counter()
    with CogMosaic([raster], options={"GDAL_CACHEMAX": 32}) as source:
        table = zonal_table(source, geoms, edges=EDGES)
    seconds = time.perf_counter() - start
    np.save(DATA / f"mean_minfastighet_{len(frame)}.npy", table.mean)
    return {"seconds": seconds, "rss_mib": _rss_mib(), "rss_before_mib": base}


def batch_exactextract(n, raster):
    from exactextract import exact_extract

    frame = _parcels(n)
    base = _rss_mib()
    start = time.perf_counter()
    result = exact_extract(str(raster), frame, OPS, output="pandas")
    seconds = time.perf_counter() - start
    np.save(DATA / f"mean_exactextract_{len(frame)}.npy", result["mean"].to_numpy(float))
    return {
        "seconds": seconds,
        "rss_mib": _rss_mib(),
        "rss_before_mib": base,
        "reader": _exactextract_reader(raster),
    }


def _exactextract_reader(raster) -> str:
    from exactextract.exact_extract import prep_raster

    return type(prep_raster(str(raster))[0]).__name__


def batch_rasterstats(n, raster):
    from rasterstats import zonal_stats

    frame = _parcels(n)
    base = _rss_mib()
    start = time.perf_counter()
    result = zonal_stats(list(frame.geometry.values), str(raster), stats=OPS, nodata=NODATA)
    seconds = time.perf_counter() - start
    return {
        "seconds": seconds,
        "rss_mib": _rss_mib(),
        "rss_before_mib": base,
        "parcels": len(result),
    }


def _sample(count: int):
    frame = _parcels(None)
    pick = np.random.default_rng(7).choice(len(frame), count, replace=False)
    return frame.geometry.values[pick]


def _timed(call, *args) -> tuple[float, float]:
    """Wall and CPU (this thread) milliseconds of one call."""
    wall, cpu = time.perf_counter(), time.thread_time()
    call(*args)
    return (time.perf_counter() - wall) * 1000, (time.thread_time() - cpu) * 1000


def single(count, raster):
    """One parcel at a time, the two tools interleaved parcel by parcel in one process, so the
    load of a shared machine falls on both alike. Medians of wall and CPU time."""
    import shapely
    from exactextract import exact_extract
    from exactextract.exact_extract import prep_raster

    from solar.raster import CogMosaic
    from solar.zonal import zonal_stats

    geoms = _sample(2 * count)
    features = [
        [{"type": "Feature", "properties": {}, "geometry": shapely.geometry.mapping(g)}]
        for g in geoms
    ]
    theirs_source = prep_raster(str(raster))

    def cold_ours(g):
        with CogMosaic([raster]) as source:
            zonal_stats(source, g, EDGES)

    times = {key: [] for key in ("warm_ours", "warm_theirs", "cold_ours", "cold_theirs")}
    with CogMosaic([raster]) as source:
        zonal_stats(source, geoms[0], EDGES)  # load the compiled kernels once
        exact_extract(theirs_source, features[0], OPS)
        for i in range(count):  # each tool gets its own parcels: no block is decoded twice
            a, b = 2 * i, 2 * i + 1
            times["warm_ours"].append(_timed(zonal_stats, source, geoms[a], EDGES))
            times["warm_theirs"].append(_timed(exact_extract, theirs_source, features[b], OPS))
    for i in range(count):
        a, b = 2 * i + 1, 2 * i
        times["cold_ours"].append(_timed(cold_ours, geoms[a]))
        times["cold_theirs"].append(_timed(exact_extract, str(raster), features[b], OPS))
    result = {"reader": type(theirs_source[0]).__name__}
    for key, pairs in times.items():
        result[f"{key}_wall_ms"] = statistics.median(p[0] for p in pairs)
        result[f"{key}_cpu_ms"] = statistics.median(p[1] for p in pairs)
    return result


WORKERS = {
    "batch_minfastighet": batch_minfastighet,
    "batch_exactextract": batch_exactextract,
    "batch_rasterstats": batch_rasterstats,
    "single": single,
}


def _run(worker: str, n: int | None, raster: Path) -> dict:
    command = [sys.executable, __file__, "--worker", worker, "--raster", str(raster)]
    if n is not None:
        command += ["--n", str(n)]
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    if GDAL_PYTHON.is_dir():  # exactextract reads through GDAL itself when osgeo imports
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(GDAL_PYTHON), env.get("PYTHONPATH")]))
    done = subprocess.run(command, capture_output=True, text=True, check=False, env=env)
    if done.returncode:
        raise SystemExit(f"{worker} failed:\n{done.stderr}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    print(f"  {worker} n={n}: {result}", flush=True)
    return result


def _accuracy(n: int) -> dict:
    ours = np.load(DATA / f"mean_minfastighet_{n}.npy")
    theirs = np.load(DATA / f"mean_exactextract_{n}.npy")
    both = np.isfinite(ours) & np.isfinite(theirs)
    relative = np.abs(ours[both] - theirs[both]) / np.maximum(np.abs(theirs[both]), 1e-9)
    agree = np.isfinite(ours) == np.isfinite(theirs)
    agree[both] = relative <= 0.01
    return {
        "within_1pct": float(agree.mean()),
        "max_relative": float(relative.max()),
        "parcels": int(n),
    }


def _best_of(n: int, raster: Path, repeat: int) -> dict:
    """Each tool ``repeat`` times, alternating; the fastest run of each (as timeit does: the
    others were slowed by the rest of a shared machine) with the highest peak memory seen."""
    runs = {"minfastighet": [], "exactextract": []}
    for _ in range(repeat):
        for name, done in runs.items():
            done.append(_run(f"batch_{name}", n, raster))
    best = {}
    for name, done in runs.items():
        best[name] = {
            **min(done, key=lambda r: r["seconds"]),
            "rss_mib": max(r["rss_mib"] for r in done),
            "all_seconds": [round(r["seconds"], 2) for r in done],
        }
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--worker", choices=sorted(WORKERS))
    parser.add_argument("--n", type=int)
    parser.add_argument("--raster", type=Path, default=DATA / "irradiation.tif")
    parser.add_argument("--sizes", default="5000,10000,20000")
    parser.add_argument("--rasterstats-sample", type=int, default=2000)
    parser.add_argument("--single", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each batch, best kept")
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(WORKERS[args.worker](args.n, args.raster)))
        return
    if not args.raster.exists():
        raise SystemExit(f"no benchmark data at {args.raster}: run benchmarks/zonal_data.py")
    results = {"batch": {}, "single": {}}
    for n in (int(s) for s in args.sizes.split(",")):
        results["batch"][n] = _best_of(n, args.raster, args.repeat)
        results["batch"][n]["accuracy"] = _accuracy(n)
    rs = _run("batch_rasterstats", args.rasterstats_sample, args.raster)
    results["batch"]["rasterstats_sample"] = rs
    results["single"] = _run("single", args.single, args.raster)
    (DATA / "results.json").write_text(json.dumps(results, indent=2))
    report(results, args.rasterstats_sample)


def report(results: dict, rasterstats_sample: int) -> None:
    print("\nbatch (parcels/s, peak RSS MiB)")
    for n, row in results["batch"].items():
        if n == "rasterstats_sample":
            continue
        ours, theirs = row["minfastighet"], row["exactextract"]
        print(
            f"  n={n:>6}: minfastighet {n / ours['seconds']:8.0f}/s {ours['rss_mib']:7.0f} MiB"
            f" | exactextract {n / theirs['seconds']:8.0f}/s {theirs['rss_mib']:7.0f} MiB"
            f" | throughput ×{theirs['seconds'] / ours['seconds']:.2f}"
            f" | memory ×{ours['rss_mib'] / theirs['rss_mib']:.2f}"
            f" | means within 1 %: {row['accuracy']['within_1pct']:.4%}"
        )
    rs = results["batch"]["rasterstats_sample"]
    print(
        f"  rasterstats: {rasterstats_sample / rs['seconds']:.0f}/s on "
        f"{rasterstats_sample} parcels, {rs['rss_mib']:.0f} MiB"
    )
    one = results["single"]
    for mode in ("warm", "cold"):
        wall = one[f"{mode}_ours_wall_ms"] / one[f"{mode}_theirs_wall_ms"]
        cpu = one[f"{mode}_ours_cpu_ms"] / one[f"{mode}_theirs_cpu_ms"]
        print(
            f"single {mode}: {one[f'{mode}_ours_wall_ms']:.3f} ms vs "
            f"{one[f'{mode}_theirs_wall_ms']:.3f} ms wall (×{wall:.2f}), "
            f"{one[f'{mode}_ours_cpu_ms']:.3f} ms vs {one[f'{mode}_theirs_cpu_ms']:.3f} ms "
            f"CPU (×{cpu:.2f})"
        )
    print(f"exactextract reads with {one['reader']}")


if __name__ == "__main__":
    main()
