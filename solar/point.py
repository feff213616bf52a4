"""The solar map's value at one point: annual irradiation of one pixel, found through the catalog.

>>> PointIrradiation(617000.0, 6918000.0, 912.5).to_dict()["unit"]
'kWh/m2/year'
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass

import shapely
from pyproj import Transformer
from rasterio.windows import Window

from solar.catalog import UNIT
from solar.errors import InvalidGeometry
from solar.raster import open_solar_map


@dataclass(frozen=True)
class PointIrradiation:
    """The value of the solar map at (``x``, ``y``) in the map's CRS; None where there is none."""

    x: float
    y: float
    value: float | None
    crs: str = "EPSG:3006"
    unit: str = UNIT

    def to_dict(self) -> dict:
        return {"x": self.x, "y": self.y, "crs": self.crs, "value": self.value, "unit": self.unit}

    @property
    def __geo_interface__(self) -> dict:
        return {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [self.x, self.y]},
            "properties": {"value": self.value, "unit": self.unit},
        }


def irradiation_at(
    catalog_path: str | os.PathLike, x: float, y: float, crs: str = "EPSG:3006"
) -> PointIrradiation:
    """Annual irradiation (kWh/m²·year) of the pixel under (``x``, ``y``), given in ``crs``.

    Raises :class:`~solar.errors.SolarMapNotFound` when no catalogued tile covers the point.
    """
    if not (math.isfinite(x) and math.isfinite(y)):
        raise InvalidGeometry("x and y must be finite numbers")
    point = shapely.Point(x, y)
    with open_solar_map(catalog_path, point, crs) as mosaic:
        map_crs = mosaic.crs.to_string()
        if map_crs != crs:
            x, y = Transformer.from_crs(crs, map_crs, always_xy=True).transform(x, y)
        col, row = ~mosaic.transform @ (x, y)
        col, row = math.floor(col), math.floor(row)
        value = None
        if 0 <= row < mosaic.height and 0 <= col < mosaic.width:
            raw = float(mosaic.read(Window(col, row, 1, 1))[0, 0])
            if not (math.isnan(raw) or raw == mosaic.nodata):
                value = round(raw, 1)
    return PointIrradiation(x, y, value, map_crs)
