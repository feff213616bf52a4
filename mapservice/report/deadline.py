"""A time limit for the expensive paths (a report, its page, its PDF), checked between steps.

A thread cannot be interrupted in the middle of a GDAL read or a SQLite query, so the limit is
cooperative: whoever serves a request starts a deadline (:func:`limit`), and the report's
assembly and its renderings call :func:`check` between their steps. Past the deadline,
:func:`check` raises :class:`ReportTimeout` (503 with a public message), so one slow report
holds its thread for at most the limit plus one step. Without a started deadline (a notebook,
the CLI) :func:`check` does nothing.

>>> with limit(60.0):
...     check("zoning")
>>> with limit(0.0):
...     check("solar")
Traceback (most recent call last):
...
mapservice.errors.ReportTimeout: the report passed its 0.0 s limit before solar
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from mapservice.errors import ReportTimeout

#: (monotonic time at which the work must stop, the limit in seconds) of the current context.
_DEADLINE: ContextVar[tuple[float, float] | None] = ContextVar("report_deadline", default=None)


@contextmanager
def limit(seconds: float) -> Iterator[None]:
    """Work in this block (in this thread or task) must end within ``seconds``."""
    token = _DEADLINE.set((time.monotonic() + seconds, seconds))
    try:
        yield
    finally:
        _DEADLINE.reset(token)


def start(seconds: float) -> None:
    """Start a deadline of ``seconds`` for the current context (a request's thread)."""
    _DEADLINE.set((time.monotonic() + seconds, seconds))


def stop() -> None:
    """End the current context's deadline."""
    _DEADLINE.set(None)


def check(step: str) -> None:
    """Raise :class:`ReportTimeout` when the current deadline has passed (``step`` is next)."""
    deadline = _DEADLINE.get()
    if deadline is not None and time.monotonic() >= deadline[0]:
        raise ReportTimeout(f"the report passed its {deadline[1]} s limit before {step}")


__all__ = ["ReportTimeout", "check", "limit", "start", "stop"]
