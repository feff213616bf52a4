"""What each stage of :func:`mapservice.kommun.build.build_kommun` does (one function each)."""

from __future__ import annotations

import datetime as dt
import re
import shutil

import geopandas as gpd
import pyogrio

from layers.errors import ImportRefused
from layers.import_report import ImportReport
from layers.importer import import_layer
from layers.national.detaljplan import catalogue_entries, read_json, read_plans
from layers.read import read_source
from layers.schema import LAYER_SCHEMAS
from layers.validate import validate
from mapservice.kommun.work import (
    DSM_NAME,
    DTM_NAME,
    SOLAR_CATALOG,
    SOLAR_MAP,
    Build,
    dataset_of,
    merged_file,
    report_of,
)
from sweref import STORAGE_CRS

VECTOR_LAYERS = ("parcels", "buildings", "addresses")
PLAN_LAYERS = ("plans", "plan_uses", "plan_rules")


def _of_kommun(build: Build, frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    column = next((c for c in frame.columns if str(c).lower() == "kommunkod"), None)
    if column is None:
        return frame
    codes = frame[column].map(lambda v: str(v).split(".")[0].zfill(4))
    return frame[(codes == build.kommunkod).to_numpy()]


def layers_stage(build: Build) -> None:
    """Register units, then the buildings and addresses linked to them."""
    build.store.unlink(missing_ok=True)
    for layer in VECTOR_LAYERS:
        files = build.delivery.vectors.get(layer, [])
        if not files:
            if layer == "parcels":
                raise ImportRefused("the delivery holds no register units (Fastighetsindelning)")
            build.notes.append(f"the delivery holds no {layer}: the layer is empty")
            _empty(build, layer)
            continue
        frames = [_of_kommun(build, read_source(path, name)) for path, name in files]
        source = merged_file(build, layer, frames, files[0][1])
        build.say(f"  importing {layer} from {', '.join(p.name for p, _ in files)}")
        report = import_layer(build.store, layer, source, progress=lambda m: build.say(f"    {m}"))
        report.source = ", ".join(p.name for p, _ in files)
        build.reports.append(report_of(report))


def _empty(build: Build, layer: str) -> None:
    from layers.geopackage import GeoPackageStore

    frame = gpd.GeoDataFrame(
        {c: [] for c in LAYER_SCHEMAS[layer].columns}, geometry=[], crs=STORAGE_CRS
    )
    with GeoPackageStore(build.store, writable=True) as store:
        store.replace_layer(layer, frame)


def plans_stage(build: Build) -> None:
    """Plans of the national specification, and older plans as boundaries with their PDFs."""
    catalogue: dict[str, dict[str, object]] = {}
    for path in build.delivery.catalogue:
        catalogue.update(catalogue_entries(read_json(path)))
    found = read_plans([read_json(p) for p in build.delivery.plan_json], catalogue)
    build.notes += found.warnings
    frames = found.frames()
    old = _old_plans(build)
    if old is not None:
        frames["plans"] = gpd.GeoDataFrame(
            [*frames["plans"].to_dict("records"), *old.to_dict("records")],
            columns=frames["plans"].columns,
            geometry="geometry",
            crs=STORAGE_CRS,
        )
    for layer in PLAN_LAYERS:
        if len(frames[layer]) == 0:
            build.notes.append(f"the delivery holds no {layer}: the layer is empty")
            _empty(build, layer)
            continue
        source = merged_file(build, layer, [frames[layer]], layer)
        report = import_layer(build.store, layer, source)
        report.source = ", ".join(p.name for p in build.delivery.plan_json) or "older plans"
        build.reports.append(report_of(report))


def _old_plans(build: Build) -> gpd.GeoDataFrame | None:
    """Older plans delivered as digitised boundaries, their PDFs copied into ``documents/``
    under a name made here (never one taken from the data)."""
    if not build.delivery.old_plans:
        return None
    folder = build.work / "documents"
    folder.mkdir(exist_ok=True)
    frames = []
    for path, name in build.delivery.old_plans:
        report = ImportReport("plans", path.name)
        frame = validate(read_source(path, name), "plans", report)
        if report.errors:
            raise ImportRefused(f"the older plans in {path.name} are not valid", report)
        build.reports.append(report_of(report))
        documents: list[str | None] = []
        for plan_id in frame["plan_id"]:
            pdf = build.delivery.documents.get(str(plan_id))
            if pdf is None:
                documents.append(None)
                continue
            target = f"documents/{re.sub(r'[^A-Za-z0-9._-]', '_', str(plan_id))}.pdf"
            shutil.copyfile(pdf, build.work / target)
            documents.append(target)
        frame["document"] = documents
        frames.append(frame)
    missing = sum(f["document"].isna().sum() for f in frames)
    if missing:
        build.notes.append(f"{missing} older plans have no PDF (<plan id>.pdf) in the delivery")
    return gpd.GeoDataFrame(
        [r for f in frames for r in f.to_dict("records")], geometry="geometry", crs=STORAGE_CRS
    )


def index_stage(build: Build) -> None:
    """The search table of designations and addresses."""
    from layers.geopackage import GeoPackageStore

    with GeoPackageStore(build.store, writable=True) as store:
        store.build_indexes()


def surface_stage(build: Build) -> None:
    """DSM and DTM from the delivery's laser tiles or grids."""
    from solar.delivery import surface_from_delivery

    if not build.delivery.surface:
        raise ImportRefused("the delivery holds no laser tiles (LAZ) or surface grids (GeoTIFF)")
    result = surface_from_delivery(
        build.delivery.surface, build.work, buildings=build.store, say=build.say
    )
    build.notes.append(
        f"surface models from {len(result.sources)} files at {result.resolution} m; "
        f"{result.noise_points} noise points dropped"
    )
    if build.scan_date is None:
        newest = max(p.stat().st_mtime for p in build.delivery.surface)
        build.scan_date = dt.date.fromtimestamp(newest).isoformat()
        build.notes.append(
            f"scan date not given (--scan-date): the surface files' date {build.scan_date} is used"
        )


def solar_stage(build: Build) -> None:
    """The solar map of the roofs, catalogued."""
    from solar import compute_solar_map
    from solar.catalog import add_to_catalog

    scan_date = build.scan_date or dt.date.today().isoformat()
    result = compute_solar_map(
        build.work / DSM_NAME, build.work / SOLAR_MAP, buildings=build.store, scan_date=scan_date
    )
    (build.work / SOLAR_CATALOG).parent.mkdir(parents=True, exist_ok=True)
    add_to_catalog(
        build.work / SOLAR_CATALOG,
        result.path,
        scan_date,
        source="computed from the surface model of the kommun's delivery",
        item_id="solkarta",
        parameters=result.parameters,
    )
    build.say(f"  solar map: {result.pixels:,} roof pixels, mean {result.mean:.0f} kWh/m²·year")


def roof_faces_stage(build: Build) -> None:
    """Each roof segmented into faces (the ``roof_faces`` layer)."""
    from mapservice.commands.sample_data import roof_faces_step

    roof_faces_step(build.work, build.say)


def manifest_stage(build: Build) -> None:
    """The data directory's manifest, ``dataset.json``."""
    layers = {
        name: int(pyogrio.read_info(build.store, layer=name)["features"])
        for name in (*VECTOR_LAYERS, *PLAN_LAYERS)
    }
    files = {
        DSM_NAME: "surface model, RH 2000, from the kommun's delivery",
        SOLAR_MAP: "solar map: annual irradiation on roofs, kWh/m²·year",
        SOLAR_CATALOG: "STAC catalog of the solar maps",
    }
    if (build.work / DTM_NAME).is_file():
        files[DTM_NAME] = "terrain model, RH 2000, from the kommun's delivery"
    dataset_of(build, layers, files).write(build.work)
