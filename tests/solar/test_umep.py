"""UMEP/SUEWS forcing files as a climate: SUEWS's 24 columns, hour-ending local time, -999."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pvlib
import pytest

from solar import SolarModel, read_climate
from solar.errors import ClimateError
from solar.umep import COLUMNS

SUNDSVALL = (62.39, 17.31)


def _clear_sky_year(year: int = 2019) -> pd.DataFrame:
    """Hourly clear-sky GHI (Haurwitz) at Sundsvall, at each hour's middle in UTC+1."""
    middles = pd.date_range(f"{year}-01-01 00:30", periods=8760, freq="h", tz="Etc/GMT-1")
    zenith = pvlib.solarposition.get_solarposition(middles, *SUNDSVALL)["apparent_zenith"]
    cos = np.cos(np.radians(zenith.to_numpy()))
    ghi = np.where(cos > 0, 1098.0 * cos * np.exp(-0.057 / np.maximum(cos, 1e-3)), 0.0)
    ghi = np.round(ghi, 2)
    return pd.DataFrame({"ghi": ghi, "dhi": np.round(ghi * 0.4, 2)}, index=middles)


def _forcing(path, frame: pd.DataFrame, kdiff: bool = True, header: str | None = None):
    """Write ``frame`` as SUEWS does: hour-ending stamps, one space between fields, -999."""
    lines = [header or " ".join(COLUMNS)]
    for middle, row in frame.iterrows():
        end = middle.tz_localize(None) + dt.timedelta(minutes=30)
        values = [-999.0] * 24
        values[:4] = [end.year, end.day_of_year, end.hour, end.minute]
        values[9:15] = [3.2, 80.0, 5.0, 100.1, 0.0, row.ghi]
        if kdiff:
            values[21] = row.dhi
        lines.append(" ".join(f"{v:g}" for v in values))
    path.write_text("\n".join(lines) + "\n")
    return path


def _with(line: str, column: int, value: str) -> str:
    fields = line.split()
    fields[column] = value
    return " ".join(fields)


def _monthly(frame: pd.DataFrame, column: str) -> np.ndarray:
    return frame[column].groupby(frame.index.month).sum().to_numpy() / 1000.0


def test_a_forcing_file_gives_the_monthly_sums_of_kdown_and_kdiff(tmp_path):
    frame = _clear_sky_year()
    climate = read_climate(_forcing(tmp_path / "Sv_2019_data_60.txt", frame))
    np.testing.assert_allclose(climate.ghi, _monthly(frame, "ghi"), rtol=1e-9)
    np.testing.assert_allclose(climate.dhi, _monthly(frame, "dhi"), rtol=1e-9)
    assert climate.extra["diffuse"] == "kdiff"
    assert climate.source.startswith("UMEP/SUEWS forcing file Sv_2019_data_60.txt")
    # The last period of the year (23-24 on 31 December) is stamped "2020 1 0 0" and is December's.
    assert (tmp_path / "Sv_2019_data_60.txt").read_text().splitlines()[-1].startswith("2020 1 0 0")
    SolarModel(climate=climate)


def test_umep_preprocessor_names_and_runs_of_spaces_are_read(tmp_path):
    frame = _clear_sky_year()
    header = "%iy id it imin Q* QH QE Qs Qf Wind RH Td press rain Kdn snow ldown fcld wuh xsmd "
    header += "lai_hr Kdiff Kdir Wd"
    path = _forcing(tmp_path / "met.txt", frame, header=header)
    path.write_text(path.read_text().replace(" ", "   "))
    assert read_climate(path).ghi == pytest.approx(tuple(_monthly(frame, "ghi")))


def test_without_kdiff_the_diffuse_part_is_split_by_erbs_for_a_site(tmp_path):
    frame = _clear_sky_year()
    path = _forcing(tmp_path / "met.txt", frame, kdiff=False)
    with pytest.raises(ClimateError, match="no diffuse radiation"):
        read_climate(path)
    climate = read_climate(path, *SUNDSVALL)
    assert climate.extra["diffuse"] == "Erbs"
    fraction = sum(climate.dhi) / sum(climate.ghi)
    assert 0.1 < fraction < 0.4  # clear skies: mostly beam
    np.testing.assert_allclose(climate.ghi, _monthly(frame, "ghi"), rtol=1e-9)


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda lines: lines[:5000], "not whole years"),
        (lambda lines: [*lines[:3], "2019 1 3 0 1 2", *lines[4:]], "line 4: 6 values"),
        (lambda lines: [*lines[:3], lines[3].replace("2019", "x", 1), *lines[4:]], "number"),
        (lambda lines: lines[:3] + lines[4:], "one regular time step"),
        (lambda lines: [lines[0], _with(lines[1], 14, "5000"), *lines[2:]], "kdown outside"),
    ],
)
def test_malformed_forcing_files_are_clear_errors(tmp_path, edit, message):
    path = _forcing(tmp_path / "met.txt", _clear_sky_year())
    path.write_text("\n".join(edit(path.read_text().splitlines())) + "\n")
    with pytest.raises(ClimateError, match=message):
        read_climate(path)


def test_missing_kdown_or_part_of_kdiff_is_refused(tmp_path):
    frame = _clear_sky_year()
    frame.iloc[100, 0] = -999.0
    with pytest.raises(ClimateError, match="kdown"):
        read_climate(_forcing(tmp_path / "a.txt", frame))
    frame = _clear_sky_year()
    frame.iloc[100, 1] = -999.0
    with pytest.raises(ClimateError, match="kdiff"):
        read_climate(_forcing(tmp_path / "b.txt", frame))
