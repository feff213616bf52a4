"""Solar map tiles per second: Min fastighet's TileRenderer against rio-tiler, side by side.

Both render the same WebMercatorQuad tiles (every tile over the solar map at zooms 14–19) from
the same COG with the same colour ramp (rescale 400–1100 kWh/m²·year, 256-entry colormap,
nearest resampling, PNG), once with the dataset kept open and once opening it per tile. The
decoded RGBA of every tile is compared: the largest difference per channel and the share of
pixels that differ at all.

Then each tool renders every tile in a fresh process of its own with **a renderer made per
tile** (``TileRenderer([cog])`` for each tile, as rio-tiler's ``Reader`` is opened per tile: no
state kept between tiles), alternating ``--repeat`` times; the fastest run of each is kept
(the others were slowed by the rest of a shared machine) with the peak memory of its process
(``VmHWM``, the highest seen, imports included).

Run (needs ``pip install -e '.[bench]'``)::

    python benchmarks/bench_tiles.py [--cog PATH] [--repeat 3]

Without ``--cog`` the sample municipality's solar map is used (built if missing).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
import warnings
from pathlib import Path

import numpy as np
from pyproj import Transformer
from rasterio.errors import NotGeoreferencedWarning
from rasterio.io import MemoryFile
from rio_tiler.io import Reader

from solar.colormap import DEFAULT_RAMP
from solar.raster import CogMosaic
from solar.tiles import TMS, TileRenderer

ZOOMS = range(14, 20)


def sample_solar_map() -> Path:
    from data.dataset import SOLAR_CATALOG
    from mapservice.settings import DEFAULT_DATA_DIR
    from solar.catalog import list_tiles

    catalog = DEFAULT_DATA_DIR / SOLAR_CATALOG
    if not catalog.exists():
        raise SystemExit("build the sample first: minfastighet sample-data")
    return list_tiles(catalog)[0].href


def tiles_over(cog: Path) -> list:
    bounds = TileRenderer([cog]).bounds_mercator
    lonlat = Transformer.from_crs(3857, 4326, always_xy=True).transform_bounds(*bounds)
    return [t for z in ZOOMS for t in TMS.tiles(*lonlat, zooms=[z])]


def rio_tiler_png(reader: Reader, tile) -> bytes:
    image = reader.tile(tile.x, tile.y, tile.z, resampling_method="nearest")
    image.rescale(in_range=((DEFAULT_RAMP.vmin, DEFAULT_RAMP.vmax),))
    return image.render(img_format="PNG", colormap=DEFAULT_RAMP.as_dict())


def run_rio_tiler(cog: Path, tiles, keep_open: bool) -> tuple[float, list[bytes]]:
    start = time.perf_counter()
    out = []
    if keep_open:
        with Reader(str(cog)) as reader:
            out = [_safe(reader, t) for t in tiles]
    else:
        for t in tiles:
            with Reader(str(cog)) as reader:
                out.append(_safe(reader, t))
    return time.perf_counter() - start, out


def _safe(reader, tile):
    from rio_tiler.errors import TileOutsideBounds

    try:
        return rio_tiler_png(reader, tile)
    except TileOutsideBounds:
        return None


def run_ours(cog: Path, tiles, keep_open: bool) -> tuple[float, list[bytes]]:
    start = time.perf_counter()
    if keep_open:  # a renderer over an open mosaic, as each of the service's threads has
        with CogMosaic([cog]) as mosaic:
            renderer = TileRenderer(mosaic)
            out = [renderer.render(t.z, t.x, t.y) for t in tiles]
    else:  # a renderer over the file, which opens what each tile reads
        renderer = TileRenderer([cog])
        out = [renderer.render(t.z, t.x, t.y) for t in tiles]
    return time.perf_counter() - start, [None if t.empty else t.png for t in out]


def decode(png: bytes | None) -> np.ndarray:
    if png is None:
        return np.zeros((256, 256, 4), dtype=np.uint8)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NotGeoreferencedWarning)
        with MemoryFile(png) as memory, memory.open() as src:
            image = np.moveaxis(src.read(), 0, -1).copy()
    image[image[..., 3] == 0] = 0  # transparent pixels compare equal whatever their colour
    return image


def compare(ours: list, theirs: list) -> tuple[int, float]:
    worst, differing, total = 0, 0, 0
    for a, b in zip(ours, theirs, strict=True):
        da, db = decode(a).astype(int), decode(b).astype(int)
        diff = np.abs(da - db).max(axis=2)
        worst = max(worst, int(diff.max()))
        differing += int((diff > 1).sum())
        total += diff.size
    return worst, differing / total


def _peak_mib() -> float:
    """This process's peak resident memory (VmHWM), MiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024.0
    raise SystemExit("no VmHWM in /proc/self/status")


