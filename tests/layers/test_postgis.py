"""The PostGIS store on a real server: the same answers as the GeoPackage store over the whole
sample, atomic writes with their reports, clear errors, and a lost connection retried."""

from __future__ import annotations

import psycopg
import pytest
from shapely import box

from layers import GeoPackageStore, StoreUnavailable
from layers.errors import (
    AddressNotFound,
    AmbiguousDesignation,
    InvalidQuery,
    LayerError,
    NotFound,
)
from layers.features import FeatureQuery
from layers.import_report import ImportReport
from layers.postgis.store import PostGISStore
from layers.text import fold
from layers.text_search import TEXT_FIELDS
from layers.validate import validate

from .conftest import frame, tiny_layers


def _answer(call):
    """A call's answer, or the class of the layer error it raised (both stores must agree)."""
    try:
        return call()
    except LayerError as err:
        return type(err)


def _same_features(pg, gpkg, layer):
    """Every page, a grid of boxes, filters and single features of a layer."""
    info = gpkg.layer_info(layer)
    assert pg.layer_info(layer) == info, layer
    for offset in range(0, info.count, 500):
        query = FeatureQuery(layer, None, (), 500, offset)
        assert pg.feature_page(query) == gpkg.feature_page(query), (layer, offset)
    minx, miny, maxx, maxy = info.bounds
    step = max(maxx - minx, maxy - miny) / 6
    for i in range(6):
        for j in range(6):
            cell = (
                minx + i * step,
                miny + j * step,
                minx + (i + 1) * step,
                miny + (j + 1) * step,
            )
            query = FeatureQuery(layer, cell, (), 1000, 0)
            assert pg.feature_page(query) == gpkg.feature_page(query), (layer, cell)
    for name in info.queryables[:2]:
        first = gpkg.feature_page(FeatureQuery(layer, None, (), 1, 0)).features
        if first and first[0].properties.get(name) is not None:
            query = FeatureQuery(layer, None, ((name, first[0].properties[name]),), 100, 0)
            assert pg.feature_page(query) == gpkg.feature_page(query)
    if layer in TEXT_FIELDS:  # free text: parts of ids and names, with and without a box
        texts = {
            t
            for record in gpkg.feature_page(FeatureQuery(layer, None, (), 1000, 0)).features
            for name in TEXT_FIELDS[layer]
            for t in (str(record.properties[name])[:5], str(record.properties[name])[-6:])
        }
        for terms in [*({(fold(t),) for t in texts if fold(t)}), ("zz", "bjork"), ("nothing",)]:
            for box in (None, info.bounds):
                query = FeatureQuery(layer, box, (), 3, 1, terms)
                assert pg.feature_page(query) == gpkg.feature_page(query), terms
    some = gpkg.feature_page(FeatureQuery(layer, None, (), 20, 0)).features
    for record in some:
        assert pg.feature(layer, record.id) == gpkg.feature(layer, record.id)
    assert _answer(lambda: pg.feature(layer, "no-such")) is NotFound


def test_every_query_answers_as_the_geopackage_store(sample, postgis_sample):
    with GeoPackageStore(sample.vector_path) as gpkg, PostGISStore(postgis_sample) as pg:
        assert pg.layer_names() == gpkg.layer_names()
        for layer in gpkg.layer_names():
            _same_features(pg, gpkg, layer)
        _same_lookups(pg, gpkg)


def _same_lookups(pg, gpkg):
    """Every property's and address's lookups and searches, and pages of properties."""
    assert pg.registry_areas() == gpkg.registry_areas()
    parcels = gpkg.feature_page(FeatureQuery("parcels", None, (), 10_000, 0)).features
    for record in parcels:
        unit, text = record.properties["unit_id"], record.properties["designation"]
        prop = gpkg.get_property(unit)
        assert pg.get_property(unit) == prop
        assert pg.find_property(text) == gpkg.find_property(text)
        assert pg.addresses_of(unit) == gpkg.addresses_of(unit)
        assert pg.buildings_of(unit) == gpkg.buildings_of(unit)
        point = prop.geometry.representative_point()
        assert pg.properties_at(point.x, point.y) == gpkg.properties_at(point.x, point.y)
        assert pg.plans_over(prop.geometry) == gpkg.plans_over(prop.geometry)
        assert pg.plan_uses_over(prop.geometry) == gpkg.plan_uses_over(prop.geometry)
        assert pg.plan_rules_over(prop.geometry) == gpkg.plan_rules_over(prop.geometry)
        for n in (2, 4, 8, len(text)):
            assert pg.search(text[:n]) == gpkg.search(text[:n]), text[:n]
    for record in gpkg.feature_page(FeatureQuery("addresses", None, (), 10_000, 0)).features:
        label = record.properties["label"]
        assert pg.address(record.id) == gpkg.address(record.id)
        assert _answer(lambda: pg.find_address(label)) == _answer(  # noqa: B023
            lambda: gpkg.find_address(label)  # noqa: B023
        )
        for n in (3, 6, len(label)):
            assert pg.search(label[:n]) == gpkg.search(label[:n]), label[:n]
    bounds = gpkg.layer_info("parcels").bounds
    for limit, offset in ((10, 0), (100, 50), (1000, 0), (7, 670)):
        assert pg.properties_in(bounds, limit=limit, offset=offset) == gpkg.properties_in(
            bounds, limit=limit, offset=offset
        )
    assert _answer(lambda: pg.address("x")) is AddressNotFound


