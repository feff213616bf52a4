"""UMEP/SUEWS meteorological forcing files as a climate: monthly sums of global and diffuse.

The format is SUEWS's "Meteorological Input File" (SUEWS documentation, ``met_input.rst`` and
the table ``SSss_YYYY_data_tt.csv``, UMEP-dev/SUEWS), which UMEP's SEBE reads: one header line,
then one whitespace-separated line of 24 numbers per time step, in this order::

    iy id it imin qn qh qe qs qf U RH Tair pres rain kdown snow ldown fcld wuh xsmd lai kdiff
    kdir wdir

The header's names do not matter (UMEP's MetPreprocessor writes ``%iy id it imin Q* …``), only
the positions. Time is local and marks the **end** of its period (``it`` 0–23; the period
23:00–24:00 is ``it = 0`` of the next day); ``kdown`` is global horizontal irradiance, ``kdiff``
diffuse horizontal and ``kdir`` direct normal, all in W m⁻²; ``-999`` is a missing value.
``kdown`` must be complete (SUEWS calls it must-use). Without ``kdiff`` the diffuse part is split
from ``kdown`` with Erbs et al. (1982) (pvlib), which needs the site's position.

>>> period_middle(2012, 1, 1, 0, 60.0)
datetime.datetime(2012, 1, 1, 0, 30)
>>> period_middle(2013, 1, 0, 0, 60.0)
datetime.datetime(2012, 12, 31, 23, 30)
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from solar.errors import ClimateError

__all__ = ["COLUMNS", "Forcing", "is_umep_forcing", "period_middle", "read_forcing"]

#: The 24 columns of a forcing file, as SUEWS names them.
COLUMNS = (
    *("iy", "id", "it", "imin", "qn", "qh", "qe", "qs", "qf", "U", "RH", "Tair", "pres", "rain"),
    *("kdown", "snow", "ldown", "fcld", "wuh", "xsmd", "lai", "kdiff", "kdir", "wdir"),
)
MISSING = -999.0
_KDOWN, _KDIFF = COLUMNS.index("kdown"), COLUMNS.index("kdiff")
#: Irradiance above this (W m⁻²) is not a measurement at the ground (SEBE allows 0–1300).
MAX_IRRADIANCE = 1400.0
#: Night-time sensor offsets down to this (W m⁻²) are read as 0; anything lower is refused.
MIN_IRRADIANCE = -10.0


@dataclass(frozen=True)
class Forcing:
    """A forcing file's mean year: monthly global and diffuse irradiation, kWh/m², Jan–Dec."""

    name: str
    ghi: tuple[float, ...]
    dhi: tuple[float, ...]
    step_minutes: float
    years: int
    diffuse: str

    @property
    def source(self) -> str:
        """Where the figures come from, as recorded with a solar map."""
        return (
            f"UMEP/SUEWS forcing file {self.name} (kdown, diffuse from {self.diffuse}), "
            f"{self.years} year(s) at {self.step_minutes:g} min"
        )


def period_middle(year: int, day: int, hour: int, minute: int, step_minutes: float) -> dt.datetime:
    """The middle of the period ending at day-of-year ``day``, ``hour``:``minute`` of ``year``."""
    end = dt.datetime(year, 1, 1) + dt.timedelta(days=day - 1, hours=hour, minutes=minute)
    return end - dt.timedelta(minutes=step_minutes / 2)


