"""What reports are read from: the layer store, the solar map, the surface model and the data set.

:class:`ReportSources` opens them together and closes them together. It remembers the identity
of every file it was opened from (:class:`FileVersions`), so whoever keeps it open (the web
service keeps one per worker thread, see :mod:`mapservice.web.resources`) can tell when the
data directory has changed under it and open a new one. Nothing here imports Flask.

>>> versions = FileVersions()
>>> path = versions.see("/no/such/file")
>>> versions.changed()
False
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import os
import weakref
from collections.abc import Callable
from contextlib import ExitStack, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import shapely

from data.dataset import DSM_NAME, MANIFEST_NAME, Dataset
from data.errors import IncompleteSample
from layers import LayerStore, open_store
from layers.zoning import ZoningReport
from solar.catalog import find_tiles, list_tiles
from solar.errors import CatalogError, SolarMapNotFound
from solar.potential import calibrated_suitability
from solar.raster import CogMosaic, RasterSource
from solar.suitability import Suitability

if TYPE_CHECKING:
    from mapservice.settings import Settings

__all__ = ["FileVersions", "ReportSources", "Source", "read_dataset"]

#: A file's identity: inode, modification time (ns) and size; None when it does not exist.
Identity = tuple[int, int, int] | None


def identity(path: str | os.PathLike[str]) -> Identity:
    """The identity of the file at ``path`` now, or None when there is none.

    >>> identity("/no/such/file") is None
    True
    """
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_ino, st.st_mtime_ns, st.st_size)


class FileVersions:
    """The identity of each file a set of sources is opened from, looked at before opening it.

    Looking before (not after) opening errs on the safe side: a file replaced between the look
    and the open counts as changed, and is opened again, rather than being missed.
    """

    def __init__(self) -> None:
        self._seen: dict[Path, Identity] = {}

    def see(self, path: str | os.PathLike[str]) -> Path:
        """Note the identity of ``path`` as it is now (before it is opened); returns the path."""
        path = Path(path)
        self._seen[path] = identity(path)
        return path

    @property
    def paths(self) -> tuple[Path, ...]:
        """The files seen."""
        return tuple(self._seen)

    def changed(self) -> bool:
        """Whether any file seen has been replaced, modified, created or removed since."""
        return any(identity(path) != seen for path, seen in self._seen.items())

    @property
    def key(self) -> str:
        """A short digest of the files' identities: equal for the same versions of the data."""
        text = repr(sorted((str(p), i) for p, i in self._seen.items()))
        return hashlib.blake2b(text.encode(), digest_size=12).hexdigest()


def read_dataset(data_dir: str | os.PathLike[str]) -> Dataset | None:
    """The manifest of ``data_dir``, or None when it holds no complete data set."""
    try:
        return Dataset.read(data_dir)
    except IncompleteSample:
        return None


@dataclass(frozen=True)
class Source:
    """Where a part of the report comes from, and how current it is."""

    key: str
    name: str
    date: str | None
    detail: str = ""

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


