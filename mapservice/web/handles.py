"""The report sources of the running service: opened once per worker thread, not per request.

The layer store's SQLite connection and the rasters' handles may only be used by the thread that
opened them, so each worker thread keeps its own :class:`~mapservice.report.ReportSources` in a
thread-local slot of the app; a thread-pool server (waitress) opens them once per thread for
the life of the process. When a thread ends, its sources are closed (their finaliser runs).
"""

from __future__ import annotations

import threading

from flask import Flask, current_app

from mapservice.report import ReportSources
from mapservice.web.dataset import get_settings

KEY = "minfastighet.sources"


class _PerThread(threading.local):
    sources: ReportSources | None = None


def init_app(app: Flask) -> None:
    """Give ``app`` an empty per-thread slot for its report sources."""
    app.extensions[KEY] = _PerThread()


def get_sources() -> ReportSources:
    """This thread's report sources, opened on first use."""
    slot: _PerThread = current_app.extensions[KEY]
    if slot.sources is None:
        s = get_settings()
        slot.sources = ReportSources.open(
            s.vector_store, s.vector_path, s.data_dir, s.solar_catalog_path, s.max_items
        )
    return slot.sources
