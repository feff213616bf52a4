"""Build the fictitious sample municipality into a directory, deterministically and atomically.

>>> from data.build import SAMPLE_LAYERS
>>> SAMPLE_LAYERS
('parcels', 'addresses', 'buildings', 'plans', 'plan_uses', 'plan_rules')
"""

from __future__ import annotations

import dataclasses
import html
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import rasterio
import shapely
from affine import Affine

from data import names
from data.addresses import make_addresses
from data.buildings import buildings_frame, make_buildings
from data.cadastre import make_parcels
from data.dataset import DSM_NAME, DTM_NAME, GPKG_NAME, Dataset
from data.harnosand import make_harnosand
from data.layout import make_layout
from data.plans import make_plans
from data.surface import make_surfaces
from sweref import STORAGE_CRS

DEFAULT_SEED = 2281
SAMPLE_LAYERS = ("parcels", "addresses", "buildings", "plans", "plan_uses", "plan_rules")
FICTITIOUS_NOTICE = {
    "sv": "Fiktiva exempeldata: fastigheter, adresser, byggnader och planer är påhittade och "
    "motsvarar inga verkliga fastigheter i Sundsvall eller Härnösand.",
    "en": "Fictitious sample data: properties, addresses, buildings and plans are invented and "
    "do not describe any real property in Sundsvall or Härnösand.",
}

#: Attribute indexes that make lookups by id, designation and address cheap.
INDEXES = {
    "parcels": ["unit_id", "designation", "part_id"],
    "addresses": ["unit_id", "street", "label"],
    "buildings": ["unit_id", "building_id"],
    "plans": ["plan_id"],
    "plan_uses": ["plan_id"],
    "plan_rules": ["plan_id"],
}


#: A further build step: gets the directory being built and the progress callback, writes its
#: files there and returns them as {relative path: description} for the manifest.
Step = Callable[[Path, Callable[[str], None]], dict[str, str]]


def build_sample(
    out: str | os.PathLike,
    seed: int = DEFAULT_SEED,
    progress: Callable[[str], None] | None = None,
    steps: tuple[Step, ...] = (),
) -> Dataset:
    """Build the sample municipality into ``out``, replacing what is there only on success.

    Everything is written to a temporary sibling directory first; ``out`` is swapped in by
    renames at the end, so an interrupted build leaves any previous sample intact. ``steps``
    run on that directory after the base layers and surface models are written (this is how
    :mod:`mapservice` adds the solar map without :mod:`data` depending on :mod:`solar`).
    """
    out = Path(out).resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    say = progress or (lambda message: None)
    work = Path(tempfile.mkdtemp(prefix=f".{out.name}.building-", dir=out.parent))
    try:
        dataset = _build_into(work, seed, say, steps)
        _swap_in(work, out)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return dataclasses.replace(dataset, directory=out)


def _swap_in(work: Path, out: Path) -> None:
    old = None
    if out.exists():
        old = out.with_name(f".{out.name}.old-{os.getpid()}")
        out.rename(old)
    work.rename(out)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _build_into(
    work: Path, seed: int, say: Callable[[str], None], steps: tuple[Step, ...] = ()
) -> Dataset:
    rng = np.random.default_rng(seed)
    say("laying out parcels, streets and blocks")
    layout = make_layout(rng)
    parcels = make_parcels(layout)
    buildings = make_buildings(layout, rng)
    addresses = make_addresses(buildings)
    plans, uses, rules = make_plans(layout)
    say("drawing the surface model (terrain, roofs, trees)")
    grid, dtm, dsm, bases = make_surfaces(layout, buildings, rng)
    frames = {
        "parcels": parcels,
        "addresses": addresses,
        "buildings": buildings_frame(buildings, bases),
        "plans": plans,
        "plan_uses": uses,
        "plan_rules": rules,
    }
    say(f"laying out the second kommun, {names.HARNOSAND.title} ({names.HARNOSAND.kommunkod})")
    second = make_harnosand(np.random.default_rng([seed, int(names.HARNOSAND.kommunkod)]))
    frames = {
        name: _stack(_to_storage(frame), _to_storage(second[name], names.HARNOSAND.origin))
        for name, frame in frames.items()
    }
    say(f"writing {GPKG_NAME}")
    _write_vectors(work / GPKG_NAME, frames)
    say("writing the surface models as Cloud-Optimized GeoTIFFs")
    transform = rasterio.Affine.translation(*names.ORIGIN) @ grid.local_transform
    for name, array, description in (
        (DSM_NAME, dsm, "Digital ytmodell (mark, tak och träd)"),
        (DTM_NAME, dtm, "Digital markmodell"),
    ):
        write_cog(work / name, array, transform, STORAGE_CRS, description=description)
    _write_documents(work / "documents", frames)
    dataset = _dataset(frames, seed)
    files = dict(dataset.files)
    for step in steps:
        files.update(step(work, say))
    return dataclasses.replace(dataset, files=files).write(work)


def _to_storage(
    frame: gpd.GeoDataFrame, origin: tuple[float, float] = names.ORIGIN
) -> gpd.GeoDataFrame:
    """Move a frame from the local metres of the neighbourhood at ``origin`` into SWEREF 99 TM."""
    x0, y0 = origin
    offset = np.array([x0, y0])
    moved = shapely.transform(frame.geometry.values, lambda xy: np.round(xy + offset, 3))
    return frame.set_geometry(gpd.GeoSeries(moved, index=frame.index), crs=STORAGE_CRS)


