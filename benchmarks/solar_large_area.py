"""A solar map of 4 km² at 0.5 m with buildings: seconds and peak memory on this machine.

The surface is the sample municipality's DSM laid out 2 × 2 and cut to 2 km × 2 km (4000 × 4000
pixels), with the sample's building footprints moved along (about 1.7 million roof pixels).
The map is computed with the default model (Sundsvall climate, 10-minute steps, 64 directions,
100 m margin) in 512-pixel blocks. Run::

    python benchmarks/solar_large_area.py [--sample DIR] [--workdir DIR]
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import rasterio
import shapely
from affine import Affine

from data import Dataset
from mapservice.settings import DEFAULT_DATA_DIR
from solar import compute_solar_map

SIZE = 4000  # pixels: 2 km at 0.5 m


def build(sample: Dataset, work: Path) -> tuple[Path, Path]:
    with rasterio.open(sample.dsm_path) as src:
        tile = src.read(1)
        profile = src.profile
        res = src.res[0]
        left, top = src.bounds.left, src.bounds.top
    mosaic = np.tile(tile, (2, 2))[:SIZE, :SIZE]
    profile.update(
        width=SIZE,
        height=SIZE,
        transform=Affine(res, 0, left, 0, -res, top),
        driver="GTiff",
        tiled=True,
        blockxsize=512,
        blockysize=512,
        compress="deflate",
    )
    dsm = work / "dsm-4km2.tif"
    with rasterio.open(dsm, "w", **profile) as dst:
        dst.write(mosaic, 1)
    buildings = gpd.read_file(sample.vector_path, layer="buildings", columns=["building_id"])
    step = tile.shape[0] * res
    moved = [
        buildings.set_geometry(buildings.geometry.translate(dx * step, -dy * step))
        for dy in (0, 1)
        for dx in (0, 1)
    ]
    footprints = gpd.GeoDataFrame(pd.concat(moved, ignore_index=True), crs=buildings.crs)
    area = shapely.box(left, top - SIZE * res, left + SIZE * res, top)
    footprints = footprints[footprints.within(area)]
    path = work / "buildings-4km2.gpkg"
    footprints.to_file(path, layer="buildings")
    return dsm, path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=Path, default=DEFAULT_DATA_DIR)
    parser.add_argument("--workdir", type=Path)
    args = parser.parse_args()
    work = args.workdir or Path(tempfile.mkdtemp(prefix="solar-4km2-"))
    work.mkdir(parents=True, exist_ok=True)
    dsm, buildings = build(Dataset.read(args.sample), work)
    done = []
    start = time.perf_counter()
    result = compute_solar_map(
        dsm, work / "solar-4km2.tif", buildings=buildings, progress=lambda d, n: done.append(d)
    )
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"4 km² at 0.5 m ({SIZE}×{SIZE} px), {len(done)} blocks, {result.pixels:,} roof "
        f"pixels: {seconds:.1f} s ({seconds / 60:.1f} min, limit 10 min), mean "
        f"{result.mean:.0f} kWh/m²·year, peak memory {peak:.0f} MB"
    )


if __name__ == "__main__":
    main()
