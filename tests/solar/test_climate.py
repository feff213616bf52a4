"""Climates: the shipped Sundsvall climatology and TMY/EPW files read with pvlib."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from solar import CLEAR_SKY, SUNDSVALL, Climate, SolarModel, read_climate
from solar.errors import ClimateError
from solar.sun import sun_path


def _epw(path, latitude=62.4, longitude=17.3, ghi=200.0, dhi=80.0):
    """A minimal but well-formed EnergyPlus weather file: constant daytime irradiance."""
    header = [
        f"LOCATION,Sundsvall,Y,SWE,test,021000,{latitude},{longitude},1.0,10.0",
        "DESIGN CONDITIONS,0",
        "TYPICAL/EXTREME PERIODS,0",
        "GROUND TEMPERATURES,0",
        "HOLIDAYS/DAYLIGHT SAVINGS,No,0,0,0",
        "COMMENTS 1,synthetic",
        "COMMENTS 2,",
        "DATA PERIODS,1,1,Data,Sunday, 1/ 1,12/31",
    ]
    rows = []
    for stamp in pd.date_range("2019-01-01", periods=8760, freq="h"):
        day = 8 <= stamp.hour <= 15
        g, d = (ghi, dhi) if day else (0.0, 0.0)
        rows.append(
            ",".join(
                str(v)
                for v in [
                    stamp.year,
                    stamp.month,
                    stamp.day,
                    stamp.hour + 1,
                    60,
                    "?",
                    5.0,
                    0.0,
                    70,
                    101325,
                    0,
                    0,
                    300,
                    g,
                    g - d,
                    d,
                    0,
                    0,
                    0,
                    0,
                    180,
                    3.0,
                    5,
                    5,
                    10.0,
                    77777,
                    9,
                    "999999999",
                    0,
                    0.1,
                    0,
                    88,
                    0.2,
                    0,
                    1.0,
                ]
            )
        )
    path.write_text("\n".join(header + rows) + "\n")
    return path


def test_sundsvall_climatology_is_documented_and_consistent():
    assert sum(SUNDSVALL.ghi) == pytest.approx(910, abs=0.5)
    assert all(d <= g for g, d in zip(SUNDSVALL.ghi, SUNDSVALL.dhi, strict=True))
    assert SUNDSVALL.ghi.index(max(SUNDSVALL.ghi)) == 5  # June
    assert "docs/SOLAR.md" in SUNDSVALL.source


def test_epw_is_read_into_monthly_sums(tmp_path):
    climate = read_climate(_epw(tmp_path / "sundsvall.epw"))
    january = 31 * 8 * 200 / 1000
    assert climate.ghi[0] == pytest.approx(january)
    assert climate.dhi[0] == pytest.approx(31 * 8 * 80 / 1000)
    assert (climate.latitude, climate.longitude) == (62.4, 17.3)


def test_sun_path_reproduces_the_climate_month_by_month(tmp_path):
    climate = read_climate(_epw(tmp_path / "sundsvall.epw"))
    path = sun_path(62.39, 17.31, 10.0, SolarModel(step_minutes=20, climate=climate))
    months = path.times.month.to_numpy()
    for m in (3, 6, 9):
        ghi = path.annual(path.ghi[months == m])
        dhi = path.annual(path.dhi[months == m])
        assert ghi == pytest.approx(climate.ghi[m - 1], rel=1e-6)
        assert dhi == pytest.approx(climate.dhi[m - 1], rel=1e-6)


def test_clear_sky_is_not_scaled_and_exceeds_the_climate():
    clear = sun_path(62.39, 17.31, 10.0, SolarModel(step_minutes=30, climate=CLEAR_SKY))
    cloudy = sun_path(62.39, 17.31, 10.0, SolarModel(step_minutes=30))
    assert clear.annual(clear.ghi) > 1.2 * cloudy.annual(cloudy.ghi)
    assert np.all(clear.elevation > 0)


def test_a_climate_far_from_the_site_is_refused(tmp_path):
    climate = read_climate(_epw(tmp_path / "rome.epw", latitude=41.9, longitude=12.5))
    with pytest.raises(ClimateError, match=r"41\.90 N"):
        climate.check_site(62.39, 17.31)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("weather.txt", "x", "give a PVGIS TMY"),
        ("weather.epw", "not an epw", "not a readable climate file"),
        ("tmy.json", "{}", "not a readable climate file"),
    ],
)
def test_unreadable_climate_files_are_clear_errors(tmp_path, name, content, message):
    (tmp_path / name).write_text(content)
    with pytest.raises(ClimateError, match=message):
        read_climate(tmp_path / name)


def test_inconsistent_climates_are_refused():
    with pytest.raises(ClimateError, match="12 monthly"):
        Climate("x", "y", ghi=(1.0,) * 11, dhi=(0.5,) * 11)
    with pytest.raises(ClimateError, match="more diffuse"):
        Climate("x", "y", ghi=(1.0,) * 12, dhi=(2.0,) * 12)
