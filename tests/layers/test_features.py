"""Feature access of the layer store: layer descriptions, pages, filters and the last import."""

from __future__ import annotations

import geopandas as gpd
import pyogrio
import pytest
import shapely

from layers import open_store
from layers.errors import InvalidQuery, NotFound, UnknownLayer
from layers.importer import import_layer

#: These tests run on both vector store backends (tests/conftest.py).
pytestmark = pytest.mark.both_backends


@pytest.fixture
def store(sample, open_vector_store):
    with open_vector_store(sample) as s:
        yield s


def test_layer_info_describes_every_layer(store, sample):
    assert store.layer_names() == (
        "parcels",
        "addresses",
        "buildings",
        "plans",
        "plan_uses",
        "plan_rules",
    )
    for name, count in sample.manifest["layers"].items():
        info = store.layer_info(name)
        assert info.count == count
        assert info.crs == "EPSG:3006"
        assert info.last_import is None
        assert set(info.queryables) <= {a.name for a in info.attributes}
    assert store.layer_info("buildings").attribute("floors").type == "integer"
    with pytest.raises(UnknownLayer):
        store.layer_info("roads")


@pytest.mark.parametrize(
    "box",
    [
        (616700, 6917700, 617000, 6918000),
        (616400, 6917400, 616401, 6917401),
        (616000, 6917000, 616100, 6917100),
    ],
)  # outside the data
def test_bbox_pages_match_an_exact_intersection(store, sample, box):
    frame = pyogrio.read_dataframe(sample.directory / "minfastighet.gpkg", layer="plan_uses")
    expected = list(frame[frame.intersects(shapely.box(*box))]["use_id"])
    got, offset = [], 0
    while True:
        page = store.features("plan_uses", box, limit=3, offset=offset)
        assert page.number_matched == len(expected)
        got += [f.id for f in page.features]
        if not page.has_next:
            break
        offset += 3
    assert sorted(got) == sorted(expected)
    assert len(got) == len(set(got))


def test_filters_use_typed_queryables(store):
    page = store.features("parcels", filters={"trakt": "LÄRKAN"}, limit=100)
    assert page.number_matched > 0
    assert {f.properties["trakt"] for f in page.features} == {"LÄRKAN"}
    with pytest.raises(InvalidQuery, match="not a queryable"):
        store.features("parcels", filters={"unit": "3"})
    with pytest.raises(InvalidQuery, match="limit"):
        store.features("parcels", limit=0)


def test_plans_are_found_by_part_of_their_name_or_id(store):
    """q: case, accents and spacing ignored; a comma is "or"; with filters, box and paging."""
    names = {f.properties["name"] for f in store.features("plans", q="BJORKASEN").features}
    assert names == {"Stadsplan för Björkåsen", "Detaljplan för Björkåsen och Klockmyra"}
    either = store.features("plans", q="lövsättra,  dp  188", limit=10)
    assert {f.properties["plan_id"] for f in either.features} == {"2281K-DP145", "2281K-DP188"}
    assert store.features("plans", q="2281k-dp1", limit=1, offset=1).number_matched == 2
    narrowed = store.features("plans", q="björkåsen", filters={"plan_id": "2280K-DP52"})
    assert [f.properties["plan_id"] for f in narrowed.features] == ["2280K-DP52"]
    assert store.features("plans", q="ingen sådan plan").number_matched == 0
    box = store.features("plans", (500_000, 6_500_000, 500_100, 6_500_100), crs=3006, q="åsen")
    assert box.number_matched == 0


@pytest.mark.parametrize(
    ("layer", "q", "message"),
    [
        ("parcels", "skönsmon", "no text to search"),
        ("plans", " , ,", "no search term"),
        ("plans", "x" * 101, "at most 100 characters"),
        ("plans", ",".join("abcdefghijk"), "at most 10"),
    ],
)
def test_a_bad_text_search_is_refused(store, layer, q, message):
    with pytest.raises(InvalidQuery, match=message):
        store.features(layer, q=q)


def test_feature_by_id(store):
    first = store.features("addresses", limit=1).features[0]
    assert store.feature("addresses", first.id).properties == first.properties
    assert first.__geo_interface__["geometry"]["type"] == "Point"
    with pytest.raises(NotFound):
        store.feature("addresses", "no-such-id")


def test_an_import_records_its_validation_report(sample, tmp_path):
    target = tmp_path / "store.gpkg"
    target.write_bytes((sample.directory / "minfastighet.gpkg").read_bytes())
    plans = pyogrio.read_dataframe(target, layer="plans")
    source = tmp_path / "plans.geojson"
    gpd.GeoDataFrame(plans).to_file(source, driver="GeoJSON", engine="pyogrio")
    report = import_layer(target, "plans", source)
    with open_store("geopackage", target) as s:
        last = s.layer_info("plans").last_import
        assert s.layer_info("parcels").last_import is None
    assert last["source"] == str(source)
    assert last["imported"] == report.imported
    assert last["swapped"] is True
    assert last["imported_at"].startswith("20")
