"""solar_potential on synthetic roofs: a gable house whose every answer is known."""

from __future__ import annotations

import math

import numpy as np
import pytest
import rasterio
import shapely
from affine import Affine

from solar.errors import InvalidGeometry
from solar.faces import segment_faces
from solar.permit import PlanContext, PlanProvision
from solar.potential import Roof, solar_potential
from solar.raster import CogMosaic
from solar.suitability import Suitability

WEST, NORTH, RES = 617000.0, 6918000.0, 0.5
NODATA = -9999.0
PITCH = 30.0
#: 12 m (24 px) east–west × 8 m (16 px) north–south, ridge east–west, at pixels (8, 8).
HOUSE = shapely.box(WEST + 4, NORTH - 12, WEST + 16, NORTH - 4)
#: A second house, 6 × 6 m, flat roof, in the property's other part.
SHED = shapely.box(WEST + 24, NORTH - 30, WEST + 30, NORTH - 24)
SOUTH, NORTH_FACE, FLAT = 1000.0, 500.0, 800.0
CLASSES = Suitability(reference=1000.0)  # bounds 600, 750, 850


def _write(path, values, west=WEST):
    profile = {
        "driver": "GTiff",
        "width": values.shape[1],
        "height": values.shape[0],
        "count": 1,
        "dtype": "float32",
        "crs": "EPSG:3006",
        "nodata": NODATA,
        "transform": Affine(RES, 0, west, 0, -RES, NORTH),
        "tiled": True,
        "blockxsize": 16,
        "blockysize": 16,
    }
    with rasterio.open(path, "w", **profile) as dst:
        dst.write(values.astype(np.float32), 1)
    return str(path)


def _rasters(tmp_path, all_nodata=False):
    rows, cols = np.mgrid[0:64, 0:64]
    dsm = np.full((64, 64), 20.0)
    solar = np.full((64, 64), NODATA)
    house = (rows >= 8) & (rows < 24) & (cols >= 8) & (cols < 32)
    ridge = 16.0  # between rows 15 and 16
    rise = np.tan(np.radians(PITCH)) * RES
    dsm[house] = 26.0 + rise * (np.where(rows < ridge, rows - 8, 23 - rows)[house] + 0.5)
    solar[house & (rows < ridge)] = NORTH_FACE
    solar[house & (rows >= ridge)] = SOUTH
    shed = (rows >= 48) & (rows < 60) & (cols >= 48) & (cols < 60)
    dsm[shed] = 23.0
    solar[shed] = FLAT
    if all_nodata:
        solar[:] = NODATA
    return _write(tmp_path / "dsm.tif", dsm), _write(tmp_path / "solar.tif", solar)


@pytest.fixture
def rasters(tmp_path):
    return _rasters(tmp_path)


PROPERTY = shapely.MultiPolygon(
    [
        shapely.box(WEST + 1, NORTH - 20, WEST + 20, NORTH - 1),
        shapely.box(WEST + 22, NORTH - 31, WEST + 31, NORTH - 22),
    ]
)
BUILDINGS = [Roof(HOUSE, "house", "gable", PITCH), Roof(SHED, "shed", "flat", 0.0)]


def _potential(dsm, solar, **kwargs):
    with CogMosaic([solar]) as solar_map, CogMosaic([dsm]) as surface:
        return solar_potential(
            PROPERTY,
            solar_map,
            buildings=kwargs.pop("buildings", BUILDINGS),
            surface=surface,
            suitability=CLASSES,
            **kwargs,
        )


def test_roof_areas_means_and_classes_are_exact(rasters):
    result = _potential(*rasters)
    roofs = result.roofs
    assert result.buildings == 2
    assert roofs.footprint_m2 == pytest.approx(96 + 36)
    assert roofs.surface_m2 == pytest.approx(96 / math.cos(math.radians(PITCH)) + 36, rel=2e-3)
    assert roofs.mean == pytest.approx((48 * SOUTH + 48 * NORTH_FACE + 36 * FLAT) / 132)
    assert roofs.class_m2 == pytest.approx({"very_good": 48, "good": 36, "moderate": 0, "poor": 48})
    assert roofs.nodata_m2 == 0
    assert roofs.pixels == pytest.approx(132 * 4)
    assert roofs.deciles[0] == NORTH_FACE
    assert roofs.deciles[-1] == SOUTH


def test_faces_of_a_gable_and_a_flat_roof(rasters):
    faces = sorted(_potential(*rasters).faces, key=lambda f: (f.building_id, f.irradiation))
    house_north, house_south, shed = faces
    assert shed.building_id == "shed"
    assert shed.azimuth is None
    assert shed.tilt < 1
    for face, azimuth, value in ((house_north, 0.0, NORTH_FACE), (house_south, 180.0, SOUTH)):
        assert face.tilt == pytest.approx(PITCH, abs=0.5)
        assert face.azimuth == pytest.approx(azimuth, abs=1.0)
        assert face.footprint_m2 == pytest.approx(48)
        assert face.irradiation == pytest.approx(value)
        assert face.geometry.area == pytest.approx(48)
    assert house_south.suitability == "very_good"
    assert house_north.suitability == "poor"
    feature = house_south.__geo_interface__
    assert feature["type"] == "Feature"
    assert feature["properties"]["azimuth"] == 180.0


