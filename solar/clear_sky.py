"""Clear-sky irradiance: Ineichen–Perez with the Linke turbidity climatology, without pvlib.

The same formulas as pvlib's (``pvlib.clearsky.ineichen``, ``get_extra_radiation`` with
Spencer's series, ``get_relative_airmass`` with Kasten & Young 1989, ``lookup_linke_turbidity``),
written out in NumPy so that a solar map's process does not import pvlib, whose package
imports scipy and pandas (seconds of every ``solar-map`` start-up). The Linke turbidity is read
from the climatology pvlib installs (``pvlib/data/LinkeTurbidities.h5``, Remund et al. 2003,
SoDa), found without importing pvlib. ``tests/solar/test_clear_sky.py`` compares every function
with pvlib's.

Sources: Ineichen & Perez, *A new airmass independent formulation for the Linke turbidity
coefficient*, Solar Energy 73 (2002) 151–157; Kasten & Young, Applied Optics 28 (1989)
4735–4738; Spencer, Search 2 (1971) 172.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from solar.errors import InvalidModel

__all__ = ["extra_radiation", "ineichen", "linke_turbidity", "relative_airmass"]

Floats = NDArray[np.float64]

#: The solar constant pvlib's ``get_extra_radiation`` uses, W/m².
SOLAR_CONSTANT = 1366.1


def extra_radiation(day_of_year: NDArray[np.int64]) -> Floats:
    """Extraterrestrial normal irradiance (W/m²) on a day of the year (Spencer 1971).

    >>> [round(float(v), 1) for v in extra_radiation(np.array([1, 182]))]
    [1414.0, 1320.5]
    """
    b = (2.0 * np.pi / 365.0) * (np.asarray(day_of_year, np.float64) - 1)
    factor = (
        1.00011
        + 0.034221 * np.cos(b)
        + 0.00128 * np.sin(b)
        + 0.000719 * np.cos(2 * b)
        + 7.7e-05 * np.sin(2 * b)
    )
    return np.asarray(SOLAR_CONSTANT * factor, np.float64)


def relative_airmass(apparent_zenith: Floats) -> Floats:
    """Relative optical airmass of an apparent zenith angle (°), Kasten & Young (1989).

    >>> [round(float(v), 3) for v in relative_airmass(np.array([0.0, 60.0, 89.0]))]
    [1.0, 1.994, 26.311]
    """
    z = np.where(apparent_zenith > 90, np.nan, apparent_zenith)
    return np.asarray(
        1.0 / (np.cos(np.radians(z)) + 0.50572 * (6.07995 + (90 - z)) ** -1.6364), np.float64
    )


def _grid_index(degrees: float, first: float, last: float, cells: int) -> int:
    """The cell of a value on the climatology's grid (pvlib's ``_degrees_to_index``)."""
    scale = cells / (last - first)
    index = (degrees - (first + 1 / scale / 2)) * scale
    if -0.500001 <= index < 0:
        return 0
    if cells - 1 < index <= cells - 1 + 0.500001:
        return cells - 1
    if not 0 <= index <= cells - 1:
        raise InvalidModel(f"no Linke turbidity for {degrees}° (outside {first}…{last})")
    return int(np.around(index))


def linke_turbidity(latitude: float, longitude: float) -> Floats:
    """The site's monthly Linke turbidity, January first, from pvlib's climatology file.

    >>> [round(float(v), 2) for v in linke_turbidity(62.39, 17.31)[[0, 5]]]
    [2.5, 3.2]
    """
    import h5py  # type: ignore[import-untyped]  # pvlib's dependency, ships no types

    spec = importlib.util.find_spec("pvlib")  # its folder, without running pvlib/__init__
    if spec is None or not spec.submodule_search_locations:
        raise InvalidModel("pvlib's Linke turbidity climatology is not installed")
    path = Path(spec.submodule_search_locations[0]) / "data" / "LinkeTurbidities.h5"
    row = _grid_index(latitude, 90.0, -90.0, 2160)
    column = _grid_index(longitude, -180.0, 180.0, 4320)
    with h5py.File(path, "r") as climatology:
        monthly = np.asarray(climatology["LinkeTurbidity"][row, column], np.float64)
    return monthly / 20.0


def ineichen(
    apparent_zenith: Floats,
    airmass_absolute: Floats,
    turbidity: Floats,
    altitude: float,
    dni_extra: Floats,
) -> tuple[Floats, Floats, Floats]:
    """Clear-sky GHI, DNI and DHI (W/m²) by Ineichen & Perez (2002), as pvlib computes them.

    >>> ghi, dni, dhi = ineichen(
    ...     np.array([40.0]), np.array([1.3]), np.array([3.0]), 0.0, np.array([1367.0])
    ... )
    >>> round(float(ghi[0]), 1), round(float(dni[0]), 1), round(float(dhi[0]), 1)
    (781.6, 894.6, 96.3)
    """
    cos_zenith = np.maximum(np.cos(np.radians(apparent_zenith)), 0)
    tl = turbidity
    fh1 = np.exp(-altitude / 8000.0)
    fh2 = np.exp(-altitude / 1250.0)
    cg1 = 5.09e-05 * altitude + 0.868
    cg2 = 3.92e-05 * altitude + 0.0387
    ghi = np.exp(-cg2 * airmass_absolute * (fh1 + fh2 * (tl - 1)))
    ghi = cg1 * dni_extra * cos_zenith * tl / tl * np.fmax(ghi, 0)
    b = 0.664 + 0.163 / fh1
    bnci = dni_extra * np.fmax(b * np.exp(-0.09 * airmass_absolute * (tl - 1)), 0)
    with np.errstate(divide="ignore"):  # the sun on the horizon: the other bound holds
        bnci_2 = (1 - (0.1 - 0.2 * np.exp(-tl)) / (0.1 + 0.882 / fh1)) / cos_zenith
    bnci_2 = ghi * np.fmin(np.fmax(bnci_2, 0), 1e20)
    dni = np.minimum(bnci, bnci_2)
    dhi = ghi - dni * cos_zenith
    return ghi, dni, dhi
