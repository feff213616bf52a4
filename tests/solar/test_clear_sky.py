"""solar.clear_sky against pvlib's own clear-sky functions, and the sun path without pvlib."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pandas as pd
import pvlib
import pytest

from solar.clear_sky import extra_radiation, ineichen, linke_turbidity, relative_airmass
from solar.errors import InvalidModel


def test_extra_radiation_and_airmass_are_pvlibs():
    days = np.arange(1, 366)
    np.testing.assert_allclose(extra_radiation(days), pvlib.irradiance.get_extra_radiation(days))
    zenith = np.linspace(0.0, 89.9, 500)
    np.testing.assert_allclose(
        relative_airmass(zenith), pvlib.atmosphere.get_relative_airmass(zenith), rtol=1e-12
    )
    assert np.isnan(relative_airmass(np.array([95.0]))[0])


@pytest.mark.parametrize(("latitude", "longitude"), [(62.39, 17.31), (55.6, 13.0), (-89.99, 180)])
def test_linke_turbidity_is_pvlibs_monthly_lookup(latitude, longitude):
    times = pd.date_range("2025-01-01", periods=12, freq="MS", tz="UTC") + pd.Timedelta(days=14)
    expected = pvlib.clearsky.lookup_linke_turbidity(
        times, latitude, longitude, interp_turbidity=False
    )
    np.testing.assert_array_equal(linke_turbidity(latitude, longitude), expected.to_numpy())


def test_linke_turbidity_refuses_a_site_off_the_globe():
    with pytest.raises(InvalidModel):
        linke_turbidity(91.0, 17.0)


@pytest.mark.parametrize("altitude", [0.0, 500.0])
def test_ineichen_is_pvlibs(altitude):
    zenith = np.linspace(0.0, 89.9, 400)
    airmass = relative_airmass(zenith) * pvlib.atmosphere.alt2pres(altitude) / 101325.0
    turbidity = np.linspace(2.0, 5.0, 400)
    dni_extra = np.full(400, 1367.0)
    ours = ineichen(zenith, airmass, turbidity, altitude, dni_extra)
    theirs = pvlib.clearsky.ineichen(zenith, airmass, turbidity, altitude, dni_extra)
    for mine, key in zip(ours, ("ghi", "dni", "dhi"), strict=True):
        np.testing.assert_allclose(mine, theirs[key], rtol=1e-12, atol=1e-9)


def test_a_solar_map_process_imports_neither_pvlib_nor_pandas():
    # numba imports scipy's top-level package (milliseconds), not its submodules
    code = (
        "import sys\n"
        "from solar.model import SolarModel\n"
        "from solar.sun import sky_tables, sun_path\n"
        "model = SolarModel(step_minutes=30)\n"
        "sky_tables(sun_path(62.39, 17.31, 10.0, model), model)\n"
        "import solar.solar_map, mapservice.commands.solar_map\n"
        "heavy = ('pvlib', 'pandas', 'scipy.integrate', 'scipy.ndimage')\n"
        "print(sorted(m for m in heavy if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
