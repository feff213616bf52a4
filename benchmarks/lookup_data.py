"""Generate a layer store of 200 000 parcels for the lookup benchmark (not committed).

``python benchmarks/lookup_data.py [--parcels 200000]`` writes
``benchmarks/.data/lookup/minfastighet.gpkg``: a grid of 30 × 30 m parcels over the seven
kommuner of Västernorrland (trakter of 400 register units in 20 blocks each), one address per
parcel on 2 000 streets (with å ä ö and some letters A/B), a building on every tenth parcel, and
a detaljplan with uses and rules over a corner, all in SWEREF 99 TM, written by pyogrio (GDAL)
with R-trees and then indexed by the store's ``build_indexes``. Deterministic.
"""

from __future__ import annotations

import argparse
import time
import warnings
from pathlib import Path

import geopandas as gpd
import numpy as np
import pyogrio
import shapely

from layers.geopackage import GeoPackageStore

HERE = Path(__file__).resolve().parent
DATA = HERE / ".data" / "lookup"
KOMMUNER = ["SUNDSVALL", "HÄRNÖSAND", "TIMRÅ", "KRAMFORS", "ÖRNSKÖLDSVIK", "SOLLEFTEÅ", "ÅNGE"]
SYLLABLES = [
    "BJÖRK",
    "ÅS",
    "LÖV",
    "STEN",
    "HÄLL",
    "GRAN",
    "MYR",
    "EK",
    "TALL",
    "SJÖ",
    "BÄCK",
    "BERG",
    "DAL",
    "NÄS",
    "VIK",
    "HOLM",
    "MO",
    "ÄNG",
    "ÖR",
    "LUND",
]
ORIGIN = (600_000.0, 6_900_000.0)
SIZE = 30.0
PER_TRAKT = 400


def names(count: int, rng: np.random.Generator, suffixes=("",)) -> list[str]:
    """``count`` distinct Swedish-sounding names; once the syllable pairs run out, a Roman-
    style letter suffix keeps them apart (names carry no digits, like real ones)."""
    pairs = [(a, b) for a in SYLLABLES for b in SYLLABLES if a != b]
    out = []
    for i in range(count):
        a, b = pairs[int(rng.integers(len(pairs)))] if i >= len(pairs) else pairs[i]
        extra = "" if i < len(pairs) else "".join("ABCDEFGHIJ"[int(d)] for d in str(i)).lower()
        out.append(f"{a}{b.lower()}{extra}{suffixes[i % len(suffixes)]}")
    return out


def make(n: int, seed: int = 2281) -> dict[str, gpd.GeoDataFrame]:
    rng = np.random.default_rng(seed)
    side = int(np.ceil(np.sqrt(n)))
    k = np.arange(n)
    x = ORIGIN[0] + (k % side) * SIZE
    y = ORIGIN[1] + (k // side) * SIZE
    geoms = shapely.box(x, y, x + SIZE, y + SIZE)
    trakt_no = k // PER_TRAKT
    trakts = [t.upper() for t in names(int(trakt_no.max()) + 1, rng)]
    kommun = np.array(KOMMUNER)[trakt_no % len(KOMMUNER)]
    block = (k % PER_TRAKT) // 20 + 1
    unit = k % 20 + 1
    designation = [
        f"{c} {trakts[t]} {b}:{u}" for c, t, b, u in zip(kommun, trakt_no, block, unit, strict=True)
    ]
    unit_id = [f"unit-{i:07d}" for i in k]
    parcels = gpd.GeoDataFrame(
        {
            "unit_id": unit_id,
            "part_id": [f"part-{i:07d}" for i in k],
            "designation": designation,
            "kommunkod": "2281",
            "registry_area": kommun,
            "trakt": [trakts[t] for t in trakt_no],
            "block": block,
            "unit": unit,
            "unit_type": "fastighet",
            "part": 1,
            "land_use": "villa",
            "geometry": shapely.multipolygons(geoms[:, np.newaxis]),
        },
        crs="EPSG:3006",
    )
    streets = [s.capitalize() for s in names(2000, rng, ("vägen", "gatan", "stigen", "gränd"))]
    street_no = rng.integers(0, len(streets), n)
    letters = np.where(rng.random(n) < 0.05, "A", None)
    addresses = gpd.GeoDataFrame(
        {
            "address_id": [f"addr-{i:07d}" for i in k],
            "unit_id": unit_id,
            "designation": designation,
            "street": np.array(streets)[street_no],
            "number": k % 150 + 1,
            "letter": letters,
            "postcode": "856 41",
            "postal_town": np.array(KOMMUNER)[street_no % 7],
            "geometry": shapely.points(x + SIZE / 2, y + 2),
        },
        crs="EPSG:3006",
    )
    addresses["label"] = [
        f"{s} {n}{lt or ''}"
        for s, n, lt in zip(addresses.street, addresses.number, letters, strict=True)
    ]
    every = k[::10]
    buildings = gpd.GeoDataFrame(
        {
            "building_id": [f"bldg-{i:07d}" for i in every],
            "unit_id": np.array(unit_id)[every],
            "use": "småhus",
            "floors": 1,
            "roof_shape": "gable",
            "height": 6.5,
            "ground_height": 20.0,
            "geometry": shapely.box(x[every] + 8, y[every] + 8, x[every] + 20, y[every] + 18),
        },
        crs="EPSG:3006",
    )
    extent = shapely.box(ORIGIN[0], ORIGIN[1], ORIGIN[0] + 3000, ORIGIN[1] + 3000)
    plans = gpd.GeoDataFrame(
        {
            "plan_id": ["2281K-DP1"],
            "name": ["Plan"],
            "plan_type": ["detaljplan"],
            "status": ["laga kraft"],
            "adopted": ["2010-01-01"],
            "legal_force": ["2010-02-01"],
            "implementation_years": [10],
            "authority": ["Sundsvalls kommun"],
            "document": [None],
            "geometry": [extent],
        },
        crs="EPSG:3006",
    )
    uses = gpd.GeoDataFrame(
        {
            "use_id": ["use-1"],
            "plan_id": ["2281K-DP1"],
            "code": ["B"],
            "wording": ["Bostäder"],
            "land_form": ["kvartersmark"],
            "catalogue_code": ["DP_KM_B2"],
            "geometry": [extent],
        },
        crs="EPSG:3006",
    )
    rules = gpd.GeoDataFrame(
        {
            "rule_id": ["rule-1"],
            "plan_id": ["2281K-DP1"],
            "code": ["e1"],
            "category": ["utnyttjandegrad"],
            "wording": ["25 %"],
            "value": [25.0],
            "unit": ["%"],
            "catalogue_code": [None],
            "geometry": [extent],
        },
        crs="EPSG:3006",
    )
    return {
        "parcels": parcels,
        "addresses": addresses,
        "buildings": buildings,
        "plans": plans,
        "plan_uses": uses,
        "plan_rules": rules,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parcels", type=int, default=200_000)
    parser.add_argument("--out", type=Path, default=DATA / "minfastighet.gpkg")
    args = parser.parse_args()
    start = time.perf_counter()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.unlink(missing_ok=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        for layer, frame in make(args.parcels).items():
            pyogrio.write_dataframe(
                frame, args.out, layer=layer, driver="GPKG", layer_options={"SPATIAL_INDEX": "YES"}
            )
    with GeoPackageStore(args.out, writable=True) as store:
        store.build_indexes()
    print(f"wrote {args.parcels} parcels to {args.out} in {time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    main()