def _stack(first: gpd.GeoDataFrame, second: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The rows of the first kommun, then those of the second (the first keep their order)."""
    return gpd.GeoDataFrame(pd.concat([first, second], ignore_index=True), crs=first.crs)


def _write_vectors(path: Path, frames: dict[str, gpd.GeoDataFrame]) -> None:
    # A fixed timestamp keeps the GeoPackage byte-for-byte reproducible (pyogrio has its own GDAL).
    pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": "2026-01-01T00:00:00.000Z"})
    try:
        for name, frame in frames.items():
            frame.to_file(
                path,
                layer=name,
                driver="GPKG",
                engine="pyogrio",
                promote_to_multi=name in ("parcels", "plan_uses", "plan_rules"),
                layer_options={"SPATIAL_INDEX": "YES", "DESCRIPTION": FICTITIOUS_NOTICE["sv"]},
            )
    finally:
        pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": None})
    with sqlite3.connect(path) as con:
        for layer, columns in INDEXES.items():
            for column in columns:
                con.execute(
                    f'CREATE INDEX IF NOT EXISTS "idx_{layer}_{column}" ON "{layer}" ("{column}")'
                )
    # Leave no journal or WAL behind: the file must be complete on its own.
    sqlite3.connect(path).close()


def write_cog(
    path: Path,
    array: np.ndarray,
    transform: Affine,
    crs: str,
    description: str = "",
    nodata: float | None = None,
) -> None:
    """Write a single-band float32 Cloud-Optimized GeoTIFF with overviews."""
    profile = {
        "driver": "COG",
        "width": array.shape[1],
        "height": array.shape[0],
        "count": 1,
        "dtype": "float32",
        "crs": crs,
        "transform": transform,
        "nodata": nodata,
        "compress": "DEFLATE",
        "predictor": 3,
        "blocksize": 512,
        "overview_resampling": "average",
        "BIGTIFF": "IF_SAFER",
    }
    with rasterio.Env(GDAL_NUM_THREADS="ALL_CPUS"), rasterio.open(path, "w", **profile) as dst:
        dst.write(array.astype("float32"), 1)
        dst.update_tags(1, UNIT="metre", VERTICAL_DATUM="RH 2000")
        dst.update_tags(DESCRIPTION=description, FICTITIOUS="yes", NOTICE=FICTITIOUS_NOTICE["en"])
        dst.set_band_description(1, description)


def _dataset(frames: dict[str, gpd.GeoDataFrame], seed: int) -> Dataset:
    """The sample's manifest, before the further build steps add their files."""
    x0, y0 = names.ORIGIN
    return Dataset(
        name="Exempelkommunen: ett fiktivt bostadsområde i Sundsvall",
        fictitious=True,
        notice=FICTITIOUS_NOTICE,
        kommunkod=names.KOMMUNKOD,
        kommun="Sundsvall",
        crs=STORAGE_CRS,
        vertical_datum="RH 2000",
        bounds=(x0, y0, x0 + names.SIZE, y0 + names.SIZE),
        seed=seed,
        vector=GPKG_NAME,
        layers={name: len(frame) for name, frame in frames.items()},
        files={
            DSM_NAME: "surface model, 0.5 m, RH 2000",
            DTM_NAME: "ground model, 0.5 m, RH 2000",
        },
        trakter=tuple(sorted({t for t in frames["parcels"]["trakt"]})),
        kommuner={k.kommunkod: k.title for k in (names.SUNDSVALL, names.HARNOSAND)},
    )


def _write_documents(folder: Path, frames: dict[str, gpd.GeoDataFrame]) -> None:
    """A plain HTML plan document per plan: its data and the wording of its rules."""
    folder.mkdir()
    rules = frames["plan_rules"]
    uses = frames["plan_uses"]
    for plan in frames["plans"].itertuples():
        plan_id = str(plan.plan_id)
        lines = [
            f"<h1>{html.escape(plan_id)} {html.escape(str(plan.name))}</h1>",
            f"<p>{html.escape(FICTITIOUS_NOTICE['sv'])}</p>",
            f"<p>Status: {html.escape(str(plan.status))}. "
            f"Antagen: {html.escape(str(plan.adopted or '–'))}. "
            f"Laga kraft: {html.escape(str(plan.legal_force or '–'))}. Genomförandetid: "
            f"{html.escape(str(plan.implementation_years or '–'))} år.</p>",
            "<h2>Användningsbestämmelser</h2><ul>",
        ]
        for code, wording in sorted(
            set(uses.loc[uses.plan_id == plan_id, ["code", "wording"]].itertuples(index=False))
        ):
            lines.append(f"<li><b>{html.escape(code)}</b> {html.escape(wording)}</li>")
        lines.append("</ul><h2>Egenskapsbestämmelser</h2><ul>")
        for code, wording in sorted(
            set(rules.loc[rules.plan_id == plan_id, ["code", "wording"]].itertuples(index=False))
        ):
            lines.append(f"<li><b>{html.escape(code)}</b> {html.escape(wording)}</li>")
        lines.append("</ul>")
        page = (
            '<!doctype html><html lang="sv"><meta charset="utf-8">'
            f"<title>{html.escape(plan_id)}</title>" + "".join(lines) + "</html>\n"
        )
        (folder / f"{plan_id}.html").write_text(page, encoding="utf-8")


__all__ = ["DEFAULT_SEED", "SAMPLE_LAYERS", "build_sample", "write_cog"]
