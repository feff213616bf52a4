"""Scale of ``minfastighet batch``: properties per second in one process and on 2 Dask workers.

``python benchmarks/batch_scale.py [--parcels 100000]`` first writes (once, not committed)
``benchmarks/.data/batch/<parcels>/``: a layer store of ``parcels`` 30 × 30 m parcels in one
kommun (2281) from :func:`lookup_data.make`, with one 12 × 10 m gable-roofed building on
*every* parcel (the sample has about 1.4 per property), and a solar map over the parcels' extent
at 0.5 m in COG tiles of ``--tile-m`` metres catalogued with STAC (synthetic roof-like values
300-1200 kWh/m²·year; 100 000 parcels cover 90 km²). No surface model, so roofs are taken
as one face each (as for a property outside the laser scan).

Then it runs the batch twice on fresh outputs: in one process (a spawned child, so its peak
memory is its own) and on a ``LocalCluster`` of 2 single-threaded worker processes (started
before the clock), and prints properties per second and each worker's peak resident memory
(VmHWM, reset when the run starts: a child process inherits its parent's high-water mark).
Both runs must give the same rows.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import multiprocessing
import shutil
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pyogrio
import rasterio
import shapely
from rasterio.transform import from_origin

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from lookup_data import ORIGIN, make  # noqa: E402

RES = 0.5
NODATA = -9999.0


def _values(x0: float, y0: float, n: int, rng: np.random.Generator) -> np.ndarray:
    x = (x0 + np.arange(n, dtype=np.float32) * RES)[None, :]
    y = (y0 - np.arange(n, dtype=np.float32) * RES)[:, None]
    base = 850 + 250 * np.sin(x / 37.0) * np.cos(y / 41.0) + 60 * np.sin((x + 2 * y) / 11.0)
    return np.clip(base + rng.normal(0, 25, (n, n)), 300, 1200).astype(np.float32)


def make_data(folder: Path, parcels: int, tile_m: float) -> None:
    """The store and the tiled, catalogued solar map (skipped when already there)."""
    from layers.geopackage import GeoPackageStore
    from solar import cog
    from solar.catalog import add_to_catalog

    if (folder / "stac" / "catalog.json").is_file():
        return
    start = time.perf_counter()
    folder.mkdir(parents=True, exist_ok=True)
    store = folder / "minfastighet.gpkg"
    store.unlink(missing_ok=True)
    layers = make(parcels)
    bounds = layers["parcels"].total_bounds
    x, y = layers["parcels"].geometry.bounds.minx, layers["parcels"].geometry.bounds.miny
    layers["buildings"] = layers["buildings"].iloc[:0].reindex(range(parcels))
    layers["buildings"] = (
        layers["buildings"]
        .assign(
            building_id=[f"bldg-{i:07d}" for i in range(parcels)],
            unit_id=layers["parcels"].unit_id.values,
            use="småhus",
            floors=1,
            roof_shape="gable",
            height=6.5,
            ground_height=20.0,
            geometry=shapely.box(x + 8, y + 8, x + 20, y + 18),
        )
        .set_crs("EPSG:3006")
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        for layer, frame in layers.items():
            pyogrio.write_dataframe(
                frame, store, layer=layer, driver="GPKG", layer_options={"SPATIAL_INDEX": "YES"}
            )
    with GeoPackageStore(store, writable=True) as written:
        written.build_indexes()
    rng = np.random.default_rng(2281)
    n = int(tile_m / RES)
    (folder / "solar").mkdir(exist_ok=True)
    for east in np.arange(ORIGIN[0], bounds[2], tile_m):
        for north in np.arange(ORIGIN[1], bounds[3], tile_m):
            top = north + tile_m
            draft = folder / "solar" / "draft.tif"
            with rasterio.open(
                draft,
                "w",
                driver="GTiff",
                width=n,
                height=n,
                count=1,
                dtype="float32",
                crs="EPSG:3006",
                nodata=NODATA,
                transform=from_origin(east, top, RES, RES),
                tiled=True,
                blockxsize=512,
                blockysize=512,
            ) as dst:
                dst.write(_values(east, top, n, rng), 1)
            tile = folder / "solar" / f"solkarta_{east:.0f}_{north:.0f}.tif"
            cog.to_cog(draft, tile, cog.PROFILE)
            draft.unlink()
            add_to_catalog(folder / "stac" / "catalog.json", tile, "2025-05-20", "synthetic")
    km2 = (bounds[2] - bounds[0]) * (bounds[3] - bounds[1]) / 1e6
    print(
        f"data: {parcels} parcels over {km2:.1f} km² in {time.perf_counter() - start:.0f} s",
        flush=True,
    )


def _reset_peak() -> None:
    """Forget the peak memory this process inherited (a child starts with its parent's)."""
    Path("/proc/self/clear_refs").write_text("5")


def _peak_kib() -> int:
    """The process's peak resident memory since :func:`_reset_peak` (VmHWM, KiB)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise RuntimeError("no VmHWM in /proc/self/status")


def _single(folder: str, out: str) -> tuple[float, int, int]:
    from mapservice import load_settings
    from mapservice.analysis.batch import run_batch

    _reset_peak()
    settings = load_settings({"data_dir": folder})
    start = time.perf_counter()
    frame = run_batch(settings, "2281", out)
    return time.perf_counter() - start, len(frame), _peak_kib()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parcels", type=int, default=100_000)
    parser.add_argument("--tile-m", type=float, default=1500.0)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    folder = HERE / ".data" / "batch" / str(args.parcels)
    make_data(folder, args.parcels, args.tile_m)
    runs = folder / "runs"
    shutil.rmtree(runs, ignore_errors=True)
    runs.mkdir()
    spawn = multiprocessing.get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(1, mp_context=spawn) as pool:
        seconds, count, peak = pool.submit(
            _single, str(folder), str(runs / "single.parquet")
        ).result()
    print(
        f"single process: {count} properties in {seconds:.1f} s = {count / seconds:.1f} "
        f"properties/s, peak memory {peak / 1024:.0f} MiB",
        flush=True,
    )

    import geopandas as gpd
    from distributed import Client, LocalCluster

    from mapservice import load_settings
    from mapservice.analysis.batch import run_batch

    with (
        LocalCluster(
            n_workers=args.workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            memory_limit="4GiB",
        ) as cluster,
        Client(cluster) as client,
    ):
        client.run(_reset_peak)
        start = time.perf_counter()
        frame = run_batch(
            load_settings({"data_dir": folder}), "2281", runs / "dask.parquet", client
        )
        seconds = time.perf_counter() - start
        peaks = client.run(_peak_kib)
    print(
        f"dask, {args.workers} workers: {len(frame)} properties in {seconds:.1f} s = "
        f"{len(frame) / seconds:.1f} properties/s, peak memory per worker "
        f"{', '.join(f'{p / 1024:.0f} MiB' for p in peaks.values())}",
        flush=True,
    )
    single = gpd.read_parquet(runs / "single.parquet")
    same = single.drop(columns="geometry").equals(frame.drop(columns="geometry"))
    print(f"identical rows: {same}")


if __name__ == "__main__":
    main()
