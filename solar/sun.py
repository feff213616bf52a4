"""The sun's path over a year at a site, its irradiance, and the sky tables the kernels read.

:func:`sun_path` gives every sun position above the horizon with the clear-sky irradiance
(Ineichen–Perez with the monthly Linke turbidity climatology, :mod:`solar.clear_sky`) scaled
month by month to the model's climate, at the positions of :mod:`solar.ephemeris`; neither
imports pvlib or pandas, so a solar map's process starts without them. :func:`sky_tables`
groups those positions by horizon direction and sorts them by elevation, so that a pixel's
beam energy behind any horizon is one dot product.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from solar.clear_sky import extra_radiation, ineichen, linke_turbidity, relative_airmass
from solar.ephemeris import standard_pressure, sun_position
from solar.model import SolarModel

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["SkyTables", "SunPath", "sky_tables", "sun_path"]

#: pvlib's floor for cos(zenith) in the Hay–Davies circumsolar term.
_MIN_COS_ZENITH = 0.01745


@dataclass(frozen=True)
class SunPath:
    """Sun positions above the horizon and their irradiance (W/m²) over one year."""

    instants: NDArray[np.datetime64]
    elevation: np.ndarray
    azimuth: np.ndarray
    dni: np.ndarray
    dhi: np.ndarray
    ghi: np.ndarray
    dni_extra: np.ndarray
    hours: float

    @property
    def times(self) -> pd.DatetimeIndex:
        """The instants (UTC) as a pandas index (imports pandas: for analyses, not the map)."""
        import pandas as pd

        return pd.DatetimeIndex(self.instants, tz="UTC")

    @property
    def zenith(self) -> np.ndarray:
        return 90.0 - self.elevation

    def annual(self, values: np.ndarray) -> float:
        """An irradiance series summed into kWh/m² for the year."""
        return float(np.sum(values) * self.hours / 1000.0)


@dataclass(frozen=True)
class SkyTables:
    """Per horizon direction: tangents of sun elevations (highest first) and running energy sums.

    ``sums[k, i]`` is the energy (kWh/m²) of direction ``k``'s first ``i`` positions as a vector
    (east, north, up): a plane with unit normal ``n`` fully lit by them gets ``n · sums[k, i]``.
    """

    tangent: np.ndarray
    count: np.ndarray
    sums: np.ndarray
    iso_diffuse: float
    ground: float


def sun_path(latitude: float, longitude: float, altitude: float, model: SolarModel) -> SunPath:
    """Sun positions over ``model.year`` every ``model.step_minutes``, with their irradiance."""
    step = np.timedelta64(round(model.step_minutes * 60e9), "ns")
    start = np.datetime64(f"{model.year}-01-01", "ns")
    end = np.datetime64(f"{model.year + 1}-01-01", "ns")
    times = start + np.arange(-(-(end - start) // step)) * step + step // 2
    position = sun_position(times, latitude, longitude, altitude)
    up = position.elevation > 0
    times = times[up]
    elevation = position.elevation[up]
    zenith = 90.0 - elevation
    days = (times.astype("datetime64[D]") - times.astype("datetime64[Y]")).astype(np.int64) + 1
    months = times.astype("datetime64[M]").astype(np.int64) % 12
    dni_extra = extra_radiation(days)
    airmass = relative_airmass(zenith) * standard_pressure(altitude) / 101325.0
    turbidity = linke_turbidity(latitude, longitude)[months]
    _, dni, dhi = ineichen(zenith, airmass, turbidity, altitude, dni_extra)
    dni, dhi = _scaled(months, elevation, dni, dhi, model)
    ghi = dni * np.sin(np.radians(elevation)) + dhi
    return SunPath(
        instants=times,
        elevation=elevation,
        azimuth=position.azimuth[up],
        dni=dni,
        dhi=dhi,
        ghi=ghi,
        dni_extra=dni_extra,
        hours=model.step_minutes / 60.0,
    )


def _scaled(
    months: NDArray[np.int64],
    elevation: np.ndarray,
    dni: np.ndarray,
    dhi: np.ndarray,
    model: SolarModel,
) -> tuple[np.ndarray, np.ndarray]:
    """Scale beam and diffuse month by month so their sums match the climate's."""
    climate = model.climate
    if climate.ghi is None or climate.dhi is None:  # both or neither (Climate checks)
        return dni, dhi
    hours = model.step_minutes / 60.0
    beam_h = dni * np.sin(np.radians(elevation))
    kb = np.zeros(12)
    kd = np.zeros(12)
    for m in range(12):
        sel = months == m
        clear_beam = beam_h[sel].sum() * hours / 1000.0
        clear_diffuse = dhi[sel].sum() * hours / 1000.0
        target_diffuse = climate.dhi[m]
        target_beam = climate.ghi[m] - target_diffuse
        kb[m] = target_beam / clear_beam if clear_beam > 0 else 0.0
        kd[m] = target_diffuse / clear_diffuse if clear_diffuse > 0 else 0.0
    return dni * kb[months], dhi * kd[months]


def sky_tables(path: SunPath, model: SolarModel) -> SkyTables:
    """Group the sun positions into ``model.directions`` sectors and sum their energy."""
    n_dir = model.directions
    width = 360.0 / n_dir
    sector = np.floor(((path.azimuth + width / 2) % 360.0) / width).astype(np.int64) % n_dir
    elevation = np.radians(path.elevation)
    azimuth = np.radians(path.azimuth)
    kwh = path.hours / 1000.0
    if model.sky_diffuse == "haydavies":
        anisotropy = np.clip(path.dni / path.dni_extra, 0.0, 1.0)
        circumsolar = path.dhi * anisotropy / np.maximum(np.sin(elevation), _MIN_COS_ZENITH)
        weight = (path.dni + circumsolar) * kwh
        iso_diffuse = float(np.sum(path.dhi * (1.0 - anisotropy)) * kwh)
    else:
        weight = path.dni * kwh
        iso_diffuse = float(np.sum(path.dhi) * kwh)
    vectors = (
        np.stack(
            [
                np.cos(elevation) * np.sin(azimuth),
                np.cos(elevation) * np.cos(azimuth),
                np.sin(elevation),
            ],
            axis=1,
        )
        * weight[:, None]
    )
    count = np.bincount(sector, minlength=n_dir).astype(np.int64)
    longest = int(count.max()) if count.size else 0
    table_tan = np.full((n_dir, max(longest, 1)), -np.inf)
    sums = np.zeros((n_dir, longest + 1, 3))
    for k in range(n_dir):
        members = np.flatnonzero(sector == k)
        members = members[np.argsort(-elevation[members], kind="stable")]
        table_tan[k, : members.size] = np.tan(elevation[members])
        sums[k, 1 : members.size + 1] = np.cumsum(vectors[members], axis=0)
        sums[k, members.size + 1 :] = sums[k, members.size]
    return SkyTables(
        tangent=table_tan,
        count=count,
        sums=sums,
        iso_diffuse=iso_diffuse,
        ground=float(np.sum(path.ghi) * kwh),
    )
