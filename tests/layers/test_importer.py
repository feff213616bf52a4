import sqlite3
import warnings

import geopandas as gpd
import pyogrio
import pytest
from shapely import MultiPoint, Point, Polygon, box

from layers import GeoPackageStore, ImportRefused, MissingCRS, UnknownLayer
from layers.importer import ImportReport, import_layer, validate

from .conftest import X0, Y0, frame


def parcels(n=4, crs="EPSG:3006", **extra):
    rows = [
        {
            "designation": f"SUNDSVALL TESTBY 1:{u}",
            "unit_id": f"u{u}",
            "geometry": box(X0 + 10 * u, Y0, X0 + 10 * u + 10, Y0 + 10),
            **extra,
        }
        for u in range(1, n + 1)
    ]
    return frame(rows, "EPSG:3006").to_crs(crs) if crs else frame(rows, None)


def write(df, path, driver=None):
    """Write a test source; Shapefile's truncated names and a missing CRS are expected."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        warnings.filterwarnings("ignore", "'crs' was not provided", UserWarning)
        if path.suffix == ".parquet":
            df.to_parquet(path)
        else:
            pyogrio.write_dataframe(df, path, driver=driver)
    return path


def layer_columns(store, layer):
    con = sqlite3.connect(store)
    try:
        return [row[1] for row in con.execute(f'PRAGMA table_info("{layer}")')]
    finally:
        con.close()


def count(store, layer="parcels"):
    con = sqlite3.connect(store)
    try:
        return con.execute(f'SELECT count(*) FROM "{layer}"').fetchone()[0]
    finally:
        con.close()


@pytest.mark.parametrize("suffix", [".gpkg", ".geojson", ".shp", ".parquet"])
def test_every_format_imports(tmp_path, suffix):
    source = write(parcels(), tmp_path / f"src{suffix}")
    store = tmp_path / "store.gpkg"
    report = import_layer(store, "parcels", source)
    assert report.ok
    assert report.swapped
    assert report.imported == 4
    assert count(store) == 4


@pytest.mark.parametrize("crs", ["EPSG:3014", "EPSG:3021", "EPSG:4326", "EPSG:3857"])
def test_sources_are_reprojected_to_sweref99tm(tmp_path, crs):
    source = write(parcels(crs=crs), tmp_path / "src.gpkg")
    store = tmp_path / "store.gpkg"
    assert import_layer(store, "parcels", source).source_crs == crs
    stored = pyogrio.read_dataframe(store, layer="parcels")
    assert stored.crs.to_epsg() == 3006
    assert abs(stored.total_bounds[0] - (X0 + 10)) < 0.01


def test_a_file_without_crs_is_refused_unless_crs_is_given(tmp_path):
    source = write(parcels(crs=None), tmp_path / "src.shp")
    assert not source.with_suffix(".prj").exists()
    store = tmp_path / "store.gpkg"
    with pytest.raises(MissingCRS, match="--crs"):
        import_layer(store, "parcels", source)
    assert not store.exists()
    assert import_layer(store, "parcels", source, crs="EPSG:3006").ok


def test_conflicting_and_unsupported_crs_are_refused(tmp_path):
    source = write(parcels(crs="EPSG:3014"), tmp_path / "src.gpkg")
    with pytest.raises(ImportRefused, match="--crs says EPSG:3006"):
        import_layer(tmp_path / "s.gpkg", "parcels", source, crs="EPSG:3006")
    other = write(parcels(crs="EPSG:32633"), tmp_path / "utm.gpkg")
    with pytest.raises(ImportRefused, match="not supported"):
        import_layer(tmp_path / "s.gpkg", "parcels", other)


def test_invalid_geometries_are_repaired_and_counted():
    bowtie = Polygon([(X0, Y0), (X0 + 10, Y0 + 10), (X0 + 10, Y0), (X0, Y0 + 10), (X0, Y0)])
    df = parcels(2)
    df.loc[0, "geometry"] = bowtie
    report = ImportReport("parcels", "memory")
    clean = validate(df, "parcels", report)
    assert report.ok
    assert report.repaired == 1
    assert clean.geometry.is_valid.all()
    assert clean.geometry.area.iloc[0] == pytest.approx(50)


@pytest.mark.parametrize(
    ("change", "says"),
    [
        (
            lambda df: df.assign(designation=["SUNDSVALL TESTBY", *df.designation[1:]]),
            "lacks the number part",
        ),
        (lambda df: df.assign(designation=["TESTBY 1:1", *df.designation[1:]]), "lacks the kommun"),
        (lambda df: df.drop(columns="unit_id"), "required attribute 'unit_id' is missing"),
        (lambda df: df.assign(unit_id=[None, *df.unit_id[1:]]), "1 features lack 'unit_id'"),
        (lambda df: df.assign(unit_id=["same", "same", "u3", "u4"]), "several designations"),
        (
            lambda df: df.set_geometry(gpd.GeoSeries([Point(X0, Y0)] * 4, crs=df.crs)),
            "not a polygon",
        ),
        (
            lambda df: df.set_geometry(gpd.GeoSeries([None, *df.geometry[1:]], crs=df.crs)),
            "has no geometry",
        ),
        (lambda df: df.set_geometry(df.geometry.translate(3_000_000, 0)), "outside Sweden"),
    ],
)
def test_invalid_sources_are_refused_with_the_reason(tmp_path, change, says):
    source = write(change(parcels()), tmp_path / "src.gpkg")
    store = tmp_path / "store.gpkg"
    with pytest.raises(ImportRefused) as caught:
        import_layer(store, "parcels", source)
    assert any(says in e for e in caught.value.report.errors), caught.value.report.errors
    assert not store.exists()


def test_duplicate_ids_are_errors_and_duplicate_geometries_and_overlaps_reported():
    df = parcels(3)
    df.loc[2, "geometry"] = df.geometry[1]
    df.loc[0, "geometry"] = box(X0 + 10, Y0, X0 + 25, Y0 + 10)  # overlaps 1:2 by 50 m²
    report = ImportReport("parcels", "memory")
    validate(df, "parcels", report)
    assert report.ok
    assert any("same geometry" in d for d in report.duplicates)
    assert any(
        "SUNDSVALL TESTBY 1:1 and SUNDSVALL TESTBY 1:2 overlap by 50.0 m²" in o
        for o in report.overlaps
    )
    twice = parcels(2).assign(part_id=["p", "p"])
    report = ImportReport("parcels", "memory")
    validate(twice, "parcels", report)
    assert any("part_id p occurs more than once" in e for e in report.errors)


def test_lantmateriet_columns_are_mapped_and_owner_fields_never_stored(tmp_path):
    df = parcels(2)
    df = df.rename(columns={"designation": "Beteckning", "unit_id": "registerenhetsreferens"})
    df["objektidentitet"] = ["obj-1", "obj-2"]
    df["Lagfaren ägare"] = ["Anna Andersson", "Bo Berg"]
    df["personnummer"] = ["19700101-1234", "19800101-2345"]
    df["färg"] = ["röd", "blå"]
    source = write(df, tmp_path / "lm.gpkg")
    store = tmp_path / "store.gpkg"
    report = import_layer(store, "parcels", source)
    assert report.columns == {
        "Beteckning": "designation",
        "registerenhetsreferens": "unit_id",
        "objektidentitet": "part_id",
    }
    assert report.personal_columns == ["Lagfaren ägare", "personnummer"]
    assert report.dropped_columns == ["färg"]
    columns = layer_columns(store, "parcels")
    assert not {"Lagfaren ägare", "personnummer", "färg"} & set(columns)
    with open(store, "rb") as handle:
        assert b"Andersson" not in handle.read()
        assert "owner/personal" in report.to_text()
    stored = pyogrio.read_dataframe(store, layer="parcels")
    assert list(stored.part_id) == ["obj-1", "obj-2"]
    assert list(stored.trakt) == ["TESTBY"] * 2


def test_boverket_plan_rules_and_explicit_mapping(tmp_path):
    rules = frame(
        [
            {
                "PlanId": "P1",
                "Beteckning": "e1",
                "Bestämmelsekod": "DP_KM_Eg_Utnytt_StorstaArea_Fastighet",
                "Formulering": "Största byggnadsarea",
                "Värde": 200,
                "Enhet": "m²",
                "grupp": "utnyttjandegrad",
                "geometry": box(X0, Y0, X0 + 10, Y0 + 10),
            }
        ]
    )
    source = write(rules, tmp_path / "rules.geojson", "GeoJSON")
    store = tmp_path / "store.gpkg"
    report = import_layer(store, "plan_rules", source, mapping={"grupp": "category"})
    assert report.columns["Bestämmelsekod"] == "catalogue_code"
    assert report.columns["Värde"] == "value"
    assert report.columns["grupp"] == "category"
    stored = pyogrio.read_dataframe(store, layer="plan_rules")
    assert stored.value[0] == 200
    assert stored.catalogue_code[0].startswith("DP_KM")
    assert stored.rule_id[0]  # derived when the source has none


def test_addresses_and_plans_are_normalised(tmp_path):
    addresses = frame(
        [
            {
                "objektidentitet": "a1",
                "registerenhetsreferens": "u1",
                "adressomrade": "Ekvägen",
                "adressplatsnummer": "4",
                "bokstavstillagg": "b",
                "postort": "SUNDSVALL",
                "geometry": MultiPoint([(X0, Y0)]).geoms[0],
            }
        ]
    )
    plans = frame(
        [
            {
                "planid": "P1",
                "plannamn": "Plan",
                "planstatus": "Laga kraft",
                "lagakraftdatum": "2021-03-15",
                "genomforandetid": "10",
                "geometry": box(X0, Y0, X0 + 10, Y0 + 10),
            }
        ]
    )
    store = tmp_path / "store.gpkg"
    import_layer(store, "addresses", write(addresses, tmp_path / "a.gpkg"))
    import_layer(store, "plans", write(plans, tmp_path / "p.gpkg"))
    a = pyogrio.read_dataframe(store, layer="addresses")
    p = pyogrio.read_dataframe(store, layer="plans")
    assert (a.label[0], a.letter[0], a.number[0]) == ("Ekvägen 4B", "B", 4)
    assert (p.status[0], p.legal_force[0], p.implementation_years[0]) == (
        "laga kraft",
        "2021-03-15",
        10,
    )


def test_unreadable_empty_and_unknown_inputs(tmp_path):
    junk = tmp_path / "junk.geojson"
    junk.write_text("{ not json")
    with pytest.raises(ImportRefused, match="not a readable"):
        import_layer(tmp_path / "s.gpkg", "parcels", junk)
    with pytest.raises(ImportRefused, match="does not exist"):
        import_layer(tmp_path / "s.gpkg", "parcels", tmp_path / "none.gpkg")
    with pytest.raises(UnknownLayer, match="choose one of"):
        import_layer(tmp_path / "s.gpkg", "owners", junk)
    empty = write(parcels().iloc[:0], tmp_path / "empty.gpkg")
    with pytest.raises(ImportRefused) as caught:
        import_layer(tmp_path / "s.gpkg", "parcels", empty)
    assert "no features" in caught.value.report.errors[0]


def test_progress_is_reported_in_batches(tmp_path, monkeypatch):
    import layers.read

    monkeypatch.setattr(layers.read, "BATCH", 3)
    messages = []
    source = write(parcels(7), tmp_path / "src.gpkg")
    import_layer(tmp_path / "s.gpkg", "parcels", source, progress=messages.append)
    assert [m for m in messages if m.startswith("read")] == [
        "read 3 of 7 features",
        "read 6 of 7 features",
        "read 7 of 7 features",
    ]
    assert "looking for overlapping parcels" in messages
    assert messages[-2:] == ["writing 7 features", "indexing"]


def test_dry_run_writes_nothing(tmp_path):
    source = write(parcels(), tmp_path / "src.gpkg")
    report = import_layer(tmp_path / "s.gpkg", "parcels", source, dry_run=True)
    assert report.ok
    assert not report.swapped
    assert not (tmp_path / "s.gpkg").exists()
    assert "dry run" in report.to_text()


def test_a_failure_while_writing_leaves_the_store_as_it_was(tmp_path, monkeypatch):
    import layers.gpkg.search

    store = tmp_path / "store.gpkg"
    import_layer(store, "parcels", write(parcels(3), tmp_path / "a.gpkg"))
    before = store.read_bytes()

    def broken(path):
        raise OSError("disk full")

    monkeypatch.setattr(layers.gpkg.search, "build_indexes", broken)
    with pytest.raises(OSError, match="disk full"):
        import_layer(store, "parcels", write(parcels(5), tmp_path / "b.gpkg"))
    assert store.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "a.gpkg",
        "b.gpkg",
        "store.gpkg",
        "store.gpkg.lock",
    ]


def test_an_open_reader_keeps_a_consistent_view_during_a_swap(tiny_store_path, tmp_path):
    import shutil

    store = tmp_path / "store.gpkg"
    shutil.copyfile(tiny_store_path, store)
    reader = GeoPackageStore(store)
    before = reader.find_property("sundsvall ugglan 3")
    bigger = parcels(6).assign(designation=lambda d: d.designation.str.replace("TESTBY", "UGGLAN"))
    bigger["designation"] = [f"SUNDSVALL UGGLAN {u}" for u in range(3, 9)]
    import_layer(store, "parcels", write(bigger, tmp_path / "new.gpkg"))
    assert reader.find_property("sundsvall ugglan 3") == before  # the old file, whole
    reader.close()
    with GeoPackageStore(store) as fresh:
        assert fresh.find_property("sundsvall ugglan 8").unit_id == "u6"
        with pytest.raises(KeyError):
            fresh.find_property("sundsvall ekbacken 1:1")


def test_readers_during_imports_see_the_old_or_the_new_layer_never_a_part(tmp_path):
    import threading

    store = tmp_path / "store.gpkg"
    small, large = (write(parcels(n), tmp_path / f"p{n}.gpkg") for n in (40, 400))
    import_layer(store, "parcels", small)
    seen, errors, stop = set(), [], threading.Event()

    def read():
        while not stop.is_set():
            try:
                con = sqlite3.connect(store.resolve().as_uri() + "?mode=ro", uri=True)
                parcels_now = con.execute("SELECT count(*) FROM parcels").fetchone()[0]
                searchable = con.execute(
                    "SELECT count(*) FROM layers_search WHERE kind = 'designation'"
                ).fetchone()[0]
                seen.add((parcels_now, searchable))
                con.close()
            except sqlite3.Error as err:  # pragma: no cover - the failure this test looks for
                errors.append(err)

    reader = threading.Thread(target=read)
    reader.start()
    try:
        for source in (large, small, large, small):
            import_layer(store, "parcels", source)
    finally:
        stop.set()
        reader.join()
    assert errors == []
    assert seen <= {(40, 40), (400, 400)}  # layer and its search index always agree
    assert seen


def test_every_imported_layer_keeps_its_attribute_indexes(tiny_store_path, tmp_path):
    import shutil

    store = tmp_path / "store.gpkg"
    shutil.copyfile(tiny_store_path, store)
    plans = frame(
        [
            {
                "plan_id": "P2",
                "name": "Två",
                "status": "laga kraft",
                "geometry": box(X0, Y0, X0 + 10, Y0 + 10),
            }
        ]
    )
    import_layer(store, "plans", write(plans, tmp_path / "plans.gpkg"))
    con = sqlite3.connect(store)
    indexes = {row[1] for row in con.execute("SELECT * FROM sqlite_master WHERE type = 'index'")}
    con.close()
    assert {"idx_plans_plan_id", "idx_parcels_designation", "idx_addresses_unit_id"} <= indexes
