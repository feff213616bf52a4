"""What a service instance reads, and its one owner: opened, handed out, reopened and closed.

As ``get_db``, ``close_db`` and ``init_app`` do in Flask's tutorial, this module owns every
resource the service reads from its data directory, and every view asks it for them:

- the settings (:func:`get_settings`);
- the data set's manifest, read once per version of ``dataset.json`` (:func:`get_dataset`);
- the report sources — the layer store, the solar map, the surface model — (:func:`get_sources`,
  :func:`get_raster`) and the solar map's tile renderer (:func:`get_renderer`).

SQLite connections and GDAL handles belong to the thread that opened them, so each worker
thread keeps its own :class:`Handles`, opened at its first request and kept for the next ones
(a thread-pool server such as waitress opens them once per thread). A request takes one snapshot
at its first use and keeps it on :data:`flask.g` until its teardown, so everything it reads
comes from one version of the data. When a file the handles were opened from has been replaced
or changed (its inode, modification time or size differ), the thread's next request opens new
handles, and the old ones are closed as soon as no request uses them. :func:`close` closes
them all when the app ends.
"""

from __future__ import annotations

import logging
import threading
import weakref
from pathlib import Path
from typing import Literal

from flask import Flask, current_app, g

from data.dataset import MANIFEST_NAME, Dataset
from mapservice.report.sources import Identity, ReportSources, identity, read_dataset
from mapservice.settings import Settings
from solar.errors import SolarMapNotFound
from solar.raster import CogMosaic, RasterSource
from solar.tiles import TileRenderer

__all__ = [
    "Handles",
    "Resources",
    "close",
    "data_version",
    "get_dataset",
    "get_raster",
    "get_renderer",
    "get_settings",
    "get_sources",
    "init_app",
    "warm_up",
]

log = logging.getLogger(__name__)

#: Where the app keeps its settings and its resources (``app.extensions``).
SETTINGS_KEY = "minfastighet.settings"
KEY = "minfastighet.resources"
#: The request's snapshot on :data:`flask.g`.
_G_KEY = "minfastighet_handles"
#: How many times the sources are opened when the data keeps changing while they are opened.
OPEN_ATTEMPTS = 3
#: What :func:`get_raster` hands out: the solar map, or the surface model for roof faces.
RasterName = Literal["solar", "surface"]


class Handles:
    """One thread's open report sources and their tile renderer: one version of the data.

    Parameters
    ----------
    sources
        The opened report sources.
    """

    def __init__(self, sources: ReportSources) -> None:
        self.sources = sources
        self.thread = threading.get_ident()
        self.users = 0  # requests of this thread that hold these handles now
        self.retired = False  # a newer version exists or the app ended: close when unused
        self._renderer: TileRenderer | None = None

    @property
    def version(self) -> str:
        """A digest of the opened files' identities: equal for the same data in every thread."""
        return self.sources.files.key

    def raster(self, name: RasterName) -> RasterSource:
        """The solar map or the surface model; :class:`SolarMapNotFound` when there is none."""
        raster = self.sources.solar_map if name == "solar" else self.sources.surface
        if raster is None:
            what = "solar map" if name == "solar" else "surface model"
            raise SolarMapNotFound(f"no {what} is catalogued in this service")
        return raster

    def renderer(self) -> TileRenderer:
        """The tile renderer over this thread's solar map, made on first use."""
        if self._renderer is None:
            solar_map = self.raster("solar")
            if not isinstance(solar_map, CogMosaic):
                raise SolarMapNotFound("the solar map cannot be drawn as tiles")
            self._renderer = TileRenderer(solar_map)
        return self._renderer

    def close(self) -> None:
        """Close the sources (the renderer holds nothing of its own)."""
        self.sources.close()


class _Slot(threading.local):
    handles: Handles | None = None


class Resources:
    """The owner of what one app reads: one :class:`Handles` per thread, and the manifest.

    Parameters
    ----------
    settings
        The app's settings: where the data is.
    """

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._slot = _Slot()
        self._lock = threading.Lock()
        self._open: weakref.WeakSet[Handles] = weakref.WeakSet()
        self._manifest: tuple[Identity, Dataset | None] | None = None

    def dataset(self) -> Dataset | None:
        """The data set's manifest, read again only when ``dataset.json`` has changed."""
        with self._lock:
            seen = identity(self.settings.data_dir / MANIFEST_NAME)
            if self._manifest is None or self._manifest[0] != seen:
                self._manifest = (seen, read_dataset(self.settings.data_dir))
            return self._manifest[1]

    def acquire(self) -> Handles:
        """This thread's handles for one request, reopened first if the data has changed."""
        current = self._slot.handles
        if current is not None and (current.retired or current.sources.files.changed()):
            self._retire(current)
            current = self._slot.handles = None
        if current is None:
            current = self._slot.handles = self._open_handles()
        current.users += 1
        return current

    def release(self, handles: Handles) -> None:
        """A request is done with ``handles``; close them if they are retired and unused."""
        handles.users -= 1
        if handles.retired and handles.users == 0:
            handles.close()

    def close(self) -> None:
        """Close every thread's handles (when the app ends).

        Handles of this thread that no request uses are closed now; those a request still uses
        are closed at its teardown. SQLite connections may only be closed by their own thread,
        so another thread closes its handles at its next request, or when it ends.
        """
        with self._lock:
            every = list(self._open)
            self._open.clear()
        me = threading.get_ident()
        for handles in every:
            handles.retired = True
            if handles.users == 0 and handles.thread == me:
                handles.close()
        self._slot.handles = None

    def _retire(self, handles: Handles) -> None:
        handles.retired = True
        with self._lock:
            self._open.discard(handles)
        if handles.users == 0:
            handles.close()

    def _open_handles(self) -> Handles:
        """Open the sources; again if a file changed while they were opened (one version)."""
        for attempt in range(1, OPEN_ATTEMPTS + 1):
            sources = ReportSources.from_settings(self.settings, read=self._read)
            if not sources.files.changed():
                break
            if attempt == OPEN_ATTEMPTS:
                log.warning(
                    "the data in %s kept changing while it was opened", self.settings.data_dir
                )
                break
            sources.close()
        handles = Handles(sources)
        with self._lock:
            self._open.add(handles)
        return handles

    def _read(self, data_dir: Path) -> Dataset | None:
        return self.dataset()


