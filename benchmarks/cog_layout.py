"""Which COG layout serves a solar map fastest: compression × internal tile size, measured.

Each candidate copies the same solar map (the sample municipality's, roofs only, float32 with
nodata) into a COG with overviews, then measures the file size and the time to read what the
map tiles and zonal statistics read: 400 random 256×256 windows at full resolution (opening
the file per read, as a tile server without a cache does, and with the file kept open) and
64 random windows from the first overview. Run::

    python benchmarks/cog_layout.py [--map PATH] [--repeat 3]

The layout chosen for :data:`solar.cog.PROFILE` is the one whose reads are fastest at a size
close to the smallest; docs/SOLAR.md records the figures.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
import rasterio
from rasterio.windows import Window

from solar.cog import PROFILE, to_cog

CANDIDATES = {
    "DEFLATE p3 256": {"COMPRESS": "DEFLATE", "PREDICTOR": "3", "BLOCKSIZE": "256"},
    "DEFLATE p3 512": {"COMPRESS": "DEFLATE", "PREDICTOR": "3", "BLOCKSIZE": "512"},
    "DEFLATE p1 256": {"COMPRESS": "DEFLATE", "PREDICTOR": "1", "BLOCKSIZE": "256"},
    "ZSTD p3 256": {"COMPRESS": "ZSTD", "PREDICTOR": "3", "BLOCKSIZE": "256"},
    "ZSTD p1 256": {"COMPRESS": "ZSTD", "PREDICTOR": "1", "BLOCKSIZE": "256"},
    "ZSTD p3 512": {"COMPRESS": "ZSTD", "PREDICTOR": "3", "BLOCKSIZE": "512"},
    "LZW p3 256": {"COMPRESS": "LZW", "PREDICTOR": "3", "BLOCKSIZE": "256"},
    "none 256": {"COMPRESS": "NONE", "BLOCKSIZE": "256"},
}


def windows(shape: tuple[int, int], size: int, count: int, seed: int) -> list[Window]:
    rng = np.random.default_rng(seed)
    rows = rng.integers(0, max(1, shape[0] - size), count)
    cols = rng.integers(0, max(1, shape[1] - size), count)
    return [Window(int(c), int(r), size, size) for r, c in zip(rows, cols, strict=True)]


def measure(path: Path, repeat: int) -> dict[str, float]:
    with rasterio.open(path) as src:
        shape = src.shape
        overview = src.overviews(1)[0] if src.overviews(1) else 1
    full = windows(shape, 256, 400, 1)
    small = windows((shape[0] // overview, shape[1] // overview), 256, 64, 2)
    times = {"reopen": [], "open": [], "overview": []}
    for _ in range(repeat):
        start = time.perf_counter()
        for window in full:
            with rasterio.open(path) as src:
                src.read(1, window=window)
        times["reopen"].append(time.perf_counter() - start)
        with rasterio.open(path) as src:
            start = time.perf_counter()
            for window in full:
                src.read(1, window=window)
            times["open"].append(time.perf_counter() - start)
        with rasterio.open(path, overview_level=0) as src:
            start = time.perf_counter()
            for window in small:
                src.read(1, window=window, boundless=False)
            times["overview"].append(time.perf_counter() - start)
    return {key: statistics.median(values) * 1000 for key, values in times.items()}


def sample_map() -> Path:
    from data.dataset import SOLAR_MAP
    from mapservice.settings import DEFAULT_DATA_DIR

    path = DEFAULT_DATA_DIR / SOLAR_MAP
    if not path.exists():
        raise SystemExit(f"{path} is missing: run 'minfastighet sample-data' or give --map")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--map", type=Path, help="a solar map (default: the sample's)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    source = args.map or sample_map()
    work = Path(tempfile.mkdtemp(prefix="cog-layout-"))
    print(
        f"{'layout':18s} {'MB':>6s} {'400 reads, reopen':>18s} {'400 reads, open':>16s} "
        f"{'64 overview reads':>18s}   (milliseconds, median of {args.repeat})"
    )
    for name, options in CANDIDATES.items():
        target = work / (name.replace(" ", "_") + ".tif")
        to_cog(source, target, {**PROFILE, **options})
        size = target.stat().st_size / 1e6
        ms = measure(target, args.repeat)
        print(
            f"{name:18s} {size:6.2f} {ms['reopen']:18.0f} {ms['open']:16.0f} {ms['overview']:18.0f}"
        )
        target.unlink()


if __name__ == "__main__":
    main()
