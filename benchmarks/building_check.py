""" "Kan jag bygga?": a building check without and with shade, warm, against its budgets.

Data: the sample municipality (``benchmarks/.data/sample``, built with ``minfastighet
sample-data`` when missing). Then ``python benchmarks/building_check.py [--repeat N]``.

A 6 m high, 6 × 4 m building is placed on a free spot of each of ``--properties`` villa lots
(as the tests do: 6.5 m from the boundary, off prickmark, clear of the houses). Timed, warm
(the engine's sun path cached, the kernels compiled), interleaved building by building:

- ``check``: the rule check alone, from the store (``building_site`` + ``check_building``);
  budget 50 ms median;
- ``check + shade``: ``check_planned_building`` with the shade on the roofs within 40 m
  (:data:`solar.shade.SHADE_MODEL`: 30-minute steps, 32 directions); budget 1.5 s median;
- peer, ``full model``: the same shade computed with the solar map's own model
  (``SolarModel()``: 10-minute steps, 64 directions, 100 m horizon), which is what burning a
  building into the surface model and rerunning the solar map would cost; its kWh lost beside
  ours show what the coarser model gives up.

Prints medians, 95th percentiles, the speed ratio (peer's time over ours) and the loss totals.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SAMPLE = HERE / ".data" / "sample"
LOTS = [f"SUNDSVALL BJÖRKÅSEN {b}:{n}" for b in (4, 5) for n in range(1, 7)]


def _sample() -> Path:
    if not (SAMPLE / "dataset.json").exists():
        subprocess.run(["minfastighet", "sample-data", "--out", str(SAMPLE)], check=True)
    return SAMPLE


def _spot(store, designation: str):
    import shapely

    from layers.building_site import building_site

    prop = store.find_property(designation)
    site = building_site(store, prop)
    room = site.geometry.buffer(-9.5).difference(site.prickmark.buffer(4))
    for b in site.buildings:
        room = room.difference(b.geometry.buffer(4))
    if room.is_empty:
        return None
    p = room.representative_point()
    return prop.unit_id, shapely.box(p.x - 3, p.y - 2, p.x + 3, p.y + 2)


def _q(values: list[float], share: float) -> float:
    return sorted(values)[min(len(values) - 1, int(share * len(values)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per building")
    parser.add_argument("--properties", type=int, default=6, help="villa lots (at most 12)")
    args = parser.parse_args()
    from mapservice import load_settings
    from mapservice.report.building_check import check_planned_building, planned_building
    from mapservice.report.sources import ReportSources
    from solar.model import SolarModel
    from solar.potential import Roof
    from solar.shade import building_shade

    settings = load_settings({"data_dir": str(_sample())})
    times: dict[str, list[float]] = {"check": [], "check + shade": [], "full model": []}
    lost = {"ours": 0.0, "full model": 0.0}
    with ReportSources.from_settings(settings) as sources:
        spots = [s for s in (_spot(sources.store, d) for d in LOTS) if s][: args.properties]
        for unit_id, footprint in spots:
            building = planned_building(footprint, "EPSG:3006", 6.0, "komplementbyggnad")
            roofs = [
                Roof(b.geometry, b.building_id)
                for p in sources.store.properties_in(footprint.buffer(40).bounds).items
                for b in sources.store.buildings_of(p.unit_id)
            ]
            check_planned_building(sources, unit_id, building)  # warm
            for _ in range(args.repeat):
                t = time.perf_counter()
                check_planned_building(sources, unit_id, building, shade=False)
                times["check"].append(time.perf_counter() - t)
                t = time.perf_counter()
                ours = check_planned_building(sources, unit_id, building).shade
                times["check + shade"].append(time.perf_counter() - t)
                t = time.perf_counter()
                full = building_shade(sources.surface, footprint, 6.0, roofs, 40.0, SolarModel())
                times["full model"].append(time.perf_counter() - t)
            lost["ours"] += ours.kwh_per_year_lost if ours else 0.0
            lost["full model"] += full.kwh_per_year_lost
    print(f"{len(spots)} buildings × {args.repeat} runs, warm")
    for name, values in times.items():
        median, p95 = statistics.median(values), _q(values, 0.95)
        print(f"{name:>14}: median {median * 1000:8.1f} ms, p95 {p95 * 1000:8.1f} ms")
    ratio = statistics.median(times["full model"]) / statistics.median(times["check + shade"])
    print(f"speed ratio, full model over check + shade: {ratio:.1f}")
    print(
        f"budgets: check < 50 ms: {statistics.median(times['check']) < 0.05}, "
        f"check + shade < 1.5 s: {statistics.median(times['check + shade']) < 1.5}"
    )
    print(f"kWh/year lost, all roofs: ours {lost['ours']:.0f}, full model {lost['full model']:.0f}")


if __name__ == "__main__":
    main()
