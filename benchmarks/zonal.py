"""Zonal statistics, side by side: solar.zonal against exactextract and rasterstats.

Data: ``python benchmarks/zonal_data.py`` (16 000² px float32 COG, 20 000 parcels tiling 8 × 8
km; ``--size 8000 --parcels 5000`` for a run of a few minutes). Then ``python
benchmarks/zonal.py``. Both layouts are measured: ours (:data:`solar.cog.PROFILE`,
``irradiation.tif``) and the anchor's (DEFLATE + floating-point predictor, 512 px blocks,
``anchor.tif``). Every measurement runs in a fresh process (so peak
memory is its own), one after the other in one run, on the same raster and polygons, for count,
sum, mean, min and max (solar.zonal also computes four class areas; exactextract and
rasterstats are not asked for them, which only favours them). Prints a table and writes
``benchmarks/.data/zonal/results.json``.

- batch: all parcels (and 5 000 and 10 000 for the memory curve); throughput in parcels/s
  (best of ``--repeat`` alternating runs), peak RSS in MiB (the highest seen). Each tool first
  answers one parcel, untimed: that loads its compiled code (numba's cached kernels for ours,
  about 0.35 s), as the floor loads its kernels before timing; the first call's seconds are
  printed apart. Ours then starts with an empty block cache. rasterstats
  runs once, on ``--rasterstats-sample`` parcels.
- floor: the physical floor of a batch, in the same run: every block of the raster decoded
  once (the same decoder, nothing cached) plus every parcel rasterised once (its vertices
  taken from shapely and its pixel coverage computed by the same compiled kernel), one after
  the other in one thread. The batch's share of the floor is floor time / batch time, in wall
  time and in CPU time (the batch decodes in several threads, so its wall time can beat this
  one-thread floor on an idle machine; on a loaded one only the CPU share says much).
- CPU time is the process's (every thread's), beside every wall time.
- accuracy: share of parcels whose mean is within 1 % of exactextract's.
- single new: raster open, one parcel at a time, parcels not queried before; single
  re-queried: the same parcels again (GDAL's block cache serves exactextract, ours
  :mod:`solar.block_cache`); single cold: open the raster, one parcel, close. Both tools
  interleaved parcel by parcel in one process (medians of ``--single`` parcels each, wall and
  CPU time).

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


def _batch(first, run) -> tuple[object, dict]:
    """``first()`` untimed but for its seconds (it loads the tool's code), then ``run()`` timed:
    its result and the figures every batch worker reports."""
    seconds = time.perf_counter()
    first()
    first_seconds = time.perf_counter() - seconds
    base = _rss_mib()
    start, cpu = time.perf_counter(), time.process_time()
    result = run()
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    return result, {
        "seconds": seconds,
        "cpu_seconds": cpu,
        "first_call_seconds": first_seconds,
        "rss_mib": _rss_mib(),
        "rss_before_mib": base,
    }


def batch_minfastighet(n, raster):
    from solar.block_cache import SHARED
    from solar.raster import CogMosaic
    from solar.zonal import zonal_table

    geoms = _parcels(n).geometry.values

    def table(polygons):
        with CogMosaic([raster], options={"GDAL_CACHEMAX": 32}) as source:
            return zonal_table(source, polygons, edges=EDGES)

    def first():
        table(geoms[:1])  # loads the compiled kernels
        SHARED.clear()  # the timed run decodes every block itself

    result, figures = _batch(first, lambda: table(geoms))
    np.save(DATA / f"mean_minfastighet_{len(geoms)}.npy", result.mean)
    return figures


def batch_exactextract(n, raster):
    from exactextract import exact_extract

    frame = _parcels(n)
    result, figures = _batch(
        lambda: exact_extract(str(raster), frame.iloc[:1], OPS, output="pandas"),
        lambda: exact_extract(str(raster), frame, OPS, output="pandas"),
    )
    np.save(DATA / f"mean_exactextract_{len(frame)}.npy", result["mean"].to_numpy(float))
    return {**figures, "reader": _exactextract_reader(raster)}


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


def floor(n, raster):
    """Seconds to decode every block once and to rasterise every parcel once (see above)."""
    import rasterio

    from solar.block_cache import BlockCache
    from solar.blocks import BlockReader
    from solar.zonal_sweep import _prepare

    geoms = _parcels(n).geometry.values
    with rasterio.open(raster) as src:
        reader = BlockReader.open(src, BlockCache(0))  # nothing kept: every block decoded
        if reader is None:
            raise SystemExit(f"{raster}: not a layout solar.blocks decodes")
        across = -(-src.width // reader.block_width)
        down = -(-src.height // reader.block_height)
        reader.block(0, 0)  # load the predictor's compiled kernel before timing
        start, cpu = time.perf_counter(), time.process_time()
        for by in range(down):
            for bx in range(across):
                reader.block(bx, by)
        decode, decode_cpu = time.perf_counter() - start, time.process_time() - cpu
        reader.close()
        transform = src.transform
    rasterise_all = _rasteriser()
    p = _prepare(geoms[:1], transform)
    rasterise_all(p.u, p.v, p.rings, p.parts, p.geometries, p.windows)  # compile before timing
    start, cpu = time.perf_counter(), time.process_time()
    p = _prepare(geoms, transform)
    covered = rasterise_all(p.u, p.v, p.rings, p.parts, p.geometries, p.windows)
    rasterise, rasterise_cpu = time.perf_counter() - start, time.process_time() - cpu
    return {
        "seconds": decode + rasterise,
        "cpu_seconds": decode_cpu + rasterise_cpu,  # one thread: the wall time when unloaded
        "decode_seconds": decode,
        "rasterise_seconds": rasterise,
        "blocks": across * down,
        "covered_px": covered,
    }


def _rasteriser():
    """A compiled loop: every parcel's pixel coverage, as the zonal kernel computes it."""
    import numba

    from solar.coverage import _coverage_into, _finish

    @numba.njit(nogil=True)
    def rasterise_all(u, v, rings, parts, geometries, windows):
        cov = np.empty(max(1, windows[:, 2].max()) * max(1, windows[:, 3].max()))
        below = np.empty((max(1, windows[:, 2].max()) + 1) * max(1, windows[:, 3].max()))
        run = np.empty(max(1, windows[:, 3].max()))
        covered = 0.0
        for g in range(windows.shape[0]):
            height, width = windows[g, 2], windows[g, 3]
            if geometries[g] == geometries[g + 1]:
                continue
            c = cov[: height * width].reshape((height, width))
            b = below[: (height + 1) * width].reshape((height + 1, width))
            _coverage_into(u, v, rings, parts, geometries[g], geometries[g + 1], c, b)
            _finish(c, b, run)
            covered += c.sum()
        return covered

    return rasterise_all


def _sample(count: int):
    frame = _parcels(None)
    pick = np.random.default_rng(7).choice(len(frame), count, replace=False)
    return frame.geometry.values[pick]


def _timed(call, *args) -> tuple[float, float]:
    """Wall and CPU milliseconds of one call; CPU of the whole process (every thread), since
    ours decodes blocks in worker threads; the calls run one at a time."""
    wall, cpu = time.perf_counter(), time.process_time()
    call(*args)
    return (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000


def single(count, raster):
    """One parcel at a time, the two tools interleaved parcel by parcel in one process, so the
    load of a shared machine falls on both alike. Medians of wall and CPU time."""
    import shapely
    from exactextract import exact_extract
    from exactextract.exact_extract import prep_raster

    from solar.raster import CogMosaic
    from solar.zonal import zonal_stats

    geoms = _sample(4 * count + 1)
    features = [
        [{"type": "Feature", "properties": {}, "geometry": shapely.geometry.mapping(g)}]
        for g in geoms
    ]
    theirs_source = prep_raster(str(raster))

    def cold_ours(g):
        with CogMosaic([raster]) as source:
            zonal_stats(source, g, EDGES)

    keys = [f"{mode}_{tool}" for mode in MODES for tool in ("ours", "theirs")]
    times = {key: [] for key in keys}
    with CogMosaic([raster]) as source:
        zonal_stats(source, geoms[-1], EDGES)  # load the compiled kernels once
        exact_extract(theirs_source, features[-1], OPS)
        for mode in ("new", "requeried"):  # the second pass asks for the same parcels again
            for i in range(count):  # each tool gets its own parcels: no block is decoded twice
                a, b = 2 * i, 2 * i + 1
                times[f"{mode}_ours"].append(_timed(zonal_stats, source, geoms[a], EDGES))
                theirs = _timed(exact_extract, theirs_source, features[b], OPS)
                times[f"{mode}_theirs"].append(theirs)
    for i in range(count):  # parcels neither tool has read yet
        a, b = 2 * (count + i), 2 * (count + i) + 1
        times["cold_ours"].append(_timed(cold_ours, geoms[a]))
        times["cold_theirs"].append(_timed(exact_extract, str(raster), features[b], OPS))
    result = {"reader": type(theirs_source[0]).__name__}
    for key, pairs in times.items():
        result[f"{key}_wall_ms"] = statistics.median(p[0] for p in pairs)
        result[f"{key}_cpu_ms"] = statistics.median(p[1] for p in pairs)
    return result


MODES = ("new", "requeried", "cold")

WORKERS = {
    "floor": floor,
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


def _best_of(n: int | None, raster: Path, repeat: int) -> dict:
    """Each tool (and the floor) ``repeat`` times, alternating; the fastest run of each (as
    timeit does: the others were slowed by the rest of a shared machine) with the highest peak
    memory seen."""
    runs = {"minfastighet": [], "exactextract": [], "floor": []}
    for _ in range(repeat):
        for name, done in runs.items():
            done.append(_run(name if name == "floor" else f"batch_{name}", n, raster))
    best = {}
    for name, done in runs.items():
        best[name] = {
            **min(done, key=lambda r: r["seconds"]),
            "rss_mib": max(r.get("rss_mib", 0.0) for r in done),
            "all_seconds": [round(r["seconds"], 2) for r in done],
        }
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--worker", choices=sorted(WORKERS))
    parser.add_argument("--n", type=int)
    parser.add_argument(
        "--raster",
        type=Path,
        action="append",
        help="a layout to measure (repeatable; default: ours and the anchor's)",
    )
    parser.add_argument("--sizes", default="all", help="batch sizes, e.g. 5000,10000,all")
    parser.add_argument("--rasterstats-sample", type=int, default=2000)
    parser.add_argument("--single", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each batch, best kept")
    args = parser.parse_args()
    rasters = args.raster or [DATA / "irradiation.tif", DATA / "anchor.tif"]
    if args.worker:
        print(json.dumps(WORKERS[args.worker](args.n, rasters[0])))
        return
    for raster in rasters:
        if not raster.exists():
            raise SystemExit(f"no benchmark data at {raster}: run benchmarks/zonal_data.py")
    sizes = [None if s == "all" else int(s) for s in args.sizes.split(",")]
    total = len(_parcels(None))
    results: dict = {"parcels": total, "load_before": os.getloadavg()}
    for raster in rasters:
        layout: dict = {"batch": {}}
        for n in sizes:
            row = _best_of(n, raster, args.repeat)
            row["accuracy"] = _accuracy(min(n or total, total))
            layout["batch"][min(n or total, total)] = row
        layout["single"] = _run("single", args.single, raster)
        results[raster.name] = layout
    results["rasterstats"] = _run("batch_rasterstats", args.rasterstats_sample, rasters[0])
    results["load_after"] = os.getloadavg()
    (DATA / "results.json").write_text(json.dumps(results, indent=2))
    report(results, [r.name for r in rasters], args.rasterstats_sample)


def report(results: dict, layouts: list[str], rasterstats_sample: int) -> None:
    for name in layouts:
        print(f"\n{name}: batch (parcels/s, peak RSS MiB)")
        for n, row in results[name]["batch"].items():
            ours, theirs, floor = row["minfastighet"], row["exactextract"], row["floor"]
            print(
                f"  n={n:>6}: minfastighet {n / ours['seconds']:8.0f}/s {ours['rss_mib']:7.0f} MiB"
                f" | exactextract {n / theirs['seconds']:8.0f}/s {theirs['rss_mib']:7.0f} MiB"
                f" | throughput ×{theirs['seconds'] / ours['seconds']:.2f}"
                f" (CPU s {ours['cpu_seconds']:.2f} vs {theirs['cpu_seconds']:.2f}:"
                f" ×{theirs['cpu_seconds'] / ours['cpu_seconds']:.2f})"
                f" | memory ×{ours['rss_mib'] / theirs['rss_mib']:.2f}"
                f" | means within 1 %: {row['accuracy']['within_1pct']:.4%}"
            )
            print(
                f"  first call (untimed above): minfastighet {ours['first_call_seconds']:.2f} s,"
                f" exactextract {theirs['first_call_seconds']:.2f} s"
            )
            print(
                f"  floor {floor['seconds']:.2f} s (decode {floor['blocks']} blocks"
                f" {floor['decode_seconds']:.2f} s + rasterise {floor['rasterise_seconds']:.2f} s)"
                f" vs batch {ours['seconds']:.2f} s: ×{floor['seconds'] / ours['seconds']:.2f}"
                f" of the floor; CPU {floor['cpu_seconds']:.2f} vs {ours['cpu_seconds']:.2f} s:"
                f" ×{floor['cpu_seconds'] / ours['cpu_seconds']:.2f}"
            )
        one = results[name]["single"]
        for mode in MODES:
            wall = one[f"{mode}_ours_wall_ms"] / one[f"{mode}_theirs_wall_ms"]
            cpu = one[f"{mode}_ours_cpu_ms"] / one[f"{mode}_theirs_cpu_ms"]
            print(
                f"  single {mode}: {one[f'{mode}_ours_wall_ms']:.3f} ms vs "
                f"{one[f'{mode}_theirs_wall_ms']:.3f} ms wall (×{wall:.2f}), "
                f"{one[f'{mode}_ours_cpu_ms']:.3f} ms vs {one[f'{mode}_theirs_cpu_ms']:.3f} ms "
                f"CPU (×{cpu:.2f})"
            )
        print(f"  exactextract reads with {one['reader']}")
    rs = results["rasterstats"]
    print(
        f"rasterstats: {rasterstats_sample / rs['seconds']:.0f}/s on "
        f"{rasterstats_sample} parcels, {rs['rss_mib']:.0f} MiB"
    )
    before, after = results["load_before"], results["load_after"]
    print(f"load average {before[0]:.1f} before, {after[0]:.1f} after")


if __name__ == "__main__":
    main()
