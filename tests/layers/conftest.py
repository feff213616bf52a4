"""Fixtures of the layers tests: a private copy of the sample store, and tiny made-up stores."""

from __future__ import annotations

import shutil

import geopandas as gpd
import pytest
from shapely import Point, box

from layers import GeoPackageStore
from layers.schema import LAYER_SCHEMAS


@pytest.fixture(scope="session")
def sample_store_path(sample, tmp_path_factory):
    """A copy of the sample GeoPackage, indexed through the store's write interface."""
    path = tmp_path_factory.mktemp("store") / "minfastighet.gpkg"
    shutil.copyfile(sample.vector_path, path)
    with GeoPackageStore(path, writable=True) as store:
        store.build_indexes()
    return path


@pytest.fixture
def store(sample_store_path, sample, store_backend, open_vector_store):
    """The sample's store on ``store_backend`` (the indexed GeoPackage copy, or PostGIS)."""
    if store_backend == "geopackage":
        with GeoPackageStore(sample_store_path) as opened:
            yield opened
    else:
        with open_vector_store(sample) as opened:
            yield opened


def frame(rows, crs="EPSG:3006"):
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=crs)


X0, Y0 = 616_400.0, 6_917_400.0


def tiny_layers(kommuner=("SUNDSVALL", "TIMRÅ")):
    """Two kommuner with a trakt of the same name (ambiguous), one plan over half of a lot."""
    parcels, addresses = [], []
    for k, kommun in enumerate(kommuner):
        for u in (1, 2):
            x = X0 + k * 1000 + (u - 1) * 50
            parcels.append(
                {
                    "designation": f"{kommun} EKBACKEN 1:{u}",
                    "unit_id": f"{kommun}-{u}",
                    "geometry": box(x, Y0, x + 50, Y0 + 40),
                }
            )
            addresses.append(
                {
                    "address_id": f"a-{kommun}-{u}",
                    "unit_id": f"{kommun}-{u}",
                    "street": "Ekvägen",
                    "number": u,
                    "postal_town": kommun,
                    "geometry": Point(x + 25, Y0 + 5),
                }
            )
    parcels.append(
        {
            "designation": "SUNDSVALL UGGLAN 3",
            "unit_id": "ugglan-3",
            "geometry": box(X0 + 100, Y0, X0 + 150, Y0 + 40),
        }
    )
    plans = [
        {
            "plan_id": "P1",
            "name": "Plan ett",
            "status": "laga kraft",
            "legal_force": "2020-02-29",
            "implementation_years": 5,
            "geometry": box(X0, Y0, X0 + 25, Y0 + 40),
        }
    ]
    uses = [
        {
            "plan_id": "P1",
            "code": "B",
            "land_form": "kvartersmark",
            "geometry": box(X0, Y0, X0 + 25, Y0 + 40),
        }
    ]
    rules = [
        {
            "plan_id": "P1",
            "code": "e1",
            "category": "utnyttjandegrad",
            "value": 200,
            "unit": "m²",
            "geometry": box(X0, Y0, X0 + 25, Y0 + 40),
        },
        {
            "plan_id": "P1",
            "code": "prickmark",
            "category": "prickmark",
            "geometry": box(X0, Y0, X0 + 25, Y0 + 4),
        },
    ]
    buildings = [
        {
            "building_id": "b1",
            "unit_id": f"{kommuner[0]}-1",
            "geometry": box(X0 + 10, Y0 + 10, X0 + 20, Y0 + 20),
        }
    ]
    return {
        "parcels": parcels,
        "addresses": addresses,
        "buildings": buildings,
        "plans": plans,
        "plan_uses": uses,
        "plan_rules": rules,
    }


@pytest.fixture(scope="session")
def tiny_store_path(tmp_path_factory):
    """A tiny store written through the importer's validation and the store's atomic writes."""
    from layers.import_report import ImportReport
    from layers.validate import validate

    path = tmp_path_factory.mktemp("tiny") / "tiny.gpkg"
    with GeoPackageStore(path, writable=True) as store:
        for layer, rows in tiny_layers().items():
            report = ImportReport(layer, "memory")
            clean = validate(frame(rows), layer, report)
            assert report.ok, report.errors
            store.replace_layer(layer, clean)
    assert set(LAYER_SCHEMAS) == set(tiny_layers())
    return path
