"""Validating a layer to import: map its columns, reproject, repair, check.

:func:`validate` maps the source's columns onto the layer schema (dropping everything else,
owner and personal fields included), reprojects to SWEREF 99 TM, repairs invalid geometries
with ``make_valid``, checks required attributes, ids, designations and overlaps (and what
:mod:`layers.limits` refuses in any import: personal data, absurd geometries and texts), and writes
what it finds into the :class:`~layers.import_report.ImportReport`; the importer refuses the
import when the report has errors.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from layers.crs import STORAGE_CRS, parse_crs
from layers.designation import KNOWN_REGISTRY_AREAS, parse_designation
from layers.errors import ImportRefused, InvalidDesignation, MissingCRS, UnsupportedCRS
from layers.import_report import ImportReport, Progress, no_progress
from layers.limits import check_coordinates, check_personal, check_texts, outside_sweden
from layers.schema import LAYER_SCHEMAS, is_personal, map_columns

NAMESPACE = uuid.UUID("0b6f5f4e-8a59-4d0e-9a63-6c6179657273")
#: Overlaps between parcels smaller than this (m²) are snapping noise, not overlaps.
OVERLAP_TOLERANCE = 0.01


def _source_crs(frame: gpd.GeoDataFrame, crs: str | None, report: ImportReport) -> str:
    declared = None
    if frame.crs is not None:
        try:
            declared = parse_crs(frame.crs)
        except UnsupportedCRS as err:
            raise ImportRefused(f"the file's CRS is not supported: {err}", report) from err
    given = parse_crs(crs) if crs else None
    if declared and given and declared != given:
        raise ImportRefused(
            f"the file says its CRS is {declared} but --crs says {given}; leave "
            "--crs out or fix the file",
            report,
        )
    chosen = declared or given
    if chosen is None:
        raise MissingCRS(
            "the file declares no CRS; say which it is with --crs (e.g. --crs EPSG:3006)", report
        )
    report.source_crs = chosen
    return chosen


def _repair(frame: gpd.GeoDataFrame, kind: str, report: ImportReport) -> gpd.GeoDataFrame:
    geoms = frame.geometry.values
    missing = shapely.is_missing(geoms) | shapely.is_empty(geoms)
    for row in np.flatnonzero(missing)[:20]:
        report.errors.append(f"feature {row + 1} has no geometry")
    if kind == "point":
        bad = ~missing & (shapely.get_type_id(geoms) != 0)
        for row in np.flatnonzero(bad)[:20]:
            report.errors.append(f"feature {row + 1} is a {geoms[row].geom_type}, not a Point")
        return frame
    polygonal = np.isin(shapely.get_type_id(geoms), (3, 6))
    for row in np.flatnonzero(~missing & ~polygonal)[:20]:
        report.errors.append(f"feature {row + 1} is a {geoms[row].geom_type}, not a polygon")
    invalid = ~missing & polygonal & ~shapely.is_valid(geoms)
    if invalid.any():
        fixed = [_polygons(shapely.make_valid(g)) for g in geoms[invalid]]
        geoms = geoms.copy()
        geoms[invalid] = np.asarray(fixed, dtype=object)
        report.repaired = int(invalid.sum())
        frame = frame.set_geometry(gpd.GeoSeries(geoms, index=frame.index, crs=frame.crs))
    return frame


def _polygons(geometry: BaseGeometry) -> BaseGeometry:
    parts = [p for p in shapely.get_parts(geometry) if p.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts) if parts else shapely.Polygon()


def _required(frame: pd.DataFrame, layer: str, report: ImportReport) -> None:
    for column in LAYER_SCHEMAS[layer].required:
        if column not in frame:
            report.errors.append(
                f"required attribute {column!r} is missing; map a source "
                f"column to it with --map SOURCE={column}"
            )
            continue
        empty = frame[column].isna() | (frame[column].astype(str).str.strip() == "")
        if empty.any():
            rows = ", ".join(str(i + 1) for i in np.flatnonzero(empty.to_numpy())[:5])
            report.errors.append(
                f"{int(empty.sum())} features lack {column!r} (features {rows}"
                f"{' …' if empty.sum() > 5 else ''})"
            )


def _blank_to_null(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    for column in frame.columns:
        if column != "geometry" and not pd.api.types.is_numeric_dtype(frame[column]):
            frame[column] = frame[column].map(lambda v: None if _blank(v) else v).astype(object)
    return frame


def _blank(value: Any) -> bool:
    """True for None, NaN/NaT and strings of spaces.

    >>> [_blank(v) for v in (None, float("nan"), " ", "A", 0)]
    [True, True, True, False, False]
    """
    if isinstance(value, str):
        return not value.strip()
    return value is None or bool(pd.isna(value)) if np.ndim(value) == 0 else False


def _stable_id(*parts: object) -> str:
    return str(uuid.uuid5(NAMESPACE, "/".join(str(p) for p in parts)))


def _int_column(frame: pd.DataFrame, column: str, report: ImportReport) -> None:
    if column not in frame:
        return
    values = pd.to_numeric(frame[column], errors="coerce")
    bad = frame[column].notna() & values.isna()
    if bad.any():
        report.errors.append(f"{int(bad.sum())} features have a {column!r} that is not a number")
    frame[column] = values.round().astype("Int64")


def _fix_parcels(frame: gpd.GeoDataFrame, report: ImportReport) -> gpd.GeoDataFrame:
    found = set(KNOWN_REGISTRY_AREAS)
    if "registry_area" in frame:
        found |= {str(a).upper() for a in frame["registry_area"].dropna().unique()}
    areas = frozenset(found)
    parsed, bad = [], 0
    for row, text in enumerate(frame["designation"]):
        try:
            d = parse_designation(str(text), areas)
            if d.registry_area is None:
                raise InvalidDesignation(f"{text!r} lacks the kommun (registerområde)")
        except InvalidDesignation as err:
            bad += 1
            if bad <= 20:
                report.errors.append(f"feature {row + 1}: {err}")
            d = None
        parsed.append(d)
    ok = [d for d in parsed if d is not None]
    if len(ok) != len(parsed):
        return frame
    frame["designation"] = [str(d) for d in ok]
    frame["registry_area"] = [d.registry_area for d in ok]
    frame["trakt"] = [d.trakt for d in ok]
    frame["block"] = pd.array([d.block for d in ok], dtype="Int32")
    frame["unit"] = [d.unit for d in ok]
    frame["unit_type"] = [d.kind for d in ok]
    per_unit = frame.groupby("unit_id")["designation"].nunique()
    for unit_id in per_unit[per_unit > 1].index[:20]:
        report.errors.append(f"register unit {unit_id} has several designations")
    if "part" not in frame or frame["part"].isna().any():
        frame["part"] = frame.groupby("unit_id").cumcount() + 1
    _int_column(frame, "part", report)
    if "part_id" not in frame or frame["part_id"].isna().any():
        frame["part_id"] = [
            _stable_id(u, p) for u, p in zip(frame["unit_id"], frame["part"], strict=True)
        ]
    return frame


def _fix_addresses(frame: gpd.GeoDataFrame, report: ImportReport) -> gpd.GeoDataFrame:
    _int_column(frame, "number", report)
    if "letter" in frame:
        frame["letter"] = frame["letter"].map(lambda v: None if _blank(v) else str(v).upper())
    if "label" not in frame or frame["label"].isna().any():
        letters = frame["letter"] if "letter" in frame else pd.Series([None] * len(frame))
        frame["label"] = [
            f"{s} {n}{lt or ''}"
            for s, n, lt in zip(frame["street"], frame["number"], letters, strict=True)
        ]
    return frame


def _iso_day(value: Any) -> str | None:
    """A parsed date as ISO text; None for NaT.

    >>> _iso_day(pd.Timestamp("2021-03-15 12:00")), _iso_day(pd.NaT)
    ('2021-03-15', None)
    """
    return None if pd.isna(value) else str(value.date().isoformat())


def _fix_plans(frame: gpd.GeoDataFrame, report: ImportReport) -> gpd.GeoDataFrame:
    for column in ("adopted", "legal_force"):
        if column in frame:
            days = pd.to_datetime(frame[column], errors="coerce")
            bad = int((frame[column].notna() & days.isna()).sum())
            if bad:
                report.errors.append(f"{bad} plans have a {column!r} that is not a date")
            frame[column] = [_iso_day(d) for d in days]
    _int_column(frame, "implementation_years", report)
    frame["status"] = frame["status"].map(lambda v: str(v).strip().lower() if v else v)
    return frame


Fix = Callable[[gpd.GeoDataFrame, ImportReport], gpd.GeoDataFrame]


def _fix_bestammelser(id_column: str) -> Fix:
    def fix(frame: gpd.GeoDataFrame, report: ImportReport) -> gpd.GeoDataFrame:
        if id_column not in frame or frame[id_column].isna().any():
            frame[id_column] = [
                _stable_id(p, c, i)
                for i, (p, c) in enumerate(zip(frame["plan_id"], frame["code"], strict=True))
            ]
        if "value" in frame:
            values = pd.to_numeric(frame["value"], errors="coerce")
            if (frame["value"].notna() & values.isna()).any():
                report.errors.append("some rules have a 'value' that is not a number")
            frame["value"] = values
        return frame

    return fix


FIXES: dict[str, Fix] = {
    "parcels": _fix_parcels,
    "addresses": _fix_addresses,
    "plans": _fix_plans,
    "plan_uses": _fix_bestammelser("use_id"),
    "plan_rules": _fix_bestammelser("rule_id"),
}


def _duplicates(frame: gpd.GeoDataFrame, layer: str, report: ImportReport) -> None:
    id_column = LAYER_SCHEMAS[layer].id_column
    if id_column in frame:
        dup = frame[id_column][frame[id_column].duplicated()].unique()
        for value in dup[:20]:
            report.errors.append(f"{id_column} {value} occurs more than once")
    if layer.startswith("plan"):  # several bestämmelser may share one area
        return
    wkb = pd.Series(shapely.to_wkb(frame.geometry.values), index=frame.index)
    same = wkb.duplicated(keep="first") & wkb.notna()
    for row in np.flatnonzero(same.to_numpy())[:20]:
        report.duplicates.append(f"feature {row + 1} has the same geometry as an earlier one")


def _overlaps(frame: gpd.GeoDataFrame, report: ImportReport) -> None:
    """Pairs of parcels whose interiors share an area (bounding-box candidates from an STRtree,
    then one vectorised DE-9IM test), reported with the size of the overlap."""
    geoms = frame.geometry.values
    left, right = shapely.STRtree(geoms).query(geoms)
    keep = left < right
    left, right = left[keep], right[keep]
    shapely.prepare(geoms)
    hit = shapely.relate_pattern(geoms[left], geoms[right], "2********")
    left, right = left[hit], right[hit]
    if not len(left):
        return
    sizes = shapely.area(shapely.intersection(geoms[left], geoms[right]))
    names = frame["designation"].to_numpy()
    for i, j, size in zip(left, right, sizes, strict=True):
        if size > OVERLAP_TOLERANCE and names[i] != names[j]:
            report.overlaps.append(f"{names[i]} and {names[j]} overlap by {size:.1f} m²")


def validate(
    frame: gpd.GeoDataFrame,
    layer: str,
    report: ImportReport,
    crs: str | None = None,
    mapping: dict[str, str] | None = None,
    progress: Progress = no_progress,
) -> gpd.GeoDataFrame:
    """Map, check and repair a source frame; errors and findings go into ``report``."""
    schema = LAYER_SCHEMAS[layer]
    report.features = len(frame)
    columns, dropped = map_columns(layer, list(frame.columns), mapping)
    report.columns = columns
    report.personal_columns = [c for c in dropped if is_personal(c)]
    report.dropped_columns = [c for c in dropped if not is_personal(c)]
    source_crs = _source_crs(frame, crs, report)
    frame = gpd.GeoDataFrame(
        frame[[*columns, "geometry"]].rename(columns=columns), geometry="geometry", crs=source_crs
    )
    if len(frame) == 0:
        report.errors.append("the file holds no features")
        return frame
    progress(f"checking {len(frame)} geometries")
    frame = _blank_to_null(frame)
    check_personal(frame, columns, report)
    check_texts(frame, report)
    if not check_coordinates(frame, report):
        return frame
    frame = _repair(frame, schema.geometry, report)
    if report.errors:
        return frame
    frame = frame.to_crs(STORAGE_CRS)
    outside_sweden(frame, report)
    _required(frame, layer, report)
    if report.errors:
        return frame
    progress("checking attributes")
    if layer in FIXES:
        frame = FIXES[layer](frame, report)
    _duplicates(frame, layer, report)
    if layer == "parcels" and not report.errors:
        progress("looking for overlapping parcels")
        _overlaps(frame, report)
    for column in schema.columns:  # the stored layer always has the whole schema
        if column not in frame:
            frame[column] = None
    return gpd.GeoDataFrame(
        frame[[*schema.columns, "geometry"]], geometry="geometry", crs=STORAGE_CRS
    )


__all__ = ["NAMESPACE", "OVERLAP_TOLERANCE", "validate"]
