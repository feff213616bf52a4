"""Solar maps for Min fastighet: compute annual irradiation from a surface model, catalogue it.

The package never imports Flask or :mod:`layers`; notebooks and the CLI call it directly.

>>> from solar import SolarModel
>>> SolarModel().directions
64
"""

from solar.climate import CLEAR_SKY, SUNDSVALL, Climate, read_climate
from solar.errors import SolarError
from solar.model import SolarModel
from solar.solar_map import SolarMap, compute_solar_map, irradiation

__all__ = [
    "CLEAR_SKY",
    "SUNDSVALL",
    "Climate",
    "SolarError",
    "SolarMap",
    "SolarModel",
    "compute_solar_map",
    "irradiation",
    "read_climate",
]
