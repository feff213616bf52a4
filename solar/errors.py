"""The solar package's exception family.

Every error raised on purpose by :mod:`solar` is a :class:`SolarError`; each leaf also inherits
the builtin it naturally is, so callers that only know Python's builtins still catch it.

>>> issubclass(NotIrradiation, ValueError) and issubclass(NotIrradiation, SolarError)
True
"""

from __future__ import annotations

__all__ = [
    "CatalogError",
    "ClimateError",
    "InvalidAssumption",
    "InvalidBuildings",
    "InvalidGeometry",
    "InvalidModel",
    "InvalidRaster",
    "InvalidSurface",
    "NotIrradiation",
    "SolarError",
    "SolarMapNotFound",
    "TileOutOfRange",
]


class SolarError(Exception):
    """Base of every error raised by :mod:`solar`."""


class InvalidSurface(SolarError, ValueError):
    """A surface model cannot be used: unreadable, rotated, geographic, all nodata …"""


class ClimateError(SolarError, ValueError):
    """A climate file cannot be read or does not describe the site."""


class NotIrradiation(SolarError, ValueError):
    """A raster offered to the catalog cannot be annual irradiation in kWh/m²·year."""


class CatalogError(SolarError, OSError):
    """The STAC catalog of solar maps is missing, unreadable or invalid."""


class SolarMapNotFound(SolarError, KeyError):
    """No catalogued solar map covers the requested place."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""


class InvalidModel(SolarError, ValueError):
    """A model parameter is out of its range (time step, directions, margin, albedo …)."""


class InvalidBuildings(SolarError, ValueError):
    """A building footprint file cannot be read or holds no polygons."""


class InvalidRaster(SolarError, ValueError):
    """A solar map raster cannot be read as one grid: unreadable, geographic, misaligned tiles."""


class InvalidGeometry(SolarError, ValueError):
    """A geometry to summarise is not a polygon or multipolygon, or lies in no known CRS."""


class InvalidAssumption(SolarError, ValueError):
    """A PV, suitability or permit assumption is out of its range."""


class TileOutOfRange(SolarError, ValueError):
    """A tile's zoom, column or row lies outside the tile matrix set."""
