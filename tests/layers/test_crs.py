import math

import pytest
from shapely import Point

from layers.crs import (
    SUPPORTED_CRS,
    bounds_to_storage,
    from_storage,
    parse_crs,
    to_storage,
    transform_geometry,
)
from layers.errors import InvalidCoordinates, OutsideSweden, UnsupportedCRS

HERE = (616_900.0, 6_917_900.0)  # in the sample, SWEREF 99 TM


@pytest.mark.parametrize("crs", SUPPORTED_CRS)
def test_every_supported_crs_round_trips_through_storage(crs):
    x, y = from_storage(*HERE, crs)
    back = to_storage(x, y, crs)
    assert math.dist(back, HERE) < 0.01


def test_axis_order_is_x_then_y():
    lon, lat = from_storage(*HERE, "EPSG:4326")
    assert 17 < lon < 18
    assert 62 < lat < 63
    x, y = from_storage(*HERE, "EPSG:3014")  # SWEREF 99 17 15: easting ~150 000
    assert 100_000 < x < 200_000
    assert y > 6_900_000


def test_rt90_is_about_a_hundred_metres_from_sweref():
    x, y = from_storage(*HERE, "EPSG:3021")
    assert 1_500_000 < x < 1_600_000
    assert 6_900_000 < y < 7_000_000


@pytest.mark.parametrize(
    ("x", "y", "crs"),
    [(2.35, 48.85, "EPSG:4326"), (0, 0, "EPSG:3006"), (500_000, 5_000_000, "EPSG:3006")],
)
def test_points_outside_sweden_are_refused(x, y, crs):
    with pytest.raises(OutsideSweden, match="outside Sweden"):
        to_storage(x, y, crs)


def test_swapped_axes_get_a_hint():
    with pytest.raises(OutsideSweden, match="swapped"):
        to_storage(62.37, 17.25, "EPSG:4326")


@pytest.mark.parametrize("value", ["EPSG:2154", "4258", "nonsense", 32633])
def test_unsupported_crs_is_refused(value):
    with pytest.raises(UnsupportedCRS):
        parse_crs(value)


@pytest.mark.parametrize(("x", "y"), [("a", 1), (float("nan"), 1), (None, 2)])
def test_non_numbers_are_refused(x, y):
    with pytest.raises(InvalidCoordinates):
        to_storage(x, y)


def test_bounds_are_checked_and_moved():
    box4326 = (17.25, 62.37, 17.26, 62.38)
    minx, miny, maxx, maxy = bounds_to_storage(box4326, "EPSG:4326")
    assert minx < maxx
    assert miny < maxy
    assert 616_000 < minx < 617_000
    with pytest.raises(InvalidCoordinates, match="min above max"):
        bounds_to_storage((10, 10, 0, 0))
    with pytest.raises(InvalidCoordinates, match="four numbers"):
        bounds_to_storage((1, 2, 3))


def test_transform_geometry_moves_shapes():
    moved = transform_geometry(Point(*HERE), "EPSG:3006", "EPSG:4326")
    assert 17 < moved.x < 18
    assert 62 < moved.y < 63
