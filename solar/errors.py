"""The solar package's exception family.

Every error raised on purpose by :mod:`solar` is a :class:`SolarError`; each leaf also inherits
the builtin it naturally is, so callers that only know Python's builtins still catch it.

>>> issubclass(NotIrradiation, ValueError) and issubclass(NotIrradiation, SolarError)
True
"""

from __future__ import annotations

from typing import ClassVar

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

    #: The public message's code: what a person or an API client is told (``mapservice.wording``
    #: words it); the message itself is the detail, for the log.
    public_code: ClassVar[str] = "solar_error"
    #: True where the message only describes the request (what was asked and why it is refused),
    #: so an API client may see it; otherwise it may hold paths or a library's raw text.
    public_detail: ClassVar[bool] = False


class InvalidSurface(SolarError, ValueError):
    """A surface model cannot be used: unreadable, rotated, geographic, all nodata …"""

    public_code = "invalid_surface"


class ClimateError(SolarError, ValueError):
    """A climate file cannot be read or does not describe the site."""

    public_code = "climate_error"


class NotIrradiation(SolarError, ValueError):
    """A raster offered to the catalog cannot be annual irradiation in kWh/m²·year."""

    public_code = "not_irradiation"


class CatalogError(SolarError, OSError):
    """The STAC catalog of solar maps is missing, unreadable or invalid."""

    public_code = "catalog_error"


class SolarMapNotFound(SolarError, KeyError):
    """No catalogued solar map covers the requested place."""

    public_code = "solar_map_not_found"
    public_detail = True

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""


class InvalidModel(SolarError, ValueError):
    """A model parameter is out of its range (time step, directions, margin, albedo …)."""

    public_code = "invalid_model"
    public_detail = True


class InvalidBuildings(SolarError, ValueError):
    """A building footprint file cannot be read or holds no polygons."""

    public_code = "invalid_buildings"


class InvalidRaster(SolarError, ValueError):
    """A solar map raster cannot be read as one grid: unreadable, geographic, misaligned tiles."""

    public_code = "invalid_raster"


class InvalidGeometry(SolarError, ValueError):
    """A geometry to summarise is not a polygon or multipolygon, or lies in no known CRS."""

    public_code = "invalid_geometry"
    public_detail = True


class InvalidAssumption(SolarError, ValueError):
    """A PV, suitability or permit assumption is out of its range."""

    public_code = "invalid_assumption"
    public_detail = True


class TileOutOfRange(SolarError, ValueError):
    """A tile's zoom, column or row lies outside the tile matrix set."""

    public_code = "tile_out_of_range"
    public_detail = True
