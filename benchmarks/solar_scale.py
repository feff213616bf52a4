"""How fast the solar map runs over a town in Lantmäteriet's 2.5 km tiles, on 1 and 2 workers.

Generates a town of ``--size-km`` × ``--size-km`` (default 5 km: 25 km²) as 2.5 × 2.5 km DSM
GeoTIFFs at 1 m in SWEREF 99 TM with ``--density`` buildings per km² (default 500: Sundsvall's
tätort, see docs/SCALE.md) and their footprints, then runs ``solar.map_job`` on a Dask
LocalCluster of 1 and of 2 worker processes (one thread each, numba on one thread each, so a
worker is one core). Prints per run: wall time, Mpx/s of surface, roof pixels/s and the peak
memory (RSS) of a worker, and the estimates for Västernorrland and Sweden of docs/SCALE.md.

    python benchmarks/solar_scale.py [--size-km 5] [--workers 1,2] [--out /tmp/solar_scale]
"""

from __future__ import annotations

import argparse
import os
import shutil
import time
from pathlib import Path

os.environ.setdefault("NUMBA_NUM_THREADS", "1")  # one core per worker; set before numba loads

import geopandas as gpd
import numpy as np
import rasterio
import shapely
from affine import Affine

#: Lower-left corner of the generated town (SWEREF 99 TM, on Lantmäteriet's 2.5 km grid).
ORIGIN = (615_000.0, 6_915_000.0)
TILE_M = 2500.0
#: Footprint of all Swedish buildings, 2010: 93 000 ha (SCB, MI 38 SM 1202, 2012-03-22).
SWEDEN_FOOTPRINT_M2 = 93_000 * 10_000.0
#: Buildings in Sweden, 2010: 7 145 000 (same source).
SWEDEN_BUILDINGS = 7_145_000
#: Västernorrland's share of the footprint: its share of the population (242 148 of 10 551 707
#: on 2023-12-31, SCB) as the low case, its share of the land area (21 684 of 407 340 km²) as
#: the high one (rural counties have more buildings per person).
COUNTY_SHARE = (242_148 / 10_551_707, 21_684 / 407_340)
SWEDEN_LAND_KM2 = 407_340.0
COUNTY_LAND_KM2 = 21_684.0


def generate_town(folder: Path, size_km: float, density: float, seed: int = 17) -> Path:
    """Write the town's DSM tiles into ``folder/dsm`` and its footprints; return the footprints."""
    rng = np.random.default_rng(seed)
    side = round(size_km * 1000)
    count = round(density * size_km**2)
    width = rng.uniform(8, 20, count)
    depth = rng.uniform(8, 16, count)
    x = rng.uniform(0, side - 25, count)
    y = rng.uniform(0, side - 25, count)
    height = rng.uniform(4, 12, count)
    boxes = shapely.box(ORIGIN[0] + x, ORIGIN[1] + y, ORIGIN[0] + x + width, ORIGIN[1] + y + depth)
    (folder / "dsm").mkdir(parents=True)
    tiles = round(side / TILE_M)
    n = round(TILE_M)
    for i in range(tiles):
        for j in range(tiles):
            left, bottom = ORIGIN[0] + j * TILE_M, ORIGIN[1] + i * TILE_M
            cols, rows = np.meshgrid(np.arange(n) + 0.5, np.arange(n) + 0.5)
            ground = 20 + 0.004 * (left - ORIGIN[0] + cols) + 2 * np.sin((bottom + n - rows) / 300)
            z = ground.astype(np.float32)
            east, north = left - ORIGIN[0], bottom - ORIGIN[1]
            across = (x + width > east) & (x < east + TILE_M)
            inside = np.nonzero(across & (y + depth > north) & (y < north + TILE_M))[0]
            for k in inside:
                c0 = max(0, int(x[k] + ORIGIN[0] - left))
                c1 = min(n, int(x[k] + width[k] + ORIGIN[0] - left))
                r0 = max(0, int(bottom + TILE_M - (y[k] + depth[k] + ORIGIN[1])))
                r1 = min(n, int(bottom + TILE_M - (y[k] + ORIGIN[1])))
                if c1 > c0 and r1 > r0:
                    ridge = np.abs(np.linspace(-1, 1, r1 - r0))[:, None]  # a gabled roof
                    z[r0:r1, c0:c1] = z[r0:r1, c0:c1].min() + height[k] + 3 * (1 - ridge)
            profile = {
                "driver": "GTiff", "width": n, "height": n, "count": 1, "dtype": "float32",
                "crs": "EPSG:3006", "transform": Affine(1, 0, left, 0, -1, bottom + TILE_M),
                "tiled": True, "compress": "deflate", "predictor": 3,
            }  # fmt: skip
            name = f"dsm_{int(bottom / 1000)}_{int(left / 1000)}.tif"
            with rasterio.open(folder / "dsm" / name, "w", **profile) as dst:
                dst.write(z, 1)
    footprints = folder / "byggnader.gpkg"
    gpd.GeoDataFrame(geometry=boxes, crs="EPSG:3006").to_file(footprints, layer="buildings")
    return footprints