def is_umep_forcing(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` starts like a forcing file: a header of 24 names beginning ``iy``."""
    try:
        with open(path, encoding="utf-8", errors="replace") as file:
            header = file.readline(4096).split()
    except OSError:
        return False
    return len(header) == len(COLUMNS) and header[0].lstrip("%").lower() == "iy"


def _rows(path: Path) -> NDArray[np.float64]:
    rows: list[list[float]] = []
    with open(path, encoding="utf-8", errors="replace") as file:
        file.readline()
        for number, line in enumerate(file, start=2):
            fields = line.split()
            if not fields:
                continue
            if len(fields) != len(COLUMNS):
                raise ClimateError(
                    f"{path.name}, line {number}: {len(fields)} values, a forcing file has 24"
                )
            try:
                rows.append([float(v) for v in fields])
            except ValueError as err:
                raise ClimateError(f"{path.name}, line {number}: not a number") from err
    if len(rows) < 2:
        raise ClimateError(f"{path.name} holds no time series")
    return np.asarray(rows, np.float64)


def _times(name: str, table: NDArray[np.float64]) -> tuple[list[dt.datetime], float]:
    """Each period's middle (local time) and the time step in minutes."""
    try:
        ends = [
            dt.datetime(int(y), 1, 1) + dt.timedelta(days=d - 1, hours=h, minutes=m)
            for y, d, h, m in table[:, :4]
        ]
    except (ValueError, OverflowError) as err:
        raise ClimateError(f"{name} has a time stamp that is not a date: {err}") from err
    steps = {(b - a).total_seconds() / 60.0 for a, b in itertools.pairwise(ends)}
    if len(steps) != 1 or next(iter(steps)) <= 0:
        raise ClimateError(f"{name} does not have one regular time step")
    step = next(iter(steps))
    return [e - dt.timedelta(minutes=step / 2) for e in ends], step


def _irradiance(name: str, values: NDArray[np.float64], column: str) -> NDArray[np.float64]:
    if np.any(values > MAX_IRRADIANCE) or np.any(values < MIN_IRRADIANCE):
        raise ClimateError(
            f"{name}: {column} outside {MIN_IRRADIANCE:g}–{MAX_IRRADIANCE:g} W/m² (or -999)"
        )
    return np.maximum(values, 0.0)


def read_forcing(
    path: str | os.PathLike[str],
    latitude: float | None = None,
    longitude: float | None = None,
    utc_offset: float = 1.0,
) -> Forcing:
    """Monthly global and diffuse irradiation (kWh/m²) of a UMEP/SUEWS forcing file.

    The file must cover whole years at a regular step; several years give their mean year.
    Without ``kdiff`` (all -999), the diffuse part is split from ``kdown`` with Erbs at the sun
    position of each period's middle, for the site at ``latitude``, ``longitude`` whose local
    time is UTC + ``utc_offset`` hours (Swedish normal time: 1).

    Raises
    ------
    ClimateError
        A malformed line, an irregular or partial year, missing ``kdown``, ``kdiff`` missing in
        part, or ``kdiff`` missing without a site to split ``kdown`` for.
    """
    path = Path(path)
    if not path.is_file():
        raise ClimateError(f"{path} does not exist")
    table = _rows(path)
    middles, step = _times(path.name, table)
    years = len(middles) * step / (365 * 24 * 60)
    if round(years) < 1 or abs(years - round(years)) > 0.01:
        raise ClimateError(f"{path.name} covers {years:.2f} years, not whole years")
    if np.any(table[:, _KDOWN] == MISSING):
        raise ClimateError(f"{path.name}: kdown (global radiation) is missing (-999) in places")
    ghi = _irradiance(path.name, table[:, _KDOWN], "kdown")
    kdiff = table[:, _KDIFF]
    if np.all(kdiff == MISSING):
        dhi, how = _erbs(path.name, ghi, middles, latitude, longitude, utc_offset), "Erbs"
    elif np.any(kdiff == MISSING):
        raise ClimateError(f"{path.name}: kdiff (diffuse radiation) is missing in places")
    else:
        dhi, how = np.minimum(_irradiance(path.name, kdiff, "kdiff"), ghi), "kdiff"
    months = np.array([m.month for m in middles])
    scale = step / 60.0 / 1000.0 / round(years)
    return Forcing(
        name=path.name,
        ghi=tuple(float(ghi[months == m].sum()) * scale for m in range(1, 13)),
        dhi=tuple(float(dhi[months == m].sum()) * scale for m in range(1, 13)),
        step_minutes=step,
        years=round(years),
        diffuse=how,
    )


def _erbs(
    name: str,
    ghi: NDArray[np.float64],
    middles: list[dt.datetime],
    latitude: float | None,
    longitude: float | None,
    utc_offset: float,
) -> NDArray[np.float64]:
    if latitude is None or longitude is None:
        raise ClimateError(
            f"{name} has no diffuse radiation (kdiff is -999); give the site's position to "
            "split the global radiation (Erbs)"
        )
    import pandas as pd
    import pvlib

    times = pd.DatetimeIndex(middles).tz_localize(dt.timezone(dt.timedelta(hours=utc_offset)))
    zenith = pvlib.solarposition.get_solarposition(times, latitude, longitude)["zenith"]
    split = pvlib.irradiance.erbs(ghi, np.asarray(zenith), np.asarray(times.day_of_year))
    return np.minimum(np.nan_to_num(np.asarray(split["dhi"], np.float64)), ghi)