def test_pv_uses_only_good_faces(rasters):
    pv = _potential(*rasters).pv
    south_m2 = 48 / math.cos(math.radians(PITCH)) * 0.7
    shed_m2 = 36 * 0.5
    assert pv.faces_used == 2
    assert pv.usable_m2 == pytest.approx(south_m2 + shed_m2, abs=0.2)
    expected = (south_m2 * SOUTH + shed_m2 * FLAT) * 0.2 * 0.86
    assert pv.annual_kwh == pytest.approx(expected, rel=5e-3)
    assert sum(pv.monthly_kwh) == pytest.approx(pv.annual_kwh)
    assert pv.assumptions.green_deduction == 0.15


def test_across_two_tiles_gives_the_same_answer(tmp_path, rasters):
    dsm, solar = rasters
    with rasterio.open(solar) as src:
        values = src.read(1)
    west = _write(tmp_path / "w.tif", values[:, :20])
    east = _write(tmp_path / "e.tif", values[:, 20:], west=WEST + 20 * RES)
    with CogMosaic([west, east]) as two, CogMosaic([dsm]) as surface:
        split = solar_potential(PROPERTY, two, BUILDINGS, surface, suitability=CLASSES)
    assert split.to_dict() == _potential(dsm, solar).to_dict()


def test_property_without_buildings(rasters):
    result = _potential(*rasters, buildings=[])
    assert result.buildings == 0
    assert result.faces == ()
    assert result.roofs.footprint_m2 == 0
    assert math.isnan(result.roofs.mean)
    assert result.pv.annual_kwh == 0
    assert result.pv.payback_years is None
    assert result.to_dict()["roofs"]["mean"] is None
    assert "Solar potential" in result._repr_html_()


def test_roofs_entirely_without_data(tmp_path):
    dsm, solar = _rasters(tmp_path, all_nodata=True)
    result = _potential(dsm, solar)
    assert result.roofs.nodata_m2 == pytest.approx(132)
    assert result.roofs.footprint_m2 == pytest.approx(132)
    assert math.isnan(result.roofs.mean)
    assert result.pv.annual_kwh == 0
    assert all(f.suitability == "poor" for f in result.faces)


def test_any_polygon_without_buildings_is_its_own_roof(rasters):
    _dsm, solar = rasters
    south_half = shapely.box(WEST + 4, NORTH - 12, WEST + 16, NORTH - 8)
    with CogMosaic([solar]) as solar_map:
        result = solar_potential(south_half, solar_map, suitability=CLASSES)
    assert result.roofs.footprint_m2 == pytest.approx(48)
    assert result.roofs.mean == SOUTH
    assert result.notes


def test_permit_guidance_travels_with_the_result(rasters):
    plan = PlanContext(
        in_detailed_plan=True,
        plan_ids=("2281K-S112",),
        rules=(PlanProvision("q1", "skydd av kulturvärden", "Kulturhistoriskt värdefull miljö."),),
    )
    result = _potential(*rasters, plan=plan)
    assert result.permit.case == "protected"
    assert result.permit.permit_needed is True
    assert any("8 kap. 13 §" in s for s in result.to_dict()["permit"]["sources"])


def test_line_is_refused(rasters):
    with CogMosaic([rasters[1]]) as solar_map, pytest.raises(InvalidGeometry):
        solar_potential(shapely.LineString([(WEST, NORTH), (WEST + 5, NORTH - 5)]), solar_map)


@pytest.mark.parametrize(("shape", "expected"), [("hip", 4), ("gable", 2), ("flat", 1)])
def test_segmentation_finds_the_planes(shape, expected):
    rows, cols = np.mgrid[0:30, 0:40].astype(float)
    to_edge = {
        "hip": np.minimum(np.minimum(rows, 29 - rows), np.minimum(cols, 39 - cols)),
        "gable": np.minimum(rows, 29 - rows),
        "flat": np.zeros_like(rows),
    }[shape]
    heights = 10 + np.tan(np.radians(35)) * 0.5 * to_edge
    faces = segment_faces(heights, np.ones(heights.shape, bool), 0.5, 0.5)
    assert faces.tilt.size == expected
    assert (faces.labels >= 0).mean() > 0.95


@pytest.mark.parametrize("ridge_azimuth", [84.8, 5.8, 45.0, 120.0])
def test_a_ridge_askew_to_the_grid_still_separates_the_faces(ridge_azimuth):
    rows, cols = np.mgrid[0:40, 0:40].astype(float) * 0.5
    theta = np.radians(ridge_azimuth)
    across = np.abs((cols - 10) * np.cos(theta) + (rows - 10) * np.sin(theta))
    heights = 15 - np.tan(np.radians(27)) * across
    faces = segment_faces(heights, np.ones(heights.shape, bool), 0.5, 0.5)
    assert faces.tilt.size == 2
    np.testing.assert_allclose(faces.tilt, 27, atol=0.5)
    assert abs(((faces.azimuth[0] - faces.azimuth[1]) % 360) - 180) < 1