def _tiny(store):
    for layer, rows in tiny_layers().items():
        report = ImportReport(layer, "memory")
        clean = validate(frame(rows), layer, report)
        store.replace_layer(layer, clean, report, licence="CC0 1.0")


def test_writes_swap_layers_with_their_report_and_licence(new_database):
    dsn = new_database()
    with PostGISStore(dsn, writable=True) as store:
        _tiny(store)
    with PostGISStore(dsn) as store:
        info = store.layer_info("parcels")
        assert info.count == 5
        assert info.geometry_type == "MULTIPOLYGON"
        assert info.last_import["licence"] == "CC0 1.0"
        assert info.last_import["swapped"]
        assert [s.label for s in store.search("ekbacken 1:1")] == [
            "SUNDSVALL EKBACKEN 1:1",
            "TIMRÅ EKBACKEN 1:1",
        ]
        with pytest.raises(StoreUnavailable, match="read-only"):
            store.replace_layer("plans", frame(tiny_layers()["plans"]))
    with PostGISStore(dsn, writable=True) as store:
        plans = frame([{**tiny_layers()["plans"][0], "plan_id": "P2"}])
        store.replace_layer("plans", validate(plans, "plans", ImportReport("plans", "memory")))
        assert [p.plan_id for p in store.plans_over(box(616400, 6917400, 616410, 6917410))] == [
            "P2"
        ]
        assert store.layer_info("plans").last_import is None
        with psycopg.connect(dsn) as con:
            tables = con.execute("SELECT tablename FROM pg_tables WHERE tablename LIKE '%staging'")
            assert tables.fetchall() == []


def test_errors_are_clear(new_database, postgis_server):
    with pytest.raises(StoreUnavailable, match="db init"):
        PostGISStore(new_database(schema=False))
    with pytest.raises(StoreUnavailable, match="lacks the layers"):
        PostGISStore(new_database())
    with pytest.raises(StoreUnavailable, match="unreachable"):
        PostGISStore("postgresql://postgres@127.0.0.1:9/none?connect_timeout=1")
    assert issubclass(StoreUnavailable, OSError)


def test_a_lost_connection_is_retried(postgis_sample):
    with PostGISStore(postgis_sample) as store:
        before = store.registry_areas()
        with psycopg.connect(postgis_sample, autocommit=True) as admin:
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        assert store.registry_areas() == before
        assert store.ping()


