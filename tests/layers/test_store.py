import json
import sqlite3
import unicodedata

import pytest
from shapely import Point

from layers import (
    AddressNotFound,
    AmbiguousDesignation,
    GeoPackageStore,
    InvalidCoordinates,
    InvalidDesignation,
    LayerError,
    OutsideSweden,
    ParcelNotFound,
    StoreUnavailable,
    open_store,
)
from layers.crs import from_storage

#: These tests run on both vector store backends (tests/conftest.py).
pytestmark = pytest.mark.both_backends


def test_find_by_designation_in_any_form(store):
    canonical = store.find_property("SUNDSVALL BJÖRKÅSEN 3:12")
    for text in (
        "sundsvall björkåsen 3:12",
        "Björkåsen 3:12",
        " björkåsen   3 : 12",
        unicodedata.normalize("NFD", "björkåsen 3:12"),
    ):
        assert store.find_property(text).unit_id == canonical.unit_id
    assert str(canonical.designation) == "SUNDSVALL BJÖRKÅSEN 3:12"
    assert canonical.area > 0
    assert canonical.geometry.is_valid


def test_kvarter_samfallighet_and_ga_forms(store):
    assert store.find_property("lärkan 2").designation.block is None
    assert store.find_property("lövsättra s:1").unit_type == "samfällighet"
    assert store.find_property("GRANMYRA GA:1").unit_type == "gemensamhetsanläggning"


def test_a_property_in_two_parts_comes_whole(store):
    prop = store.find_property("granmyra 1:2")
    assert len(prop.parts) == 2
    assert prop.area == pytest.approx(sum(p.area for p in prop.parts), abs=0.1)
    assert prop.geometry.geom_type == "MultiPolygon"
    assert store.get_property(prop.unit_id) == prop


def test_missing_and_malformed_designations(store):
    with pytest.raises(ParcelNotFound, match="no property SUNDSVALL BJÖRKÅSEN 99:1"):
        store.find_property("björkåsen 99:1")
    with pytest.raises(ParcelNotFound, match="no trakt"):
        store.find_property("okända 1:1")
    with pytest.raises(InvalidDesignation):
        store.find_property("björkåsen")
    with pytest.raises(ParcelNotFound):
        store.get_property("no-such-id")
    with pytest.raises(KeyError):  # the natural builtin
        store.get_property("no-such-id")


def test_kommun_is_inferred_only_when_unambiguous(tiny_store_path):
    with GeoPackageStore(tiny_store_path) as store:
        assert store.registry_areas() == ("SUNDSVALL", "TIMRÅ")
        assert store.find_property("ugglan 3").designation.registry_area == "SUNDSVALL"
        with pytest.raises(AmbiguousDesignation) as caught:
            store.find_property("ekbacken 1:1")
        assert caught.value.candidates == ("SUNDSVALL EKBACKEN 1:1", "TIMRÅ EKBACKEN 1:1")
        assert "SUNDSVALL EKBACKEN 1:1" in str(caught.value)
        assert store.find_property("timrå ekbacken 1:1").unit_id == "TIMRÅ-1"


def test_properties_at_a_point_in_any_crs(store):
    prop = store.find_property("björkåsen 3:12")
    inside = prop.geometry.representative_point()
    for crs in ("EPSG:3006", "EPSG:3014", "EPSG:3021", "EPSG:4326", "EPSG:3857"):
        x, y = from_storage(inside.x, inside.y, crs)
        assert [p.unit_id for p in store.properties_at(x, y, crs)] == [prop.unit_id], crs


def test_a_point_on_a_shared_boundary_gives_both(store):
    prop = store.find_property("björkåsen 3:12")
    minx, miny, _maxx, maxy = prop.geometry.bounds
    found = store.properties_at(minx, (miny + maxy) / 2)
    assert prop.unit_id in {p.unit_id for p in found}
    assert len(found) == 2


def test_outside_sweden_and_outside_the_data(store):
    with pytest.raises(OutsideSweden):
        store.properties_at(2.35, 48.85, "EPSG:4326")
    assert store.properties_at(500_000, 6_500_000) == []


def test_bbox_pages_are_stable_and_complete(store):
    bounds = (616_400, 6_917_400, 616_700, 6_917_700)
    everything = list(store.iter_pages(bounds, limit=7))
    first, second = (
        store.properties_in(bounds, limit=5),
        store.properties_in(bounds, limit=5, offset=5),
    )
    assert [p.unit_id for p in first.items + second.items] == [p.unit_id for p in everything[:10]]
    assert first.has_more
    assert len({p.unit_id for p in everything}) == len(everything)
    box = Point(616_550, 6_917_550).buffer(150, cap_style="square")
    assert all(p.geometry.intersects(box) for p in everything)
    with pytest.raises(InvalidCoordinates):
        store.properties_in(bounds, limit=0)
    with pytest.raises(InvalidCoordinates):
        store.properties_in(bounds, offset=-1)


def test_bbox_in_wgs84(store):
    page = store.properties_in((17.25, 62.37, 17.255, 62.372), "EPSG:4326", limit=100)
    assert page.items
    assert not page.has_more


def test_designation_suggestions_from_two_characters(store):
    assert store.suggest_designations("b") == []
    labels = [s.label for s in store.suggest_designations("bj", 5)]
    assert len(labels) == 5
    assert all(" BJÖRKÅSEN " in label for label in labels)
    exact_first = store.suggest_designations("Bjorkasen 3:1", 3)
    assert [s.label for s in exact_first] == [
        "SUNDSVALL BJÖRKÅSEN 3:1",
        "SUNDSVALL BJÖRKÅSEN 3:10",
        "SUNDSVALL BJÖRKÅSEN 3:11",
    ]
    assert store.suggest_designations("sundsvall lärk", 3)[0].label == "SUNDSVALL LÄRKAN 1"


