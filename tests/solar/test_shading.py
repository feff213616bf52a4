"""Shadows and the sky-view factor: a tall block on flat ground at 62° N."""

from __future__ import annotations

import numpy as np
import pytest

from solar import irradiation

from .conftest import CRS, transform


@pytest.fixture(scope="module")
def block_scene(fast_model):
    """Flat ground 40 m square with a 12 m tall block (rows 30–39, columns 30–49) in the middle."""
    ground = np.zeros((80, 80), np.float32)
    scene = ground.copy()
    scene[30:40, 30:50] = 12.0
    with_block = irradiation(scene, transform(), CRS, fast_model, components=True)
    without = irradiation(ground, transform(), CRS, fast_model)
    return with_block, without


def test_shadow_falls_on_the_north_side(block_scene):
    parts, _ = block_scene
    total = parts["total"]
    north = np.nanmean(total[24:29, 32:48])  # rows run south: smaller rows are north
    south = np.nanmean(total[41:46, 32:48])
    assert north < 0.8 * south


def test_roof_in_the_shadow_gets_measurably_less(block_scene):
    parts, open_ground = block_scene
    shaded = np.nanmean(parts["total"][26:29, 35:45])
    assert shaded < 0.85 * np.nanmean(open_ground[26:29, 35:45])


def test_east_and_west_of_the_block_are_alike(block_scene):
    total = block_scene[0]["total"]
    west = np.nanmean(total[30:40, 24:28])
    east = np.nanmean(total[30:40, 52:56])
    assert west == pytest.approx(east, rel=0.03)


def test_the_block_itself_is_not_shaded_and_far_ground_is_open(block_scene):
    parts, open_ground = block_scene
    assert np.nanmean(parts["total"][33:37, 35:45]) == pytest.approx(
        np.nanmean(open_ground[33:37, 35:45]), rel=0.005
    )
    assert np.nanmean(parts["total"][75:, 75:]) == pytest.approx(
        np.nanmean(open_ground[75:, 75:]), rel=0.01
    )


def test_sky_view_factor_drops_beside_a_wall(block_scene):
    svf = block_scene[0]["sky_view"]
    beside = svf[40, 40]  # at the foot of the south wall
    assert 0.4 < beside < 0.8  # about half the sky is the wall
    assert svf[35, 40] == pytest.approx(1.0, abs=1e-6)


def test_shade_from_outside_the_margin_is_ignored(fast_model):
    """A pixel sees the surface within margin_m only: the contract that makes blocks exact."""
    far = np.zeros((20, 200), np.float32)
    far[:, 180:] = 30.0  # 90 m east of column 0, beyond the 15 m margin
    near = np.zeros((20, 200), np.float32)
    values_far = irradiation(far, transform(), CRS, fast_model)[10, 0]
    values_open = irradiation(near, transform(), CRS, fast_model)[10, 0]
    assert values_far == values_open
