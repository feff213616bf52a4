"""LAZ → 0.5 m DSM: seconds per km² of ours against a plain numpy reference, with the ratio.

PDAL's ``writers.gdal`` is the natural peer, but PDAL has no package in Debian 12 (bookworm)
and its Python bindings on PyPI need libpdal, so the peer here is the plain way to do the same
with the same reader: read the whole tile with ``laspy.read`` (no chunks), drop noise classes
7 and 18, sort the points by cell and height and keep the highest per cell, write a GeoTIFF.

The data is a synthetic laser tile in Lantmäteriet's layout (LAS 1.4 point format 6, LAZ,
SWEREF 99 TM, centimetre scale) of ``--size`` metres square at ``--density`` points/m²: a
sloping ground (class 2), flat-roofed houses on a 40 m grid (class 1, as Laserdata skog has no
building class), cone-shaped trees (class 1) and 0.1 % noise points (classes 7 and 18).

Three timings per round, interleaved over ``--rounds`` rounds, medians reported:

- ``ours, gridding``: :func:`solar.laser.grid_tile` (chunked reading, highest and lowest ground
  return per cell), the step that does what the reference does;
- ``ours, whole``: :func:`solar.delivery.surface_from_delivery` (gridding, outliers, gap filling
  of DSM and DTM, two COGs);
- ``reference``: the plain numpy gridding and a GeoTIFF of the DSM.

The raw highest-return grids of ours and the reference are checked to be identical. Run::

    python benchmarks/laz_dsm.py [--size 1000] [--density 1.5] [--rounds 3] [--workdir DIR]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import laspy
import numpy as np
import pyproj
import rasterio
from affine import Affine

from solar.delivery import surface_from_delivery
from solar.laser import grid_tile, open_tile

ORIGIN = (617000.0, 6918000.0)


def make_tile(path: Path, size: float, density: float, seed: int = 1) -> int:
    """Write the synthetic tile; return its number of points."""
    rng = np.random.default_rng(seed)
    n = int(size * size * density)
    dx, dy = rng.uniform(0, size, n), rng.uniform(0, size, n)
    z = 20.0 + 0.02 * dx + 0.01 * dy
    classes = np.full(n, 2, np.uint8)
    house = ((dx % 40) > 10) & ((dx % 40) < 22) & ((dy % 40) > 10) & ((dy % 40) < 20)
    z[house] += 7.0
    classes[house] = 1
    tree = np.hypot((dx % 40) - 32, (dy % 40) - 32) < 3
    z[tree] += 12.0 * (1 - np.hypot((dx[tree] % 40) - 32, (dy[tree] % 40) - 32) / 3)
    classes[tree] = 1
    noise = rng.uniform(size=n) < 0.001
    z[noise] += rng.choice([-30.0, 80.0], noise.sum())
    classes[noise] = np.where(z[noise] > 30, 18, 7)
    header = laspy.LasHeader(point_format=6, version="1.4")
    header.scales = np.array([0.01, 0.01, 0.01])
    header.offsets = np.array([ORIGIN[0], ORIGIN[1], 0.0])
    header.add_crs(pyproj.CRS("EPSG:3006"))
    las = laspy.LasData(header)
    las.x, las.y, las.z = ORIGIN[0] + dx, ORIGIN[1] + dy, z
    las.classification = classes
    las.write(str(path))
    return n


def reference(path: Path, out: Path, res: float, size: float) -> np.ndarray:
    """The plain way: all points at once, highest per cell by sorting, one GeoTIFF."""
    las = laspy.read(str(path))
    keep = ~np.isin(np.asarray(las.classification), (7, 18))
    x, y, z = np.asarray(las.x)[keep], np.asarray(las.y)[keep], np.asarray(las.z)[keep]
    cells = round(size / res)
    col = np.clip(((x - ORIGIN[0]) / res).astype(np.int64), 0, cells - 1)
    row = np.clip(((ORIGIN[1] + size - y) / res).astype(np.int64), 0, cells - 1)
    flat = row * cells + col
    order = np.lexsort((z, flat))
    last = np.r_[flat[order][1:] != flat[order][:-1], True]
    grid = np.full(cells * cells, np.nan, np.float32)
    grid[flat[order][last]] = z[order][last]
    grid = grid.reshape(cells, cells)
    profile = {
        "driver": "GTiff",
        "width": cells,
        "height": cells,
        "count": 1,
        "dtype": "float32",
        "crs": "EPSG:3006",
        "transform": Affine(res, 0.0, ORIGIN[0], 0.0, -res, ORIGIN[1] + size),
        "nodata": -9999.0,
        "tiled": True,
        "compress": "deflate",
    }
    with rasterio.open(out, "w", **profile) as dst:
        dst.write(np.nan_to_num(grid, nan=-9999.0), 1)
    return grid


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=float, default=1000.0, help="tile side in metres")
    parser.add_argument("--density", type=float, default=1.5, help="points per m²")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workdir", type=Path, help="default: a temporary directory")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = args.workdir or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        laz = work / "tile.laz"
        points = make_tile(laz, args.size, args.density)
        km2 = args.size**2 / 1e6
        print(f"tile: {points:,} points over {km2:.2f} km² ({laz.stat().st_size / 1e6:.1f} MB LAZ)")
        tile = open_tile(laz)
        res = 0.5
        cells = round(args.size / res)
        transform = Affine(res, 0.0, ORIGIN[0], 0.0, -res, ORIGIN[1] + args.size)
        times: dict[str, list[float]] = {"ours, gridding": [], "ours, whole": [], "reference": []}
        for _ in range(args.rounds):
            start = time.perf_counter()
            ours = grid_tile(tile, transform, (cells, cells))
            times["ours, gridding"].append(time.perf_counter() - start)
            start = time.perf_counter()
            surface_from_delivery([laz], work / "ours")
            times["ours, whole"].append(time.perf_counter() - start)
            start = time.perf_counter()
            peer = reference(laz, work / "reference.tif", res, args.size)
            times["reference"].append(time.perf_counter() - start)
        np.testing.assert_array_equal(ours.highest, peer)
        print("highest-return grids identical: yes")
        medians = {name: statistics.median(values) for name, values in times.items()}
        for name, seconds in medians.items():
            print(f"{name:>15}: {seconds:6.2f} s, {seconds / km2:6.2f} s/km²")
        ref = medians["reference"]
        print(f"ratio reference/ours (gridding): {ref / medians['ours, gridding']:.2f}")
        print(f"ratio reference/ours (whole DSM+DTM): {ref / medians['ours, whole']:.2f}")


if __name__ == "__main__":
    main()
