"""The full solar summary of sample properties, warm: solar.potential.solar_potential.

Data: the sample municipality with its solar map and catalog; built into
``benchmarks/.data/sample`` with ``minfastighet sample-data`` when missing. Then
``python benchmarks/potential.py``.

For every property with buildings the summary is computed once to warm up (the raster is open,
the classes calibrated, the kernels loaded), then timed ``--repeat`` times: roof statistics,
faces segmented from the surface model, PV estimate, permit guidance and ``to_dict()``; the
faces' outlines (``__geo_interface__``) are timed apart. Side by side, exactextract computes the
coverage-weighted mean of the same roofs (one of the many numbers of the summary) with the
raster open. Prints medians and writes ``benchmarks/.data/potential.json``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SAMPLE = HERE / ".data" / "sample"
PROPERTY = "SUNDSVALL BJÖRKÅSEN 2:1"


def _sample() -> Path:
    if not (SAMPLE / "stac" / "catalog.json").exists():
        subprocess.run(["minfastighet", "sample-data", "--out", str(SAMPLE)], check=True)
    return SAMPLE


def _properties(sample: Path):
    import geopandas as gpd

    from solar.potential import Roof

    gpkg = sample / "minfastighet.gpkg"
    parcels = gpd.read_file(gpkg, layer="parcels", engine="pyogrio")
    buildings = gpd.read_file(gpkg, layer="buildings", engine="pyogrio")
    areas = parcels.dissolve("unit_id").geometry
    names = parcels.groupby("unit_id").designation.first()
    for unit_id, group in buildings.groupby("unit_id"):
        yield (
            names[unit_id],
            areas[unit_id],
            [
                Roof(r.geometry, r.building_id, r.roof_shape, r.roof_pitch)
                for r in group.itertuples()
            ],
        )


def _median_ms(call, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    sample = _sample()
    import geopandas as gpd
    from exactextract import exact_extract
    from exactextract.exact_extract import prep_raster

    from solar.permit import PlanContext
    from solar.potential import calibrated_suitability, solar_potential
    from solar.raster import CogMosaic, open_solar_map

    plan = PlanContext(in_detailed_plan=True)
    rows = []
    with (
        open_solar_map(sample / "stac" / "catalog.json") as solar_map,
        CogMosaic([sample / "dsm.tif"]) as surface,
    ):
        start = time.perf_counter()
        calibrated_suitability(solar_map)
        calibration = time.perf_counter() - start
        theirs_source = prep_raster(str(solar_map.paths[0]))
        for name, area, buildings in _properties(sample):

            def summary(area=area, buildings=buildings):
                return solar_potential(area, solar_map, buildings, surface, plan=plan).to_dict()

            def outlines(area=area, buildings=buildings):
                return solar_potential(
                    area, solar_map, buildings, surface, plan=plan
                ).__geo_interface__

            roofs = gpd.GeoDataFrame(
                geometry=[b.geometry.intersection(area) for b in buildings], crs="EPSG:3006"
            )
            summary()
            exact_extract(theirs_source, roofs, ["mean"])
            rows.append(
                {
                    "property": name,
                    "buildings": len(buildings),
                    "summary_ms": _median_ms(summary, args.repeat),
                    "with_outlines_ms": _median_ms(outlines, args.repeat),
                    "exactextract_mean_ms": _median_ms(
                        lambda roofs=roofs: exact_extract(theirs_source, roofs, ["mean"]),
                        args.repeat,
                    ),
                }
            )
    named = next(r for r in rows if r["property"] == PROPERTY)
    result = {
        "calibration_s": calibration,
        "properties": len(rows),
        "named": named,
        **{
            f"median_{k}": statistics.median(r[k] for r in rows)
            for k in ("summary_ms", "with_outlines_ms", "exactextract_mean_ms")
        },
        "max_summary_ms": max(r["summary_ms"] for r in rows),
    }
    (HERE / ".data" / "potential.json").write_text(json.dumps(result, indent=2, ensure_ascii=False))
    print(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    sys.exit(main())
