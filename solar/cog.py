"""Cloud-Optimized GeoTIFFs of solar maps: one layout for every map, written atomically.

The layout (:data:`PROFILE`) was chosen by measurement, see ``benchmarks/cog_layout.py`` and
docs/SOLAR.md. A :class:`Draft` collects blocks in a tiled GeoTIFF beside the target and turns it
into a COG with overviews only when complete; :func:`validate_cog` checks the result with
rio-cogeo.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import rasterio
import rasterio.shutil
from numpy.typing import NDArray
from rasterio.windows import Window

if TYPE_CHECKING:
    from rasterio.io import DatasetWriter

from solar.errors import SolarError

__all__ = ["PROFILE", "Draft", "validate_cog"]

#: Creation options of every solar COG.
PROFILE: dict[str, str] = {
    "COMPRESS": "ZSTD",
    "PREDICTOR": "NO",
    "LEVEL": "9",
    "BLOCKSIZE": "256",
    "OVERVIEW_RESAMPLING": "AVERAGE",
    "BIGTIFF": "IF_SAFER",
    "NUM_THREADS": "ALL_CPUS",
}


class Draft:
    """A float32 GeoTIFF being written block by block; ``finish`` makes the COG at ``path``."""

    def __init__(
        self,
        path: str | os.PathLike[str],
        profile: dict[str, Any],
        nodata: float,
        options: dict[str, str] | None = None,
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
        self.dst: DatasetWriter | None = None

    def __enter__(self) -> Draft:
        self.dst = rasterio.open(self.partial, "w", **self.profile)
        return self

    def _open(self) -> DatasetWriter:
        if self.dst is None:
            raise ValueError(f"{self.partial.name} is not open: write a Draft in a with block")
        return self.dst

    def write(self, values: NDArray[np.floating[Any]], window: Window) -> None:
        """Write ``values`` into ``window`` of the draft, as float32."""
        self._open().write(values.astype(np.float32), 1, window=window)

    def finish(self, tags: dict[str, Any], band_tags: dict[str, Any], description: str) -> None:
        """Write the metadata and convert the draft into the COG at ``path``."""
        dst = self._open()
        dst.update_tags(**tags)
        dst.update_tags(1, **band_tags)
        dst.set_band_description(1, description)
        dst.close()
        self.dst = None
        to_cog(self.partial, self.path, self.options)

    def __exit__(self, *exc: object) -> None:
        if self.dst is not None:
            self.dst.close()
        self.partial.unlink(missing_ok=True)


def to_cog(
    source: str | os.PathLike[str],
    target: str | os.PathLike[str],
    options: dict[str, str] | None = None,
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


def validate_cog(path: str | os.PathLike[str]) -> None:
    """Raise :class:`SolarError` unless ``path`` is a valid Cloud-Optimized GeoTIFF."""
    from rio_cogeo.cogeo import cog_validate

    valid, errors, _warnings = cog_validate(str(path), quiet=True)
    if not valid:
        raise SolarError(
            f"{Path(path).name} is not a valid Cloud-Optimized GeoTIFF: " + "; ".join(errors)
        )
