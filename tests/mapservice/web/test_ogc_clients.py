"""Real clients against the service over HTTP: GDAL's OGC API driver and OWSLib.

The service runs in its own process (the ``serve`` fixture: ``minfastighet serve`` on a free
loopback port): GDAL holds the GIL while it reads, so a server thread inside the test process
would starve. schemathesis runs over both OpenAPI documents in tests/fuzz.
"""

from __future__ import annotations

import pyogrio
import pyproj
import pytest
import shapely
from owslib.ogcapi.features import Features

from layers import open_store

COLLECTIONS = (
    "parcels",
    "addresses",
    "buildings",
    "plans",
    "plan_uses",
    "plan_rules",
    "roof_faces",
)
EXAMPLES = 200


@pytest.fixture(scope="module")
def server(full_sample, serve):
    with serve(full_sample.directory) as base:
        yield base


@pytest.fixture(scope="module")
def store(full_sample):
    with open_store("geopackage", full_sample.directory / "minfastighet.gpkg") as s:
        yield s


# -- GDAL ------------------------------------------------------------------------------------


@pytest.mark.parametrize("collection", COLLECTIONS)
def test_gdal_reads_every_collection_in_pages_in_its_storage_crs(server, store, collection):
    url = f"OAPIF:{server}/ogc"
    info = store.layer_info(collection)
    # a page of 100 makes GDAL follow the next links across several pages
    frame = pyogrio.read_dataframe(url, layer=collection, PAGE_SIZE="100")
    assert len(frame) == info.count
    assert frame.crs.to_epsg() == 3006
    assert frame["id"].is_unique
    stored = pyogrio.read_dataframe(store.path, layer=collection)
    assert tuple(frame.total_bounds) == pytest.approx(tuple(stored.total_bounds), abs=0.006)
    assert sorted(frame[info.id_column]) == sorted(stored[info.id_column])


@pytest.mark.parametrize("crs", ["EPSG:3014", "EPSG:4326", "EPSG:3021"])
def test_gdal_negotiates_other_crs(server, store, crs):
    frame = pyogrio.read_dataframe(f"OAPIF:{server}/ogc", layer="parcels", CRS=crs)
    # GDAL asks for CRS84 when EPSG:4326 is wanted (same datum, longitude first)
    assert pyproj.CRS(crs).equals(frame.crs, ignore_axis_order=True)
    stored = pyogrio.read_dataframe(store.path, layer="parcels")
    expected = shapely.get_coordinates(stored.to_crs(crs).sort_values("part_id").geometry)
    got = shapely.get_coordinates(frame.sort_values("part_id").geometry)
    # output is rounded to 1 cm (7 decimals in degrees); RT90 may go through another of
    # PROJ's SWEREF 99 → RT90 operations than geopandas picks (they differ by a few cm)
    tolerance = {"EPSG:4326": 1e-6, "EPSG:3021": 0.05}.get(crs, 0.006)
    assert abs(got - expected).max() < tolerance


def test_gdal_spatial_filter_matches_the_store(server, store):
    box = (616700.0, 6917700.0, 617000.0, 6918000.0)
    frame = pyogrio.read_dataframe(f"OAPIF:{server}/ogc", layer="buildings", bbox=box)
    stored = pyogrio.read_dataframe(store.path, layer="buildings")
    expected = stored[stored.intersects(shapely.box(*box))]
    assert sorted(frame["building_id"]) == sorted(expected["building_id"])
    assert len(frame) > 10


# -- OWSLib ----------------------------------------------------------------------------------


def test_owslib_lists_every_collection_and_conformance(server):
    api = Features(f"{server}/ogc/")
    assert [c["id"] for c in api.collections()["collections"]] == list(COLLECTIONS)
    conforms = api.conformance()["conformsTo"]
    assert "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs" in conforms
    assert set(api.collection_queryables("plan_rules")["properties"]) == {
        "plan_id",
        "code",
        "category",
    }


@pytest.mark.parametrize("collection", COLLECTIONS)
def test_owslib_pages_through_every_collection(server, store, collection):
    api = Features(f"{server}/ogc/")
    ids, offset, pages = [], 0, 0
    while True:
        page = api.collection_items(collection, limit=250, offset=offset)
        ids += [f["id"] for f in page["features"]]
        pages += 1
        rels = {link["rel"] for link in page["links"]}
        if "next" not in rels:
            break
        offset += 250
    assert len(ids) == len(set(ids)) == store.layer_info(collection).count == page["numberMatched"]
    assert pages == -(-len(ids) // 250)


def test_owslib_crs_and_bbox_crs(server, store):
    api = Features(f"{server}/ogc/")
    zone = "http://www.opengis.net/def/crs/EPSG/0/3014"
    tm = "http://www.opengis.net/def/crs/EPSG/0/3006"
    # bbox in SWEREF 99 TM's own axis order: northing first
    page = api.collection_items(
        "parcels",
        bbox=[6917700, 616700, 6918000, 617000],
        **{"bbox-crs": tm, "crs": zone, "limit": 1000},
    )
    expected = store.features("parcels", (616700, 6917700, 617000, 6918000), limit=1000)
    assert page["numberMatched"] == expected.number_matched == len(page["features"])
    north, east = page["features"][0]["geometry"]["coordinates"][0][0][0]
    assert 6_900_000 < north < 6_930_000
    assert 100_000 < east < 200_000
