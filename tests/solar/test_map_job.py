"""A solar map over many surface tiles: split jobs equal one map, reruns resume, Dask survives."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import rasterio
import shapely
from affine import Affine

from solar.errors import InvalidSurface
from solar.map_job import plan_job, run_job
from solar.solar_map import compute_solar_map
from sweref import transformer

from .conftest import ORIGIN, write_dsm

SCAN_DATE = "2024-05-01"
#: SWEREF 99 17 15, the local zone of Sundsvall.
LOCAL_ZONE = "EPSG:3014"


def _town(size: int, seed: int = 7) -> np.ndarray:
    """Flat ground at 10 m with box-shaped houses of 3-12 m, some of them across tile edges."""
    rng = np.random.default_rng(seed)
    z = np.full((size, size), 10.0, np.float32)
    for _ in range(size // 8):
        r, c = rng.integers(0, size - 12, 2)
        z[r : r + rng.integers(6, 12), c : c + rng.integers(6, 12)] = 10 + rng.uniform(3, 12)
    return z


def _split(z: np.ndarray, folder: Path, parts: int, crs: str, origin: tuple[float, float]) -> None:
    """Write ``z`` (0.5 m pixels) as ``parts`` × ``parts`` GeoTIFF tiles in ``folder``."""
    folder.mkdir()
    step = z.shape[0] // parts
    for i in range(parts):
        for j in range(parts):
            profile = {
                "driver": "GTiff",
                "width": step,
                "height": step,
                "count": 1,
                "dtype": "float32",
                "crs": crs,
                "transform": Affine(
                    0.5, 0, origin[0] + j * step / 2, 0, -0.5, origin[1] - i * step / 2
                ),
            }
            with rasterio.open(folder / f"dsm_{i}_{j}.tif", "w", **profile) as dst:
                dst.write(z[i * step : (i + 1) * step, j * step : (j + 1) * step], 1)


def _single(tmp_path: Path, z: np.ndarray, model, crs: str, origin) -> Path:
    path = tmp_path / "single.tif"
    with rasterio.open(
        path,
        "w",
        driver="GTiff",
        width=z.shape[1],
        height=z.shape[0],
        count=1,
        dtype="float32",
        crs=crs,
        transform=Affine(0.5, 0, origin[0], 0, -0.5, origin[1]),
    ) as dst:
        dst.write(z, 1)
    compute_solar_map(path, tmp_path / "single_map.tif", model=model)
    return tmp_path / "single_map.tif"


def _assert_tiles_equal_single(folder: Path, single: Path) -> int:
    """Every output tile in ``folder`` equals the same window of the single map; their number."""
    tiles = sorted(folder.glob("solkarta_*.tif"))
    with rasterio.open(single) as src:
        reference, grid = src.read(1), src.transform
    for tile in tiles:
        with rasterio.open(tile) as src:
            values, at = src.read(1), src.transform
        col, row = round((at.c - grid.c) / 0.5), round((grid.f - at.f) / 0.5)
        expected = reference[row : row + values.shape[0], col : col + values.shape[1]]
        np.testing.assert_array_equal(values, expected, err_msg=tile.name)
    return len(tiles)


@pytest.mark.parametrize("crs", ["EPSG:3006", LOCAL_ZONE])
def test_a_split_job_equals_the_single_map(tmp_path, fast_model, crs):
    origin = ORIGIN if crs == "EPSG:3006" else transformer("EPSG:3006", crs).transform(*ORIGIN)
    origin = (round(origin[0] / 20) * 20.0, round(origin[1] / 20) * 20.0)  # on the tile grid
    z = _town(120)
    single = _single(tmp_path, z, fast_model, crs, origin)
    _split(z, tmp_path / "dsm", 2, crs, origin)
    # Output tiles of 20 m (40 px) cut across the 30 m input tiles: shadows come from neighbours.
    job, tiles = plan_job(tmp_path / "dsm", tmp_path / "out", 20.0, SCAN_DATE, fast_model)
    results = run_job(job, tiles)
    assert len(results) == len(tiles) == 9
    assert _assert_tiles_equal_single(tmp_path / "out", single) == 9
    item = json.loads((tmp_path / "out" / f"{tiles[0].name}.json").read_text())
    assert item["properties"]["datetime"].startswith(SCAN_DATE)
    assert item["assets"]["irradiation"]["href"] == f"./{tiles[0].name}.tif"
    assert item["properties"]["proj:code"] == crs


def test_tiles_without_buildings_are_skipped_and_a_rerun_resumes(tmp_path, fast_model):
    z = _town(120)
    _split(z, tmp_path / "dsm", 2, "EPSG:3006", ORIGIN)
    house = shapely.box(ORIGIN[0] + 2, ORIGIN[1] - 18, ORIGIN[0] + 12, ORIGIN[1] - 4)
    gpd.GeoDataFrame(geometry=[house], crs="EPSG:3006").to_file(
        tmp_path / "b.gpkg", layer="buildings"
    )
    job, tiles = plan_job(
        str(tmp_path / "dsm" / "*.tif"),
        tmp_path / "out",
        20.0,
        SCAN_DATE,
        fast_model,
        tmp_path / "b.gpkg",
    )
    assert [t.name for t in tiles] == ["solkarta_617000_6917980"]
    job, tiles = plan_job(tmp_path / "dsm", tmp_path / "out", 20.0, SCAN_DATE, fast_model)
    first = run_job(job, tiles[:4])
    assert len(first) == 4
    seen = []
    again = run_job(job, tiles, progress=lambda done, total: seen.append((done, total)))
    assert len(again) == 5  # the four finished tiles are not computed again
    assert seen[0] == (4, 9)
    assert seen[-1] == (9, 9)
    assert not list((tmp_path / "out").glob(".work-*"))


def test_misaligned_tiles_are_refused(tmp_path):
    write_dsm(tmp_path / "a.tif", np.zeros((8, 8), np.float32))
    profile = {"driver": "GTiff", "width": 8, "height": 8, "count": 1, "dtype": "float32"}
    with rasterio.open(
        tmp_path / "b.tif",
        "w",
        crs="EPSG:3006",
        transform=Affine(0.5, 0, ORIGIN[0] + 4.2, 0, -0.5, ORIGIN[1]),
        **profile,
    ) as dst:
        dst.write(np.zeros((8, 8), np.float32), 1)
    with pytest.raises(InvalidSurface, match="not aligned"):
        plan_job(tmp_path, tmp_path / "out", 10.0, SCAN_DATE)
    with pytest.raises(InvalidSurface, match="no surface model"):
        plan_job(tmp_path / "none-*.tif", tmp_path / "out", 10.0, SCAN_DATE)


def _start(args: list[str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as handle:  # the child keeps its own copy of the descriptor
        return subprocess.Popen(args, stdout=handle, stderr=subprocess.STDOUT)


def _bin(name: str) -> str:
    return str(Path(sys.executable).with_name(name))


def test_on_a_dask_scheduler_a_killed_worker_loses_nothing(tmp_path, fast_model):
    """A scheduler and two workers as processes of their own; one is killed mid-job."""
    z = _town(160)
    single = _single(tmp_path, z, fast_model, "EPSG:3006", ORIGIN)
    _split(z, tmp_path / "dsm", 2, "EPSG:3006", ORIGIN)
    address_file = tmp_path / "scheduler.json"
    common = ["--no-dashboard"]
    processes = [
        _start(
            [
                _bin("dask"),
                "scheduler",
                "--host",
                "127.0.0.1",
                "--port",
                "0",
                "--scheduler-file",
                str(address_file),
                *common,
            ],
            tmp_path / "scheduler.log",
        )
    ]
    try:
        for _ in range(300):
            if address_file.is_file() and address_file.stat().st_size:
                break
            time.sleep(0.1)
        address = json.loads(address_file.read_text())["address"]
        for n in range(2):
            processes.append(
                _start(
                    [_bin("dask"), "worker", address, "--nthreads", "1", "--no-nanny", *common],
                    tmp_path / f"worker{n}.log",
                )
            )
        out = tmp_path / "out"
        command = [
            _bin("minfastighet"),
            "solar-map", "--dsm", str(tmp_path / "dsm"), "--out", str(out), "--tile-size", "10",
            "--scheduler", address, "--scan-date", SCAN_DATE,
            "--margin", str(fast_model.margin_m), "--step", str(fast_model.step_minutes),
            "--directions", str(fast_model.directions),
        ]  # fmt: skip
        client = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        victim = processes[1]
        for _ in range(1200):
            if list(out.glob("*.json")) or client.poll() is not None:
                break
            time.sleep(0.05)
        finished_at_kill = len(list(out.glob("*.json")))
        os.kill(victim.pid, signal.SIGKILL)
        stdout, stderr = client.communicate(timeout=300)
        assert client.returncode == 0, stderr.decode()
        assert 0 < finished_at_kill < 64, "the worker was not killed mid-job"
        assert victim.wait(timeout=10) == -signal.SIGKILL
        assert "64 output tiles" in stdout.decode()
        assert _assert_tiles_equal_single(out, single) == 64
        assert len(list(out.glob("*.json"))) == 64
        assert not list(out.glob(".work-*"))
    finally:
        for process in reversed(processes):
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
