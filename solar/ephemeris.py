"""The sun's apparent position seen from a site, in plain NumPy (no pvlib, no pandas).

Meeus, *Astronomical Algorithms* (2nd ed., 1998): the sun's apparent longitude with its
low-accuracy series (ch. 25, stated accuracy 0.01°), nutation in longitude (ch. 22), apparent
sidereal time (ch. 12) and horizontal coordinates (ch. 13); ΔT from Espenak & Meeus's
polynomials (NASA, 2006, as pvlib's SPA uses them), the topocentric parallax of the sun
(8.794″ at 1 au) and the SPA's atmospheric refraction (Reda & Andreas, NREL/TP-560-34302,
2008, eq. 42) at the site's standard pressure and 12 °C, as pvlib's ``get_solarposition``
assumes. ``tests/solar/test_ephemeris.py`` checks it against pvlib's SPA (``nrel_numpy``)
for every 10 minutes of 2025 at Sundsvall and at other sites: within 0.01° in elevation and
in azimuth wherever the sun is above the horizon (measured maximum stated there).

A solar map needs some 26 000 positions, which this computes in milliseconds; importing
pvlib (scipy, pandas, h5py) took seconds of every ``solar-map`` process's start-up.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

__all__ = ["SunPosition", "delta_t", "standard_pressure", "sun_position"]

Floats = NDArray[np.float64]

#: Julian day of the Unix epoch, 1970-01-01 00:00 UTC.
_UNIX_EPOCH_JD = 2440587.5
#: J2000.0 as a Julian day.
_J2000 = 2451545.0
#: The refraction's cut-off below the horizon (sun's radius and the standard refraction), °.
_REFRACTION_CUTOFF = -(0.26667 + 0.5667)
#: The sun's equatorial horizontal parallax at 1 au, °.
_PARALLAX = 8.794 / 3600.0


@dataclass(frozen=True)
class SunPosition:
    """Apparent (refracted) elevation and azimuth (° from north, eastward) of the sun."""

    elevation: Floats
    azimuth: Floats


def standard_pressure(altitude: float) -> float:
    """The standard atmosphere's pressure (Pa) at ``altitude`` m (as pvlib's ``alt2pres``).

    >>> round(standard_pressure(0.0))
    101325
    >>> round(standard_pressure(1000.0))
    89875
    """
    return float(100.0 * ((44331.514 - altitude) / 11880.516) ** (1 / 0.1902632))


def delta_t(year: NDArray[np.float64]) -> Floats:
    """TT − UT (s) for decimal years 1900–2200 (Espenak & Meeus, NASA, 2006).

    >>> [round(float(v), 1) for v in delta_t(np.array([1950.5, 2025.5, 2100.0]))]
    [29.3, 74.8, 202.7]
    """
    y = np.asarray(year, dtype=np.float64)
    pieces = [
        (y < 1920, -2.79 + y0(y, 1900, [1.494119, -0.0598939, 0.0061966, -0.000197])),
        (y < 1941, 21.20 + y0(y, 1920, [0.84493, -0.076100, 0.0020936])),
        (y < 1961, 29.07 + y0(y, 1950, [0.407, -1 / 233, 1 / 2547])),
        (y < 1986, 45.45 + y0(y, 1975, [1.067, -1 / 260, -1 / 718])),
        (
            y < 2005,
            63.86 + y0(y, 2000, [0.3345, -0.060374, 0.0017275, 0.000651814, 0.00002373599]),
        ),
        (y < 2050, 62.92 + y0(y, 2000, [0.32217, 0.005589])),
        (y < 2150, -20 + 32 * ((y - 1820) / 100) ** 2 - 0.5628 * (2150 - y)),
    ]
    conditions = [c for c, _ in pieces]
    values = [v for _, v in pieces]
    return np.asarray(np.select(conditions, values, -20 + 32 * ((y - 1820) / 100) ** 2))


def y0(y: Floats, origin: float, coefficients: list[float]) -> Floats:
    """The polynomial ``c1 t + c2 t² + …`` in ``t = y - origin`` (no constant term).

    >>> float(y0(np.array(2.0), 0.0, [1.0, 1.0]))
    6.0
    """
    t = y - origin
    return np.asarray(sum(c * t ** (i + 1) for i, c in enumerate(coefficients)), np.float64)


def sun_position(
    times: NDArray[np.datetime64],
    latitude: float,
    longitude: float,
    altitude: float = 0.0,
    temperature: float = 12.0,
) -> SunPosition:
    """The sun's apparent elevation and azimuth at UTC ``times`` seen from a site.

    >>> noon = np.array(["2025-06-21T10:30"], dtype="datetime64[ns]")
    >>> sun = sun_position(noon, 62.39, 17.31)
    >>> round(float(sun.elevation[0]), 2), round(float(sun.azimuth[0]), 1)
    (50.87, 171.8)
    """
    seconds = times.astype("datetime64[ns]").astype(np.int64) / 1e9
    jd = seconds / 86400.0 + _UNIX_EPOCH_JD
    years = 1970.0 + seconds / (365.2425 * 86400.0)
    t = (jd + delta_t(years) / 86400.0 - _J2000) / 36525.0  # Julian centuries (TT)
    rad = np.radians
    mean_longitude = 280.46646 + t * (36000.76983 + 0.0003032 * t)
    anomaly = rad(357.52911 + t * (35999.05029 - 0.0001537 * t))
    centre = (
        (1.914602 - t * (0.004817 + 0.000014 * t)) * np.sin(anomaly)
        + (0.019993 - 0.000101 * t) * np.sin(2 * anomaly)
        + 0.000289 * np.sin(3 * anomaly)
    )
    node = rad(125.04452 - 1934.136261 * t)
    moon_longitude = rad(218.3165 + 481267.8813 * t)
    nutation = (
        -17.20 * np.sin(node)
        - 1.32 * np.sin(2 * rad(mean_longitude))
        - 0.23 * np.sin(2 * moon_longitude)
        + 0.21 * np.sin(2 * node)
    ) / 3600.0
    apparent = rad(mean_longitude + centre - 0.00569 + nutation)  # 0.00569°: aberration
    obliquity = rad(
        23.0
        + (26.0 + (21.448 - t * (46.8150 + t * (0.00059 - 0.001813 * t))) / 60.0) / 60.0
        + (9.20 * np.cos(node) + 0.57 * np.cos(2 * rad(mean_longitude))) / 3600.0
    )
    right_ascension = np.arctan2(np.cos(obliquity) * np.sin(apparent), np.cos(apparent))
    declination = np.arcsin(np.sin(obliquity) * np.sin(apparent))
    ut = jd - _J2000
    sidereal = (
        280.46061837
        + 360.98564736629 * ut
        + (0.000387933 - t / 38710000.0) * t * t
        + nutation * np.cos(obliquity)
    )
    hour_angle = rad(sidereal + longitude) - right_ascension
    phi = rad(latitude)
    sin_elevation = np.sin(phi) * np.sin(declination) + np.cos(phi) * np.cos(declination) * np.cos(
        hour_angle
    )
    geometric = np.degrees(np.arcsin(np.clip(sin_elevation, -1.0, 1.0)))
    azimuth = np.degrees(
        np.arctan2(
            np.sin(hour_angle),
            np.cos(hour_angle) * np.sin(phi) - np.tan(declination) * np.cos(phi),
        )
    )
    elevation = geometric - _PARALLAX * np.cos(rad(geometric))
    return SunPosition(
        elevation=elevation + _refraction(elevation, standard_pressure(altitude), temperature),
        azimuth=(azimuth + 180.0) % 360.0,
    )


def _refraction(elevation: Floats, pressure: float, temperature: float) -> Floats:
    """Atmospheric refraction (°) of a true elevation (°), as the SPA computes it (eq. 42)."""
    refraction = (
        (pressure / 101000.0)
        * (283.0 / (273.0 + temperature))
        * 1.02
        / (60.0 * np.tan(np.radians(elevation + 10.3 / (elevation + 5.11))))
    )
    return np.where(elevation >= _REFRACTION_CUTOFF, refraction, 0.0)
