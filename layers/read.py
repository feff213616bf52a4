"""Reading a vector file to import: GeoPackage, GeoJSON, Shapefile (pyogrio/GDAL) or
GeoParquet (pyarrow), in batches with progress for large files.

**Only what it says.** An imported file comes from outside, so the reader opens nothing but a
local regular file in one of the four documented formats, and tells the format from the file's
first bytes, never from its name (:func:`sniff_format`): a GeoPackage is an SQLite file whose
application id says ``GPKG``, a Shapefile's ``.shp`` starts with the file code 9994, a GeoJSON
file with ``{``, a GeoParquet file with ``PAR1``. GDAL then opens the file's absolute path (so no
name is read as a GDAL prefix such as ``CSV:`` or inline JSON), and the driver GDAL chose must be
the format's own (:data:`DRIVERS`). A GDAL virtual file (``/vsicurl/``, ``/vsizip/`` …), a URL,
an OGR VRT (which can read any file or URL GDAL can), a CSV or any other format is refused with
:class:`~layers.errors.ImportRefused` before GDAL sees it.

>>> check_local("/vsicurl/https://example.org/plans.gpkg")
Traceback (most recent call last):
...
layers.errors.ImportRefused: '/vsicurl/https://example.org/plans.gpkg' is not a local file: ...
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pyogrio.errors

from layers.errors import ImportRefused
from layers.import_report import Progress, no_progress

#: Features read per batch; progress is reported after each.
BATCH = 50_000
#: The GDAL (OGR) driver that must read each format GDAL reads; GeoParquet is read by pyarrow.
DRIVERS = {"GeoPackage": "GPKG", "GeoJSON": "GeoJSON", "Shapefile": "ESRI Shapefile"}
#: The formats an import reads.
FORMATS = (*DRIVERS, "GeoParquet")
#: SQLite's header, and the application ids of GeoPackage 1.0 (``GP10``), 1.1 and 1.2+.
_SQLITE = b"SQLite format 3\x00"
_GPKG_IDS = (b"GPKG", b"GP10", b"GP11")
_UTF8_BOM = b"\xef\xbb\xbf"


def check_local(path: str | os.PathLike[str]) -> Path:
    """``path`` as an absolute path, when it names a local regular file and nothing else.

    Raises
    ------
    ImportRefused
        A GDAL virtual file system path (``/vsi…``), a URL, a missing file or something other
        than a regular file (a directory, a device, a pipe). A GDAL driver prefix (``CSV:…``)
        names no file, as GDAL is given the absolute path.
    """
    text = os.fspath(path)
    if text.startswith("/vsi") or "://" in text:
        raise ImportRefused(
            f"{text!r} is not a local file: imports read local files only (no URLs, no GDAL "
            "virtual file systems or driver prefixes)"
        )
    absolute = Path(text).resolve()
    if not absolute.exists():
        raise ImportRefused(f"{path} does not exist")
    if not absolute.is_file():
        raise ImportRefused(f"{path} is not a regular file")
    return absolute


def sniff_format(head: bytes) -> str | None:
    """The format of a file from its first 100 bytes: one of :data:`FORMATS`, or None.

    >>> sniff_format(b'  {"type": "FeatureCollection", "features": []}')
    'GeoJSON'
    >>> sniff_format(bytes.fromhex("0000270a") + bytes(96))
    'Shapefile'
    >>> sniff_format(b"PAR1" + bytes(96)), sniff_format(b"<OGRVRTDataSource>")
    ('GeoParquet', None)
    >>> sniff_format(b"SQLite format 3\\x00" + bytes(52) + b"GPKG" + bytes(28))
    'GeoPackage'
    >>> sniff_format(b"SQLite format 3\\x00" + bytes(84)) is None  # SQLite, not a GeoPackage
    True
    """
    if head.startswith(_SQLITE):
        return "GeoPackage" if head[68:72] in _GPKG_IDS else None
    if head[:4] == b"\x00\x00\x27\x0a":  # the Shapefile file code 9994, big-endian
        return "Shapefile"
    if head[:4] == b"PAR1":
        return "GeoParquet"
    if head.removeprefix(_UTF8_BOM).lstrip(b" \t\r\n").startswith(b"{"):
        return "GeoJSON"
    return None


def source_format(path: Path) -> str:
    """The format of the file at ``path`` (see :func:`sniff_format`); refuses any other."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(100)
    except OSError as err:
        raise ImportRefused(f"cannot read {path}: {err}") from err
    found = sniff_format(head)
    if found is None:
        raise ImportRefused(
            f"{path.name} is not a file an import reads: give a {', '.join(FORMATS[:-1])} or "
            f"{FORMATS[-1]} file (its content decides, not its name)"
        )
    return found


