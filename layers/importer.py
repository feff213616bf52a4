"""Import a layer from a file into the store: validate, reproject, repair, swap in atomically.

``import_layer`` reads GeoPackage, GeoJSON, Shapefile (pyogrio/GDAL) or GeoParquet (pyarrow),
maps the source's columns onto the layer schema (dropping everything else, owner and personal
fields included), reprojects to SWEREF 99 TM, repairs invalid geometries with ``make_valid``,
checks required attributes, ids, designations and overlaps, and refuses the import with a
report when anything is wrong.

**Atomic swap.** The new layer is written into a complete copy of the store next to it
(``.minfastighet.gpkg.import-<pid>.gpkg``, made with SQLite's online backup), indexed, checked,
fsynced and then renamed over the store with ``os.replace``. A rename is atomic on POSIX: a
reader opening the store sees the old file or the new one, never a part, and a reader that
already has it open keeps reading the old file until it closes. An import that fails or is
killed (even with SIGKILL) before the rename leaves the store untouched; the stale copy is
removed by the next import. Imports into one store are serialised with a lock file. The price
is a copy of the store per import, which suits a municipality's store (tens to hundreds of MB);
one SQLite transaction instead would hold the write lock while GDAL writes and could not use
GDAL's GeoPackage writer (its triggers need GDAL's SQL functions).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import os
import sqlite3
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely

from layers.crs import STORAGE_CRS, SWEDEN_LONLAT, parse_crs, transformer
from layers.designation import KNOWN_REGISTRY_AREAS, parse_designation
from layers.errors import (
    ImportRefused,
    InvalidDesignation,
    MissingCRS,
    StoreUnavailable,
    UnknownLayer,
    UnsupportedCRS,
)
from layers.geopackage import prepare
from layers.gpkg_features import record_import
from layers.models import Model
from layers.schema import LAYER_SCHEMAS, is_personal, map_columns

#: Features read per batch; progress is reported after each.
BATCH = 50_000
NAMESPACE = uuid.UUID("0b6f5f4e-8a59-4d0e-9a63-6c6179657273")
#: Overlaps between parcels smaller than this (m²) are snapping noise, not overlaps.
OVERLAP_TOLERANCE = 0.01
Progress = Callable[[str], None]


@dataclass
class ImportReport(Model):
    """What an import found and did."""

    layer: str
    source: str
    source_crs: str | None = None
    #: The data's licence as the provider states it (shown with the layer's information).
    licence: str | None = None
    features: int = 0
    imported: int = 0
    repaired: int = 0
    columns: dict[str, str] = field(default_factory=dict)
    dropped_columns: list[str] = field(default_factory=list)
    personal_columns: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    overlaps: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    swapped: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    def to_text(self) -> str:
        """The report as lines for a terminal."""
        lines = [
            f"Import of {self.layer} from {self.source}"
            + (f" (licence: {self.licence})" if self.licence else ""),
            f"  source CRS: {self.source_crs or 'none'}; features read: {self.features}",
            "  columns: " + (", ".join(f"{s} → {t}" for s, t in self.columns.items()) or "none"),
        ]
        if self.dropped_columns:
            lines.append(
                "  dropped columns (not in the schema): " + ", ".join(self.dropped_columns)
            )
        if self.personal_columns:
            lines.append(
                "  owner/personal fields dropped, never stored: " + ", ".join(self.personal_columns)
            )
        lines.append(f"  geometries repaired with make_valid: {self.repaired}")
        for title, items in (
            ("duplicates", self.duplicates),
            ("overlaps", self.overlaps),
            ("warnings", self.warnings),
            ("errors", self.errors),
        ):
            if items:
                lines.append(f"  {title} ({len(items)}):")
                lines += [f"    - {item}" for item in items[:20]]
                if len(items) > 20:
                    lines.append(f"    … and {len(items) - 20} more")
        verdict = (
            f"imported {self.imported} features into the store"
            if self.swapped
            else "valid; nothing written (dry run)"
            if self.ok
            else "refused; the store is unchanged"
        )
        lines.append(f"  result: {verdict}")
        return "\n".join(lines)


# -- reading ---------------------------------------------------------------------------------


def read_source(path: Path, source_layer: str | None, progress: Progress) -> gpd.GeoDataFrame:
    """Read a vector file into a GeoDataFrame, in batches with progress for large files."""
    if not path.exists():
        raise ImportRefused(f"{path} does not exist")
    if path.suffix.lower() in (".parquet", ".geoparquet"):
        try:
            frame = gpd.read_parquet(path)
        except (ValueError, OSError) as err:
            raise ImportRefused(f"{path} is not a readable GeoParquet file: {err}") from err
        progress(f"read {len(frame)} features")
        return frame
    try:
        info = pyogrio.read_info(path, layer=source_layer)
    except pyogrio.errors.DataSourceError as err:
        raise ImportRefused(f"{path} is not a readable vector file: {err}") from err
    except pyogrio.errors.DataLayerError as err:
        raise ImportRefused(f"{path} has no layer {source_layer!r}: {err}") from err
    total = int(info.get("features") or 0)
    frames = []
    for start in range(0, max(total, 1), BATCH):
        frames.append(
            pyogrio.read_dataframe(
                path, layer=source_layer, skip_features=start, max_features=BATCH
            )
        )
        if total > BATCH:
            progress(f"read {min(start + BATCH, total)} of {total} features")
    frame = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    return gpd.GeoDataFrame(frame, geometry="geometry", crs=frames[0].crs)


# -- validating ------------------------------------------------------------------------------


def _source_crs(frame: gpd.GeoDataFrame, crs: str | None, report: ImportReport) -> str:
    declared = None
    if frame.crs is not None:
        try:
            declared = parse_crs(frame.crs)
        except UnsupportedCRS as err:
            raise ImportRefused(f"the file's CRS is not supported: {err}", report) from err
    given = parse_crs(crs) if crs else None
    if declared and given and declared != given:
        raise ImportRefused(
            f"the file says its CRS is {declared} but --crs says {given}; leave "
            "--crs out or fix the file",
            report,
        )
    if not (declared or given):
        raise MissingCRS(
            "the file declares no CRS; say which it is with --crs (e.g. --crs EPSG:3006)", report
        )
    report.source_crs = declared or given
    return report.source_crs


def _repair(frame: gpd.GeoDataFrame, kind: str, report: ImportReport) -> gpd.GeoDataFrame:
    geoms = frame.geometry.values
    missing = shapely.is_missing(geoms) | shapely.is_empty(geoms)
    for row in np.flatnonzero(missing)[:20]:
        report.errors.append(f"feature {row + 1} has no geometry")
    if kind == "point":
        bad = ~missing & (shapely.get_type_id(geoms) != 0)
        for row in np.flatnonzero(bad)[:20]:
            report.errors.append(f"feature {row + 1} is a {geoms[row].geom_type}, not a Point")
        return frame
    polygonal = np.isin(shapely.get_type_id(geoms), (3, 6))
    for row in np.flatnonzero(~missing & ~polygonal)[:20]:
        report.errors.append(f"feature {row + 1} is a {geoms[row].geom_type}, not a polygon")
    invalid = ~missing & polygonal & ~shapely.is_valid(geoms)
    if invalid.any():
        fixed = [_polygons(shapely.make_valid(g)) for g in geoms[invalid]]
        geoms = geoms.copy()
        geoms[invalid] = fixed
        report.repaired = int(invalid.sum())
        frame = frame.set_geometry(gpd.GeoSeries(geoms, index=frame.index, crs=frame.crs))
    return frame


def _polygons(geometry):
    parts = [p for p in shapely.get_parts(geometry) if p.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts) if parts else shapely.Polygon()


def _outside_sweden(frame: gpd.GeoDataFrame, report: ImportReport) -> None:
    bounds = shapely.bounds(frame.geometry.values)
    ok = ~np.isnan(bounds).any(axis=1)
    lon, lat = transformer(STORAGE_CRS, "EPSG:4326").transform(
        np.where(ok, (bounds[:, 0] + bounds[:, 2]) / 2, 0),
        np.where(ok, (bounds[:, 1] + bounds[:, 3]) / 2, 0),
    )
    minx, miny, maxx, maxy = SWEDEN_LONLAT
    outside = ok & ~((lon >= minx) & (lon <= maxx) & (lat >= miny) & (lat <= maxy))
    for row in np.flatnonzero(outside)[:20]:
        report.errors.append(f"feature {row + 1} lies outside Sweden (check the CRS)")


def _required(frame: pd.DataFrame, layer: str, report: ImportReport) -> None:
    for column in LAYER_SCHEMAS[layer].required:
        if column not in frame:
            report.errors.append(
                f"required attribute {column!r} is missing; map a source "
                f"column to it with --map SOURCE={column}"
            )
            continue
        empty = frame[column].isna() | (frame[column].astype(str).str.strip() == "")
        if empty.any():
            rows = ", ".join(str(i + 1) for i in np.flatnonzero(empty.to_numpy())[:5])
            report.errors.append(
                f"{int(empty.sum())} features lack {column!r} (features {rows}"
                f"{' …' if empty.sum() > 5 else ''})"
            )


def _blank_to_null(frame: pd.DataFrame) -> pd.DataFrame:
    for column in frame.columns:
        if column != "geometry" and not pd.api.types.is_numeric_dtype(frame[column]):
            frame[column] = frame[column].map(lambda v: None if _blank(v) else v).astype(object)
    return frame


def _blank(value) -> bool:
    """True for None, NaN/NaT and strings of spaces.

    >>> [_blank(v) for v in (None, float("nan"), " ", "A", 0)]
    [True, True, True, False, False]
    """
    if isinstance(value, str):
        return not value.strip()
    return value is None or bool(pd.isna(value)) if np.ndim(value) == 0 else False


def _stable_id(*parts) -> str:
    return str(uuid.uuid5(NAMESPACE, "/".join(str(p) for p in parts)))


def _int_column(frame: pd.DataFrame, column: str, report: ImportReport) -> None:
    if column not in frame:
        return
    values = pd.to_numeric(frame[column], errors="coerce")
    bad = frame[column].notna() & values.isna()
    if bad.any():
        report.errors.append(f"{int(bad.sum())} features have a {column!r} that is not a number")
    frame[column] = values.round().astype("Int64")


def _fix_parcels(frame: pd.DataFrame, report: ImportReport) -> pd.DataFrame:
    areas = set(KNOWN_REGISTRY_AREAS)
    if "registry_area" in frame:
        areas |= {str(a).upper() for a in frame["registry_area"].dropna().unique()}
    areas = frozenset(areas)
    parsed, bad = [], 0
    for row, text in enumerate(frame["designation"]):
        try:
            d = parse_designation(str(text), areas)
            if d.registry_area is None:
                raise InvalidDesignation(f"{text!r} lacks the kommun (registerområde)")
        except InvalidDesignation as err:
            bad += 1
            if bad <= 20:
                report.errors.append(f"feature {row + 1}: {err}")
            d = None
        parsed.append(d)
    ok = [d for d in parsed if d is not None]
    if len(ok) != len(parsed):
        return frame
    frame["designation"] = [str(d) for d in ok]
    frame["registry_area"] = [d.registry_area for d in ok]
    frame["trakt"] = [d.trakt for d in ok]
    frame["block"] = pd.array([d.block for d in ok], dtype="Int32")
    frame["unit"] = [d.unit for d in ok]
    frame["unit_type"] = [d.kind for d in ok]
    per_unit = frame.groupby("unit_id")["designation"].nunique()
    for unit_id in per_unit[per_unit > 1].index[:20]:
        report.errors.append(f"register unit {unit_id} has several designations")
    if "part" not in frame or frame["part"].isna().any():
        frame["part"] = frame.groupby("unit_id").cumcount() + 1
    _int_column(frame, "part", report)
    if "part_id" not in frame or frame["part_id"].isna().any():
        frame["part_id"] = [
            _stable_id(u, p) for u, p in zip(frame["unit_id"], frame["part"], strict=True)
        ]
    return frame


def _fix_addresses(frame: pd.DataFrame, report: ImportReport) -> pd.DataFrame:
    _int_column(frame, "number", report)
    if "letter" in frame:
        frame["letter"] = frame["letter"].map(lambda v: None if _blank(v) else str(v).upper())
    if "label" not in frame or frame["label"].isna().any():
        letters = frame["letter"] if "letter" in frame else pd.Series([None] * len(frame))
        frame["label"] = [
            f"{s} {n}{lt or ''}"
            for s, n, lt in zip(frame["street"], frame["number"], letters, strict=True)
        ]
    return frame


def _fix_plans(frame: pd.DataFrame, report: ImportReport) -> pd.DataFrame:
    for column in ("adopted", "legal_force"):
        if column in frame:
            days = pd.to_datetime(frame[column], errors="coerce")
            bad = frame[column].notna() & days.isna()
            if bad.any():
                report.errors.append(f"{int(bad.sum())} plans have a {column!r} that is not a date")
            frame[column] = [d.date().isoformat() if not pd.isna(d) else None for d in days]
    _int_column(frame, "implementation_years", report)
    frame["status"] = frame["status"].map(lambda v: str(v).strip().lower() if v else v)
    return frame


def _fix_bestammelser(id_column: str):
    def fix(frame: pd.DataFrame, report: ImportReport) -> pd.DataFrame:
        if id_column not in frame or frame[id_column].isna().any():
            frame[id_column] = [
                _stable_id(p, c, i)
                for i, (p, c) in enumerate(zip(frame["plan_id"], frame["code"], strict=True))
            ]
        if "value" in frame:
            values = pd.to_numeric(frame["value"], errors="coerce")
            if (frame["value"].notna() & values.isna()).any():
                report.errors.append("some rules have a 'value' that is not a number")
            frame["value"] = values
        return frame

    return fix


FIXES = {
    "parcels": _fix_parcels,
    "addresses": _fix_addresses,
    "plans": _fix_plans,
    "plan_uses": _fix_bestammelser("use_id"),
    "plan_rules": _fix_bestammelser("rule_id"),
}


def _duplicates(frame: gpd.GeoDataFrame, layer: str, report: ImportReport) -> None:
    id_column = LAYER_SCHEMAS[layer].id_column
    if id_column in frame:
        dup = frame[id_column][frame[id_column].duplicated()].unique()
        for value in dup[:20]:
            report.errors.append(f"{id_column} {value} occurs more than once")
    if layer.startswith("plan"):  # several bestämmelser may share one area
        return
    wkb = pd.Series(shapely.to_wkb(frame.geometry.values), index=frame.index)
    same = wkb.duplicated(keep="first") & wkb.notna()
    for row in np.flatnonzero(same.to_numpy())[:20]:
        report.duplicates.append(f"feature {row + 1} has the same geometry as an earlier one")


def _overlaps(frame: gpd.GeoDataFrame, report: ImportReport) -> None:
    """Pairs of parcels whose interiors share an area (bounding-box candidates from an STRtree,
    then one vectorised DE-9IM test), reported with the size of the overlap."""
    geoms = frame.geometry.values
    left, right = shapely.STRtree(geoms).query(geoms)
    keep = left < right
    left, right = left[keep], right[keep]
    shapely.prepare(geoms)
    hit = shapely.relate_pattern(geoms[left], geoms[right], "2********")
    left, right = left[hit], right[hit]
    if not len(left):
        return
    sizes = shapely.area(shapely.intersection(geoms[left], geoms[right]))
    names = frame["designation"].to_numpy()
    for i, j, size in zip(left, right, sizes, strict=True):
        if size > OVERLAP_TOLERANCE and names[i] != names[j]:
            report.overlaps.append(f"{names[i]} and {names[j]} overlap by {size:.1f} m²")


def validate(
    frame: gpd.GeoDataFrame,
    layer: str,
    report: ImportReport,
    crs: str | None = None,
    mapping: dict[str, str] | None = None,
    progress: Progress = lambda m: None,
) -> gpd.GeoDataFrame:
    """Map, check and repair a source frame; errors and findings go into ``report``."""
    schema = LAYER_SCHEMAS[layer]
    report.features = len(frame)
    columns, dropped = map_columns(layer, list(frame.columns), mapping)
    report.columns = columns
    report.personal_columns = [c for c in dropped if is_personal(c)]
    report.dropped_columns = [c for c in dropped if not is_personal(c)]
    source_crs = _source_crs(frame, crs, report)
    frame = frame[[*columns, "geometry"]].rename(columns=columns)
    frame = gpd.GeoDataFrame(frame, geometry="geometry", crs=source_crs)
    if len(frame) == 0:
        report.errors.append("the file holds no features")
        return frame
    progress(f"checking {len(frame)} geometries")
    frame = _blank_to_null(frame)
    frame = _repair(frame, schema.geometry, report)
    if report.errors:
        return frame
    frame = frame.to_crs(STORAGE_CRS)
    _outside_sweden(frame, report)
    _required(frame, layer, report)
    if report.errors:
        return frame
    progress("checking attributes")
    frame = FIXES.get(layer, lambda f, r: f)(frame, report)
    _duplicates(frame, layer, report)
    if layer == "parcels" and not report.errors:
        progress("looking for overlapping parcels")
        _overlaps(frame, report)
    for column in schema.columns:  # the stored layer always has the whole schema
        if column not in frame:
            frame[column] = None
    return gpd.GeoDataFrame(
        frame[[*schema.columns, "geometry"]], geometry="geometry", crs=STORAGE_CRS
    )


# -- writing ---------------------------------------------------------------------------------


@contextlib.contextmanager
def _locked(store: Path):
    lock_path = store.with_name(store.name + ".lock")
    with open(lock_path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _copy_store(store: Path, work: Path) -> None:
    if not store.exists():
        return
    try:
        source = sqlite3.connect(store.resolve().as_uri() + "?mode=ro", uri=True, timeout=30)
        target = sqlite3.connect(work)
        with target:
            source.backup(target)
        source.close()
        target.close()
    except sqlite3.Error as err:
        raise StoreUnavailable(f"cannot copy the store {store}: {err}") from err


def write_layer(
    store: Path,
    layer: str,
    frame: gpd.GeoDataFrame,
    progress: Progress = lambda m: None,
    before_swap: Callable[[], None] | None = None,
    report: ImportReport | None = None,
) -> None:
    """Replace ``layer`` in the store by ``frame``, atomically (see the module docstring).

    ``report`` (the validation report) is recorded with the layer, in the same swap.
    """
    store = Path(store)
    store.parent.mkdir(parents=True, exist_ok=True)
    with _locked(store):
        for stale in store.parent.glob(f".{store.name}.import-*"):
            stale.unlink(missing_ok=True)
        work = store.with_name(f".{store.name}.import-{os.getpid()}.gpkg")
        try:
            progress("copying the store")
            _copy_store(store, work)
            progress(f"writing {len(frame)} features")
            polygonal = LAYER_SCHEMAS[layer].geometry == "polygon"
            pyogrio.write_dataframe(
                frame,
                work,
                layer=layer,
                driver="GPKG",
                promote_to_multi=polygonal,
                layer_options={"SPATIAL_INDEX": "YES"},
            )
            progress("indexing")
            prepare(work)
            if report is not None:
                _record(work, layer, report)
            _check(work, layer, len(frame))
            _fsync(work)
            if before_swap is not None:
                before_swap()
            os.replace(work, store)
            _fsync(store.parent)
        finally:
            work.unlink(missing_ok=True)


def _record(path: Path, layer: str, report: ImportReport) -> None:
    """Keep the import's report in the new file: the layer's information shows it."""
    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    body = {**report.to_dict(), "swapped": True}
    con = sqlite3.connect(path)
    try:
        with con:
            record_import(con, layer, now, body)
    finally:
        con.close()


def _check(path: Path, layer: str, expected: int) -> None:
    con = sqlite3.connect(path)
    try:
        ok = con.execute("PRAGMA quick_check").fetchone()[0]
        count = con.execute(f'SELECT count(*) FROM "{layer}"').fetchone()[0]
    finally:
        con.close()
    if ok != "ok" or count != expected:
        raise StoreUnavailable(
            f"the new {layer} layer did not verify ({ok}, {count} of "
            f"{expected} features); the store is unchanged"
        )


def import_layer(
    store: str | os.PathLike,
    layer: str,
    source: str | os.PathLike,
    *,
    crs: str | None = None,
    source_layer: str | None = None,
    mapping: dict[str, str] | None = None,
    dry_run: bool = False,
    progress: Progress = lambda m: None,
    licence: str | None = None,
) -> ImportReport:
    """Import ``layer`` from the file ``source`` into the GeoPackage store ``store``.

    Raises
    ------
    ImportRefused
        The file is unreadable or invalid; ``err.report`` says why. The store is unchanged.
    """
    if layer not in LAYER_SCHEMAS:
        raise UnknownLayer(f"unknown layer {layer!r}; choose one of {', '.join(LAYER_SCHEMAS)}")
    source = Path(source)
    report = ImportReport(layer, str(source), licence=licence)
    frame = read_source(source, source_layer, progress)
    frame = validate(frame, layer, report, crs, mapping, progress)
    if report.errors:
        raise ImportRefused(
            f"the {layer} in {source.name} are not valid; the store is "
            f"unchanged ({len(report.errors)} problems)",
            report,
        )
    report.imported = len(frame)
    if not dry_run:
        report.swapped = True
        try:
            write_layer(Path(store), layer, frame, progress, report=report)
        except BaseException:
            report.swapped = False
            raise
    return report
