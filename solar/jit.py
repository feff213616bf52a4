"""Where numba keeps the compiled kernels, and how many threads they use.

Every kernel of :mod:`solar` is compiled with ``cache=True``: the first run compiles it and
writes the machine code beside the module (``__pycache__``), and every later process loads it
from there in milliseconds instead of compiling for seconds. When the package folder is
read-only (a system install), numba writes to a per-user cache folder instead. An operator can
name the folder (the setting ``numba_cache_dir``), which :func:`use_cache_dir` applies before
the first kernel is imported; child processes (Dask workers) inherit it.

>>> worker_threads(cores=8, workers=3)
2
>>> worker_threads(cores=2, workers=4)
1
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["use_cache_dir", "worker_threads"]


def use_cache_dir(directory: str | os.PathLike[str] | None) -> Path | None:
    """Make numba cache the compiled kernels in ``directory`` (created if missing).

    ``None`` or ``""`` keeps numba's own choice (the package's ``__pycache__``, else a per-user
    folder). Call it before a kernel module is imported: numba picks the folder when a kernel
    is defined. Returns the folder in use, or ``None`` for numba's own choice.
    """
    if not directory:
        return None
    path = Path(directory).expanduser().resolve()
    path.mkdir(parents=True, exist_ok=True)
    from numba.core import config

    config.CACHE_DIR = str(path)  # type: ignore[attr-defined]
    os.environ["NUMBA_CACHE_DIR"] = str(path)  # inherited by worker processes
    return path


def worker_threads(cores: int | None, workers: int) -> int:
    """Numba threads per worker so that ``workers`` processes share ``cores`` without
    oversubscribing them (at least one each)."""
    return max(1, (cores or 1) // max(1, workers))
