"""The solar potential of a property or any polygon: roofs, faces, energy, money and permits.

:func:`solar_potential` is the one entry point: a polygon (a property's parts as one
multipolygon, or any drawn area) and its building footprints in, a typed
:class:`SolarPotential` out. The roofs are the footprints inside the polygon (the polygon
itself when no footprints are given). Statistics are coverage-weighted on the solar map's
pixels (as :mod:`solar.zonal`); faces come from the surface model when one is given
(:mod:`solar.faces`), otherwise each roof is one face with the pitch its building records.
The plan rules for the permit guidance are passed in (:class:`~solar.permit.PlanContext`):
``solar`` never looks them up itself. What a reader should know about how the summary was made
comes as typed notes (:class:`~solar.notes.PotentialNote`), never as sentences.
"""

from __future__ import annotations

import functools
import html
import math
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import shapely
from affine import Affine
from numpy.typing import NDArray
from pyproj.exceptions import CRSError
from shapely.geometry.base import BaseGeometry

from solar.errors import InvalidGeometry
from solar.notes import Note, PotentialNote
from solar.permit import PermitGuidance, PlanContext, permit_guidance
from solar.pv import FaceInput, PVAssumptions, PVEstimate, estimate_pv
from solar.raster import RasterSource
from solar.roof_statistics import RoofStatistics, roof_statistics, rounded
from solar.suitability import CLASSES, LABELS, Suitability
from sweref import reproject

#: Pixel values, horizontal m² or tilts of the roofs' pixels.
Floats = NDArray[np.float64]

__all__ = [
    "Roof",
    "RoofFace",
    "RoofStatistics",
    "SolarPotential",
    "calibrated_suitability",
    "solar_potential",
]


@dataclass(frozen=True)
class Roof:
    """A roof to summarise: a building's footprint and what the building register says of its
    roof (all optional). Not ``layers.Building`` (the stored building): :mod:`solar` takes only
    what it needs, from any source."""

    geometry: BaseGeometry
    building_id: str = ""
    roof_shape: str | None = None
    roof_pitch: float | None = None


@dataclass(frozen=True)
class RoofFace:
    """One roof plane: orientation, size, irradiation and class."""

    building_id: str
    tilt: float
    azimuth: float | None
    surface_m2: float
    footprint_m2: float
    irradiation: float
    nodata_m2: float
    suitability: str
    outline: Callable[[], BaseGeometry] = field(repr=False, compare=False)

    @functools.cached_property
    def geometry(self) -> BaseGeometry:
        """The face's horizontal outline (traced from its pixels when first asked for)."""
        return self.outline()

    def to_dict(self) -> dict[str, Any]:
        return {
            "building_id": self.building_id,
            "tilt": round(self.tilt, 1),
            "azimuth": None if self.azimuth is None else round(self.azimuth, 1),
            "surface_m2": round(self.surface_m2, 2),
            "footprint_m2": round(self.footprint_m2, 2),
            "irradiation": rounded(self.irradiation),
            "nodata_m2": round(self.nodata_m2, 2),
            "suitability": self.suitability,
        }

    @property
    def __geo_interface__(self) -> dict[str, Any]:
        return {
            "type": "Feature",
            "geometry": shapely.geometry.mapping(self.geometry),
            "properties": self.to_dict(),
        }

    def _repr_html_(self) -> str:
        facing = "flat" if self.azimuth is None else f"facing {self.azimuth:.0f}°"
        return (
            f"<b>Roof face</b> {html.escape(self.building_id)}: {self.tilt:.0f}° "
            f"{facing}, {self.surface_m2:.1f} m², {rounded(self.irradiation)} kWh/m²·year, "
            f"{LABELS['en'][self.suitability]}"
        )


