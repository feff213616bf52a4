"""Tiny synthetic surface models for the solar tests: planes, blocks, files."""

from __future__ import annotations

import numpy as np
import pytest
import rasterio
from affine import Affine

from solar import SolarModel

#: Upper-left corner of the synthetic grids: the sample municipality in Sundsvall (EPSG:3006).
ORIGIN = (617000.0, 6918000.0)
CRS = "EPSG:3006"


def transform(res: float = 0.5):
    return Affine(res, 0.0, ORIGIN[0], 0.0, -res, ORIGIN[1])


def plane(
    tilt: float, aspect: float, size: int = 40, res: float = 0.5, base: float = 20.0
) -> np.ndarray:
    """A plane tilted ``tilt`` degrees, facing (downhill towards) azimuth ``aspect``."""
    rows, cols = np.mgrid[0:size, 0:size] * res
    east, north = cols, -rows
    ux, uy = np.sin(np.radians(aspect)), np.cos(np.radians(aspect))
    return (base - np.tan(np.radians(tilt)) * (east * ux + north * uy)).astype(np.float32)


def write_dsm(path, z: np.ndarray, res: float = 0.5, crs: str = CRS, nodata=None) -> str:
    profile = {
        "driver": "GTiff",
        "width": z.shape[1],
        "height": z.shape[0],
        "count": 1,
        "dtype": "float32",
        "crs": crs,
        "transform": transform(res),
        "nodata": nodata,
        "tiled": True,
        "blockxsize": 64,
        "blockysize": 64,
    }
    with rasterio.open(path, "w", **profile) as dst:
        dst.write(z.astype(np.float32), 1)
    return str(path)


@pytest.fixture(scope="session")
def fast_model() -> SolarModel:
    """Coarser time step and a short margin: enough for tests on small grids."""
    return SolarModel(step_minutes=20, margin_m=15.0, directions=48)
