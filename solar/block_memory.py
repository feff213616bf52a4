"""Memory for decoded blocks, faulted in before it is needed, by a background thread.

The first write to freshly allocated memory costs a page fault per 4 KiB page: about 0.5 ms per
MiB on the virtual machines this runs on, a third of inflating a block into it. A parcel whose
blocks are not cached would pay that while its owner waits. :meth:`Spares.take` hands out an
array whose pages a daemon thread has already touched and asks that thread for another, so the
faults fall on an idle core between requests. The thread keeps a few arrays per block shape
(:data:`KEEP`); on a busy machine it costs the same CPU as faulting in place, never more.

>>> spares = Spares(keep=1)
>>> first = spares.take((4, 4))
>>> first.shape, first.dtype
((4, 4), dtype('uint32'))
>>> spares.wait_ready((4, 4))
True
>>> spares.take((4, 4)).flags.owndata
True
"""

from __future__ import annotations

import os
import threading
from collections import deque

import numpy as np
from numpy.typing import NDArray

__all__ = ["KEEP", "SPARES", "Spares"]

#: Arrays kept ready per block shape (4 MiB for 512 × 512 float32 blocks).
KEEP = 4

Shape = tuple[int, int]


class Spares:
    """Block-shaped ``uint32`` arrays whose memory is already faulted in.

    Parameters
    ----------
    keep
        Arrays kept ready per shape.
    """

    def __init__(self, keep: int = KEEP) -> None:
        self.keep = keep
        self._ready: dict[Shape, deque[NDArray[np.uint32]]] = {}
        self._wake = threading.Condition()
        self._thread: threading.Thread | None = None
        self._pid = 0

    def take(self, shape: Shape) -> NDArray[np.uint32]:
        """An array of ``shape`` (contents undefined), faulted in when one was ready."""
        with self._wake:
            ready = self._ready.setdefault(shape, deque())
            array = ready.popleft() if ready else None
            self._start()
            self._wake.notify_all()
        return array if array is not None else np.empty(shape, np.uint32)

    def wait_ready(self, shape: Shape, timeout: float = 5.0) -> bool:
        """Wait until :attr:`keep` arrays of ``shape`` are ready (for tests)."""
        with self._wake:
            return self._wake.wait_for(
                lambda: len(self._ready.get(shape, ())) >= self.keep, timeout
            )

    def _start(self) -> None:
        """Start the filling thread (again in a forked child, which does not inherit it)."""
        if self._thread is not None and self._pid == os.getpid():
            return
        self._pid = os.getpid()
        self._thread = threading.Thread(target=self._fill, name="block-spares", daemon=True)
        self._thread.start()

    def _fill(self) -> None:
        while True:
            with self._wake:
                short = self._wake.wait_for(self._short)
            if short is None:  # wait_for without a timeout returns only when there is one
                continue
            array = np.empty(short, np.uint32)
            array.fill(0)  # touch every page: this is the fault the reader would have paid
            with self._wake:
                self._ready[short].append(array)
                self._wake.notify_all()

    def _short(self) -> Shape | None:
        """A shape with fewer than :attr:`keep` arrays ready, if any (called under the lock)."""
        for shape, ready in self._ready.items():
            if len(ready) < self.keep:
                return shape
        return None


#: The spares every :class:`~solar.blocks.BlockReader` takes from.
SPARES = Spares()
