"""The building check for a layer of proposed buildings (a planned development), for planners.

:func:`check_layer` checks every row of a GeoDataFrame (footprint, ``height_m``, ``kind`` and
optionally ``neighbour_consent`` and ``unit_id``; without ``unit_id`` the property is the one
under the footprint's inner point) and returns one row per building: the property, the
procedure and its source, the status of every check, and the kWh per year the building takes
from the roofs around it when ``shade`` is asked for. A row that cannot be checked says why
in ``error`` and the rest go on. :func:`read_buildings` reads GeoPackage, GeoJSON or CSV (WKT in
a ``wkt`` column). No Flask.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import shapely
from pyogrio.errors import DataLayerError, DataSourceError

from layers.building_check import CheckCode
from layers.crs import parse_crs
from layers.errors import InvalidBuilding, LayerError
from mapservice.report.building_check import check_planned_building, planned_building
from mapservice.report.sources import ReportSources
from sweref import STORAGE_CRS

__all__ = ["MAX_ROWS", "check_layer", "read_buildings"]

#: The most buildings one batch takes.
MAX_ROWS = 10_000
COLUMNS = ("height_m", "kind")
#: What the batch reads, as its messages name it.
LAYER_FORMATS = "GeoPackage, GeoJSON, Shapefile or another vector format GDAL reads, or CSV"


def read_buildings(path: Path, crs: str | None = None) -> gpd.GeoDataFrame:
    """Proposed buildings from a GeoPackage, GeoJSON or CSV file (``wkt`` column, ``crs``)."""
    if path.suffix.lower() == ".csv":
        table = pd.read_csv(path, nrows=MAX_ROWS + 1)
        if "wkt" not in table:
            raise InvalidBuilding("a CSV of buildings needs a wkt column (the footprints)")
        geometry = gpd.GeoSeries.from_wkt(table.pop("wkt"), on_invalid="ignore")
        frame = gpd.GeoDataFrame(table, geometry=geometry, crs=parse_crs(crs or STORAGE_CRS))
    else:
        try:
            frame = gpd.read_file(path, rows=MAX_ROWS + 1)
        except (DataSourceError, DataLayerError) as err:  # a picture, a text, a broken file
            reason = str(err).split("; It might help")[0]  # not GDAL's advice on driver prefixes
            raise InvalidBuilding(f"not a layer of buildings ({LAYER_FORMATS}): {reason}") from err
        if frame.crs is None and crs is None:
            raise InvalidBuilding("the file declares no CRS: give one (--crs)")
        if crs is not None:
            frame = frame.set_crs(parse_crs(crs), allow_override=True)
    if len(frame) > MAX_ROWS:
        raise InvalidBuilding(f"at most {MAX_ROWS} buildings in one batch")
    missing = [c for c in COLUMNS if c not in frame]
    if missing:
        raise InvalidBuilding(f"missing column(s): {', '.join(missing)}")
    return frame


def _row(sources: ReportSources, row: Any, crs: str, shade: bool) -> dict[str, Any]:
    geometry = row.geometry
    if geometry is None or geometry.is_empty:
        raise InvalidBuilding("no footprint")
    consent = bool(row.get("neighbour_consent", False) or False)
    height = float(row["height_m"])
    if not math.isfinite(height):
        raise InvalidBuilding("height_m is missing")
    building = planned_building(geometry, crs, height, str(row["kind"]), consent)
    unit_id = row.get("unit_id")
    if not isinstance(unit_id, str) or not unit_id:
        point = building.geometry.representative_point()
        found = sources.store.properties_at(point.x, point.y)
        if not found:
            raise InvalidBuilding("no property under the building")
        unit_id = found[0].unit_id
    report = check_planned_building(sources, unit_id, building, shade)
    check = report.check
    out: dict[str, Any] = {
        "unit_id": check.unit_id,
        "designation": check.designation,
        "procedure": check.procedure.value,
        "procedure_source": report.to_dict("sv")["procedure_source"],
        "conflicts": ",".join(c.code.value for c in check.checks if c.status == "conflict"),
        "unknown": ",".join(c.code.value for c in check.checks if c.status == "unknown"),
    }
    out |= {code.value: (c.status.value if (c := check.check(code)) else "") for code in CheckCode}
    if report.shade is not None:
        out["kwh_per_year_lost"] = report.shade.kwh_per_year_lost
    return out


def check_layer(
    sources: ReportSources, frame: gpd.GeoDataFrame, shade: bool = False
) -> gpd.GeoDataFrame:
    """One row of results per building of ``frame``, with the footprint (EPSG:3006)."""
    crs = parse_crs(frame.crs.to_string()) if frame.crs is not None else STORAGE_CRS
    rows: list[dict[str, Any]] = []
    shapes: list[shapely.Geometry] = []
    for index, row in frame.iterrows():
        try:
            result = _row(sources, row, crs, shade)
            result["error"] = ""
        except (LayerError, ValueError, TypeError) as err:  # a bad row says why, the rest go on
            result = {"error": str(err)[:200]}
        rows.append({"row": index} | result)
        geometry = row.geometry
        shapes.append(geometry if isinstance(geometry, shapely.Geometry) else shapely.Polygon())
    out = gpd.GeoDataFrame(pd.DataFrame(rows), geometry=gpd.GeoSeries(shapes), crs=frame.crs)
    return out.to_crs(STORAGE_CRS) if frame.crs is not None else out