@dataclass(frozen=True)
class SolarPotential:
    """Everything :func:`solar_potential` found for one property or polygon."""

    roofs: RoofStatistics
    faces: tuple[RoofFace, ...]
    pv: PVEstimate
    suitability: Suitability
    permit: PermitGuidance | None
    buildings: int
    unit: str = "kWh/m²·year"
    notes: tuple[Note, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "unit": self.unit,
            "buildings": self.buildings,
            "roofs": self.roofs.to_dict(),
            "faces": [f.to_dict() for f in self.faces],
            "pv": self.pv.to_dict(),
            "suitability": self.suitability.to_dict(),
            "permit": self.permit.to_dict() if self.permit else None,
            "notes": [n.to_dict() for n in self.notes],
        }

    @property
    def __geo_interface__(self) -> dict[str, Any]:
        return {"type": "FeatureCollection", "features": [f.__geo_interface__ for f in self.faces]}

    def _repr_html_(self) -> str:
        r = self.roofs
        rows = "".join(
            f"<tr><td>{LABELS['en'][k]}</td><td>{r.class_surface_m2[k]:.1f}</td></tr>"
            for k in reversed(CLASSES)
        )
        permit = self.permit._repr_html_() if self.permit else ""
        return (
            f"<div><b>Solar potential</b>: {self.buildings} building(s), roofs "
            f"{r.surface_m2:.0f} m² (footprint {r.footprint_m2:.0f} m²), mean "
            f"{rounded(r.mean)} {self.unit}, {r.nodata_m2:.1f} m² without data"
            f"<table><tr><th>class</th><th>m²</th></tr>{rows}</table>"
            f"{self.pv._repr_html_()}<br>{permit}</div>"
        )


@dataclass
class _Pixels:
    """The roofs' pixels gathered over all buildings: value, horizontal m², tilt, data."""

    values: list[Floats] = field(default_factory=list)
    weights: list[Floats] = field(default_factory=list)
    tilts: list[Floats] = field(default_factory=list)

    def add(self, values: Floats, weights: Floats, tilts: Floats) -> None:
        self.values.append(values)
        self.weights.append(weights)
        self.tilts.append(tilts)

    def arrays(self) -> tuple[Floats, Floats, Floats]:
        if not self.values:
            return np.zeros(0), np.zeros(0), np.zeros(0)
        return (
            np.concatenate(self.values),
            np.concatenate(self.weights),
            np.concatenate(self.tilts),
        )


def _roofs(
    area: BaseGeometry, buildings: list[Roof] | None, crs: Hashable | None, map_crs: Hashable
) -> list[Roof]:
    try:
        area = reproject(area, crs, map_crs)
        moved = [reproject(b.geometry, crs, map_crs) for b in buildings or ()]
    except CRSError as err:
        raise InvalidGeometry(f"unknown CRS {crs!r}: {err}") from err
    if shapely.get_type_id(area) not in (3, 6):
        raise InvalidGeometry("the area must be a polygon or multipolygon")
    if buildings is None:
        return [Roof(geometry=area, building_id="area")]
    roofs = []
    for b, geometry in zip(buildings, moved, strict=True):
        part = shapely.intersection(geometry, area)
        part = shapely.union_all(
            shapely.get_parts(part)[np.isin(shapely.get_type_id(shapely.get_parts(part)), (3, 6))]
        )
        if not part.is_empty and part.area > 0:
            roofs.append(Roof(part, b.building_id, b.roof_shape, b.roof_pitch))
    return roofs


def solar_potential(
    area: BaseGeometry,
    solar_map: RasterSource,
    buildings: list[Roof] | None = None,
    surface: RasterSource | None = None,
    plan: PlanContext | None = None,
    suitability: Suitability | None = None,
    assumptions: PVAssumptions | None = None,
    crs: Hashable | None = None,
) -> SolarPotential:
    """The solar potential of the roofs inside ``area``.

    Parameters
    ----------
    area
        A property (all its parts, as one multipolygon) or any polygon, in ``crs`` (the solar
        map's CRS when ``None``).
    solar_map
        The annual irradiation raster (e.g. :func:`solar.raster.open_solar_map`).
    buildings
        Footprints (in ``crs``); ``None`` treats the area itself as the roof, ``[]`` means the
        property has no buildings.
    surface
        The surface model for segmenting roof faces; without it each roof is one face.
    plan
        What the plans say about the property, for the permit guidance (none without it).
    suitability, assumptions
        Classes (default: :func:`calibrated_suitability` of the map) and PV assumptions
        (default :class:`PVAssumptions()`, its monthly split from the map's climate).
    """
    suitability = suitability or calibrated_suitability(solar_map)
    roofs = _roofs(area, buildings, crs, solar_map.crs)
    pixels, faces, notes = _Pixels(), list[RoofFace](), list[Note]()
    for roof in roofs:
        faces.extend(_roof(roof, solar_map, surface, suitability, pixels))
    if surface is None and roofs:
        notes.append(Note(PotentialNote.NO_SURFACE_MODEL))
    statistics = roof_statistics(*pixels.arrays(), suitability, solar_map.pixel_area)
    face_inputs = [
        FaceInput(f.surface_m2 * _data_share(f), f.tilt, f.irradiation, f.suitability)
        for f in faces
    ]
    assumptions = assumptions or _assumptions_for(solar_map)
    return SolarPotential(
        roofs=statistics,
        faces=tuple(faces),
        pv=estimate_pv(face_inputs, assumptions),
        suitability=suitability,
        permit=permit_guidance(plan) if plan is not None else None,
        buildings=len(roofs),
        notes=tuple(notes),
    )


