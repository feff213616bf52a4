"""``kommun build`` on a delivery in the products' schemas, and the service on its output."""

from __future__ import annotations

import json
from traceback import format_exception

import pyogrio
import pytest
from click.testing import CliRunner

from mapservice import create_app
from mapservice.commands.main import main
from tests.national.deliveries import uid


@pytest.fixture(scope="module")
def built(delivery, tmp_path_factory):
    out = tmp_path_factory.mktemp("kommun") / "data"
    result = CliRunner().invoke(
        main,
        [
            "kommun",
            "build",
            "--kommun",
            "2281",
            "--from",
            str(delivery),
            "--out",
            str(out),
            "--scan-date",
            "2024-05-20",
        ],
    )
    assert result.exit_code == 0, result.output + "".join(format_exception(*result.exc_info))
    return out


def test_build_links_buildings_and_addresses(built):
    buildings = pyogrio.read_dataframe(built / "minfastighet.gpkg", layer="buildings")
    by_id = buildings.set_index("building_id")
    assert set(by_id.index) == {uid("b1"), uid("b2"), uid("b3")}  # b4 stands on no unit
    assert by_id.loc[uid("b1"), "designation"] == "SUNDSVALL TESTBY 1:1"
    assert by_id.loc[uid("b1"), "use"] == "småhus"
    shares = json.loads(by_id.loc[uid("b2"), "unit_shares"])
    assert [(s["designation"], s["share"]) for s in shares] == [
        ("SUNDSVALL TESTBY 1:1", 0.667),
        ("SUNDSVALL TESTBY 1:2", 0.333),
    ]
    assert by_id.loc[uid("b3"), "designation"] == "SUNDSVALL LÄRKAN 3"
    addresses = pyogrio.read_dataframe(built / "minfastighet.gpkg", layer="addresses")
    assert sorted(addresses["label"]) == ["Testvägen 1", "Testvägen 3B"]
    assert set(addresses["postcode"]) == {"856 41"}
    parcels = pyogrio.read_dataframe(built / "minfastighet.gpkg", layer="parcels")
    assert sorted(set(parcels["designation"])) == [
        "SUNDSVALL LÄRKAN 3",
        "SUNDSVALL TESTBY 1:1",
        "SUNDSVALL TESTBY 1:2",
        "SUNDSVALL TESTBY S:1",
    ]
    assert parcels.total_bounds[0] == pytest.approx(620_000, abs=0.01)  # 3014 → 3006


def test_build_reads_the_national_plan(built):
    rules = pyogrio.read_dataframe(built / "minfastighet.gpkg", layer="plan_rules")
    assert sorted(rules["code"]) == ["e1", "prickmark"]
    e1 = rules[rules["code"] == "e1"].iloc[0]
    assert (e1["category"], e1["value"], e1["unit"]) == ("utnyttjandegrad", 25.0, "%")
    assert "25 %" in e1["wording"]
    plans = pyogrio.read_dataframe(built / "minfastighet.gpkg", layer="plans")
    assert plans.iloc[0][["plan_id", "legal_force", "implementation_years"]].tolist() == [
        "2281K-DP900",
        "2023-06-01",
        10,
    ]


def test_validation_report(built):
    report = json.loads((built / "validation" / "report.json").read_text(encoding="utf-8"))
    assert report["ok"]
    warnings = [w for item in report["imports"] for w in item["warnings"]]
    assert any("point-in-polygon" in w for w in warnings)
    assert any(uid("b4") in w for w in warnings)
    assert any(uid("a3") in w for w in warnings)
    html = (built / "validation" / "report.html").read_text(encoding="utf-8")
    assert "kommun build 2281" in html
    personal = [c for item in report["imports"] for c in item["personal_columns"]]
    assert personal == []


def test_service_serves_the_built_directory(built):
    client = create_app({"TESTING": True, "data_dir": str(built)}).test_client()
    unit = uid("unitA")
    assert client.get("/").status_code == 200
    page = client.get(f"/fastighet/{unit}")
    assert page.status_code == 200, page.data[:300]
    assert "TESTBY 1:1" in page.get_data(as_text=True)
    api = client.get(f"/api/v1/properties/{unit}")
    assert api.status_code == 200, api.data[:300]
    found = client.get("/api/v1/search?q=testby 1:2")
    assert found.status_code == 200
    collections = client.get("/ogc/collections?f=json").get_json()
    assert {"parcels", "buildings", "roof_faces"} <= {c["id"] for c in collections["collections"]}
    items = client.get("/ogc/collections/buildings/items?f=json").get_json()
    assert items["numberMatched"] == 3


def test_build_resumes_and_refuses_to_overwrite(built, delivery):
    again = CliRunner().invoke(
        main, ["kommun", "build", "--kommun", "2281", "--from", str(delivery), "--out", str(built)]
    )
    assert again.exit_code != 0
    assert "--update" in again.output
