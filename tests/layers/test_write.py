"""Writing goes through the store: atomic replacement, the import record, the indexes, and
opening that never writes."""

import shutil
import sqlite3

import pytest
from shapely import box

from layers import GeoPackageStore, StoreUnavailable, UnknownLayer, UnsupportedCRS, open_store
from layers.import_report import ImportReport
from layers.importer import import_layer
from layers.validate import validate

from .conftest import X0, Y0, frame


def plans(*ids):
    rows = [
        {
            "plan_id": plan_id,
            "name": f"Plan {plan_id}",
            "status": "laga kraft",
            "geometry": box(X0 + 30 * k, Y0, X0 + 30 * k + 20, Y0 + 20),
        }
        for k, plan_id in enumerate(ids)
    ]
    report = ImportReport("plans", "memory")
    clean = validate(frame(rows), "plans", report)
    assert report.ok, report.errors
    return clean


def snapshot(directory):
    """Every file of a directory with its bytes and modification time."""
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(directory.iterdir())}


@pytest.fixture
def store_path(tiny_store_path, tmp_path):
    path = tmp_path / "store.gpkg"
    shutil.copyfile(tiny_store_path, path)
    return path


def test_a_reader_opened_before_a_replace_keeps_the_old_layer(store_path):
    reader = GeoPackageStore(store_path)
    assert reader.layer_info("plans").count == 1
    with GeoPackageStore(store_path, writable=True) as writer:
        assert writer.layer_info("plans").count == 1
        writer.replace_layer("plans", plans("P7", "P8", "P9"))
        assert writer.layer_info("plans").count == 3  # the writer reads what it wrote
    assert reader.layer_info("plans").count == 1
    assert [p.plan_id for p in reader.plans_over(box(X0, Y0, X0 + 100, Y0 + 40))] == ["P1"]
    reader.close()
    with GeoPackageStore(store_path) as fresh:
        found = fresh.plans_over(box(X0, Y0, X0 + 100, Y0 + 40))
        assert [p.plan_id for p in found] == ["P7", "P8", "P9"]


def test_a_replaced_layer_is_searchable_in_the_same_swap(store_path):
    parcels = frame(
        [
            {
                "designation": "SUNDSVALL NYMARKEN 1:1",
                "unit_id": "ny-1",
                "geometry": box(X0, Y0, X0 + 40, Y0 + 40),
            }
        ]
    )
    report = ImportReport("parcels", "memory")
    clean = validate(parcels, "parcels", report)
    with GeoPackageStore(store_path, writable=True) as writer:
        writer.replace_layer("parcels", clean)
        assert [s.label for s in writer.suggest_designations("nymarken")] == [
            "SUNDSVALL NYMARKEN 1:1"
        ]
        assert writer.registry_areas() == ("SUNDSVALL",)
    con = sqlite3.connect(store_path)
    try:
        (count,) = con.execute("SELECT count(*) FROM layers_search WHERE kind = 'designation'")
    finally:
        con.close()
    assert count == (1,)


def without_search_table(path):
    con = sqlite3.connect(path)
    with con:
        con.execute("DROP TABLE layers_search")
        con.execute("DROP TABLE layers_search_meta")
    con.close()


def with_stale_search_table(path):
    con = sqlite3.connect(path)
    with con:
        con.execute("UPDATE gpkg_contents SET last_change = '2000-01-01T00:00:00Z'")
    con.close()


@pytest.mark.parametrize("change", [None, without_search_table, with_stale_search_table])
def test_opening_a_store_never_writes_to_its_file(store_path, change):
    if change is not None:
        change(store_path)
    before = snapshot(store_path.parent)
    with GeoPackageStore(store_path) as store:
        assert store.find_property("sundsvall ugglan 3").unit_id == "ugglan-3"
        assert store.suggest_designations("ekbacken 1:2")  # from the table in memory if need be
        assert store.layer_info("parcels").count == 5
    with open_store("geopackage", store_path, writable=True) as store:
        assert store.find_address("Ekvägen 1, Timrå").unit_id == "TIMRÅ-1"
    assert snapshot(store_path.parent) == before


def test_a_writable_store_that_does_not_exist_is_not_created_by_opening(tmp_path):
    missing = tmp_path / "new.gpkg"
    with GeoPackageStore(missing, writable=True) as store:
        with pytest.raises(StoreUnavailable, match="does not exist"):
            store.layer_names()
        with pytest.raises(StoreUnavailable, match="does not exist"):
            store.build_indexes()
    assert list(tmp_path.iterdir()) == []


