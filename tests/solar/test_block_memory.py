"""Spare block arrays: each one handed out once, ready ones faulted in by the filling thread."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np

from solar.block_memory import Spares


def test_no_array_is_handed_out_twice_across_threads():
    spares = Spares(keep=3)
    with ThreadPoolExecutor(4) as pool:
        arrays = list(pool.map(lambda _: spares.take((8, 8)), range(400)))
    assert len({a.__array_interface__["data"][0] for a in arrays}) == len(arrays)
    assert all(a.shape == (8, 8) and a.dtype == np.uint32 for a in arrays)


def test_ready_arrays_come_back_for_each_shape():
    spares = Spares(keep=2)
    spares.take((4, 4))
    spares.take((2, 6))
    assert spares.wait_ready((4, 4))
    assert spares.wait_ready((2, 6))
    ready = spares._ready[(4, 4)][0]
    assert spares.take((4, 4)) is ready
