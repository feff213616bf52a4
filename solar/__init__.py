"""Solar maps for Min fastighet: compute annual irradiation from a surface model, catalogue it.

The package never imports Flask or :mod:`layers`; notebooks and the CLI call it directly.
The names below are imported from their modules on first use (PEP 562), so that
``import solar.errors`` does not load numba, rasterio or pandas.

>>> from solar import SolarModel
>>> SolarModel().directions
64
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from solar.climate import CLEAR_SKY, SUNDSVALL, Climate, read_climate
    from solar.engine import irradiation
    from solar.errors import SolarError
    from solar.model import SolarModel
    from solar.permit import PlanContext, PlanProvision, permit_guidance
    from solar.potential import Roof, SolarPotential, solar_potential
    from solar.pv import PVAssumptions
    from solar.raster import CogMosaic, open_solar_map
    from solar.solar_map import SolarMap, compute_solar_map, compute_solar_tiles
    from solar.suitability import Suitability
    from solar.zonal import zonal_stats, zonal_table

__all__ = [
    "CLEAR_SKY",
    "SUNDSVALL",
    "Climate",
    "CogMosaic",
    "PVAssumptions",
    "PlanContext",
    "PlanProvision",
    "Roof",
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

#: The module each public name lives in.
_HOMES = {
    "CLEAR_SKY": "solar.climate",
    "SUNDSVALL": "solar.climate",
    "Climate": "solar.climate",
    "read_climate": "solar.climate",
    "SolarError": "solar.errors",
    "SolarModel": "solar.model",
    "PlanContext": "solar.permit",
    "PlanProvision": "solar.permit",
    "permit_guidance": "solar.permit",
    "Roof": "solar.potential",
    "SolarPotential": "solar.potential",
    "solar_potential": "solar.potential",
    "PVAssumptions": "solar.pv",
    "CogMosaic": "solar.raster",
    "open_solar_map": "solar.raster",
    "SolarMap": "solar.solar_map",
    "compute_solar_map": "solar.solar_map",
    "compute_solar_tiles": "solar.solar_map",
    "irradiation": "solar.engine",
    "Suitability": "solar.suitability",
    "zonal_stats": "solar.zonal",
    "zonal_table": "solar.zonal",
}


def __getattr__(name: str) -> object:
    """Import a public name from its module when it is first asked for (PEP 562)."""
    if name not in _HOMES:
        raise AttributeError(f"module 'solar' has no attribute {name!r}")
    return getattr(importlib.import_module(_HOMES[name]), name)
