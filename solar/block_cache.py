"""Decoded raster blocks kept in memory, bounded in bytes, shared by every open solar map.

A block is kept as its file decodes it (inflated, predictor undone), so a parcel queried again
costs no decoding. Blocks are keyed by the file's identity (device, inode, size, modification
time in ns) and the block's column and row: a file replaced or rewritten under the same name
has another identity, so its blocks are decoded afresh and the stale ones age out. The least
recently used blocks go first when the bound is reached; a bound of 0 keeps nothing.

>>> import numpy as np
>>> cache = BlockCache(max_bytes=2 * 64)
>>> for bx in range(3):
...     cache.put(((1, 2, 3, 4), bx, 0), np.zeros((4, 4), np.uint32))
>>> cache.get(((1, 2, 3, 4), 0, 0)) is None, cache.nbytes, len(cache)
(True, 128, 2)
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict

import numpy as np
from numpy.typing import NDArray

__all__ = ["SHARED", "BlockCache", "BlockKey", "FileKey", "file_key"]

#: A file's identity: device, inode, size and modification time (ns).
FileKey = tuple[int, int, int, int]
#: A block: its file's identity, column and row.
BlockKey = tuple[FileKey, int, int]


def file_key(fd: int) -> FileKey:
    """The identity of the open file ``fd``."""
    st = os.fstat(fd)
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


class BlockCache:
    """A thread-safe LRU of decoded blocks holding at most ``max_bytes`` bytes.

    Parameters
    ----------
    max_bytes
        The bound; 0 turns the cache off.
    """

    def __init__(self, max_bytes: int) -> None:
        self._blocks: OrderedDict[BlockKey, NDArray[np.uint32]] = OrderedDict()
        self._lock = threading.Lock()
        self.nbytes = 0
        self.max_bytes = max(0, int(max_bytes))

    def __len__(self) -> int:
        return len(self._blocks)

    def get(self, key: BlockKey) -> NDArray[np.uint32] | None:
        """The block under ``key`` (read-only), or ``None``."""
        with self._lock:
            block = self._blocks.get(key)
            if block is not None:
                self._blocks.move_to_end(key)
            return block

    def put(self, key: BlockKey, block: NDArray[np.uint32]) -> None:
        """Keep ``block`` under ``key`` (made read-only), evicting the least recently used."""
        if block.nbytes > self.max_bytes:
            return
        block.flags.writeable = False
        with self._lock:
            old = self._blocks.pop(key, None)
            if old is not None:
                self.nbytes -= old.nbytes
            self._blocks[key] = block
            self.nbytes += block.nbytes
            self._trim()

    def resize(self, max_bytes: int) -> None:
        """Set the bound to ``max_bytes``, evicting what no longer fits."""
        with self._lock:
            self.max_bytes = max(0, int(max_bytes))
            self._trim()

    def clear(self) -> None:
        """Forget every block."""
        with self._lock:
            self._blocks.clear()
            self.nbytes = 0

    def _trim(self) -> None:
        while self.nbytes > self.max_bytes and self._blocks:
            _, dropped = self._blocks.popitem(last=False)
            self.nbytes -= dropped.nbytes


#: The cache every :class:`~solar.blocks.BlockReader` uses unless given another; the service
#: sets its bound from the setting ``block_cache_mb``.
SHARED = BlockCache(256 * 1024 * 1024)
