"""Make the zonal-statistics benchmark's data (not committed; written under benchmarks/.data/).

- ``irradiation.tif``: 16 000 × 16 000 px float32 (``--size``), 0.5 m, EPSG:3006 (8 × 8 km), a
  Cloud-Optimized GeoTIFF with the solar maps' own layout (:data:`solar.cog.PROFILE`). Values
  look like a solar map's roofs (300–1200 kWh/m²·year, smooth with per-pixel detail, 0.1
  resolution); a quarter of the area is nodata in irregular patches.
- ``anchor.tif``: the same pixels in the layout of the solar map this project descends from
  (:data:`ANCHOR`: DEFLATE with the floating-point predictor, 512 px blocks).
- ``parcels.gpkg``: 20 000 (``--parcels``; keep 20 000 per 16 000² px for the same parcel
  size) Voronoi cells of a jittered grid clipped to the area, so they tile
  it without gaps (like a cadastral layer), 40–60 m across, irregular, with partial pixels on
  every edge; a few hundred with a hole (a courtyard).

Run: ``python benchmarks/zonal_data.py`` (a few minutes on two cores; ``--size 8000 --parcels
5000`` takes a quarter of that). Deterministic.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import rasterio
import shapely
from rasterio.transform import from_origin

HERE = Path(__file__).resolve().parent
DATA = HERE / ".data" / "zonal"
SIZE = 16_000
RES = 0.5
ORIGIN = (600_000.0, 6_930_000.0)  # west, north (SWEREF 99 TM, near Sundsvall)
NODATA = -9999.0
PARCELS = 20_000
#: Creation options of the anchor's layout: DEFLATE, floating-point predictor, 512 px blocks.
ANCHOR = {"COMPRESS": "DEFLATE", "PREDICTOR": "3", "BLOCKSIZE": "512", "BIGTIFF": "IF_SAFER"}


def _rows(rng: np.random.Generator, top: int, height: int, size: int) -> np.ndarray:
    y = np.arange(top, top + height, dtype=np.float32)[:, None]
    x = np.arange(size, dtype=np.float32)[None, :]
    base = 800 + 250 * np.sin(x / 173.0) * np.cos(y / 211.0) + 120 * np.sin((x + 2 * y) / 57.0)
    noise = rng.normal(0, 25, (height, size)).astype(np.float32)
    values = np.round(base + noise, 1).astype(np.float32)
    holes = np.sin(x / 97.0 + np.cos(y / 131.0) * 3) * np.sin(y / 89.0) > 0.45
    values[holes] = NODATA
    return np.clip(values, 300, 1200, out=values, where=~holes)


def make_raster(path: Path, size: int = SIZE) -> None:
    from solar import cog

    rng = np.random.default_rng(2281)
    profile = {
        "driver": "GTiff",
        "width": size,
        "height": size,
        "count": 1,
        "dtype": "float32",
        "crs": "EPSG:3006",
        "transform": from_origin(*ORIGIN, RES, RES),
        "nodata": NODATA,
        "tiled": True,
        "blockxsize": 512,
        "blockysize": 512,
        "compress": "ZSTD",
        "BIGTIFF": "YES",
    }
    draft = path.with_name("draft.tif")
    with rasterio.open(draft, "w", **profile) as dst:
        for top in range(0, size, 1024):
            height = min(1024, size - top)
            dst.write(
                _rows(rng, top, height, size),
                1,
                window=rasterio.windows.Window(0, top, size, height),
            )
    cog.to_cog(draft, path, cog.PROFILE)
    cog.to_cog(draft, path.with_name("anchor.tif"), ANCHOR)
    draft.unlink()


def make_parcels(path: Path, count: int = PARCELS, size: int = SIZE) -> None:
    import geopandas as gpd

    rng = np.random.default_rng(3006)
    side = int(np.ceil(np.sqrt(count)))
    step = size * RES / side
    west, north = ORIGIN
    area = shapely.box(west, north - size * RES, west + size * RES, north)
    i, j = np.meshgrid(np.arange(side), np.arange(side))
    x = west + (i.ravel() + 0.5 + rng.uniform(-0.35, 0.35, i.size)) * step
    y = north - (j.ravel() + 0.5 + rng.uniform(-0.35, 0.35, j.size)) * step
    keep = rng.permutation(x.size)[:count]
    cells = shapely.get_parts(
        shapely.voronoi_polygons(
            shapely.multipoints(np.column_stack([x[keep], y[keep]])), extend_to=area
        )
    )
    cells = shapely.intersection(cells, area)
    yards = rng.random(cells.size) < 0.02
    holes = shapely.buffer(shapely.centroid(cells[yards]), 6.3, quad_segs=4)
    cells[yards] = shapely.difference(cells[yards], holes)
    frame = gpd.GeoDataFrame({"parcel": np.arange(cells.size)}, geometry=cells, crs="EPSG:3006")
    frame.to_file(path, layer="parcels", engine="pyogrio")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DATA)
    parser.add_argument("--size", type=int, default=SIZE, help="pixels a side")
    parser.add_argument("--parcels", type=int, default=PARCELS)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    make_parcels(args.out / "parcels.gpkg", args.parcels, args.size)
    print(f"parcels in {time.perf_counter() - start:.1f} s")
    make_raster(args.out / "irradiation.tif", args.size)
    print(f"raster in {time.perf_counter() - start:.1f} s: {args.out / 'irradiation.tif'}")


if __name__ == "__main__":
    main()
