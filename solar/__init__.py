"""Solar maps for Min fastighet: compute annual irradiation from a surface model, catalogue it.

The package never imports Flask or :mod:`layers`; notebooks and the CLI call it directly.

>>> from solar import SolarModel
>>> SolarModel().directions
64
"""

from solar.climate import CLEAR_SKY, SUNDSVALL, Climate, read_climate
from solar.errors import SolarError
from solar.model import SolarModel
from solar.permit import PlanContext, PlanRule, permit_guidance
from solar.potential import Building, SolarPotential, solar_potential
from solar.pv import PVAssumptions
from solar.raster import CogMosaic, open_solar_map
from solar.solar_map import SolarMap, compute_solar_map, compute_solar_tiles, irradiation
from solar.suitability import Suitability
from solar.zonal import zonal_stats, zonal_table

__all__ = [
    "CLEAR_SKY",
    "SUNDSVALL",
    "Building",
    "Climate",
    "CogMosaic",
    "PVAssumptions",
    "PlanContext",
    "PlanRule",
    "SolarError",
    "SolarMap",
    "SolarModel",
    "SolarPotential",
    "Suitability",
    "compute_solar_map",
    "compute_solar_tiles",
    "irradiation",
    "open_solar_map",
    "permit_guidance",
    "read_climate",
    "solar_potential",
    "zonal_stats",
    "zonal_table",
]
