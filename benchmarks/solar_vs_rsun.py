"""Annual solar map: Min fastighet's model against GRASS GIS r.sun, side by side in one run.

Both compute the annual irradiation (kWh/m²·year) of one synthetic surface model at 62.4° N
(Sundsvall) from the same inputs: the same grid, pvlib's monthly Linke turbidity for the site,
albedo 0.2, 64 horizon directions out to the same distance, and the same clear-sky irradiance:
our model uses the Ineichen–Perez clear sky (pvlib's formulas) unscaled, and r.sun's real-sky
coefficients (``coeff_bh``, ``coeff_dh``) are set for each day so that its beam and diffuse
irradiation on an unshaded horizontal plane equal ours (r.sun's own ESRA clear sky differs from
Ineichen–Perez by several per cent at the same Linke turbidity; the uncalibrated figures are
printed too). What remains is what the comparison is about: geometry, shading and the
sky-diffuse model. r.sun runs the usual fast way: ``r.horizon`` once, then ``r.sun`` in mode 2
for each of the 365 days with those horizons, summed by ``r.series``.

The surface has one 12 m test surface per 60 m cell, far enough apart that none shades another
within the horizon distance: unshaded planes (flat, south, north, east and west at 30° and
45°) and shaded ones (roofs beside a 20 m tall block). For each it prints both means over the
surface's inner half and their difference.

Known flaws of Debian's GRASS 8.2.1 that the run allows for (measured here):
  * r.sun is wrong on pole-facing planes steeper than 90° minus the latitude (north 30° and 45°
    here; fixed upstream after 8.2): those planes are compared with pvlib instead, with
    ``pvlib.irradiance.get_total_irradiance`` over our model's sun positions.
  * r.horizon writes negative angles that r.sun mishandles on slopes: they are clamped to ≥ 0.
  * r.sun has no sky-view factor, so a correct model reads lower than it on shaded roofs.

Whole processes (issue 17): ``--size 400`` lays the test surfaces on a 400 × 400 px grid, and
the run also times both tools as whole processes from process start to the written map:
``minfastighet solar-map`` in a fresh Python process (imports and loading the compiled kernels
from numba's cache included; one run beforehand fills the cache, as the install's first run does)
against ``grass --exec`` running r.horizon, the 365 r.sun and r.series (r.in.gdal and the
r.out.gdal export included). It prints the ratio of the two, of wall time (ours: the median of
three processes) and of CPU time (user + system of the processes and their children), which a
shared machine's load disturbs less.

Run (needs GRASS: ``apt-get install grass-core``; a few minutes on two cores)::

    python benchmarks/solar_vs_rsun.py [--res 1.0] [--size 400] [--workdir DIR] [--esra]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pvlib
import rasterio
from affine import Affine

from solar import CLEAR_SKY, SolarModel, compute_solar_map
from solar.sun import sun_path

ORIGIN = (617000.0, 6918000.0)
CELL = 60.0  # metres between test surfaces
PAD = 12.0  # metres, side of a test surface
MARGIN = 30.0  # horizon distance for both models, metres
DIRECTIONS = 64
NORTH_FLAW = "r.sun 8.2 flaw: compared with pvlib"

#: name → (tilt, aspect, obstacle): obstacle is where a 20 m block stands ("south", "east").
SURFACES = {
    "flat": (0, 180, None),
    "south 30": (30, 180, None),
    "south 45": (45, 180, None),
    "north 30": (30, 0, None),
    "north 45": (45, 0, None),
    "east 30": (30, 90, None),
    "west 30": (30, 270, None),
    "east 45": (45, 90, None),
    "west 45": (45, 270, None),
    "flat, block to the south": (0, 180, "south"),
    "south 30, block to the south": (30, 180, "south"),
    "flat, block to the east": (0, 180, "east"),
}


def build_surface(res: float, size: int = 0) -> tuple[np.ndarray, dict[str, tuple[slice, slice]]]:
    """The test surfaces on flat ground at 0 m (at least ``size`` × ``size`` px), and the inner
    half of each."""
    cols, rows = 4, 3
    n = round(CELL / res)
    z = np.zeros((max(rows * n, size), max(cols * n, size)), np.float32)
    inner = {}
    pad = round(PAD / res)
    for i, (name, (tilt, aspect, obstacle)) in enumerate(SURFACES.items()):
        r0 = (i // cols) * n + (n - pad) // 2
        c0 = (i % cols) * n + (n - pad) // 2
        yy, xx = np.mgrid[0:pad, 0:pad] * res
        east, north = xx, -yy
        ux, uy = np.sin(np.radians(aspect)), np.cos(np.radians(aspect))
        along = east * ux + north * uy  # grows towards the facing direction
        ramp = np.tan(np.radians(tilt)) * (along.max() - along)
        z[r0 : r0 + pad, c0 : c0 + pad] = 3.0 + ramp
        gap, depth = round(4 / res), round(6 / res)
        if obstacle == "south":
            z[r0 + pad + gap : r0 + pad + gap + depth, c0 : c0 + pad] = 20.0
        elif obstacle == "east":
            z[r0 : r0 + pad, c0 + pad + gap : c0 + pad + gap + depth] = 20.0
        q = pad // 4
        inner[name] = (slice(r0 + q, r0 + pad - q), slice(c0 + q, c0 + pad - q))
    return z, inner


def write(path: Path, z: np.ndarray, res: float) -> None:
    profile = {
        "driver": "GTiff",
        "width": z.shape[1],
        "height": z.shape[0],
        "count": 1,
        "dtype": "float32",
        "crs": "EPSG:3006",
        "transform": Affine(res, 0, ORIGIN[0], 0, -res, ORIGIN[1]),
    }
    with rasterio.open(path, "w", **profile) as dst:
        dst.write(z, 1)


def monthly_linke(latitude: float, longitude: float) -> list[float]:
    months = pd.date_range("2025-01-01", periods=12, freq="MS", tz="UTC") + pd.Timedelta(days=14)
    return [
        float(v)
        for v in pvlib.clearsky.lookup_linke_turbidity(
            months, latitude, longitude, interp_turbidity=False
        )
    ]


DAYS = pd.date_range("2025-01-01", periods=365, freq="D")


def calibration_script(dsm: Path, linke: list[float]) -> str:
    """r.sun's own daily beam and diffuse on an unshaded horizontal plane, one cell."""
    runs = "\n".join(
        f"r.sun -p elevation=dsm slope_value=0 aspect_value=270 "
        f"linke_value={linke[d.month - 1]:.3f} albedo_value=0.2 day={i + 1} step=0.5 "
        f"beam_rad=cb diff_rad=cd --overwrite --quiet\n"
        f"echo CAL {i + 1} $(r.univar -g map=cb | grep ^mean=) $(r.univar -g map=cd | grep ^mean=)"
        for i, d in enumerate(DAYS)
    )
    return (
        textwrap.dedent(f"""\
        set -e
        r.in.gdal -o input={dsm} output=dsm --overwrite --quiet
        g.region raster=dsm
        g.region n=n-1 s=n-2 w=w+1 e=w+2
        """)
        + runs
        + "\n"
    )


