"""Decode a COG's blocks directly: GDAL finds them, imagecodecs inflates them, numba un-predicts.

Reading a window through GDAL costs about 1 ms per 256 × 256 float32 block of a solar COG
(DEFLATE with the floating-point predictor), most of it outside inflating: the predictor is
undone byte by byte. Here GDAL still parses the file and gives each block's offset and size
(``BLOCK_OFFSET_x_y`` in its ``TIFF`` metadata domain), the compressed bytes are read with
``os.preadv``, inflated by libdeflate or zstd (imagecodecs) and the predictor is undone by a
compiled kernel: about a third of the time, same values to the bit
(tests/solar/test_blocks.py checks against GDAL). Only what this supports is read this way —
tiled, single band, float32, little-endian, uncompressed, DEFLATE or ZSTD, predictor none or
floating point; anything else goes through GDAL (:func:`BlockReader.supports`). Decoded blocks
(after the predictor) are kept in a :class:`~solar.block_cache.BlockCache` bounded in bytes
and keyed by the file's identity, so a window read again costs a copy, not a decoding. The
blocks a window needs that the cache does not hold are decoded in parallel threads (the
decoders and the compiled kernel release the GIL) when there are several, so a band of the
batch's sweep uses every core.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from solar.block_cache import SHARED, BlockCache, file_key
from solar.block_memory import SPARES

if TYPE_CHECKING:
    from rasterio.io import DatasetReader

__all__ = ["BlockReader"]

_COMPRESSIONS = {None: None, "NONE": None, "DEFLATE": "deflate", "ZSTD": "zstd"}
_PREDICTORS = {None: 1, "1": 1, "3": 3}
#: imagecodecs' decoder of each compression.
_DECODERS = {"deflate": "deflate_decode", "zstd": "zstd_decode"}


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
            sys.byteorder != "little"  # blocks are decoded into native words
            or src.driver != "GTiff"
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
        return self.blocks([(bx, by)])[(bx, by)]

    def blocks(self, wanted: Sequence[Block]) -> dict[Block, NDArray[np.uint32] | None]:
        """The blocks ``wanted`` (column, row) decoded, as :meth:`block` gives them."""
        found, _ = self._entries(wanted)
        return {
            key: self._settled(key, e) if e is not None and e.dtype == np.uint8 else e
            for key, e in found.items()
        }

    def _entries(
        self, wanted: Sequence[Block]
    ) -> tuple[dict[Block, NDArray[Any] | None], set[Block]]:
        """The cache's entries of the blocks ``wanted`` and which of them were decoded now.

        An entry is the decoded values (``uint32``, block height × width), ``None`` where the
        file has no block, or, for a block with the floating-point predictor decoded by this
        call, its inflated bytes (``uint8``): the read un-predicts only the rows and columns it
        needs. A block read again is un-predicted whole and kept so (:meth:`_settled`).

        Blocks not in the cache are read and inflated in parallel threads (each step releases
        the GIL) when there are at least :data:`PARALLEL_FROM` of them; where they lie in the
        file is asked of GDAL in this thread.
        """
        found: dict[Block, NDArray[Any] | None] = {}
        missing: list[tuple[Block, int, int]] = []
        for bx, by in wanted:
            hit = self.cache.get((self.file, bx, by))
            if hit is not None:
                found[bx, by] = hit
                continue
            offset, size = self._locate(bx, by)
            if size == 0:
                found[bx, by] = None
            else:
                missing.append(((bx, by), offset, size))
        if len(missing) >= PARALLEL_FROM:
            decoded = list(_pool().map(lambda m: self._decode(*m), missing))
        else:
            decoded = [self._decode(*m) for m in missing]
        for (key, _, _), values in zip(missing, decoded, strict=True):
            self.cache.put((self.file, *key), values)
            found[key] = values
        return found, {key for key, _, _ in missing}

    def _settled(self, key: Block, inflated: NDArray[np.uint8]) -> NDArray[np.uint32]:
        """A predicted block's inflated bytes un-predicted whole, and kept so in the cache."""
        from solar.predictor import unpredict_into  # numba, compiled on first use

        bh, bw = self.block_height, self.block_width
        values = SPARES.take((bh, bw))
        unpredict_into(inflated, bw, (0, bh), (0, bw), values)
        self.cache.put((self.file, *key), values)
        return values

    def _unpredicted(
        self, entry: NDArray[np.uint8], top: int, bottom: int, left: int, right: int
    ) -> NDArray[np.uint32]:
        """Rows ``top:bottom`` and columns ``left:right`` of a predicted block's inflated bytes,
        decoded into this thread's scratch (valid until its next call)."""
        from solar.predictor import unpredict_into  # numba, compiled on first use

        height, width = bottom - top, right - left
        out = _scratch("window", height * width * 4).view(np.uint32).reshape(height, width)
        unpredict_into(entry, self.block_width, (top, bottom), (left, right), out)
        return out

    def _locate(self, bx: int, by: int) -> tuple[int, int]:
        """Offset and size in bytes of a block in the file (size 0: the file has none)."""
        offset = self.src.get_tag_item(f"BLOCK_OFFSET_{bx}_{by}", "TIFF", bidx=1)
        size = self.src.get_tag_item(f"BLOCK_SIZE_{bx}_{by}", "TIFF", bidx=1)
        if not offset or not size:
            return 0, 0
        return int(offset), int(size)

    def _decode(self, key: Block, offset: int, size: int) -> NDArray[Any]:
        """Read and inflate one block (thread-safe: ``pread``, no GDAL): its cache entry.

        The compressed bytes go to a buffer this thread keeps and reuses, the inflated ones to
        memory faulted in beforehand (:mod:`solar.block_memory`): fresh memory costs a page
        fault per 4 KiB on first touch. With the floating-point predictor the entry holds the
        inflated bytes: a read un-predicts only the rows and columns it needs (a new parcel
        seldom needs a whole 512 × 512 block), at about 0.4 ms per whole block.
        """
        fd = self.fd
        if fd is None:
            raise ValueError(f"the block reader of {self.src.name} is closed")
        bh, bw = self.block_height, self.block_width
        expected = bh * bw * 4
        values = SPARES.take((bh, bw))
        raw = values.reshape(-1).view(np.uint8)
        if self.compression is not None:
            import imagecodecs

            data = _scratch("compressed", size)
            got = os.preadv(fd, [data.data], offset)
            decode = _DECODERS[self.compression]
            try:
                filled = len(getattr(imagecodecs, decode)(data[:got], out=raw))
            except (imagecodecs.DeflateError, imagecodecs.ZstdError) as err:
                raise ValueError(f"block {key[0]},{key[1]} of {self.src.name}: {err}") from err
        else:
            filled = os.preadv(fd, [raw.data], offset) if size == expected else size
        if filled != expected:
            raise ValueError(
                f"block {key[0]},{key[1]} of {self.src.name} holds {filled} bytes, not {expected}"
            )
        return raw if self.predictor == 3 else values

    def read(self, row0: int, col0: int, height: int, width: int, out: NDArray[np.float32]) -> None:
        """Fill ``out`` (float32, height × width, inside the dataset) from ``row0``, ``col0``."""
        bh, bw = self.block_height, self.block_width
        bits = out.view(np.uint32)
        rows = range(row0 // bh, (row0 + height - 1) // bh + 1)
        cols = range(col0 // bw, (col0 + width - 1) // bw + 1)
        entries, fresh = self._entries([(bx, by) for by in rows for bx in cols])
        for by in rows:
            top, bottom = max(row0, by * bh), min(row0 + height, (by + 1) * bh)
            for bx in cols:
                left, right = max(col0, bx * bw), min(col0 + width, (bx + 1) * bw)
                entry = entries[bx, by]
                target = bits[top - row0 : bottom - row0, left - col0 : right - col0]
                inside = (top - by * bh, bottom - by * bh, left - bx * bw, right - bx * bw)
                if entry is None:
                    target[:] = self.nodata.view(np.uint32)
                    continue
                if entry.dtype == np.uint8:  # inflated, the predictor not undone yet
                    if (bx, by) in fresh:
                        target[:] = self._unpredicted(entry, *inside)
                        continue
                    entry = self._settled((bx, by), entry)
                target[:] = entry[inside[0] : inside[1], inside[2] : inside[3]]


#: Block column and row.
Block = tuple[int, int]

#: Fewer missing blocks than this are decoded in the calling thread: handing a block to another
#: thread cost 0.3-0.4 ms of CPU (a 256 x 256 block inflates in 0.5 ms), so a new parcel over
#: two blocks took 2.2-2.3 ms of CPU in threads and 1.8-1.9 ms without (load 15-17).
PARALLEL_FROM = 4

_POOL: list[ThreadPoolExecutor] = []
_POOL_LOCK = threading.Lock()
_LOCAL = threading.local()


def _scratch(name: str, nbytes: int) -> NDArray[np.uint8]:
    """This thread's reusable buffer ``name``, at least ``nbytes`` long (its first ``nbytes``)."""
    buffer: NDArray[np.uint8] | None = getattr(_LOCAL, name, None)
    if buffer is None or buffer.size < nbytes:
        buffer = np.empty(nbytes, np.uint8)
        setattr(_LOCAL, name, buffer)
    return buffer[:nbytes]


def _pool() -> ThreadPoolExecutor:
    """The threads that decode blocks, one per core this process may use (made on first use)."""
    with _POOL_LOCK:
        if not _POOL:
            cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None
            workers = cores or os.cpu_count() or 1
            _POOL.append(ThreadPoolExecutor(max_workers=workers, thread_name_prefix="block"))
        return _POOL[0]