def per_tile_worker(tool: str, cog: Path) -> dict:
    """Every tile with a renderer (or rio-tiler Reader) made for it alone; seconds and memory."""
    tiles = tiles_over(cog)
    before = _peak_mib()
    start = time.perf_counter()
    drawn = 0
    for t in tiles:
        if tool == "ours":
            drawn += not TileRenderer([cog]).render(t.z, t.x, t.y).empty
        else:
            with Reader(str(cog)) as reader:
                drawn += _safe(reader, t) is not None
    return {
        "seconds": time.perf_counter() - start,
        "peak_mib": _peak_mib(),
        "peak_before_mib": before,
        "tiles": len(tiles),
        "drawn": drawn,
    }


def per_tile(cog: Path, repeat: int) -> dict:
    """Both tools' per-tile workers, alternating in fresh processes; best time, highest peak."""
    runs: dict[str, list[dict]] = {"ours": [], "rio-tiler": []}
    for _ in range(repeat):
        for tool, done in runs.items():
            command = [sys.executable, __file__, "--worker", tool, "--cog", str(cog)]
            env = {**os.environ, "PYTHONWARNINGS": "ignore"}
            finished = subprocess.run(command, capture_output=True, text=True, env=env)
            if finished.returncode:
                raise SystemExit(f"{tool} failed:\n{finished.stderr}")
            done.append(json.loads(finished.stdout.strip().splitlines()[-1]))
    return {
        tool: {
            **min(done, key=lambda r: r["seconds"]),
            "peak_mib": max(r["peak_mib"] for r in done),
            "all_seconds": [round(r["seconds"], 2) for r in done],
        }
        for tool, done in runs.items()
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cog", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--worker", choices=["ours", "rio-tiler"])
    parser.add_argument("--only-per-tile", action="store_true", help="skip the in-process runs")
    args = parser.parse_args()
    cog = args.cog or sample_solar_map()
    if args.worker:
        print(json.dumps(per_tile_worker(args.worker, cog)))
        return
    load = os.getloadavg()[0]
    best = per_tile(cog, args.repeat)
    ours, theirs = best["ours"], best["rio-tiler"]
    print(
        f"renderer made per tile, {ours['tiles']} tiles ({ours['drawn']} with data), fresh "
        f"processes: ours {ours['tiles'] / ours['seconds']:.1f} tiles/s, rio-tiler "
        f"{theirs['tiles'] / theirs['seconds']:.1f} tiles/s, ratio "
        f"{theirs['seconds'] / ours['seconds']:.2f}x (runs {ours['all_seconds']} s vs "
        f"{theirs['all_seconds']} s); peak memory ours {ours['peak_mib']:.0f} MiB (after "
        f"imports {ours['peak_before_mib']:.0f}), rio-tiler {theirs['peak_mib']:.0f} MiB "
        f"(after imports {theirs['peak_before_mib']:.0f}): "
        f"{ours['peak_mib'] / theirs['peak_mib']:.2f}x; load {load:.1f} before, "
        f"{os.getloadavg()[0]:.1f} after"
    )
    if args.only_per_tile:
        return
    tiles = tiles_over(cog)
    print(f"{len(tiles)} tiles at zooms {ZOOMS.start}–{ZOOMS.stop - 1} over {cog}")
    for keep_open in (True, False):
        ours_t, theirs_t = [], []
        for _ in range(args.repeat):
            t, ours = run_ours(cog, tiles, keep_open)
            ours_t.append(t)
            t, theirs = run_rio_tiler(cog, tiles, keep_open)
            theirs_t.append(t)
        a, b = statistics.median(ours_t), statistics.median(theirs_t)
        worst, share = compare(ours, theirs)
        label = "dataset kept open" if keep_open else "opened per tile "
        print(
            f"{label}: ours {len(tiles) / a:7.1f} tiles/s, rio-tiler {len(tiles) / b:7.1f} "
            f"tiles/s, ratio {b / a:4.2f}x; max channel difference {worst}, pixels differing "
            f"by more than 1 level: {share:.4%}"
        )


if __name__ == "__main__":
    main()
