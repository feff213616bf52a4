"""Every roof face of a set of buildings as one table, for storing as a map layer.

Segmenting faces needs the surface model and a pass over each roof; done once when the data is
built (``minfastighet sample-data``), the faces can be served, filtered and drawn like any
other layer instead of being recomputed per request. Face ids are stable: the building id and
the face's number on that roof.

>>> FACE_COLUMNS[:3]
('face_id', 'building_id', 'tilt')
"""

from __future__ import annotations

import uuid

import geopandas as gpd
import numpy as np
from shapely.geometry.base import BaseGeometry

from solar.potential import Roof, calibrated_suitability, solar_potential
from solar.raster import RasterSource

FACE_COLUMNS = (
    "face_id",
    "building_id",
    "tilt",
    "azimuth",
    "surface_m2",
    "footprint_m2",
    "irradiation",
    "suitability",
)
NAMESPACE = uuid.UUID("5d0b1c52-1f6e-4c8a-9a3e-726f6f666163")


def roof_face_table(
    buildings: gpd.GeoDataFrame, solar_map: RasterSource, surface: RasterSource | None
) -> gpd.GeoDataFrame:
    """The roof faces of ``buildings`` (columns ``building_id``, ``roof_shape``,
    ``roof_pitch``, geometry in the solar map's CRS), one row per face."""
    suitability = calibrated_suitability(solar_map)
    rows, shapes = [], []
    footprints: list[BaseGeometry] = list(buildings.geometry)
    for b, footprint in zip(buildings.itertuples(index=False), footprints, strict=True):
        roof = Roof(
            footprint,
            str(b.building_id),
            getattr(b, "roof_shape", None),
            getattr(b, "roof_pitch", None),
        )
        potential = solar_potential(footprint, solar_map, [roof], surface, suitability=suitability)
        for number, face in enumerate(potential.faces, start=1):
            geometry = face.geometry
            if geometry.is_empty:
                continue
            d = face.to_dict()
            rows.append(
                (
                    str(uuid.uuid5(NAMESPACE, f"{b.building_id}/{number}")),
                    b.building_id,
                    d["tilt"],
                    d["azimuth"],
                    d["surface_m2"],
                    d["footprint_m2"],
                    d["irradiation"],
                    d["suitability"],
                )
            )
            shapes.append(geometry)
    frame = gpd.GeoDataFrame(rows, columns=list(FACE_COLUMNS), geometry=shapes, crs=solar_map.crs)
    for column in ("tilt", "azimuth", "surface_m2", "footprint_m2", "irradiation"):
        frame[column] = frame[column].astype(np.float64)
    return frame


__all__ = ["FACE_COLUMNS", "roof_face_table"]
