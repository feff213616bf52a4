"""Bring a solar map made elsewhere (SOLEY GeoTIFFs, UMEP SEBE output …) into the catalog.

Only a local GeoTIFF file is read, with GDAL's GTiff driver alone, whatever the file's name: a
VRT, a ``/vsi…`` path or a URL is refused (they could make GDAL read other files or the network).

:func:`import_solar_raster` checks that the raster can be annual irradiation in kWh/m²·year
(unit tags and value range), converts it to the catalog's COG layout (float32, nodata
:data:`solar.solar_map.NODATA`), reprojects it to EPSG:3006 when asked, and catalogues it.

>>> unit_factor("kWh/m²")
1.0
>>> unit_factor("Wh m-2")
0.001
>>> unit_factor("kWh/kWp")
Traceback (most recent call last):
...
solar.errors.NotIrradiation: the unit 'kWh/kWp' is not an irradiation (kWh/m², Wh/m² or MJ/m²)
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import rasterio
from numpy.typing import NDArray
from rasterio.enums import Resampling
from rasterio.vrt import WarpedVRT
from rasterio.windows import Window

from solar import cog
from solar.catalog import SolarTile, add_to_catalog
from solar.errors import CatalogError, NotIrradiation
from solar.solar_map import BLOCK, NODATA, UNIT
from sweref import STORAGE_CRS

if TYPE_CHECKING:
    from rasterio.io import DatasetReader

__all__ = ["check_irradiation", "import_solar_raster", "unit_factor"]

#: Annual irradiation on a surface anywhere on Earth stays below this (kWh/m²·year).
MAX_ANNUAL = 3000.0
#: The sunniest 5 % of a solar map's pixels get at least this much in a year, anywhere people
#: live (Svalbard's best roofs get ~600); a lower value means another period or unit.
MIN_P95 = 300.0

_UNITS = {"kwh/m2": 1.0, "wh/m2": 1e-3, "mj/m2": 1.0 / 3.6}
_UNIT_TAGS = ("UNIT", "UNITS", "unit", "units", "Unit", "Units")


def unit_factor(unit: str) -> float:
    """Factor from ``unit`` to kWh/m²; :class:`NotIrradiation` for anything else."""
    text = unit.strip().lower().replace("²", "2").replace(" ", "")
    text = re.sub(r"m-2", "/m2", text).replace("//", "/")
    text = re.sub(r"(/(year|yr|a|y|år))$", "", text)
    if text in _UNITS:
        return _UNITS[text]
    raise NotIrradiation(f"the unit {unit!r} is not an irradiation (kWh/m², Wh/m² or MJ/m²)")


def _declared_unit(src: DatasetReader) -> str | None:
    for tags in (src.tags(1), src.tags()):
        for key in _UNIT_TAGS:
            if tags.get(key):
                return str(tags[key])
    units = src.units[0] if src.units else ""
    return str(units) if units else None


def _sample(src: DatasetReader) -> NDArray[np.float64]:
    factor = max(1, max(src.width, src.height) // 2048)
    values = src.read(
        1, masked=True, out_shape=(max(1, src.height // factor), max(1, src.width // factor))
    )
    valid = np.asarray(values.compressed(), dtype=np.float64)
    return valid[np.isfinite(valid)]


def check_irradiation(values: NDArray[np.floating[Any]], name: str) -> None:
    """Raise :class:`NotIrradiation` unless ``values`` (kWh/m²) look like an annual map."""
    if values.size == 0:
        raise NotIrradiation(f"{name} holds no valid values")
    low, p95, high = np.percentile(values, [0.1, 95, 99.9])
    if low < -0.5:
        raise NotIrradiation(
            f"{name} has negative values (down to {low:.1f}): irradiation "
            "cannot be negative; is its nodata value set?"
        )
    if high > MAX_ANNUAL:
        raise NotIrradiation(
            f"{name} has values up to {high:.0f} kWh/m², more than any place "
            f"gets in a year ({MAX_ANNUAL:.0f}); is it in Wh/m²? Give --unit"
        )
    if p95 < MIN_P95:
        raise NotIrradiation(
            f"{name}'s sunniest pixels get only {p95:.1f} kWh/m²: that is not "
            "a year's irradiation (a shorter period, PV yield or heights?)"
        )


def import_solar_raster(
    raster: str | os.PathLike[str],
    catalog_path: str | os.PathLike[str],
    scan_date: dt.date | str,
    assets: str | os.PathLike[str] | None = None,
    to_storage_crs: bool = False,
    unit: str | None = None,
    item_id: str | None = None,
    source: str | None = None,
) -> SolarTile:
    """Check, convert and catalogue one external solar map; return its catalog entry."""
    raster = Path(raster)
    catalog_path = Path(catalog_path)
    assets = Path(assets) if assets else catalog_path.parent.parent / "solar"
    item_id = item_id or re.sub(r"[^A-Za-z0-9_.-]+", "-", raster.stem)
    if str(raster).startswith("/vsi") or "://" in str(raster) or not raster.is_file():
        raise CatalogError(f"{raster} is not a local file; a solar map is added from one")
    try:  # GeoTIFF only: a VRT or another GDAL format could read other files or URLs
        src = rasterio.open(raster.resolve(), driver="GTiff")
    except rasterio.errors.RasterioIOError as err:
        raise CatalogError(f"cannot read {raster} as a GeoTIFF: {err}") from err
    with src:
        if src.count != 1:
            raise NotIrradiation(f"{raster.name} has {src.count} bands; a solar map has one")
        if src.crs is None:
            raise NotIrradiation(f"{raster.name} has no CRS")
        declared = unit or _declared_unit(src)
        factor = unit_factor(declared) if declared else 1.0
        check_irradiation(_sample(src) * factor, raster.name)
        parameters = _parameters(src, raster, declared, factor)
        target = assets / f"{item_id}.tif"
        assets.mkdir(parents=True, exist_ok=True)
        if to_storage_crs and src.crs.to_string() != STORAGE_CRS:
            with WarpedVRT(
                src,
                crs=STORAGE_CRS,
                resampling=Resampling.nearest,
                src_nodata=src.nodata,
                nodata=NODATA,
            ) as vrt:
                _convert(vrt, target, factor)
            parameters["reprojected_to"] = STORAGE_CRS
        else:
            _convert(src, target, factor)
    cog.validate_cog(target)
    return add_to_catalog(
        catalog_path,
        target,
        scan_date,
        source=source or f"imported from {raster.name}",
        item_id=item_id,
        parameters=parameters,
    )


def _parameters(
    src: DatasetReader, raster: Path, declared: str | None, factor: float
) -> dict[str, Any]:
    own = src.tags().get("SOLAR_MODEL")
    if own:
        try:
            recorded = json.loads(own)
        except json.JSONDecodeError:
            recorded = None
        if isinstance(recorded, dict):
            return recorded
    return {
        "model": "external",
        "imported_from": raster.name,
        "original_crs": src.crs.to_string(),
        "original_unit": declared or "kWh/m2 (assumed)",
        "scale_to_kwh_m2": factor,
        "unit": UNIT,
    }


def _convert(src: DatasetReader | WarpedVRT, target: Path, factor: float) -> None:
    profile = {"width": src.width, "height": src.height, "crs": src.crs, "transform": src.transform}
    with cog.Draft(target, profile, NODATA) as draft:
        for row in range(0, src.height, BLOCK):
            for col in range(0, src.width, BLOCK):
                window = Window(col, row, min(BLOCK, src.width - col), min(BLOCK, src.height - row))
                band = src.read(1, window=window, masked=True).astype(np.float64)
                values = (band * factor).filled(NODATA)
                values[~np.isfinite(values)] = NODATA
                draft.write(values.astype(np.float32), window)
        draft.finish(
            tags={"UNIT": UNIT, "SOURCE": src.name},
            band_tags={"UNIT": UNIT},
            description="Annual irradiation (kWh/m²·year)",
        )