def rsun_script(
    dsm: Path, out: Path, linke: list[float], coefficients: list[tuple[float, float]] | None
) -> str:
    step = 360.0 / DIRECTIONS
    lines = []
    for i, d in enumerate(DAYS):
        real_sky = ""
        if coefficients:
            kb, kd = coefficients[i]
            lines.append(f'r.mapcalc "kb = {kb:.6f}" --overwrite --quiet')
            lines.append(f'r.mapcalc "kd = {kd:.6f}" --overwrite --quiet')
            real_sky = "coeff_bh=kb coeff_dh=kd "
        lines.append(
            f"r.sun elevation=dsm aspect=aspect slope=slope linke_value={linke[d.month - 1]:.3f} "
            f"albedo_value=0.2 horizon_basename=hor horizon_step={step} day={i + 1} step=0.5 "
            f"{real_sky}glob_rad=g{i + 1:03d} --overwrite --quiet"
        )
    runs = "\n".join(lines)
    return (
        textwrap.dedent(f"""\
        set -e
        r.in.gdal -o input={dsm} output=dsm --overwrite --quiet
        g.region raster=dsm
        r.slope.aspect elevation=dsm slope=slope aspect=aspect --overwrite --quiet
        start=$(date +%s.%N)
        r.horizon elevation=dsm step={step} maxdistance={MARGIN} output=hor --overwrite --quiet
        for map in $(g.list raster pattern='hor_*'); do
            r.mapcalc "$map = max($map, 0.0)" --overwrite --quiet
        done
        """)
        + runs
        + textwrap.dedent(f"""
        r.series input=$(g.list raster pattern='g[0-9]*' separator=comma) output=annual \\
            method=sum --overwrite --quiet
        end=$(date +%s.%N)
        echo "RSUN_SECONDS $(echo "$end - $start" | bc)"
        r.out.gdal input=annual output={out} type=Float64 --overwrite --quiet
        """)
    )


