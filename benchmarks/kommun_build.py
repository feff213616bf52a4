"""``minfastighet kommun build`` on a generated delivery: seconds per stage, per km² and per
10 000 properties.

No peer: nothing else turns the national products into this service's data directory, so this
measures our own path and reports rates (the issue asks how long a kommun takes). The delivery
is generated in the products' own schemas, as tests/national/deliveries.py writes them
(docs/ONBOARDING.md lists the sources): ``--km`` × ``--km`` kilometres of 40 × 40 m register
units (625 per km²) in Fastighetsindelning's ``registerenhetsomradesyta`` in SWEREF 99 17 15
(so the local zone is reprojected), one house per unit in Byggnad's ``byggnad`` (objekttypnr
2061, a gable roof) and one address per unit in Belägenhetsadress' ``belagenhetsadress``, and
DSM/DTM GeoTIFF grids at 0.5 m with the roofs drawn. Plans are left out (a stage of seconds).

Every stage's time comes from the build itself (``Build.timings``); the rates divide the total
by the area and by the number of units. Run::

    python benchmarks/kommun_build.py [--km 2] [--workdir DIR]
"""

from __future__ import annotations

import argparse
import tempfile
import time
import uuid
from pathlib import Path

import geopandas as gpd
import numpy as np
import rasterio
import shapely

X0, Y0 = 620_000.0, 6_920_000.0
LOT = 40.0
NS = uuid.UUID("0b0c4a4e-6b3f-4f55-8a43-2d1c8e5a9b10")


def _uid(name: str) -> str:
    return str(uuid.uuid5(NS, name))


def write_delivery(folder: Path, km: float) -> int:
    """Write the delivery into ``folder``; returns the number of register units."""
    folder.mkdir(parents=True, exist_ok=True)
    n = int(km * 1000 / LOT)
    rows, cols = np.divmod(np.arange(n * n), n)
    x, y = X0 + cols * LOT, Y0 + rows * LOT
    lots = shapely.box(x, y, x + LOT, y + LOT)
    units = [_uid(f"unit{i}") for i in range(n * n)]
    gpd.GeoDataFrame(
        {
            "objektidentitet": [_uid(f"omr{i}") for i in range(n * n)],
            "registerenhetsreferens": units,
            "objekttyp": "fastighetsområde",
            "lanskod": "22",
            "kommunkod": "2281",
            "kommunnamn": "Sundsvall",
            "trakt": "Mätby",
            "block": (rows + 1).astype(str),
            "enhet": (cols + 1).astype("int64"),
            "omradesnummer": np.ones(n * n, dtype="int16"),
            "etikett": [f"{r + 1}:{c + 1}" for r, c in zip(rows, cols, strict=True)],
        },
        geometry=shapely.multipolygons(lots[:, None].tolist()),
        crs="EPSG:3006",
    ).to_crs("EPSG:3014").to_file(
        folder / "fastighetsindelning.gpkg", layer="registerenhetsomradesyta"
    )
    houses = shapely.box(x + 14, y + 15, x + 26, y + 25)
    gpd.GeoDataFrame(
        {
            "objektidentitet": [_uid(f"b{i}") for i in range(n * n)],
            "versiongiltigfran": "2024-05-01T00:00:00",
            "objektversion": 1,
            "objekttypnr": np.full(n * n, 2061, dtype="int32"),
            "objekttyp": "Bostad",
            "insamlingslage": "Fasad",
            "huvudbyggnad": "Ja",
            "andamal1": "Bostad; Småhus friliggande",
            "husnummer": 1,
        },
        geometry=shapely.multipolygons(houses[:, None].tolist()),
        crs="EPSG:3006",
    ).to_file(folder / "byggnad.gpkg", layer="byggnad")
    gpd.GeoDataFrame(
        {
            "belagenhetsadress_objektidentitet": [_uid(f"a{i}") for i in range(n * n)],
            "adressplatstyp": "Gatuadressplats",
            "adressomrade_faststalltnamn": [f"Mätgatan {r + 1}" for r in rows],
            "adressplatsnummer": (cols + 1).astype(str),
            "bokstavstillagg": None,
            "postnummer": np.full(n * n, 85641, dtype="int32"),
            "postort": "Sundsvall",
            "kommunkod": "2281",
            "statusforbelagenhetsadress": "Gällande",
        },
        geometry=shapely.points(x + 20, y + 12),
        crs="EPSG:3006",
    ).rename_geometry("adressplatspunkt").to_file(
        folder / "belagenhetsadress.gpkg", layer="belagenhetsadress"
    )
    _write_grids(folder, n)
    return n * n


def _write_grids(folder: Path, n: int) -> None:
    size = 0.5
    side = int(n * LOT / size)
    dtm = np.full((side, side), 10.0, dtype="float32")
    dsm = dtm.copy()
    cell = int(LOT / size)
    # A gable roof on every house: 12 m east-west, 10 m north-south, eaves 3 m, ridge 6 m.
    across = np.abs(np.arange(20) - 9.5) * size  # metres from the ridge
    roof = (13.0 + (5.0 - across) * 0.6).astype("float32")[:, None] * np.ones(24, "float32")
    for r in range(n):
        top = side - (r * cell + 50)  # house rows y+15 … y+25 m, counted from the north edge
        for c in range(n):
            left = c * cell + 28
            dsm[top : top + 20, left : left + 24] = roof
    transform = rasterio.Affine(size, 0, X0, 0, -size, Y0 + n * LOT)
    for name, array in (("dsm.tif", dsm), ("dtm.tif", dtm)):
        profile = {"driver": "GTiff", "width": side, "height": side, "count": 1}
        profile |= {"dtype": "float32", "crs": "EPSG:3006", "transform": transform}
        with rasterio.open(folder / name, "w", **profile, tiled=True, compress="deflate") as dst:
            dst.write(array, 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--km", type=float, default=2.0, help="side of the square, km")
    parser.add_argument("--workdir", type=Path, default=None)
    args = parser.parse_args()
    from mapservice.kommun.build import build_kommun

    with tempfile.TemporaryDirectory(dir=args.workdir) as tmp:
        start = time.perf_counter()
        units = write_delivery(Path(tmp) / "leverans", args.km)
        print(f"delivery: {args.km**2:g} km², {units} units, {time.perf_counter() - start:.1f} s")
        build = build_kommun(
            Path(tmp) / "leverans", Path(tmp) / "data", "2281", scan_date="2024-05-20"
        )
    total = sum(build.timings.values())
    area = args.km**2
    for stage, seconds in build.timings.items():
        print(f"  {stage:<11} {seconds:8.1f} s")
    print(f"  {'total':<11} {total:8.1f} s")
    print(f"per km²: {total / area:.1f} s; per 10 000 properties: {total / units * 10_000:.0f} s")


if __name__ == "__main__":
    main()
