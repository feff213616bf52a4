"""The solar map's value at one point: annual irradiation of one pixel of a raster source.

>>> PointIrradiation(617000.0, 6918000.0, 912.5).to_dict()["unit"]
'kWh/m2/year'
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from rasterio.windows import Window

from solar.catalog import UNIT
from solar.errors import InvalidGeometry, SolarMapNotFound
from solar.raster import RasterSource
from sweref import STORAGE_CRS, transformer

__all__ = ["PointIrradiation", "irradiation_at"]


@dataclass(frozen=True)
class PointIrradiation:
    """The value of the solar map at (``x``, ``y``) in the map's CRS; None where there is none."""

    x: float
    y: float
    value: float | None
    crs: str = STORAGE_CRS
    unit: str = UNIT

    def to_dict(self) -> dict[str, Any]:
        """The point and its value as JSON-ready values."""
        return {"x": self.x, "y": self.y, "crs": self.crs, "value": self.value, "unit": self.unit}

    @property
    def __geo_interface__(self) -> dict[str, Any]:
        return {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [self.x, self.y]},
            "properties": {"value": self.value, "unit": self.unit},
        }


def irradiation_at(
    solar_map: RasterSource, x: float, y: float, crs: str = STORAGE_CRS
) -> PointIrradiation:
    """Annual irradiation (kWh/m²·year) of the pixel under (``x``, ``y``), given in ``crs``.

    Parameters
    ----------
    solar_map
        The solar map, e.g. the :class:`~solar.raster.CogMosaic` of every catalogued tile.
    x, y, crs
        The point and its CRS.

    Raises
    ------
    solar.errors.SolarMapNotFound
        The point lies outside the solar map.
    solar.errors.InvalidGeometry
        ``x`` or ``y`` is not a finite number.
    """
    if not (math.isfinite(x) and math.isfinite(y)):
        raise InvalidGeometry("x and y must be finite numbers")
    map_crs = solar_map.crs.to_string()
    if map_crs != crs:
        x, y = transformer(crs, map_crs).transform(x, y)
    col, row = ~solar_map.transform @ (x, y)
    col, row = math.floor(col), math.floor(row)
    if not (0 <= row < solar_map.height and 0 <= col < solar_map.width):
        raise SolarMapNotFound("no solar map covers that place")
    raw = float(solar_map.read(Window(col, row, 1, 1))[0, 0])
    value = None if math.isnan(raw) or raw == solar_map.nodata else round(raw, 1)
    return PointIrradiation(x, y, value, map_crs)
