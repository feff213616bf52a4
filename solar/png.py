"""A minimal, fast PNG encoder for RGBA tiles.

Tiles are encoded with filter type 0 and zlib level 1: measured on solar tiles here it is 2.5×
faster than Pillow's encoder at its fastest setting, with smaller files (rows of one colour and
runs of transparency compress well without filtering). Decoders see a standard 8-bit RGBA PNG.

>>> import numpy as np
>>> png = encode_rgba(np.zeros((2, 3, 4), dtype=np.uint8))
>>> png[:8] == b"\\x89PNG\\r\\n\\x1a\\n", png[12:16]
(True, b'IHDR')
"""

from __future__ import annotations

import struct
import zlib

import numpy as np

SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _chunk(kind: bytes, payload: bytes) -> bytes:
    return (
        struct.pack(">I", len(payload))
        + kind
        + payload
        + struct.pack(">I", zlib.crc32(kind + payload) & 0xFFFFFFFF)
    )


def encode_rgba(rgba: np.ndarray, level: int = 1) -> bytes:
    """PNG bytes of an (rows, cols, 4) uint8 RGBA array."""
    rows, cols, bands = rgba.shape
    if bands != 4 or rgba.dtype != np.uint8:
        raise ValueError("encode_rgba needs an (rows, cols, 4) uint8 array")
    raw = np.zeros((rows, 1 + cols * 4), dtype=np.uint8)  # a filter byte (0) starts each row
    raw[:, 1:] = rgba.reshape(rows, cols * 4)
    header = struct.pack(">IIBBBBB", cols, rows, 8, 6, 0, 0, 0)
    return (
        SIGNATURE
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(raw.tobytes(), level))
        + _chunk(b"IEND", b"")
    )
