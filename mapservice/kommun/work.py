"""The state of one ``kommun build`` run: its folders, the delivery, what the stages found."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import pyogrio

from data.dataset import DSM_NAME, DTM_NAME, GPKG_NAME, SOLAR_CATALOG, SOLAR_MAP, Dataset
from layers.import_report import ImportReport
from mapservice.kommun.delivery import Delivery
from sweref import STORAGE_CRS

STATE = "stages.json"
REPORT_JSON, REPORT_HTML = "validation/report.json", "validation/report.html"
Say = Callable[[str], None]


class BuildRefused(Exception):
    """The delivery cannot become a data directory; the message says why, nothing was swapped."""


@dataclass
class Build:
    """One run of ``kommun build``: its folders, the delivery and what each stage found."""

    delivery: Delivery
    out: Path
    kommunkod: str
    say: Say
    scan_date: str | None = None
    reports: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)

    @property
    def work(self) -> Path:
        return self.out.parent / f".{self.out.name}.kommun-build"

    @property
    def store(self) -> Path:
        return self.work / GPKG_NAME


def merged_file(build: Build, layer: str, frames: list[gpd.GeoDataFrame], name: str) -> Path:
    """``frames`` (from the delivery's files of one product) as one GeoPackage layer ``name`` in
    the work folder, in SWEREF 99 TM, so the importer reads and validates them as one file."""
    folder = build.work / "merged"
    folder.mkdir(exist_ok=True)
    path = folder / f"{layer}.gpkg"
    path.unlink(missing_ok=True)
    frame = pd.concat([f.to_crs(STORAGE_CRS) for f in frames], ignore_index=True)
    empty = [c for c in frame.columns if c != "geometry" and frame[c].isna().all()]
    frame = frame.drop(columns=empty)  # a column of nulls has no type to write
    gpd.GeoDataFrame(frame, geometry="geometry", crs=STORAGE_CRS).to_file(
        path, layer=name, driver="GPKG", engine="pyogrio"
    )
    return path


def dataset_of(build: Build, layers: dict[str, int], files: dict[str, str]) -> Dataset:
    """The manifest of the built data directory."""
    parcels = pyogrio.read_dataframe(
        build.store, layer="parcels", columns=["registry_area", "trakt"]
    )
    minx, miny, maxx, maxy = (
        float(v) for v in pyogrio.read_info(build.store, layer="parcels")["total_bounds"] or ()
    )
    areas = sorted({str(a) for a in parcels["registry_area"].dropna()})
    kommun = areas[0].title() if len(areas) == 1 else ", ".join(a.title() for a in areas)
    return Dataset(
        name=f"{kommun} ({build.kommunkod}): Lantmäteriet's and the kommun's deliveries",
        kommunkod=build.kommunkod,
        kommun=kommun,
        crs=STORAGE_CRS,
        bounds=(minx, miny, maxx, maxy),
        fictitious=False,
        vertical_datum="RH 2000",
        vector=GPKG_NAME,
        layers=layers,
        files=files,
        trakter=tuple(sorted({str(t) for t in parcels["trakt"].dropna()})),
    )


def report_of(report: ImportReport) -> dict[str, Any]:
    """An import's report as the validation report lists it."""
    return report.to_dict() | {"ok": report.ok}


__all__ = [
    "DSM_NAME",
    "DTM_NAME",
    "REPORT_HTML",
    "REPORT_JSON",
    "SOLAR_CATALOG",
    "SOLAR_MAP",
    "Build",
    "BuildRefused",
    "dataset_of",
    "merged_file",
    "report_of",
]