def test_the_import_command_writes_to_the_configured_database(new_database, tmp_path, monkeypatch):
    import pyogrio
    from click.testing import CliRunner

    from mapservice.commands.main import main

    from .conftest import X0, Y0

    dsn = new_database()
    with PostGISStore(dsn, writable=True) as store:
        _tiny(store)
    monkeypatch.setenv("MINFASTIGHET_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("MINFASTIGHET_VECTOR_STORE", "postgis")
    monkeypatch.setenv("MINFASTIGHET_VECTOR_DSN", dsn)
    plan = {
        "planid": "2281K-DP999",
        "plannamn": "Ny plan",
        "planstatus": "laga kraft",
        "lagakraftdatum": "2025-01-10",
        "genomforandetid": 5,
        "geometry": box(X0, Y0, X0 + 25, Y0 + 40),
    }
    for planid, extra in (("2281K-DP999", ["--licence", "CC0 1.0"]), ("2281K-DP1", ["--dry-run"])):
        source = tmp_path / f"{planid}.gpkg"
        pyogrio.write_dataframe(frame([{**plan, "planid": planid}]), source)
        result = CliRunner().invoke(main, ["import", "plans", str(source), *extra])
        assert result.exit_code == 0, result.output
        assert ("nothing written (dry run)" in result.output) == ("--dry-run" in extra)
    with PostGISStore(dsn) as store:  # the dry run wrote nothing
        assert [p.plan_id for p in store.plans_over(box(X0, Y0, X0 + 10, Y0 + 10))] == [
            "2281K-DP999"
        ]
        assert store.layer_info("plans").last_import["licence"] == "CC0 1.0"
    assert not (tmp_path / "minfastighet.gpkg").exists()
    monkeypatch.setenv("MINFASTIGHET_VECTOR_DSN", new_database())  # no layers: still imports
    result = CliRunner().invoke(main, ["import", "plans", str(tmp_path / "2281K-DP1.gpkg")])
    assert result.exit_code == 0, result.output
    monkeypatch.setenv("MINFASTIGHET_VECTOR_DSN", new_database(schema=False))
    result = CliRunner().invoke(main, ["import", "plans", str(tmp_path / "2281K-DP1.gpkg")])
    assert result.exit_code == 1
    assert "db init" in result.output
    assert "Traceback" not in result.output


def test_find_property_sees_a_new_kommun_list_at_once(new_database):
    dsn = new_database()
    with PostGISStore(dsn, writable=True) as writer:
        _tiny(writer)
    with PostGISStore(dsn) as reader, PostGISStore(dsn, writable=True) as writer:
        assert reader.find_property("timrå ekbacken 1:2").unit_id == "TIMRÅ-2"
        assert reader.find_property("Timrå Ekbacken 1:1").unit_id == "TIMRÅ-1"  # one round trip
        parcels = frame(tiny_layers(kommuner=("SUNDSVALL", "HÄRNÖSAND"))["parcels"])
        report = ImportReport("parcels", "memory")
        writer.replace_layer("parcels", validate(parcels, "parcels", report))
        assert reader.find_property("härnösand ekbacken 1:2").unit_id == "HÄRNÖSAND-2"
        with pytest.raises(NotFound):
            reader.find_property("timrå ekbacken 1:2")
        with pytest.raises(AmbiguousDesignation):
            reader.find_property("ekbacken 1:1")


def test_pooled_connections_plan_their_statements_once(postgis_sample):
    # the lookups' prepared statements run on one generic plan (docs/OPERATIONS.md)
    with PostGISStore(postgis_sample) as store:
        assert store.connection.fetch("SHOW plan_cache_mode") == [("force_generic_plan",)]


def test_a_page_follows_a_swap_that_changes_the_columns(new_database):
    import geopandas as gpd

    dsn = new_database()
    with PostGISStore(dsn, writable=True) as store:
        _tiny(store)
    query = FeatureQuery("plans", None, (), 10, 0)
    with PostGISStore(dsn) as reader, PostGISStore(dsn, writable=True) as writer:
        before = reader.feature_page(query)  # the reader now knows the plans' columns
        assert "document" in before.features[0].properties
        plans = gpd.GeoDataFrame(
            {"plan_id": ["P9"], "remark": ["ny"]}, geometry=[box(0, 0, 1, 1)], crs="EPSG:3006"
        )
        writer.copy_layer("plans", plans, None, None)  # no document column, a new remark
        after = reader.feature_page(query)
        assert [(r.id, r.properties) for r in after.features] == [
            ("P9", {"plan_id": "P9", "remark": "ny"})
        ]
        assert after.number_matched == 1


def test_a_described_layer_is_paged_in_one_round_trip_and_follows_a_swap(new_database):
    import geopandas as gpd

    dsn = new_database()
    with PostGISStore(dsn, writable=True) as store:
        _tiny(store)
    with PostGISStore(dsn) as reader, PostGISStore(dsn, writable=True) as writer:
        first = reader.features("plans", filters={"plan_id": "P1"})
        queries = []
        fetch = reader.connection.fetch
        reader.connection.fetch = lambda *args: queries.append(args) or fetch(*args)
        again = reader.features("plans", filters={"plan_id": "P1"})
        assert len(queries) == 1  # the page itself: no description read before it
        assert [f.id for f in again.features] == [f.id for f in first.features]
        plans = gpd.GeoDataFrame(
            {"plan_id": ["P9"], "status": ["laga kraft"]}, geometry=[box(0, 0, 1, 1)]
        ).set_crs("EPSG:3006")
        writer.copy_layer("plans", plans[["plan_id", "geometry"]], None, None)
        assert reader.features("plans", filters={"plan_id": "P9"}).number_matched == 1
        with pytest.raises(InvalidQuery):  # status went with the swap: refused, read afresh
            reader.features("plans", filters={"status": "laga kraft"})
        writer.copy_layer("plans", plans, None, None)  # status is back
        assert reader.features("plans", filters={"status": "laga kraft"}).number_matched == 1