def run(folder: Path, footprints: Path, workers: int, tile_m: float) -> dict[str, float]:
    """One job on a fresh LocalCluster of ``workers`` processes; its figures."""
    from distributed import Client, LocalCluster

    from solar.map_job import plan_job, run_job

    out = folder / f"out_{workers}"
    shutil.rmtree(out, ignore_errors=True)
    with (
        LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        Client(cluster) as client,
    ):
        client.run(_warm)  # compiled kernels loaded: start-up is measured by solar_vs_rsun.py
        start = time.perf_counter()
        job, tiles = plan_job(folder / "dsm", out, tile_m, "2025-05-20", buildings=footprints)
        results = run_job(job, tiles, client)
        seconds = time.perf_counter() - start
    with rasterio.open(job.surface) as src:
        surface_px = src.width * src.height
    roof_px = sum(r.pixels for r in results)
    return {
        "workers": workers,
        "tiles": len(tiles),
        "seconds": seconds,
        "mpx_per_s": surface_px / seconds / 1e6,
        "roof_px_per_s": roof_px / seconds,
        "roof_px": roof_px,
        "peak_mib": max(r.peak_rss_mib for r in results),
    }


def _warm() -> None:
    from solar import kernels

    kernels.slope_aspect  # noqa: B018 (imports and loads the cached kernels)


def estimates(rate_per_worker: float, scaling: float) -> list[str]:
    """Hours for Västernorrland and Sweden on 8, 32 and 128 workers, as table rows."""
    rows = []
    areas = {
        "Västernorrland (low)": SWEDEN_FOOTPRINT_M2 * COUNTY_SHARE[0],
        "Västernorrland (high)": SWEDEN_FOOTPRINT_M2 * COUNTY_SHARE[1],
        "Sweden": SWEDEN_FOOTPRINT_M2,
    }
    for name, footprint in areas.items():
        hours = [footprint / (rate_per_worker * w * scaling) / 3600 for w in (8, 32, 128)]
        rows.append(
            f"| {name} | {footprint / 1e6:,.0f} km² | "
            + " | ".join(f"{h:,.1f} h" for h in hours)
            + " |"
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-km", type=float, default=5.0)
    parser.add_argument("--density", type=float, default=500.0, help="buildings per km²")
    parser.add_argument("--tile-m", type=float, default=1250.0, help="output tile (task) size")
    parser.add_argument("--workers", default="1,2")
    parser.add_argument("--out", type=Path, default=Path("/tmp/solar_scale"))
    args = parser.parse_args()
    shutil.rmtree(args.out, ignore_errors=True)
    start = time.perf_counter()
    footprints = generate_town(args.out, args.size_km, args.density)
    print(
        f"town {args.size_km:g} × {args.size_km:g} km at 1 m, {args.density:g} buildings/km², "
        f"generated in {time.perf_counter() - start:.0f} s; load before: {os.getloadavg()}"
    )
    print("| workers | output tiles | s | Mpx/s | roof px/s | roof px | peak MiB/worker |")
    print("|---|---|---|---|---|---|---|")
    runs = []
    for workers in (int(w) for w in args.workers.split(",")):
        r = run(args.out, footprints, workers, args.tile_m)
        runs.append(r)
        print(
            f"| {workers} | {r['tiles']} | {r['seconds']:.1f} | {r['mpx_per_s']:.2f} | "
            f"{r['roof_px_per_s']:,.0f} | {r['roof_px']:,} | {r['peak_mib']:.0f} |"
        )
    print(f"load after: {os.getloadavg()}")
    rate = runs[0]["roof_px_per_s"] / runs[0]["workers"]
    scaling = (runs[-1]["roof_px_per_s"] / runs[-1]["workers"]) / rate if len(runs) > 1 else 1.0
    print(f"per worker {rate:,.0f} roof px/s; efficiency at {runs[-1]['workers']}: {scaling:.2f}")
    print("| area | roof footprint | 8 workers | 32 workers | 128 workers |")
    print("|---|---|---|---|---|")
    for row in estimates(rate, scaling):
        print(row)


if __name__ == "__main__":
    main()