def test_build_indexes_writes_the_search_table_and_indexes_once(sample, tmp_path):
    path = tmp_path / "store.gpkg"
    shutil.copyfile(sample.vector_path, path)
    with GeoPackageStore(path, writable=True) as store:
        store.build_indexes()
        built = path.read_bytes()
        store.build_indexes()  # current: nothing to do
        assert store.find_property("lärkan 2").designation.trakt == "LÄRKAN"
    assert path.read_bytes() == built
    con = sqlite3.connect(path)
    try:
        names = {row[0] for row in con.execute("SELECT name FROM sqlite_master")}
    finally:
        con.close()
    assert {"layers_search", "layers_search_meta", "idx_parcels_trakt"} <= names


def test_the_import_report_and_licence_are_recorded_with_the_layer(store_path):
    report = ImportReport(
        "plans", "/srv/in/detaljplaner.gpkg", "EPSG:3006", "CC BY 4.0", features=2, imported=2
    )
    report.personal_columns.append("ägare")
    with GeoPackageStore(store_path, writable=True) as store:
        assert store.layer_info("plans").last_import is None
        store.replace_layer("plans", plans("P7", "P8"), report)
        last = store.layer_info("plans").last_import
        assert last["licence"] == "CC BY 4.0"
        assert last["source"] == "/srv/in/detaljplaner.gpkg"
        assert last["personal_columns"] == ["ägare"]
        assert (last["imported"], last["swapped"]) == (2, True)
        assert last["imported_at"].startswith("20")
        store.replace_layer("plans", plans("P7"), report, licence="CC0 1.0")
        assert store.layer_info("plans").last_import["licence"] == "CC0 1.0"
        store.replace_layer("plans", plans("P7", "P8", "P9"), licence="CC0 1.0")
        bare = store.layer_info("plans").last_import
        assert (bare["licence"], bare["imported"], bare["layer"]) == ("CC0 1.0", 3, "plans")
        store.replace_layer("plans", plans("P7"))  # no report: the old one no longer applies
        assert store.layer_info("plans").last_import is None
        assert store.layer_info("parcels").last_import is None


def test_an_import_into_an_open_writable_store(store_path, tmp_path):
    import pyogrio

    source = tmp_path / "plans.gpkg"
    pyogrio.write_dataframe(plans("P5", "P6"), source)
    with GeoPackageStore(store_path, writable=True) as store:
        report = import_layer(store, "plans", source, licence="CC0 1.0")
        assert report.swapped
        assert store.layer_info("plans").count == 2
        assert store.layer_info("plans").last_import["licence"] == "CC0 1.0"


def test_a_read_only_store_refuses_to_write(store_path):
    before = store_path.read_bytes()
    with GeoPackageStore(store_path) as store:
        with pytest.raises(StoreUnavailable, match="read-only"):
            store.replace_layer("plans", plans("P7"))
        with pytest.raises(StoreUnavailable, match="read-only"):
            store.build_indexes()
    assert store_path.read_bytes() == before
    store = GeoPackageStore(store_path, writable=True)
    store.close()
    with pytest.raises(StoreUnavailable, match="closed"):
        store.replace_layer("plans", plans("P7"))


@pytest.mark.parametrize("name", ["rtree_plans_geom", "gpkg_contents", "Plans", "1plans", "a-b"])
def test_names_no_layer_may_have(store_path, name):
    with (
        GeoPackageStore(store_path, writable=True) as store,
        pytest.raises(UnknownLayer, match="cannot name a layer"),
    ):
        store.replace_layer(name, plans("P7"))


@pytest.mark.parametrize("crs", ["EPSG:4326", "EPSG:3014", None])
def test_a_frame_outside_sweref99tm_is_refused(store_path, crs):
    moved = plans("P7")
    moved = moved.to_crs(crs) if crs else moved.set_crs(None, allow_override=True)
    before = store_path.read_bytes()
    with (
        GeoPackageStore(store_path, writable=True) as store,
        pytest.raises(UnsupportedCRS, match="EPSG:3006"),
    ):
        store.replace_layer("plans", moved)
    assert store_path.read_bytes() == before


def test_a_new_layer_without_a_schema_keeps_its_polygons_as_multipolygons(store_path):
    faces = frame(
        [
            {"face_id": "b1-1", "building_id": "b1", "geometry": box(X0, Y0, X0 + 5, Y0 + 5)},
            {"face_id": "b1-2", "building_id": "b1", "geometry": box(X0 + 5, Y0, X0 + 9, Y0 + 5)},
        ]
    )
    with GeoPackageStore(store_path, writable=True) as store:
        store.replace_layer("roof_faces", faces)
        info = store.layer_info("roof_faces")
        assert (info.count, info.geometry_type) == (2, "MULTIPOLYGON")
        assert "roof_faces" in store.layer_names()
        assert store.feature("roof_faces", "b1-2").properties["building_id"] == "b1"
