"""OGC API Features bbox queries per second, side by side: Min fastighet against pygeoapi.

Both serve the same GeoPackage over HTTP from their own process on the same WSGI server
(waitress, 4 threads); pygeoapi uses its OGR provider (GDAL reads the GeoPackage through its
R-tree; the bindings are built once into ``benchmarks/.data/gdal-python`` as
``benchmarks/zonal.py`` describes; pygeoapi's SQLiteGPKG provider needs SQLite extension
loading, which this Python lacks) with the collection's storage CRS declared, so both
take the box in CRS84, move it to SWEREF 99 TM and return GeoJSON in CRS84. One client sends the
same seeded boxes (100–400 m, inside the data) to each in turn, interleaved query by query so
drift hits both alike, ``limit=100``; each answer is checked to hold the same features. Boxes
and answers are in SWEREF 99 TM (``bbox-crs`` and ``crs``), the storage CRS: pygeoapi 0.21's
OGR provider returned CRS84 coordinates with swapped axes and did not move a CRS84 ``bbox`` to
the storage CRS here, so the comparison is of the query path without reprojection on either
side.

Data: the sample municipality (built into a temporary directory) and, when present, the
200 000-parcel store from ``python benchmarks/lookup_data.py``.

    pip install -e '.[bench]'; python benchmarks/bench_ogc.py [--queries 200]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
LARGE = HERE / ".data" / "lookup" / "minfastighet.gpkg"
#: GDAL's Python bindings for the system GDAL, which pygeoapi's OGR provider needs (see
#: benchmarks/zonal.py for the one-time build).
GDAL_PYTHON = HERE / ".data" / "gdal-python"
TM = "http://www.opengis.net/def/crs/EPSG/0/3006"
CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"

SERVE_CODE = "from mapservice.commands.main import main; main()"


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(url: str, process: subprocess.Popen) -> None:
    for _ in range(600):
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return
        except OSError:
            if process.poll() is not None:
                raise SystemExit(f"server for {url} did not start") from None
            time.sleep(0.1)
    raise SystemExit(f"{url} did not answer")


@contextlib.contextmanager
def _process(args: list[str], env: dict, ready: str):
    process = subprocess.Popen(
        args, env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        _wait(ready, process)
        yield
    finally:
        process.terminate()
        process.wait(timeout=20)


def ours(gpkg: Path):
    port = _port()
    env = {
        "MINFASTIGHET_DATA_DIR": str(gpkg.parent),
        "MINFASTIGHET_VECTOR_DSN": str(gpkg),
        "MINFASTIGHET_LOG_LEVEL": "WARNING",
    }
    base = f"http://127.0.0.1:{port}/ogc/collections/{{layer}}/items"
    return _process(
        [sys.executable, "-c", SERVE_CODE, "serve", "--port", str(port), "--threads", "4"],
        env,
        f"http://127.0.0.1:{port}/ogc/",
    ), base


def pygeoapi_config(gpkg: Path, layers: dict[str, str], port: int, work: Path) -> dict:
    resources = {}
    for layer, id_field in layers.items():
        resources[layer] = {
            "type": "collection",
            "title": layer,
            "description": layer,
            "keywords": [layer],
            "extents": {"spatial": {"bbox": [10.03, 54.96, 24.17, 69.07], "crs": CRS84}},
            "providers": [
                {
                    "type": "feature",
                    "name": "OGR",
                    "data": {
                        "source_type": "GPKG",
                        "source": str(gpkg),
                        "source_capabilities": {"paging": True},
                    },
                    "id_field": id_field,
                    "layer": layer,
                    "storage_crs": TM,
                    "crs": [CRS84, TM],
                }
            ],
        }
    return {
        "server": {
            "bind": {"host": "127.0.0.1", "port": port},
            "url": f"http://127.0.0.1:{port}",
            "mimetype": "application/json",
            "encoding": "utf-8",
            "language": "en-US",
            "pretty_print": False,
            "limits": {"default_items": 10, "max_items": 10000},
            "map": {"url": "https://example.invalid/{z}/{x}/{y}.png", "attribution": "none"},
        },
        "logging": {"level": "ERROR"},
        "metadata": {
            "identification": {
                "title": "bench",
                "description": "bench",
                "keywords": ["bench"],
                "url": "https://example.invalid",
                "terms_of_service": "https://example.invalid",
            },
            "license": {"name": "MIT", "url": "https://opensource.org/license/mit"},
            "provider": {"name": "bench", "url": "https://example.invalid"},
            "contact": {
                "name": "bench",
                "email": "bench@example.invalid",
                "url": "https://example.invalid",
            },
        },
        "resources": resources,
    }


def theirs(gpkg: Path, layers: dict[str, str], work: Path):
    import yaml

    port = _port()
    config = work / "pygeoapi.yml"
    config.write_text(yaml.safe_dump(pygeoapi_config(gpkg, layers, port, work)))
    openapi = work / "pygeoapi-openapi.yml"
    subprocess.run(
        [
            sys.executable,
            "-c",
            "from pygeoapi import cli; cli()",
            "openapi",
            "generate",
            str(config),
            "--output-file",
            str(openapi),
        ],
        check=True,
        capture_output=True,
        env={**os.environ, "PYGEOAPI_CONFIG": str(config), "PYTHONPATH": str(GDAL_PYTHON)},
    )
    env = {
        "PYGEOAPI_CONFIG": str(config),
        "PYGEOAPI_OPENAPI": str(openapi),
        "PYTHONPATH": str(GDAL_PYTHON),
    }
    code = (
        "import waitress; from pygeoapi.flask_app import APP; "
        f"waitress.serve(APP, host='127.0.0.1', port={port}, threads=4)"
    )
    base = f"http://127.0.0.1:{port}/collections/{{layer}}/items"
    return _process([sys.executable, "-c", code], env, f"http://127.0.0.1:{port}/"), base


def boxes(bounds, n: int, seed: int = 7) -> list[tuple[float, float, float, float]]:
    """Seeded boxes of 100–400 m inside ``bounds`` (SWEREF 99 TM, x/y order).

    >>> boxes((0, 0, 1000, 1000), 1)[0]
    (522.6, 61.9, 719.8, 207.2)
    """
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        w, h = rng.uniform(100, 400), rng.uniform(100, 400)
        x = rng.uniform(bounds[0], bounds[2] - w)
        y = rng.uniform(bounds[1], bounds[3] - h)
        out.append(tuple(round(v, 1) for v in (x, y, x + w, y + h)))
    return out


def fetch(url: str) -> tuple[float, set[str]]:
    start = time.perf_counter()
    with urllib.request.urlopen(url, timeout=300) as response:
        body = json.load(response)
    seconds = time.perf_counter() - start
    return seconds, {str(f["id"]) for f in body["features"]}


def run(name: str, gpkg: Path, layers: dict[str, str], n: int, extent) -> list[str]:
    lines = []
    with tempfile.TemporaryDirectory() as tmp:
        (ours_ctx, ours_base), (theirs_ctx, theirs_base) = (
            ours(gpkg),
            theirs(gpkg, layers, Path(tmp)),
        )
        with ours_ctx, theirs_ctx:
            for layer in layers:
                queries = boxes(extent, n)
                times = {"ours": [], "pygeoapi": []}
                same = 0
                for i, (x0, y0, x1, y1) in enumerate(queries):
                    tail = f"&bbox-crs={TM}&crs={TM}&limit=100&f=json"
                    # OGC Part 2: EPSG:3006 lists northing first; pygeoapi takes easting first
                    a, ids_a = fetch(
                        ours_base.format(layer=layer) + f"?bbox={y0},{x0},{y1},{x1}" + tail
                    )
                    b, ids_b = fetch(
                        theirs_base.format(layer=layer) + f"?bbox={x0},{y0},{x1},{y1}" + tail
                    )
                    if i >= 5:  # warm-up
                        times["ours"].append(a)
                        times["pygeoapi"].append(b)
                    # the same features (a full page may hold different ones: no common order)
                    same += ids_a == ids_b if len(ids_a) < 100 else len(ids_b) == 100
                qps = {k: len(v) / sum(v) for k, v in times.items()}
                median = {k: statistics.median(v) * 1000 for k, v in times.items()}
                lines.append(
                    f"{name:<22} {layer:<10} {qps['ours']:9.1f} {qps['pygeoapi']:9.1f} "
                    f"{qps['ours'] / qps['pygeoapi']:7.1f}×  "
                    f"{median['ours']:7.1f} {median['pygeoapi']:8.1f}  "
                    f"{same}/{len(queries)}"
                )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()
    from data import build_sample

    header = (
        f"{'data':<22} {'layer':<10} {'ours q/s':>9} {'pygeoapi':>9} {'ratio':>8}  "
        f"{'ms ours':>7} {'ms peer':>8}  same answer"
    )
    lines = [header, "-" * len(header)]
    with tempfile.TemporaryDirectory() as tmp:
        sample = build_sample(Path(tmp) / "sample")
        layers = {"parcels": "part_id", "buildings": "building_id"}
        lines += run(
            "sample (679 parcels)",
            sample.directory / "minfastighet.gpkg",
            layers,
            args.queries,
            sample.manifest["bounds"],
        )
    if LARGE.exists():
        from layers import open_store

        with open_store("geopackage", LARGE) as store:
            extent = store.layer_info("parcels").bounds
        lines += run(
            "lookup (200 000 parcels)",
            LARGE,
            {"parcels": "part_id"},
            max(20, args.queries // 10),
            extent,
        )
    else:
        lines.append(f"(no {LARGE}: run python benchmarks/lookup_data.py for the large case)")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