class ReportSources:
    """What reports are read from, opened once: layer store, solar map, surface, data set.

    Use as a context manager or call :meth:`close`. Not for sharing between threads (the
    store's SQLite connection and the rasters' handles belong to the thread that opened them);
    the web service keeps one per worker thread.

    Parameters
    ----------
    store
        The layer store.
    solar_map, surface
        The solar map (annual kWh/m²) and the surface model for roof faces, or None.
    solar_date
        The date of the laser scan the solar map is computed from.
    dataset
        The data set's manifest, or None when the data directory has none.
    vector_date
        When the vector layers were last written.
    files
        The identity of the files the sources were opened from.
    """

    def __init__(
        self,
        store: LayerStore,
        solar_map: RasterSource | None = None,
        surface: RasterSource | None = None,
        solar_date: str | None = None,
        dataset: Dataset | None = None,
        vector_date: str | None = None,
        files: FileVersions | None = None,
    ) -> None:
        self.store = store
        self.solar_map = solar_map
        self.surface = surface
        self.solar_date = solar_date
        self.dataset = dataset
        self.vector_date = vector_date
        self.files = files or FileVersions()
        self.suitability: Suitability | None = (
            calibrated_suitability(solar_map) if solar_map is not None else None
        )
        self._finalizer = weakref.finalize(self, _close_all, store, solar_map, surface)

    @classmethod
    def open(
        cls,
        vector_store: str,
        vector_path: str | os.PathLike[str],
        data_dir: str | os.PathLike[str],
        solar_catalog: str | os.PathLike[str],
        max_items: int = 10_000,
        solar_bounds: tuple[float, float, float, float] | None = None,
        read: Callable[[Path], Dataset | None] = read_dataset,
    ) -> ReportSources:
        """Open the sources of a data directory (the service's settings name them).

        A missing solar catalog or surface model leaves the solar section out of reports
        (each report says why); a missing layer store raises
        :class:`~layers.errors.StoreUnavailable`. With ``solar_bounds`` (EPSG:3006) only the
        solar map tiles under that box are opened (all of them when none is), for reports of
        properties within it: what a batch partition needs. ``read`` reads the data set's
        manifest (the web service hands over its own, which reads it once per version).
        """
        files, data_dir = FileVersions(), Path(data_dir)
        with ExitStack() as stack:
            location = files.see(vector_path) if vector_store == "geopackage" else vector_path
            store = stack.enter_context(open_store(vector_store, location, max_items))
            solar_map, solar_date = _open_solar(files, Path(solar_catalog), solar_bounds)
            if solar_map is not None:
                stack.enter_context(solar_map)
            dsm = files.see(data_dir / DSM_NAME)
            surface = stack.enter_context(CogMosaic([dsm])) if dsm.is_file() else None
            files.see(data_dir / MANIFEST_NAME)
            sources = cls(
                store,
                solar_map,
                surface,
                solar_date,
                read(data_dir),
                _changed(store) or _modified(Path(vector_path)),
                files,
            )
            stack.pop_all()
        return sources

    @classmethod
    def from_settings(
        cls,
        settings: Settings,
        solar_bounds: tuple[float, float, float, float] | None = None,
        read: Callable[[Path], Dataset | None] = read_dataset,
    ) -> ReportSources:
        """Open the sources ``settings`` name (see :meth:`open`)."""
        return cls.open(
            settings.vector_store,
            settings.vector_location,
            settings.data_dir,
            settings.solar_catalog_path,
            settings.max_items,
            solar_bounds,
            read,
        )

    def close(self) -> None:
        """Close the store and the rasters."""
        self._finalizer()

    @property
    def closed(self) -> bool:
        """Whether :meth:`close` has run."""
        return not self._finalizer.alive

    def __enter__(self) -> ReportSources:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def sources(self, zoning: ZoningReport) -> tuple[Source, ...]:
        """The sources of a report, with their dates."""
        items = [
            Source(
                "cadastre",
                "Lantmäteriet: fastighetsindelning, belägenhetsadresser och byggnader",
                self.vector_date,
                self.dataset.name if self.dataset else "",
            )
        ]
        for plan in zoning.plans:
            day = plan.legal_force or plan.adopted
            items.append(
                Source(
                    "plan",
                    f"{plan.plan_id} {plan.name}",
                    day.isoformat() if day else None,
                    plan.status,
                )
            )
        if self.solar_map is not None:
            items.append(
                Source(
                    "solar",
                    "Solkarta: årlig solinstrålning på tak (kWh/m²·år)",
                    self.solar_date,
                    "laserskanning",
                )
            )
        return tuple(items)


def _close_all(*handles: LayerStore | RasterSource | None) -> None:
    for handle in handles:
        if handle is not None:
            handle.close()


def _open_solar(
    files: FileVersions, catalog: Path, bounds: tuple[float, float, float, float] | None
) -> tuple[CogMosaic | None, str | None]:
    """The catalogued solar map (the tiles under ``bounds``, or all) and its latest scan date."""
    if not files.see(catalog).is_file():
        return None, None
    try:
        tiles = list_tiles(catalog)
    except CatalogError:
        return None, None
    if not tiles:
        return None, None
    dates = sorted({t.scan_date[:10] for t in tiles if t.scan_date})
    if bounds is not None:
        with suppress(SolarMapNotFound):  # no tile under the box: open them all
            tiles = find_tiles(catalog, shapely.box(*bounds))
    return CogMosaic([files.see(t.href) for t in tiles]), dates[-1] if dates else None


#: The layers the report's cadastre source stands for.
CADASTRE_LAYERS = ("parcels", "addresses", "buildings")


def _changed(store: LayerStore) -> str | None:
    """The date (YYYY-MM-DD) the cadastre's layers were last imported, as the store records it
    (a GeoPackage's ``gpkg_contents.last_change``, a database's change log); the same date the
    layer's own metadata shows, never the file's time or a raw timestamp."""
    names = [n for n in store.layer_names() if n in CADASTRE_LAYERS]
    changes = [store.layer_info(name).last_change or "" for name in names]
    return max(changes)[:10] or None if changes else None


def _modified(path: Path) -> str | None:
    try:
        return dt.date.fromtimestamp(path.stat().st_mtime).isoformat()
    except OSError:
        return None