@pytest.mark.parametrize(
    "text",
    [
        "Storvägen 1",
        "storvagen 1",
        "STORVÄGEN1",
        "storvägen 1 sundsvall",
        "Storvägen 1, 856 41 Sundsvall",
    ],
)
def test_address_suggestions_tolerate_case_accents_spacing_and_postort(store, text):
    first = store.suggest_addresses(text, 3)[0]
    assert first.label.startswith("Storvägen 1, ")
    assert first.kind == "address"


def test_address_search_ranks_numbers_numerically(store):
    labels = [s.label.split(",")[0] for s in store.suggest_addresses("storvägen", 4)]
    assert labels == ["Storvägen 1", "Storvägen 2", "Storvägen 3", "Storvägen 4"]
    assert store.suggest_addresses("s") == []
    assert store.suggest_addresses("storvägen 1, göteborg") == []


def test_find_address_and_its_property(store):
    address = store.find_address("storvagen 14")
    assert address.label == "Storvägen 14"
    assert address.unit_id == store.get_property(address.unit_id).unit_id
    assert store.find_address("Storvägen 39").label == "Storvägen 39A"  # one property
    assert store.find_address("storvägen 39 b").letter == "B"
    with pytest.raises(AddressNotFound):
        store.find_address("Storvägen 999")


def test_addresses_and_buildings_of_a_property(store):
    prop = store.find_property("lärkan 4")
    addresses = store.addresses_of(prop.unit_id)
    assert [a.label for a in addresses][:2] == ["Storvägen 39A", "Storvägen 39B"]
    buildings = store.buildings_of(prop.unit_id)
    assert buildings
    assert all(b.unit_id == prop.unit_id and b.area > 0 for b in buildings)
    assert all(prop.geometry.buffer(0.01).contains(b.geometry) for b in buildings)


def test_models_serialise(store):
    prop = store.find_property("granmyra 1:2")
    body = json.loads(json.dumps(prop.to_dict()))
    assert body["designation"] == "SUNDSVALL GRANMYRA 1:2"
    assert len(body["parts"]) == 2
    feature = prop.__geo_interface__
    assert feature["type"] == "Feature"
    assert feature["id"] == prop.unit_id
    assert "<table>" in prop._repr_html_()
    moved = prop.to_crs("EPSG:4326")
    assert moved.crs == "EPSG:4326"
    assert 17 < moved.geometry.centroid.x < 18
    assert moved.parts[0].crs == "EPSG:4326"
    assert moved.area == prop.area


def test_queries_use_the_indexes_not_scans(sample_store_path):
    con = sqlite3.connect(sample_store_path)
    plans = {
        "designation": "SELECT * FROM parcels WHERE designation = 'x'",
        "unit": "SELECT * FROM parcels WHERE unit_id = 'x'",
        "addresses": "SELECT * FROM addresses WHERE unit_id = 'x'",
        "buildings": "SELECT * FROM buildings WHERE unit_id = 'x'",
        "search": "SELECT * FROM layers_search WHERE kind = 'address' AND key >= 'a' "
        "AND key < 'b' ORDER BY key LIMIT 5",
    }
    for name, sql in plans.items():
        detail = " ".join(row[-1] for row in con.execute("EXPLAIN QUERY PLAN " + sql))
        assert "USING INDEX" in detail or "USING COVERING INDEX" in detail, (name, detail)
        assert "SCAN" not in detail.replace("SCAN r VIRTUAL TABLE", ""), (name, detail)
    con.close()


def test_store_errors_are_clear(tmp_path):
    with pytest.raises(StoreUnavailable, match="does not exist"):
        GeoPackageStore(tmp_path / "none.gpkg")
    bad = tmp_path / "bad.gpkg"
    bad.write_text("not a database")
    with pytest.raises(StoreUnavailable, match="not a readable GeoPackage"):
        GeoPackageStore(bad)
    with pytest.raises(StoreUnavailable, match="unknown layer store backend"):
        open_store("oracle", bad)
    assert issubclass(StoreUnavailable, OSError)
    assert issubclass(StoreUnavailable, LayerError)


def test_a_closed_store_refuses_queries(sample_store_path):
    store = GeoPackageStore(sample_store_path)
    store.close()
    with pytest.raises(StoreUnavailable, match="closed"):
        store.get_property("x")


def test_layers_never_imports_flask_solar_or_mapservice():
    import subprocess
    import sys

    code = (
        "import sys, layers, layers.importer, layers.describe; "
        "print(sorted(m for m in ('flask', 'solar', 'mapservice') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


def test_the_same_address_in_two_postorter(tiny_store_path):
    with GeoPackageStore(tiny_store_path) as store:
        with pytest.raises(AddressNotFound, match="several addresses"):
            store.find_address("Ekvägen 1")
        assert store.find_address("ekvagen 1, timrå").unit_id == "TIMRÅ-1"
        assert store.find_address("Ekvägen 1 Sundsvall").unit_id == "SUNDSVALL-1"
        towns = {s.label.split(", ")[1] for s in store.suggest_addresses("ekvägen 1")}
        assert towns == {"SUNDSVALL", "TIMRÅ"}
