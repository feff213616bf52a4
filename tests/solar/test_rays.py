"""solar.rays.peaks: the layers the horizon search reads, equal to scipy's max filter."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import ndimage

from solar.rays import peaks


@pytest.mark.parametrize("shape", [(1, 1), (3, 7), (50, 40), (131, 97)])
def test_peaks_equal_scipys_max_filter_bit_for_bit(shape):
    rng = np.random.default_rng(sum(shape))
    surface = rng.normal(0, 10, shape).astype(np.float32)
    surface[rng.random(shape) < 0.1] = np.nan
    layers = peaks(surface, 8)
    base = np.where(np.isfinite(surface), surface, -np.inf).astype(np.float32)
    assert np.array_equal(layers[0], base)
    for level in range(1, 8):
        expected = ndimage.maximum_filter(base, size=2**level + 1, mode="constant", cval=-np.inf)
        assert np.array_equal(layers[level], expected), level
