"""Decode a COG's blocks directly: GDAL finds them, libdeflate inflates them, numba un-predicts.

Reading a window through GDAL costs about 1 ms per 256 × 256 float32 block of a solar COG
(DEFLATE with the floating-point predictor), most of it outside inflating: the predictor is
undone byte by byte. Here GDAL still parses the file and gives each block's offset and size
(``BLOCK_OFFSET_x_y`` in its ``TIFF`` metadata domain), the compressed bytes are read with
``os.pread``, inflated by libdeflate (imagecodecs) and the predictor is undone by a compiled
kernel: about a third of the time, same values to the bit (tests/solar/test_blocks.py checks
against GDAL). Only what this supports is read this way — tiled, single band, float32,
little-endian, uncompressed or DEFLATE, predictor none or floating point; anything else goes
through GDAL (:func:`BlockReader.supports`). Decoded blocks (after the predictor) are kept in
a :class:`~solar.block_cache.BlockCache` bounded in bytes and keyed by the file's identity, so
a window read again costs a copy, not a decoding.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from solar.block_cache import SHARED, BlockCache, file_key

if TYPE_CHECKING:
    from rasterio.io import DatasetReader

__all__ = ["BlockReader"]

_COMPRESSIONS = {None: None, "NONE": None, "DEFLATE": "deflate"}
_PREDICTORS = {None: 1, "1": 1, "3": 3}


class BlockReader:
    """Reads windows of band 1 of an open rasterio dataset by decoding its blocks directly."""

    def __init__(
        self, src: DatasetReader, cache: BlockCache | None = None, fd: int | None = None
    ) -> None:
        self.src = src
        self.block_height, self.block_width = src.block_shapes[0]
        self.nodata = np.float32(src.nodata if src.nodata is not None else np.nan)
        structure = src.tags(ns="IMAGE_STRUCTURE")
        self.compression = _COMPRESSIONS[structure.get("COMPRESSION")]
        self.predictor = _PREDICTORS[structure.get("PREDICTOR")]
        self.fd: int | None = os.open(src.name, os.O_RDONLY) if fd is None else fd
        self.cache = SHARED if cache is None else cache
        self.file = file_key(self.fd)

    @classmethod
    def open(cls, src: DatasetReader, cache: BlockCache | None = None) -> BlockReader | None:
        """A reader for ``src``, or ``None`` when it must be read through GDAL."""
        if not cls.supports(src, check_file=False):
            return None
        fd = os.open(src.name, os.O_RDONLY)
        if os.pread(fd, 2, 0) != b"II":
            os.close(fd)
            return None
        return cls(src, cache, fd)

    @staticmethod
    def supports(src: DatasetReader, check_file: bool = True) -> bool:
        """Whether this reader decodes ``src`` (else read it through GDAL)."""
        structure = src.tags(ns="IMAGE_STRUCTURE")
        height, width = src.block_shapes[0]
        # strips as wide as the image are not padded at the bottom, tiles are: only read blocks
        # that are whole either way
        whole = width < src.width or src.height % height == 0
        if (
            src.driver != "GTiff"
            or src.count != 1
            or src.dtypes[0] != "float32"
            or not whole
            or structure.get("COMPRESSION") not in _COMPRESSIONS
            or structure.get("PREDICTOR") not in _PREDICTORS
            or not os.path.isfile(src.name)
        ):
            return False
        if not check_file:
            return True
        with open(src.name, "rb") as f:
            return f.read(2) == b"II"

    def close(self) -> None:
        """Close the file descriptor (its cached blocks stay until they age out)."""
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None

    def block(self, bx: int, by: int) -> NDArray[np.uint32] | None:
        """Block (column ``bx``, row ``by``) decoded (the float32 bits, block height × width),
        ``None`` where the file has none. Served from the cache when it holds it."""
        key = (self.file, bx, by)
        hit = self.cache.get(key)
        if hit is not None:
            return hit
        raw = self._inflate(bx, by)
        if raw is None:
            return None
        bh, bw = self.block_height, self.block_width
        if self.predictor == 3:
            from solar.predictor import unpredict_into  # numba, compiled on first use

            values = np.empty((bh, bw), np.uint32)
            unpredict_into(raw, bw, (0, bh), (0, bw), values)
        else:
            values = raw.view("<u4").reshape(bh, bw).astype(np.uint32, copy=False)
        self.cache.put(key, values)
        return values

    def _inflate(self, bx: int, by: int) -> NDArray[np.uint8] | None:
        if self.fd is None:
            raise ValueError(f"the block reader of {self.src.name} is closed")
        offset = self.src.get_tag_item(f"BLOCK_OFFSET_{bx}_{by}", "TIFF", bidx=1)
        size = self.src.get_tag_item(f"BLOCK_SIZE_{bx}_{by}", "TIFF", bidx=1)
        if not offset or not size or int(size) == 0:
            return None
        data: bytes | bytearray = os.pread(self.fd, int(size), int(offset))
        expected = self.block_height * self.block_width * 4
        if self.compression == "deflate":
            import imagecodecs

            data = imagecodecs.deflate_decode(data, out=expected)
        raw = np.frombuffer(data, np.uint8)
        if raw.size != expected:
            raise ValueError(
                f"block {bx},{by} of {self.src.name} holds {raw.size} bytes, not {expected}"
            )
        return raw

    def read(self, row0: int, col0: int, height: int, width: int, out: NDArray[np.float32]) -> None:
        """Fill ``out`` (float32, height × width, inside the dataset) from ``row0``, ``col0``."""
        bh, bw = self.block_height, self.block_width
        bits = out.view(np.uint32)
        for by in range(row0 // bh, (row0 + height - 1) // bh + 1):
            top, bottom = max(row0, by * bh), min(row0 + height, (by + 1) * bh)
            for bx in range(col0 // bw, (col0 + width - 1) // bw + 1):
                left, right = max(col0, bx * bw), min(col0 + width, (bx + 1) * bw)
                values = self.block(bx, by)
                target = bits[top - row0 : bottom - row0, left - col0 : right - col0]
                if values is None:
                    target[:] = self.nodata.view(np.uint32)
                else:
                    target[:] = values[
                        top - by * bh : bottom - by * bh, left - bx * bw : right - bx * bw
                    ]
