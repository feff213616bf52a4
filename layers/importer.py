"""Import a layer from a file into the store: read, validate, swap in atomically.

:func:`import_layer` runs three steps, each its own module:

1. **read** (:mod:`layers.read`): GeoPackage, GeoJSON, Shapefile (pyogrio/GDAL) or GeoParquet
   (pyarrow), in batches with progress;
2. **validate** (:mod:`layers.validate`): map the source's columns onto the layer schema
   (dropping everything else, owner and personal fields included), reproject to SWEREF 99 TM,
   repair invalid geometries with ``make_valid``, check required attributes, ids, designations
   and overlaps; anything wrong refuses the import with the report;
3. **swap** (:meth:`layers.store.LayerStore.replace_layer`): the store replaces the layer
   atomically, with its indexes and the report, so a reader sees the old layer or the new one,
   and an import killed at any moment (even with SIGKILL) leaves the old store intact. For a
   GeoPackage, :mod:`layers.gpkg.write` explains how.
"""

from __future__ import annotations

import os
from pathlib import Path

from layers.errors import ImportRefused, UnknownLayer
from layers.geopackage import GeoPackageStore
from layers.import_report import ImportReport, Progress, no_progress
from layers.national.products import adapt
from layers.read import read_source
from layers.schema import LAYER_SCHEMAS
from layers.store import LayerStore
from layers.validate import validate


def import_layer(
    store: LayerStore | str | os.PathLike[str],
    layer: str,
    source: str | os.PathLike[str],
    *,
    crs: str | None = None,
    source_layer: str | None = None,
    mapping: dict[str, str] | None = None,
    dry_run: bool = False,
    progress: Progress = no_progress,
    licence: str | None = None,
) -> ImportReport:
    """Import ``layer`` from the file ``source`` into ``store``.

    Parameters
    ----------
    store
        A store opened writable, or the path of a GeoPackage store (created by the first
        import).
    layer
        One of :data:`layers.schema.LAYER_SCHEMAS`.
    source
        The file to read.
    crs
        The CRS of a file that declares none (or the one it declares).
    source_layer
        The layer to read from a file with several.
    mapping
        Source column → layer column, winning over the known aliases.
    dry_run
        Read and validate only; write nothing.
    progress
        Called with a line per stage.
    licence
        The data's licence as its provider states it; kept with the report.

    Raises
    ------
    ImportRefused
        The file is unreadable or invalid; ``err.report`` says why. The store is unchanged.
    UnknownLayer
        ``layer`` is not one the store imports.
    """
    if layer not in LAYER_SCHEMAS:
        raise UnknownLayer(f"unknown layer {layer!r}; choose one of {', '.join(LAYER_SCHEMAS)}")
    source = Path(source)
    report = ImportReport(layer, str(source), licence=licence)
    try:
        frame = read_source(source, source_layer, progress)
        if not mapping:  # a national product as delivered is read in its own schema
            frame = adapt(layer, frame, report, store)
        if not report.errors:
            frame = validate(frame, layer, report, crs, mapping, progress)
    except ImportRefused as err:
        raise refused(err, report) from err
    if report.errors:
        raise ImportRefused(
            f"the {layer} in {source.name} are not valid; the store is "
            f"unchanged ({len(report.errors)} problems)",
            report,
        )
    report.imported = len(frame)
    report.dry_run = dry_run
    if dry_run:
        return report
    report.swapped = True
    try:
        if isinstance(store, LayerStore):
            store.replace_layer(layer, frame, report, progress=progress)
        else:
            with GeoPackageStore(store, writable=True) as opened:
                opened.replace_layer(layer, frame, report, progress=progress)
    except BaseException:
        report.swapped = False
        raise
    return report


def refused(err: ImportRefused, report: ImportReport) -> ImportRefused:
    """``err`` with ``report`` as its report and its reason among the report's errors, so that
    a refused import's report always says why (and never that the file is valid)."""
    err.report = err.report or report
    if str(err) not in err.report.errors:
        err.report.errors.append(str(err))
    return err


__all__ = ["ImportReport", "import_layer", "read_source", "refused", "validate"]
