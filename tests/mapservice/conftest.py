"""App and client fixtures, built from create_app as in Flask's tutorial."""

from __future__ import annotations

import os

import numpy as np
import pytest
import rasterio
from affine import Affine

from mapservice import create_app


@pytest.fixture
def app(sample, vector_config):
    """The app over the sample, its vector store on ``store_backend``."""
    return create_app({"TESTING": True, "data_dir": str(sample.directory), **vector_config(sample)})


@pytest.fixture
def client(app):
    return app.test_client()


#: The sample property the report tests look at.
DESIGNATION = "SUNDSVALL BJÖRKÅSEN 2:1"


@pytest.fixture(scope="module")
def report_client(full_sample, vector_config):
    """A client of the app over the full sample (with its solar map), its vector store on
    ``store_backend``."""
    config = {"TESTING": True, "data_dir": str(full_sample.directory)}
    return create_app({**config, **vector_config(full_sample)}).test_client()


#: The property they look at in a directory made by ``kommun build`` (``--data-from``).
BUILT_DESIGNATION = "SUNDSVALL TESTBY 1:2"


@pytest.fixture(scope="module")
def unit(report_client, request):
    """The register unit id of :data:`DESIGNATION` (of :data:`BUILT_DESIGNATION` when the tests
    run on a ``kommun build`` directory)."""
    built = request.config.getoption("--data-from") == "kommun-build"
    designation = BUILT_DESIGNATION if built else DESIGNATION
    return report_client.get(f"/api/v1/properties?designation={designation}").json["unit_id"]


def write_solar_map(path, values, origin, nodata=-9999.0):
    """Write ``values`` as a float32 COG at 0.5 m, upper-left corner ``origin`` (EPSG:3006).

    The file is written beside ``path`` and moved over it: a new file, as a rebuild leaves it.
    """
    profile = {
        "driver": "COG",
        "width": values.shape[1],
        "height": values.shape[0],
        "count": 1,
        "dtype": "float32",
        "crs": "EPSG:3006",
        "nodata": nodata,
        "blocksize": 256,
        "transform": Affine(0.5, 0, origin[0], 0, -0.5, origin[1]),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    work = path.with_name(f".{path.name}.new")
    with rasterio.open(work, "w", **profile) as dst:
        dst.write(np.asarray(values, np.float32), 1)
    os.replace(work, path)
    return path
