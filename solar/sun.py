"""The sun's path over a year at a site, its irradiance, and the sky tables the kernels read.

:func:`sun_path` gives every sun position above the horizon with the clear-sky irradiance
(pvlib's Ineichen–Perez model with pvlib's monthly Linke turbidity) scaled month by month to
the model's climate. :func:`sky_tables` groups those positions by horizon direction and sorts
them by elevation, so that a pixel's beam energy behind any horizon is one dot product.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from solar.model import SolarModel

__all__ = ["SkyTables", "SunPath", "sky_tables", "sun_path"]

#: pvlib's floor for cos(zenith) in the Hay–Davies circumsolar term.
_MIN_COS_ZENITH = 0.01745


@dataclass(frozen=True)
class SunPath:
    """Sun positions above the horizon and their irradiance (W/m²) over one year."""

    times: pd.DatetimeIndex
    elevation: np.ndarray
    azimuth: np.ndarray
    dni: np.ndarray
    dhi: np.ndarray
    ghi: np.ndarray
    dni_extra: np.ndarray
    hours: float

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
    import pvlib

    step = pd.Timedelta(minutes=model.step_minutes)
    start = pd.Timestamp(f"{model.year}-01-01", tz="UTC")
    end = pd.Timestamp(f"{model.year + 1}-01-01", tz="UTC")
    times = pd.date_range(start, end, freq=step, inclusive="left") + step / 2
    position = pvlib.solarposition.get_solarposition(times, latitude, longitude, altitude)
    up = position["apparent_elevation"].to_numpy() > 0
    times = times[up]
    position = position[up]
    site = pvlib.location.Location(latitude, longitude, tz="UTC", altitude=altitude)
    # day of year as numbers: pvlib's own conversion uses a pandas attribute deprecated in 3.x
    dni_extra = pvlib.irradiance.get_extra_radiation(times.day_of_year.to_numpy())
    turbidity = pvlib.clearsky.lookup_linke_turbidity(
        times, latitude, longitude, interp_turbidity=False
    )
    clear = site.get_clearsky(
        times,
        model="ineichen",
        solar_position=position,
        linke_turbidity=turbidity,
        dni_extra=dni_extra,
    )
    elevation = position["apparent_elevation"].to_numpy()
    dni, dhi = _scaled(times, elevation, clear["dni"].to_numpy(), clear["dhi"].to_numpy(), model)
    ghi = dni * np.sin(np.radians(elevation)) + dhi
    return SunPath(
        times=times,
        elevation=elevation,
        azimuth=position["azimuth"].to_numpy(),
        dni=dni,
        dhi=dhi,
        ghi=ghi,
        dni_extra=np.asarray(dni_extra),
        hours=step / pd.Timedelta(hours=1),
    )


def _scaled(
    times: pd.DatetimeIndex,
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
    months = times.month.to_numpy() - 1
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
