"""The key figures of a property report as one flat row: what the batch writes per property.

>>> COLUMNS[:3], DTYPES["addresses"], DTYPES["permit_needed"], DTYPES["kwp"]
(('unit_id', 'designation', 'kommunkod'), 'int64', 'boolean', 'float64')
"""

from __future__ import annotations

import math
from typing import Any

from mapservice.report import PropertyReport
from solar.suitability import CLASSES

__all__ = ["COLUMNS", "DTYPES", "key_figures"]

#: The key figures' columns, in order (the geometry comes last).
COLUMNS = (
    "unit_id",
    "designation",
    "kommunkod",
    "trakt",
    "unit_type",
    "area_m2",
    "addresses",
    "buildings",
    "building_area_m2",
    "plans",
    "plan_ids",
    "uses",
    "outside_plan_share",
    "max_building_area_m2",
    "remaining_building_area_m2",
    "used_share",
    "max_height_m",
    "roof_footprint_m2",
    "roof_surface_m2",
    "irradiation_mean",
    *(f"class_{c}_m2" for c in reversed(CLASSES)),
    "solar_class",
    "kwp",
    "kwh_year",
    "savings_sek_year",
    "investment_sek",
    "payback_years",
    "permit_case",
    "permit_needed",
    "solar_missing",
)
#: Columns that are not floats (missing floats are NaN, so every partition has one schema).
TEXT = (
    "unit_id",
    "designation",
    "kommunkod",
    "trakt",
    "unit_type",
    "plan_ids",
    "uses",
    "solar_class",
    "permit_case",
    "solar_missing",
)
COUNTS = ("addresses", "buildings", "plans")
DTYPES = {
    name: (
        "string"
        if name in TEXT
        else "int64"
        if name in COUNTS
        else "boolean"
        if name == "permit_needed"
        else "float64"
    )
    for name in COLUMNS
}


def key_figures(report: PropertyReport) -> dict[str, Any]:
    """The key figures of one report as a flat row (no geometry), in :data:`COLUMNS` order."""
    zoning, rights, prop = report.zoning, report.zoning.rights, report.property
    plans = [p for p in zoning.plans if p.in_force]
    row: dict[str, Any] = {
        "unit_id": report.unit_id,
        "designation": report.designation,
        "kommunkod": prop.kommunkod,
        "trakt": prop.designation.trakt,
        "unit_type": prop.unit_type,
        "area_m2": prop.area,
        "addresses": len(report.addresses),
        "buildings": len(report.buildings),
        "building_area_m2": rights.existing_building_area,
        "plans": len(plans),
        "plan_ids": ";".join(p.plan_id for p in plans),
        "uses": ";".join(sorted({u.code for p in plans for u in p.uses})),
        "outside_plan_share": zoning.outside_plan_share,
        "max_building_area_m2": rights.max_building_area,
        "remaining_building_area_m2": rights.remaining_building_area,
        "used_share": rights.used_share,
        "max_height_m": rights.max_height,
    }
    row.update(_solar_figures(report))
    return {name: row.get(name) for name in COLUMNS}


def _solar_figures(report: PropertyReport) -> dict[str, Any]:
    solar = report.solar
    if solar is None:
        return {"solar_missing": report.solar_missing}
    roofs, pv = solar.roofs, solar.pv
    row: dict[str, Any] = {
        "roof_footprint_m2": round(roofs.footprint_m2, 2),
        "roof_surface_m2": round(roofs.surface_m2, 2),
        "irradiation_mean": round(roofs.mean, 1) if math.isfinite(roofs.mean) else None,
        "solar_class": (
            solar.suitability.classify(roofs.mean) if math.isfinite(roofs.mean) else None
        ),
        "kwp": pv.peak_kwp,
        "kwh_year": pv.annual_kwh,
        "savings_sek_year": pv.savings_sek_year,
        "investment_sek": pv.investment_sek,
        "payback_years": pv.payback_years,
        "permit_case": solar.permit.case if solar.permit else None,
        "permit_needed": solar.permit.permit_needed if solar.permit else None,
    }
    for name, m2 in roofs.class_surface_m2.items():
        row[f"class_{name}_m2"] = round(m2, 2)
    return row
