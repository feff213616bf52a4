"""End to end: a LAZ tile → DSM → solar map → a property's report.

The tile is made from the sample municipality's own surface and terrain models around one
property (points at 4/m², unclassified above the ground as in Laserdata skog, plus noise), so
the DSM made from it can be held against the surface it was sampled from.
"""

from __future__ import annotations

import shutil

import numpy as np
import pyogrio
import pytest
import rasterio

from mapservice.report import ReportSources, build_report
from solar import SolarModel, compute_solar_map
from solar.catalog import add_to_catalog
from solar.delivery import surface_from_delivery
from tests.solar.laz import Points, write_points

DESIGNATION = "SUNDSVALL BJÖRKÅSEN 2:1"
SCAN_DATE = "2024-06-12"


def _sample_points(data_dir, bounds, density=4.0, seed=7) -> Points:
    rng = np.random.default_rng(seed)
    minx, miny, maxx, maxy = bounds
    n = int(density * (maxx - minx) * (maxy - miny))
    x, y = rng.uniform(minx, maxx, n), rng.uniform(miny, maxy, n)
    with rasterio.open(data_dir / "dsm.tif") as dsm, rasterio.open(data_dir / "dtm.tif") as dtm:
        surface = np.array([v[0] for v in dsm.sample(zip(x, y, strict=True))], np.float64)
        terrain = np.array([v[0] for v in dtm.sample(zip(x, y, strict=True))], np.float64)
    classes = np.where(surface - terrain < 0.2, 2, 1).astype(np.uint8)
    # noise as delivered: classes 7 and 18, and an unclassified bird over the roofs
    cx, cy = (minx + maxx) / 2, (miny + maxy) / 2
    top = float(surface.max())
    noise_x, noise_y = np.array([cx, cx + 3, cx - 4]), np.array([cy, cy + 2, cy + 5])
    noise_z, noise_c = np.array([top + 40, terrain.min() - 20, top + 35]), np.array([18, 7, 1])
    return Points(
        np.concatenate([x, noise_x]),
        np.concatenate([y, noise_y]),
        np.concatenate([surface, noise_z]),
        np.concatenate([classes, noise_c.astype(np.uint8)]),
    )


@pytest.fixture(scope="module")
def laser_dataset(sample, tmp_path_factory):
    """A copy of the sample whose surface model and solar map come from a LAZ tile."""
    root = tmp_path_factory.mktemp("laser")
    data = root / "data"
    shutil.copytree(sample.directory, data)
    gpkg = data / "minfastighet.gpkg"
    houses = pyogrio.read_dataframe(gpkg, layer="buildings", where=f"designation = '{DESIGNATION}'")
    minx, miny, maxx, maxy = houses.total_bounds
    with rasterio.open(data / "dsm.tif") as dsm:  # within the sample's surface model
        left, bottom, right, top = dsm.bounds
    bounds = (
        max(minx - 20, left),
        max(miny - 20, bottom),
        min(maxx + 20, right),
        min(maxy + 20, top),
    )
    laz = write_points(root / "tile.laz", _sample_points(data, bounds), version="1.4")
    surface = surface_from_delivery([laz], root / "surface", buildings=gpkg)
    shutil.copy(surface.dsm, data / "dsm.tif")
    shutil.copy(surface.dtm, data / "dtm.tif")
    model = SolarModel(step_minutes=20, margin_m=15.0, directions=48)
    solar = compute_solar_map(
        data / "dsm.tif", data / "solar" / "laser.tif", gpkg, model, scan_date=SCAN_DATE
    )
    add_to_catalog(
        data / "stac" / "catalog.json",
        solar.path,
        SCAN_DATE,
        source="computed from a LAZ tile",
        item_id="laser",
        parameters=solar.parameters,
    )
    return data, surface, sample.directory, houses


def test_dsm_from_laser_matches_the_surface_it_was_sampled_from(laser_dataset):
    _, surface, original, houses = laser_dataset
    assert surface.noise_points == 2
    with rasterio.open(surface.dsm) as made, rasterio.open(original / "dsm.tif") as truth:
        assert made.transform.a == truth.transform.a
        expected = truth.read(1, window=truth.window(*made.bounds).round_offsets())
        got = made.read(1)
        roofs = rasterio.features.geometry_mask(
            houses.geometry.buffer(-0.75), got.shape, made.transform, invert=True
        )
    assert got.shape == expected.shape
    error = np.abs(got - expected)
    assert np.median(error[roofs]) < 0.1  # roofs: the planes the points lie on
    assert np.percentile(error, 90) < 1.0  # everywhere, trees and edges included
    assert got.max() < expected.max() + 0.5  # the bird and the high noise are gone


def test_report_of_the_property_has_its_solar_potential_from_the_laser_data(laser_dataset):
    data = laser_dataset[0]
    with ReportSources.open(
        "geopackage", data / "minfastighet.gpkg", data, data / "stac" / "catalog.json"
    ) as sources:
        report = build_report(sources, sources.store.find_property(DESIGNATION).unit_id)
    assert report.solar is not None
    assert report.solar.pv.peak_kwp > 0
    assert report.building_classes
    keys = {s.key: s for s in report.sources}
    assert keys["solar"].date == SCAN_DATE