def calibrated_suitability(solar_map: RasterSource) -> Suitability:
    """Classes relative to the reference roof of the map's own model, climate and site.

    Falls back to :class:`Suitability()` (Sundsvall) for a raster that records no model.
    """
    parameters = getattr(solar_map, "parameters", None)
    if not parameters:
        return Suitability()
    latitude, longitude = solar_map.site
    return Suitability.for_map(parameters, latitude, longitude)


def _assumptions_for(solar_map: RasterSource) -> PVAssumptions:
    """Default assumptions, with the monthly split of the map's own climate when it has one."""
    climate = (getattr(solar_map, "parameters", None) or {}).get("climate") or {}
    ghi = climate.get("ghi_kwh_m2")
    if not ghi or len(ghi) != 12 or sum(ghi) <= 0:
        return PVAssumptions()
    return PVAssumptions(monthly_share=tuple(g / sum(ghi) for g in ghi))


def _data_share(face: RoofFace) -> float:
    return 1.0 - face.nodata_m2 / face.footprint_m2 if face.footprint_m2 > 0 else 0.0


def _roof(
    roof: Roof,
    solar_map: RasterSource,
    surface: RasterSource | None,
    suitability: Suitability,
    pixels: _Pixels,
) -> list[RoofFace]:
    from solar import faces as face_model  # numba: loaded when a roof is first summarised
    from solar.zonal import coverage_window

    window, fractions = coverage_window(solar_map, roof.geometry)
    values = solar_map.read(window).astype(np.float64)
    valid = np.isfinite(values) & (values != solar_map.nodata)
    values[~valid] = np.nan
    weights = fractions * solar_map.pixel_area
    pitch = float(roof.roof_pitch or 0.0) if roof.roof_shape != "flat" else 0.0
    segments = None
    if surface is not None and _same_grid(surface, solar_map):
        heights = surface.read(window).astype(np.float64)
        heights[(heights == surface.nodata)] = np.nan
        res = abs(solar_map.transform.a), abs(solar_map.transform.e)
        segments = face_model.segment_faces(heights, fractions >= 0.5, *res)
        segments = replace(
            segments, labels=face_model.spread_labels(segments.labels, fractions > 0)
        )
    tilt = np.full(fractions.shape, pitch)
    if segments is not None and segments.tilt.size:
        on_face = segments.labels >= 0
        tilt[on_face] = segments.tilt[segments.labels[on_face]]
    used = fractions > 0
    pixels.add(values[used], weights[used], tilt[used])
    if segments is None or segments.tilt.size == 0:
        return [_face(roof, lambda: roof.geometry, pitch, None, values, weights, used, suitability)]
    t = solar_map.transform
    transform = Affine(t.a, 0.0, t.c + t.a * window.col_off, 0.0, t.e, t.f + t.e * window.row_off)
    result = []
    for k in range(segments.tilt.size):
        mask = segments.labels == k
        azimuth = None if math.isnan(segments.azimuth[k]) else float(segments.azimuth[k])
        outline = functools.partial(segments.geometry, k, transform, clip=roof.geometry)
        result.append(
            _face(
                roof,
                outline,
                float(segments.tilt[k]),
                azimuth,
                values,
                weights,
                mask & used,
                suitability,
            )
        )
    return result


def _same_grid(a: RasterSource, b: RasterSource) -> bool:
    return a.crs == b.crs and a.transform.almost_equals(b.transform)


def _face(
    roof: Roof,
    outline: Callable[[], BaseGeometry],
    tilt: float,
    azimuth: float | None,
    values: Floats,
    weights: Floats,
    mask: NDArray[np.bool_],
    suitability: Suitability,
) -> RoofFace:
    w, v = weights[mask], values[mask]
    data = np.isfinite(v)
    footprint = float(w.sum())
    mean = float(np.sum(w[data] * v[data]) / w[data].sum()) if data.any() else math.nan
    return RoofFace(
        building_id=roof.building_id,
        tilt=tilt,
        azimuth=azimuth,
        surface_m2=footprint / math.cos(math.radians(tilt)),
        footprint_m2=footprint,
        irradiation=mean,
        nodata_m2=float(w[~data].sum()),
        suitability=suitability.classify(mean),
        outline=outline,
    )
