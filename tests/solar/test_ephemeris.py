"""The sun's position of solar.ephemeris against pvlib's NREL SPA (the model it replaces)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pvlib
import pytest

from solar.ephemeris import delta_t, standard_pressure, sun_position

#: Measured on 2026-11-30 for the cases below: elevation at most 0.0075°, azimuth at most
#: 0.014° (Sundsvall 2025: 0.0069° and 0.012°).
ELEVATION_TOLERANCE = 0.01
AZIMUTH_TOLERANCE = 0.02


def _year(year: int) -> pd.DatetimeIndex:
    step = pd.Timedelta(minutes=10)
    start = pd.Timestamp(f"{year}-01-01", tz="UTC")
    end = pd.Timestamp(f"{year + 1}-01-01", tz="UTC")
    return pd.date_range(start, end, freq=step, inclusive="left") + step / 2


@pytest.mark.parametrize(
    ("latitude", "longitude", "altitude", "year"),
    [
        (62.39, 17.31, 10.0, 2025),  # Sundsvall
        (55.6, 13.0, 0.0, 2025),  # Malmö
        (68.4, 18.1, 400.0, 2030),  # Abisko, midnight sun
        (62.39, 17.31, 10.0, 1950),
        (62.39, 17.31, 10.0, 2150),
    ],
)
def test_sun_position_agrees_with_pvlib_spa(latitude, longitude, altitude, year):
    times = _year(year)
    spa = pvlib.solarposition.get_solarposition(times, latitude, longitude, altitude)
    ours = sun_position(times.tz_convert(None).to_numpy(), latitude, longitude, altitude)
    up = spa["apparent_elevation"].to_numpy() > 0
    elevation = np.abs(ours.elevation - spa["apparent_elevation"].to_numpy())[up]
    azimuth = np.abs((ours.azimuth - spa["azimuth"].to_numpy() + 180.0) % 360.0 - 180.0)[up]
    assert elevation.max() < ELEVATION_TOLERANCE
    assert azimuth.max() < AZIMUTH_TOLERANCE
    # the same positions are above the horizon, but for at most a few grazing ones
    assert np.sum((ours.elevation > 0) != up) <= 3


def test_standard_pressure_and_delta_t_are_pvlibs():
    for altitude in (0.0, 250.0, 1800.0):
        assert standard_pressure(altitude) == pytest.approx(pvlib.atmosphere.alt2pres(altitude))
    years = np.arange(1900, 2200, 7)
    ours = delta_t(years + 0.5 / 12)  # pvlib takes the month's middle: January here
    spa = pvlib.spa.calculate_deltat(years, np.ones_like(years))
    np.testing.assert_allclose(ours, spa, rtol=1e-9)


def test_refraction_lifts_the_sun_at_the_horizon():
    times = np.array(["2025-03-20T05:00"], dtype="datetime64[ns]")  # just after sunrise
    low = sun_position(times, 62.39, 17.31, 0.0)
    high = sun_position(times, 62.39, 17.31, 3000.0)  # less air, less refraction
    assert low.elevation[0] > high.elevation[0]