def init_app(app: Flask) -> None:
    """Give ``app`` its resources, read the manifest once, and release snapshots at teardown.

    GDAL's block cache (process-wide, 5 % of the memory by default) is bounded by
    ``gdal_cache_mb`` here: rasterio hands ``GDAL_CACHEMAX`` to ``GDALSetCacheMax64`` in bytes.
    So is the cache of decoded solar blocks (``block_cache_mb``), and numba's cache of compiled
    kernels goes where ``numba_cache_dir`` says (before any kernel is imported).
    """
    from rasterio.env import set_gdal_config

    from solar.block_cache import SHARED
    from solar.jit import use_cache_dir

    set_gdal_config("GDAL_CACHEMAX", get_settings(app).gdal_cache_mb * 1024 * 1024)
    SHARED.resize(get_settings(app).block_cache_mb * 1024 * 1024)
    use_cache_dir(get_settings(app).numba_cache_dir)
    resources = app.extensions[KEY] = Resources(get_settings(app))
    resources.dataset()
    app.teardown_appcontext(_teardown)


def warm_up(app: Flask) -> threading.Thread:
    """Do, in a background thread, what would otherwise make the first request wait.

    Opening the report sources calibrates the solar map's suitability classes: the map's own
    model is run on a small roof plane, about a second, kept for the process's life. The first
    zonal statistics then load their compiled kernels (0.3-0.4 s), and the page templates are
    compiled (0.15 s). Measured on the sample, a fresh process's first search took 1.05 s
    (27 ms after the warm-up), its first report page 0.28 s (0.17 s). ``minfastighet serve`` calls
    this once per process (in each gunicorn worker after the fork); a request that comes
    before it ends does the same work itself, so nothing waits longer than without it.
    Whatever fails is logged, never raised: the requests report it.
    """
    settings = get_settings(app)

    def work() -> None:
        import time

        import shapely

        from solar.zonal import zonal_stats

        started = time.perf_counter()
        try:
            for name in app.jinja_env.list_templates(extensions=["html"]):
                app.jinja_env.get_template(name)
            with ReportSources.from_settings(settings) as sources:
                if sources.solar_map is not None:
                    west, south, east, north = sources.solar_map.bounds
                    x, y = (west + east) / 2, (south + north) / 2
                    zonal_stats(sources.solar_map, shapely.box(x, y, x + 10, y + 10))
        except Exception:  # the first request meets the same error and says it
            log.warning("warming up on %s failed", settings.data_dir, exc_info=True)
            return
        log.info("warmed up in %.1f s", time.perf_counter() - started)

    thread = threading.Thread(target=work, name="warm-up", daemon=True)
    thread.start()
    return thread


def close(app: Flask) -> None:
    """Close what ``app`` has opened (see :meth:`Resources.close`)."""
    resources: Resources = app.extensions[KEY]
    resources.close()


def _resources() -> Resources:
    resources: Resources = current_app.extensions[KEY]
    return resources


def _handles() -> Handles:
    """The request's snapshot, taken at the first use in the request."""
    handles: Handles | None = g.get(_G_KEY)
    if handles is None:
        handles = _resources().acquire()
        setattr(g, _G_KEY, handles)
    return handles


def _teardown(exc: BaseException | None) -> None:
    handles: Handles | None = g.pop(_G_KEY, None)
    if handles is not None:
        _resources().release(handles)


def get_settings(app: Flask | None = None) -> Settings:
    """The settings of ``app``, by default of the current app."""
    settings: Settings = (app or current_app).extensions[SETTINGS_KEY]
    return settings


def get_dataset() -> Dataset | None:
    """The data set's manifest: the request's snapshot's, or the app's when it has none."""
    handles: Handles | None = g.get(_G_KEY)
    if handles is not None:
        return handles.sources.dataset
    return _resources().dataset()


def get_sources() -> ReportSources:
    """The report sources of the request's snapshot."""
    return _handles().sources


def get_raster(name: RasterName) -> RasterSource:
    """The solar map (``"solar"``) or the surface model (``"surface"``) of the snapshot.

    Raises
    ------
    solar.errors.SolarMapNotFound
        The data directory has no such raster.
    """
    return _handles().raster(name)


def get_renderer() -> TileRenderer:
    """The tile renderer over the snapshot's solar map."""
    return _handles().renderer()


def data_version() -> str:
    """The version of the data the snapshot reads (for caches keyed by data)."""
    return _handles().version
