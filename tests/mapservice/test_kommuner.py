"""Two kommuner in one store (the sample's Sundsvall, 2281, and Härnösand, 2280): designations,
searches, local zones, OGC API Features and the batch all tell them apart."""

from __future__ import annotations

import geopandas as gpd
import pyproj
import pytest
from click.testing import CliRunner

from layers import AmbiguousDesignation, open_store
from layers.zones import local_zone
from mapservice import create_app, load_settings
from mapservice.analysis.batch import plan_partitions, run_batch
from mapservice.commands.main import main

BOTH = ["HÄRNÖSAND BJÖRKÅSEN 20:1", "SUNDSVALL BJÖRKÅSEN 20:1"]
ZONE = "http://www.opengis.net/def/crs/EPSG/0/3014"


@pytest.fixture(scope="module")
def client(sample):
    return create_app({"TESTING": True, "data_dir": str(sample.directory)}).test_client()


@pytest.fixture(scope="module")
def store(sample):
    with open_store("geopackage", sample.vector_path) as store:
        yield store


def test_the_store_knows_both_kommuner_and_resolves_designations(store):
    assert set(store.registry_areas()) == {"SUNDSVALL", "HÄRNÖSAND"}
    with pytest.raises(AmbiguousDesignation) as raised:
        store.find_property("björkåsen 20:1")
    assert sorted(raised.value.candidates) == BOTH
    chosen = store.find_property("HÄRNÖSAND BJÖRKÅSEN 20:1")
    assert (str(chosen.designation), chosen.kommunkod) == ("HÄRNÖSAND BJÖRKÅSEN 20:1", "2280")
    assert store.find_property("Sundsvall Björkåsen 20:1").kommunkod == "2281"
    # Härnösand's BJÖRKÅSEN has blocks 20 and 21 only: other designations name one property.
    assert str(store.find_property("BJÖRKÅSEN 2:1").designation) == "SUNDSVALL BJÖRKÅSEN 2:1"
    assert str(store.find_property("björkåsen 1:1").designation) == "SUNDSVALL BJÖRKÅSEN 1:1"
    only_here = store.find_property("KLOCKMYRA 2:1")  # a trakt of one kommun: no kommun needed
    assert str(only_here.designation) == "HÄRNÖSAND KLOCKMYRA 2:1"


def test_api_answers_409_with_both_candidates_and_200_with_the_kommun(client):
    ambiguous = client.get("/api/v1/properties?designation=BJÖRKÅSEN 20:1")
    assert ambiguous.status_code == 409
    assert ambiguous.content_type == "application/problem+json"
    assert all(c in ambiguous.json["detail"] for c in BOTH)
    chosen = client.get("/api/v1/properties?designation=HÄRNÖSAND BJÖRKÅSEN 20:1")
    assert chosen.status_code == 200
    assert (chosen.json["designation"], chosen.json["kommun"]) == (BOTH[0], "Härnösand")
    other = client.get("/api/v1/properties?designation=SUNDSVALL BJÖRKÅSEN 20:1")
    assert other.json["unit_id"] != chosen.json["unit_id"]


def test_search_page_offers_both_and_suggestions_list_both(client):
    page = client.get("/sok?q=BJÖRKÅSEN 20:1")
    assert page.status_code == 409
    text = page.get_data(as_text=True)
    assert all(c in text for c in BOTH)
    found = client.get("/api/v1/search?q=björkåsen 20:1").json["suggestions"]
    assert sorted(s["designation"] for s in found if s["designation"].endswith(" 20:1")) == BOTH
    address = client.get("/api/v1/search?q=Fjärdvägen 4").json["suggestions"]
    assert address[0]["label"] == "Fjärdvägen 4, 871 41 HÄRNÖSAND"
    assert address[0]["designation"].startswith("HÄRNÖSAND BJÖRKÅSEN ")


def test_a_harnosand_property_page_and_pdf_without_solar_map(full_sample):
    client = create_app({"TESTING": True, "data_dir": str(full_sample.directory)}).test_client()
    report = client.get("/api/v1/properties?designation=HÄRNÖSAND KLOCKMYRA 2:3")
    assert report.status_code == 200, report.data[:300]
    assert report.json["solar"] is None  # the sample's solar map covers Sundsvall only
    assert [p["plan_id"] for p in report.json["zoning"]["plans"]] == ["2280K-DP52"]
    unit = report.json["unit_id"]
    page = client.get(f"/fastighet/{unit}")
    assert page.status_code == 200
    assert "HÄRNÖSAND KLOCKMYRA 2:3" in page.get_data(as_text=True)
    assert client.get(f"/fastighet/{unit}.pdf").status_code == 200


def test_both_kommuner_work_in_their_local_zone(client, store):
    assert local_zone("2281")[0] == local_zone("2280")[0] == "EPSG:3014"
    unit = store.find_property("HÄRNÖSAND BJÖRKÅSEN 20:1")
    page = client.get(
        f"/ogc/collections/parcels/items?f=json&unit_id={unit.unit_id}&crs={ZONE}"
    ).json
    assert page["numberMatched"] >= 1
    northing, easting = page["features"][0]["geometry"]["coordinates"][0][0][0]
    to_zone = pyproj.Transformer.from_crs("EPSG:3006", "EPSG:3014", always_xy=True)
    x, y = to_zone.transform(*unit.geometry.representative_point().coords[0])
    assert abs(easting - x) < 300  # the same neighbourhood
    assert abs(northing - y) < 300


def test_ogc_filters_and_counts_per_kommun(client, sample):
    parcels = gpd.read_file(sample.vector_path, layer="parcels")
    counts = parcels.kommunkod.value_counts()
    for code in ("2280", "2281"):
        page = client.get(f"/ogc/collections/parcels/items?f=json&kommunkod={code}&limit=1").json
        assert page["numberMatched"] == counts[code]
    everything = client.get("/ogc/collections/parcels/items?f=json&limit=1").json
    assert everything["numberMatched"] == len(parcels) == counts.sum()


def test_batch_runs_one_kommun_of_two(full_sample, tmp_path, monkeypatch):
    settings = load_settings({"data_dir": full_sample.directory})
    with open_store(settings.vector_store, settings.vector_path) as store:
        ids = [u for p in plan_partitions(store, "2280") for u in p.unit_ids]
    parcels = gpd.read_file(full_sample.vector_path, layer="parcels")
    assert sorted(ids) == sorted(set(parcels.loc[parcels.kommunkod == "2280", "unit_id"]))
    frame = run_batch(settings, "2280", tmp_path / "h.parquet")
    assert sorted(frame.unit_id) == sorted(ids)
    assert set(frame.kommunkod) == {"2280"}
    assert frame.kwp.isna().all()  # no solar map there
    monkeypatch.setenv("MINFASTIGHET_DATA_DIR", str(full_sample.directory))
    result = CliRunner().invoke(
        main, ["batch", "--kommun", "2280", "--out", str(tmp_path / "c.csv"), "--single-process"]
    )
    assert result.exit_code == 0, result.output
    assert f"{len(ids)} properties" in result.output
