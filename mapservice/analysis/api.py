"""The analysts' Python API: the service's data and reports in a notebook, without Flask.

:class:`Analysis` opens the layer store, the solar map, the surface model and the manifest
the settings name (as :func:`mapservice.load_settings` reads them: ``MINFASTIGHET_*``
environment variables or a mapping), and hands out properties, reports and their key figures
as GeoDataFrames, the same figures ``minfastighet batch`` writes::

    >>> from mapservice.analysis import Analysis
    >>> with Analysis.open({"data_dir": sample_dir}) as analysis:  # doctest: +SKIP
    ...     report = analysis.report("SUNDSVALL BJÖRKÅSEN 17:12")
    ...     figures = analysis.key_figures("2281")

:func:`report_frame` turns one report into a GeoDataFrame of its property, buildings and roof
faces, ready for ``.plot()`` or ``.explore()``.

>>> frame = figures_frame([])
>>> list(frame.columns[:3]), len(frame), frame.crs.to_epsg()
(['unit_id', 'designation', 'kommunkod'], 0, 3006)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import geopandas as gpd
import pandas as pd

from layers.crs import STORAGE_CRS
from layers.models import Property
from mapservice import load_settings
from mapservice.analysis.batch import (
    COLUMNS,
    DTYPES,
    Job,
    key_figures,
    plan_partitions,
    run_partition,
)
from mapservice.report import OwnerChoices, PropertyReport, ReportSources, build_report
from mapservice.settings import Settings

__all__ = ["Analysis", "figures_frame", "report_frame"]


def figures_frame(reports: Iterable[PropertyReport]) -> gpd.GeoDataFrame:
    """The key figures of reports, one row each, with the property's geometry (EPSG:3006)."""
    reports = list(reports)
    table = pd.DataFrame([key_figures(r) for r in reports], columns=list(COLUMNS))
    return gpd.GeoDataFrame(
        table.astype(DTYPES), geometry=[r.property.geometry for r in reports], crs=STORAGE_CRS
    )


def report_frame(report: PropertyReport) -> gpd.GeoDataFrame:
    """One report's property, buildings and roof faces as rows of one GeoDataFrame.

    ``kind`` is ``property``, ``building`` or ``face``; buildings carry their solar class,
    faces their tilt, azimuth, irradiation (kWh/m²·year) and class.
    """
    rows: list[dict[str, Any]] = [
        {"kind": "property", "id": report.unit_id, "geometry": report.property.geometry}
    ]
    rows += [
        {
            "kind": "building",
            "id": b.building_id,
            "geometry": b.geometry,
            "solar_class": report.building_classes.get(b.building_id),
        }
        for b in report.buildings
    ]
    for face in report.solar.faces if report.solar else ():
        rows.append(
            {
                "kind": "face",
                "id": face.building_id,
                "geometry": face.geometry,
                "tilt": face.tilt,
                "azimuth": face.azimuth,
                "irradiation": face.irradiation,
                "solar_class": face.suitability,
            }
        )
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=STORAGE_CRS)


class Analysis:
    """The data of one data directory, opened once; a context manager.

    Parameters
    ----------
    sources
        The opened report sources.
    settings
        The settings they were opened from.
    """

    def __init__(self, sources: ReportSources, settings: Settings) -> None:
        self.sources = sources
        self.settings = settings

    @classmethod
    def open(cls, config: Mapping[str, Any] | Settings | None = None) -> Analysis:
        """Open what the settings name (``MINFASTIGHET_*`` variables, then ``config``)."""
        settings = load_settings(config)
        return cls(ReportSources.from_settings(settings), settings)

    def close(self) -> None:
        """Close the store and the rasters."""
        self.sources.close()

    def __enter__(self) -> Analysis:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def store(self):
        """The layer store (:class:`layers.LayerStore`)."""
        return self.sources.store

    def find(self, text: str) -> Property:
        """The property a designation (``SUNDSVALL BJÖRKÅSEN 17:12``) or address names."""
        try:
            return self.store.find_property(text)
        except KeyError:
            return self.store.get_property(self.store.find_address(text).unit_id)

    def report(self, key: str | Property, choices: OwnerChoices | None = None) -> PropertyReport:
        """The full report of a property, given as a Property, unit id, designation or address."""
        if isinstance(key, Property):
            unit_id = key.unit_id
        else:
            try:
                unit_id = self.store.get_property(key).unit_id
            except KeyError:
                unit_id = self.find(key).unit_id
        return build_report(self.sources, unit_id, choices)

    def properties(self, kommunkod: str) -> gpd.GeoDataFrame:
        """A kommun's properties: unit id, designation, trakt, type and area, with geometry."""
        rows = [
            {
                "unit_id": p.unit_id,
                "designation": str(p.designation),
                "trakt": p.designation.trakt,
                "unit_type": p.unit_type,
                "area_m2": p.area,
                "geometry": p.geometry,
            }
            for part in plan_partitions(self.store, kommunkod)
            for p in map(self.store.get_property, part.unit_ids)
        ]
        return gpd.GeoDataFrame(rows, geometry="geometry", crs=STORAGE_CRS)

    def key_figures(self, kommunkod: str) -> gpd.GeoDataFrame:
        """Every property's key figures, as ``minfastighet batch`` writes them (same rows,
        same order), computed here in this process."""
        job = Job.from_settings(self.settings)
        frames = [run_partition(job, p) for p in plan_partitions(self.store, kommunkod)]
        return gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs=STORAGE_CRS)

    def layer(
        self, name: str, bounds: Iterable[float] | None = None, crs: str | int = STORAGE_CRS
    ) -> gpd.GeoDataFrame:
        """A vector layer (``parcels``, ``buildings``, ``addresses``, ``plans``, ``plan_uses``,
        ``plan_rules``) within ``bounds``, every page of it, in EPSG:3006."""
        features, offset, limit = [], 0, self.store.max_items
        while True:
            page = self.store.features(name, bounds, crs, limit=limit, offset=offset)
            features += [f.__geo_interface__ for f in page.features]
            if not page.has_next:
                break
            offset += limit
        if not features:
            return gpd.GeoDataFrame(geometry=[], crs=STORAGE_CRS)
        return gpd.GeoDataFrame.from_features(features, crs=STORAGE_CRS)