def grass(location: Path, script: Path, text: str) -> str:
    script.write_text(text)
    done = subprocess.run(
        ["grass", str(location / "PERMANENT"), "--exec", "bash", str(script)],
        capture_output=True,
        text=True,
    )
    if done.returncode:
        raise SystemExit(f"GRASS failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    return done.stdout


def coefficients(dsm: Path, work: Path, linke: list[float], latlon) -> list[tuple[float, float]]:
    """Per day: our horizontal beam and diffuse over r.sun's (the real-sky coefficients)."""
    output = grass(work / "grassdb" / "loc", work / "calibrate.sh", calibration_script(dsm, linke))
    theirs = {
        int(p[1]): (float(p[2][5:]), float(p[3][5:]))
        for p in (line.split() for line in output.splitlines() if line.startswith("CAL "))
    }
    model = SolarModel(margin_m=MARGIN, directions=DIRECTIONS, climate=CLEAR_SKY)
    path = sun_path(*latlon, 0.0, model)
    # r.sun's days are local solar days; at 17° E solar midnight is ~22:51 UTC, when the sun
    # is below the horizon all year at 62° N, so UTC dates group the same positions
    frame = pd.DataFrame(
        {"beam": path.dni * np.sin(np.radians(path.elevation)), "diffuse": path.dhi},
        index=path.times,
    )
    ours = frame.groupby(frame.index.day_of_year).sum() * path.hours
    return [
        (
            ours.beam.get(d, 0.0) / theirs[d][0] if theirs[d][0] > 0 else 1.0,
            ours.diffuse.get(d, 0.0) / theirs[d][1] if theirs[d][1] > 0 else 1.0,
        )
        for d in range(1, 366)
    ]


def run_rsun(
    dsm: Path, work: Path, linke: list[float], coeffs: list[tuple[float, float]] | None, name: str
) -> tuple[float, np.ndarray]:
    location = work / "grassdb" / "loc"
    out = work / f"{name}.tif"
    stdout = grass(location, work / f"{name}.sh", rsun_script(dsm, out, linke, coeffs))
    seconds = next(
        float(line.split()[1]) for line in stdout.splitlines() if line.startswith("RSUN_SECONDS")
    )
    with rasterio.open(out) as src:
        return seconds, src.read(1, masked=True).filled(np.nan) / 1000.0


def _children_cpu() -> float:
    """CPU seconds (user + system) of every child process waited for so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def whole_process(command: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds of ``command`` from process start to exit (it must succeed)."""
    start, cpu = time.perf_counter(), _children_cpu()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    seconds, cpu = time.perf_counter() - start, _children_cpu() - cpu
    if done.returncode:
        raise SystemExit(f"{command[0]} failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    return seconds, cpu


def ours_command(dsm: Path, out: Path) -> list[str]:
    """``minfastighet solar-map`` with the model of :func:`run_ours`, in a fresh process."""
    return [
        sys.executable,
        "-m",
        "mapservice.commands.main",
        "solar-map",
        "--dsm",
        str(dsm),
        "--out",
        str(out),
        "--climate",
        "clear-sky",
        "--margin",
        str(MARGIN),
        "--directions",
        str(DIRECTIONS),
    ]


def run_ours(dsm: Path, work: Path) -> tuple[float, float, np.ndarray]:
    model = SolarModel(margin_m=MARGIN, directions=DIRECTIONS, climate=CLEAR_SKY)
    first = time.perf_counter()
    compute_solar_map(dsm, work / "ours-first.tif", model=model)
    first = time.perf_counter() - first
    start = time.perf_counter()
    result = compute_solar_map(dsm, work / "ours.tif", model=model)
    seconds = time.perf_counter() - start
    with rasterio.open(result.path) as src:
        return first, seconds, src.read(1)


def pvlib_reference(tilt: float, aspect: float, latitude: float, longitude: float) -> float:
    model = SolarModel(margin_m=MARGIN, directions=DIRECTIONS, climate=CLEAR_SKY)
    path = sun_path(latitude, longitude, 3.0, model)
    total = pvlib.irradiance.get_total_irradiance(
        tilt,
        aspect,
        path.zenith,
        path.azimuth,
        path.dni,
        path.ghi,
        path.dhi,
        dni_extra=path.dni_extra,
        albedo=model.albedo,
        model=model.sky_diffuse,
    )
    return path.annual(np.asarray(total["poa_global"]))


def report(
    ours: np.ndarray,
    rsun: np.ndarray,
    raw: np.ndarray | None,
    inner: dict,
    latlon: tuple[float, float],
) -> None:
    extra = f" {'r.sun ESRA':>11s} {'diff':>7s}" if raw is not None else ""
    print(f"{'surface':32s} {'ours':>8s} {'r.sun':>8s} {'diff':>7s}{extra}   note")
    for name, (tilt, aspect, obstacle) in SURFACES.items():
        mine = float(np.nanmean(ours[inner[name]]))
        theirs = float(np.nanmean(rsun[inner[name]]))
        note = "shaded: ours has a sky-view factor" if obstacle else ""
        line = f"{name:32s} {mine:8.1f} {theirs:8.1f} {100 * (mine / theirs - 1):+6.1f}%"
        if raw is not None:
            esra = float(np.nanmean(raw[inner[name]]))
            line += f" {esra:11.1f} {100 * (mine / esra - 1):+6.1f}%"
        if aspect == 0 and tilt > 90 - latlon[0]:
            ref = pvlib_reference(tilt, aspect, *latlon)
            note = f"{NORTH_FLAW}: pvlib {ref:.1f}, ours {100 * (mine / ref - 1):+.1f}%"
        print(f"{line}   {note}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--res", type=float, default=1.0, help="grid spacing, metres")
    parser.add_argument("--size", type=int, default=400, help="at least this many px a side")
    parser.add_argument("--workdir", type=Path, help="keep the files here")
    parser.add_argument(
        "--esra", action="store_true", help="also run r.sun with its own clear sky (twice the time)"
    )
    args = parser.parse_args()
    if shutil.which("grass") is None:
        raise SystemExit("GRASS GIS is not installed: apt-get install grass-core")
    work = args.workdir or Path(tempfile.mkdtemp(prefix="solar-vs-rsun-"))
    work.mkdir(parents=True, exist_ok=True)
    z, inner = build_surface(args.res, args.size)
    dsm = work / "surface.tif"
    write(dsm, z, args.res)
    from pyproj import Transformer

    lon, lat = Transformer.from_crs("EPSG:3006", "EPSG:4326", always_xy=True).transform(
        ORIGIN[0] + z.shape[1] * args.res / 2, ORIGIN[1] - z.shape[0] * args.res / 2
    )
    linke = monthly_linke(lat, lon)
    print(
        f"surface: {z.shape[1]}×{z.shape[0]} cells at {args.res} m, {lat:.2f} N {lon:.2f} E; "
        f"Linke {', '.join(f'{v:.2f}' for v in linke)}"
    )
    load_before = f"{os.getloadavg()[0]:.1f}"
    first, ours_s, ours = run_ours(dsm, work)
    subprocess.run(
        ["grass", "-c", str(dsm), "-e", str(work / "grassdb" / "loc")],
        check=True,
        capture_output=True,
    )
    coeffs = coefficients(dsm, work, linke, (lat, lon))
    whole_process(ours_command(dsm, work / "ours-warmup.tif"))  # fills numba's cache once
    runs = [whole_process(ours_command(dsm, work / f"ours-{i}.tif")) for i in range(3)]
    ours_whole = float(np.median([wall for wall, _ in runs]))
    ours_cpu = float(np.median([cpu for _, cpu in runs]))
    rsun_start, rsun_cpu = time.perf_counter(), _children_cpu()
    rsun_s, rsun = run_rsun(dsm, work, linke, coeffs, "rsun")
    rsun_whole, rsun_cpu = time.perf_counter() - rsun_start, _children_cpu() - rsun_cpu
    print(
        f"whole processes, {z.shape[1]}×{z.shape[0]} px at {args.res} m: minfastighet "
        f"solar-map {ours_whole:.1f} s (median of 3: {', '.join(f'{w:.1f}' for w, _ in runs)}), "
        f"grass --exec r.sun job {rsun_whole:.1f} s: ×{rsun_whole / ours_whole:.0f}; CPU "
        f"(user + system) {ours_cpu:.1f} s vs {rsun_cpu:.1f} s: ×{rsun_cpu / ours_cpu:.0f} "
        f"(load average before/after: {load_before} / {os.getloadavg()[0]:.1f} on "
        f"{os.cpu_count()} cores)"
    )
    print(
        f"seconds for the annual map: ours {ours_s:.1f} (first run, with compiling: "
        f"{first:.1f}), r.sun {rsun_s:.1f} (r.horizon + 365 × (r.sun + its real-sky "
        f"coefficient maps) + r.series): ours is {rsun_s / ours_s:.0f}× faster"
    )
    raw = None
    if args.esra:
        raw_s, raw = run_rsun(dsm, work, linke, None, "rsun-esra")
        print(
            f"r.sun with its own ESRA clear sky (no coefficients): {raw_s:.1f} s, "
            f"{raw_s / ours_s:.0f}× ours"
        )
    report(ours, rsun, raw, inner, (lat, lon))


if __name__ == "__main__":
    main()
