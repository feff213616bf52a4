"""Cloud-Optimized GeoTIFFs of solar maps: one layout for every map, written atomically.

The layout (:data:`PROFILE`) was chosen by measurement, see ``benchmarks/cog_layout.py`` and
docs/SOLAR.md. A :class:`Draft` collects blocks in a tiled GeoTIFF beside the target and turns it
into a COG with overviews only when complete; :func:`validate_cog` checks the result with
rio-cogeo.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import rasterio
import rasterio.shutil
from rasterio.windows import Window

from solar.errors import SolarError

__all__ = ["PROFILE", "Draft", "validate_cog"]

#: Creation options of every solar COG.
PROFILE = {
    "COMPRESS": "DEFLATE",
    "PREDICTOR": "NO",
    "LEVEL": "6",
    "BLOCKSIZE": "256",
    "OVERVIEW_RESAMPLING": "AVERAGE",
    "BIGTIFF": "IF_SAFER",
    "NUM_THREADS": "ALL_CPUS",
}


class Draft:
    """A float32 GeoTIFF being written block by block; ``finish`` makes the COG at ``path``."""

    def __init__(
        self, path: str | os.PathLike, profile: dict, nodata: float, options: dict | None = None
    ) -> None:
        self.path = Path(path)
        self.options = {**PROFILE, **(options or {})}
        self.partial = self.path.with_name(f".{self.path.name}.partial.tif")
        self.profile = {
            "driver": "GTiff",
            "width": profile["width"],
            "height": profile["height"],
            "count": 1,
            "dtype": "float32",
            "crs": profile["crs"],
            "transform": profile["transform"],
            "nodata": nodata,
            "tiled": True,
            "blockxsize": 512,
            "blockysize": 512,
            "compress": "ZSTD",
            "BIGTIFF": "IF_SAFER",
        }
        self.dst = None

    def __enter__(self) -> Draft:
        self.dst = rasterio.open(self.partial, "w", **self.profile)
        return self

    def write(self, values: np.ndarray, window: Window) -> None:
        self.dst.write(values.astype(np.float32), 1, window=window)

    def finish(self, tags: dict, band_tags: dict, description: str) -> None:
        """Write the metadata and convert the draft into the COG at ``path``."""
        self.dst.update_tags(**tags)
        self.dst.update_tags(1, **band_tags)
        self.dst.set_band_description(1, description)
        self.dst.close()
        self.dst = None
        to_cog(self.partial, self.path, self.options)

    def __exit__(self, *exc) -> None:
        if self.dst is not None:
            self.dst.close()
        self.partial.unlink(missing_ok=True)


def to_cog(
    source: str | os.PathLike, target: str | os.PathLike, options: dict | None = None
) -> None:
    """Copy a single-band raster into a COG at ``target`` (replaced only on success)."""
    target = Path(target)
    temporary = target.with_name(f".{target.name}.cog.tif")
    try:
        with rasterio.Env(GDAL_TIFF_INTERNAL_MASK=True):
            rasterio.shutil.copy(source, temporary, driver="COG", **(options or PROFILE))
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)


def validate_cog(path: str | os.PathLike) -> None:
    """Raise :class:`SolarError` unless ``path`` is a valid Cloud-Optimized GeoTIFF."""
    from rio_cogeo.cogeo import cog_validate

    valid, errors, _warnings = cog_validate(str(path), quiet=True)
    if not valid:
        raise SolarError(
            f"{Path(path).name} is not a valid Cloud-Optimized GeoTIFF: " + "; ".join(errors)
        )
