"""The solar model's parameters, as one typed, frozen object recorded with every solar map.

>>> model = SolarModel(step_minutes=20)
>>> model.to_dict()["step_minutes"], model.to_dict()["sky_diffuse"]
(20.0, 'haydavies')
>>> SolarModel(albedo=2)
Traceback (most recent call last):
...
solar.errors.InvalidModel: albedo must lie in [0, 1], not 2
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from solar.climate import SUNDSVALL, Climate
from solar.errors import InvalidModel

__all__ = ["MODEL_NAME", "SolarModel"]

MODEL_NAME = "minfastighet-solar"
MODEL_VERSION = "2"  # 2: own solar position and clear sky (no pvlib)

SkyDiffuse = Literal["haydavies", "isotropic"]


@dataclass(frozen=True)
class SolarModel:
    """How the annual irradiation is computed.

    Parameters
    ----------
    step_minutes
        Time step of the sun's path over the year; each step's irradiance is taken at its middle.
    directions
        Number of horizon directions (azimuth sectors) per pixel.
    margin_m
        How far (metres) a pixel looks for what shades it; also the overlap between blocks.
    albedo
        Ground reflectance for the ground-reflected part.
    sky_diffuse
        ``"haydavies"`` (circumsolar part shaded like the beam, the rest isotropic and weighted by
        the sky-view factor) or ``"isotropic"``.
    year
        The calendar year whose sun positions are used (no leap day in the default).
    climate
        Monthly irradiation the clear-sky model is scaled to.
    """

    step_minutes: float = 10.0
    directions: int = 64
    margin_m: float = 100.0
    albedo: float = 0.2
    sky_diffuse: SkyDiffuse = "haydavies"
    year: int = 2025
    climate: Climate = field(default=SUNDSVALL)

    def __post_init__(self) -> None:
        checks = [
            (
                0.5 <= self.step_minutes <= 120,
                f"step_minutes must lie in [0.5, 120], not {self.step_minutes}",
            ),
            (
                8 <= self.directions <= 360,
                f"directions must lie in [8, 360], not {self.directions}",
            ),
            (0 <= self.margin_m <= 5000, f"margin_m must lie in [0, 5000], not {self.margin_m}"),
            (0 <= self.albedo <= 1, f"albedo must lie in [0, 1], not {self.albedo}"),
            (
                self.sky_diffuse in ("haydavies", "isotropic"),
                f"sky_diffuse must be 'haydavies' or 'isotropic', not {self.sky_diffuse!r}",
            ),
            (1900 <= self.year <= 2200, f"year must lie in [1900, 2200], not {self.year}"),
        ]
        for ok, message in checks:
            if not ok:
                raise InvalidModel(message)
        object.__setattr__(self, "step_minutes", float(self.step_minutes))

    def to_dict(self) -> dict[str, Any]:
        """Parameters as JSON-ready values, as written to the map's metadata and the catalog."""
        return {
            "model": MODEL_NAME,
            "model_version": MODEL_VERSION,
            "step_minutes": self.step_minutes,
            "directions": self.directions,
            "margin_m": self.margin_m,
            "albedo": self.albedo,
            "sky_diffuse": self.sky_diffuse,
            "clear_sky": "ineichen (as pvlib); Linke turbidity from pvlib's climatology, "
            "constant per month",
            "solar_position": "Meeus (1998) low-accuracy series, apparent elevation "
            "(within 0.01 degrees of NREL SPA)",
            "year": self.year,
            "climate": self.climate.to_dict(),
        }
