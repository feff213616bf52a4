"""The compiled kernel of :mod:`solar.blocks`: undoing TIFF's floating-point predictor.

In a module of its own so that reading a COG's structure (and importing :mod:`solar.blocks`)
does not load numba: it is compiled when the first predicted block is decoded.

>>> import numpy as np
>>> value = np.array([1.5], np.float32).view(np.uint32)[0]
>>> planes = [(int(value) >> s) & 0xFF for s in (24, 16, 8, 0)]
>>> raw = np.array([planes[0]] + [(b - a) & 0xFF for a, b in zip(planes, planes[1:])], np.uint8)
>>> out = np.zeros((1, 1), np.uint32)
>>> unpredict_into(raw, 1, (0, 1), (0, 1), out)
>>> out.view(np.float32)[0, 0]
np.float32(1.5)
"""

from __future__ import annotations

import numba
import numpy as np
from numpy.typing import NDArray

__all__ = ["unpredict_into"]


@numba.njit(cache=True, nogil=True)
def unpredict_into(
    raw: NDArray[np.uint8],
    width: int,
    rows: tuple[int, int],
    cols: tuple[int, int],
    out: NDArray[np.uint32],
) -> None:
    """Undo TIFF predictor 3 (float32) for rows ``rows[0]:rows[1]`` of a block, writing columns
    ``cols[0]:cols[1]`` into ``out`` (uint32 view of float32). Per row: byte-wise running sums
    over the byte planes (most significant first), then the planes interleaved into floats."""
    planes = np.empty(width * 4, np.uint8)
    for r in range(rows[0], rows[1]):
        i = r * width * 4
        acc = 0
        for k in range(width * 4):
            acc = (acc + raw[i + k]) & 0xFF
            planes[k] = acc
        for c in range(cols[0], cols[1]):
            out[r - rows[0], c - cols[0]] = (
                (np.uint32(planes[c]) << 24)
                | (np.uint32(planes[width + c]) << 16)
                | (np.uint32(planes[2 * width + c]) << 8)
                | np.uint32(planes[3 * width + c])
            )
