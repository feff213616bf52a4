"""The model on unshaded planes against pvlib, and the physics every roof owner expects."""

from __future__ import annotations

import numpy as np
import pvlib
import pytest
import rasterio.crs

from solar import SUNDSVALL, SolarModel, irradiation
from solar.engine import grid_site as _site
from solar.sun import sun_path

from .conftest import CRS, plane, transform

PLANES = [
    (0, 180),
    (30, 180),
    (45, 180),
    (30, 0),
    (45, 0),
    (30, 90),
    (30, 270),
    (45, 90),
    (45, 270),
]


def _centre(values: np.ndarray) -> float:
    n = values.shape[0]
    return float(np.nanmean(values[n // 4 : 3 * n // 4, n // 4 : 3 * n // 4]))


def _pvlib_annual(z: np.ndarray, tilt: float, aspect: float, model: SolarModel) -> float:
    """The same components with pvlib.irradiance.get_total_irradiance, same sun positions."""
    site = _site(transform(), rasterio.crs.CRS.from_user_input(CRS), z.shape, float(np.median(z)))
    path = sun_path(site.latitude, site.longitude, site.altitude, model)
    total = pvlib.irradiance.get_total_irradiance(
        tilt,
        aspect,
        path.zenith,
        path.azimuth,
        path.dni,
        path.ghi,
        path.dhi,
        dni_extra=path.dni_extra,
        albedo=model.albedo,
        model=model.sky_diffuse,
    )
    return path.annual(np.asarray(total["poa_global"]))


@pytest.mark.parametrize("sky", ["haydavies", "isotropic"])
@pytest.mark.parametrize(("tilt", "aspect"), PLANES)
def test_unshaded_plane_matches_pvlib(tilt, aspect, sky, fast_model):
    model = SolarModel(
        step_minutes=fast_model.step_minutes,
        margin_m=10.0,
        directions=fast_model.directions,
        sky_diffuse=sky,
    )
    z = plane(tilt, aspect)
    ours = _centre(irradiation(z, transform(), CRS, model))
    reference = _pvlib_annual(z, tilt, aspect, model)
    assert ours == pytest.approx(reference, rel=0.02)


@pytest.fixture(scope="module")
def roofs(fast_model) -> dict[str, float]:
    model = SolarModel(
        step_minutes=fast_model.step_minutes, margin_m=10.0, directions=fast_model.directions
    )
    cases = {
        "flat": (0, 180),
        "south": (40, 180),
        "north": (40, 0),
        "east": (40, 90),
        "west": (40, 270),
    }
    return {
        name: _centre(irradiation(plane(*tilt_aspect), transform(), CRS, model))
        for name, tilt_aspect in cases.items()
    }


def test_south_roof_beats_flat_beats_north(roofs):
    assert roofs["south"] > roofs["flat"] > roofs["north"]


def test_east_and_west_roofs_within_three_percent(roofs):
    assert roofs["east"] == pytest.approx(roofs["west"], rel=0.03)


def test_flat_roof_in_sundsvall_within_published_figures(fast_model):
    """Published: 847–970 kWh/m² (SMHI stations and Västernorrland, docs/SOLAR.md)."""
    model = SolarModel(
        step_minutes=fast_model.step_minutes,
        margin_m=10.0,
        directions=fast_model.directions,
        climate=SUNDSVALL,
    )
    flat = _centre(irradiation(plane(0, 180), transform(), CRS, model))
    assert 847 <= flat <= 970


def test_halving_the_time_step_changes_the_total_less_than_one_percent():
    z = plane(40, 180, size=20)
    coarse, fine = (
        _centre(irradiation(z, transform(), CRS, SolarModel(step_minutes=step, margin_m=5.0)))
        for step in (SolarModel().step_minutes, SolarModel().step_minutes / 2)
    )
    assert coarse == pytest.approx(fine, rel=0.01)


def test_components_add_up_and_sky_view_of_open_flat_roof_is_one(fast_model):
    parts = irradiation(plane(0, 180, size=20), transform(), CRS, fast_model, components=True)
    total = parts["beam"] + parts["diffuse"] + parts["reflected"]
    np.testing.assert_allclose(parts["total"], total, rtol=1e-9)
    np.testing.assert_allclose(parts["sky_view"], 1.0, atol=1e-9)
    assert np.all(parts["reflected"] == 0)