def _read_parquet(path: Path, progress: Progress) -> gpd.GeoDataFrame:
    try:
        frame = gpd.read_parquet(path)
    except (ValueError, OSError) as err:
        raise ImportRefused(f"{path.name} is not a readable GeoParquet file: {err}") from err
    progress(f"read {len(frame)} features")
    return frame


def _read_info(path: Path, kind: str, source_layer: str | None) -> dict[str, object]:
    try:
        info: dict[str, object] = dict(pyogrio.read_info(str(path), layer=source_layer))
    except pyogrio.errors.DataLayerError as err:
        raise ImportRefused(f"{path.name} has no layer {source_layer!r}: {err}") from err
    except (pyogrio.errors.DataSourceError, RuntimeError) as err:
        raise ImportRefused(f"{path} is not a readable vector file: {err}") from err
    if info.get("driver") != DRIVERS[kind]:
        raise ImportRefused(
            f"{path.name} looks like {kind} but GDAL reads it as {info.get('driver')}; an "
            f"import reads {kind} only with the {DRIVERS[kind]} driver"
        )
    return info


def read_source(
    path: str | os.PathLike[str], source_layer: str | None = None, progress: Progress = no_progress
) -> gpd.GeoDataFrame:
    """Read a vector file into a GeoDataFrame, in batches with progress for large files.

    Raises
    ------
    ImportRefused
        The path is not a local regular file, the file is not in one of :data:`FORMATS`, or it
        cannot be read.
    """
    absolute = check_local(path)
    kind = source_format(absolute)
    if kind == "GeoParquet":
        return _read_parquet(absolute, progress)
    info = _read_info(absolute, kind, source_layer)
    total = int(str(info.get("features") or 0))
    frames = []
    try:
        for start in range(0, max(total, 1), BATCH):
            with np.errstate(invalid="ignore"):  # NaN coordinates: validation reports them
                batch = pyogrio.read_dataframe(
                    str(absolute), layer=source_layer, skip_features=start, max_features=BATCH
                )
            frames.append(batch)
            if total > BATCH:
                progress(f"read {min(start + BATCH, total)} of {total} features")
    except RuntimeError as err:  # every pyogrio error: a broken feature, field or geometry
        raise ImportRefused(f"{absolute.name} could not be read: {err}") from err
    frame = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    return gpd.GeoDataFrame(frame, geometry="geometry", crs=frames[0].crs)


def source_columns(path: str | os.PathLike[str]) -> dict[str, tuple[str, ...]]:
    """The layers of a vector file and their attribute columns (lower case), read from its
    header under the same rules as :func:`read_source` (empty for GeoParquet)."""
    absolute = check_local(path)
    kind = source_format(absolute)
    if kind == "GeoParquet":
        return {}
    try:
        names = [str(row[0]) for row in pyogrio.list_layers(str(absolute))]
    except (pyogrio.errors.DataSourceError, RuntimeError) as err:
        raise ImportRefused(f"{absolute} is not a readable vector file: {err}") from err
    found: dict[str, tuple[str, ...]] = {}
    for name in names:
        fields = _read_info(absolute, kind, name).get("fields")
        found[name] = tuple(str(f).lower() for f in fields) if isinstance(fields, Iterable) else ()
    return found


__all__ = [
    "BATCH",
    "DRIVERS",
    "FORMATS",
    "check_local",
    "read_source",
    "sniff_format",
    "source_columns",
]
