"""The awkward parts of real deliveries, through ``kommun build``: older plans as an
ISO-8859-1 shapefile (with and without its ``.cpg``) in a local zone (SWEREF 99 17 15 and
12 00) with their PDFs, addresses on no unit, and overlapping bestämmelser on one property."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pyogrio
import pytest
import shapely
from click.testing import CliRunner

from mapservice import create_app
from mapservice.commands.main import main
from tests.national.deliveries import X0, Y0, uid, write_delivery

#: An older plan as a kommun's GIS has it: short DBF names, Swedish letters, a PDF beside it.
OLD_PLAN = {
    "akt": "2281-P68-12",
    "plannamn": "Stadsplan för Kvarnåsen, Ödmården",
    "status": "laga kraft",
    "antagande": "1968-04-02",
}
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def _delivery(folder: Path, cpg: str | None, crs: str) -> Path:
    write_delivery(folder)
    boundary = shapely.box(X0 + 100, Y0, X0 + 200, Y0 + 60)
    frame = gpd.GeoDataFrame({k: [v] for k, v in OLD_PLAN.items()}, geometry=[boundary])
    frame = frame.set_crs("EPSG:3006").to_crs(crs)
    frame.to_file(folder / "aldre_planer.shp", driver="ESRI Shapefile", encoding="ISO-8859-1")
    if cpg is None:
        (folder / "aldre_planer.cpg").unlink()  # GDAL then reads the DBF as ISO-8859-1
    else:
        (folder / "aldre_planer.cpg").write_text(cpg, encoding="ascii")
    (folder / f"{OLD_PLAN['akt']}.pdf").write_bytes(PDF)
    return folder


@pytest.fixture(scope="module", params=[(None, "EPSG:3014"), ("ISO-8859-1", "EPSG:3007")])
def built(request, tmp_path_factory) -> Path:
    cpg, crs = request.param
    root = tmp_path_factory.mktemp("awkward")
    delivery = _delivery(root / "leverans", cpg, crs)
    assert b"\xe5" in (delivery / "aldre_planer.dbf").read_bytes()  # å in ISO-8859-1
    out = root / "data"
    args = ["kommun", "build", "--kommun", "2281", "--from", str(delivery), "--out", str(out)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    return out


def test_older_plan_from_a_latin1_shapefile_in_a_local_zone_with_its_pdf(built):
    plans = pyogrio.read_dataframe(built / "minfastighet.gpkg", layer="plans")
    old = plans[plans["plan_id"] == OLD_PLAN["akt"]].iloc[0]
    assert old["name"] == OLD_PLAN["plannamn"]  # å and Ö decoded, not mojibake
    assert str(old["adopted"])[:10] == "1968-04-02"
    minx, miny, maxx, maxy = old.geometry.bounds  # back in SWEREF 99 TM from the local zone
    assert (minx, miny, maxx, maxy) == pytest.approx((X0 + 100, Y0, X0 + 200, Y0 + 60), abs=0.01)
    assert old["document"] == f"documents/{OLD_PLAN['akt']}.pdf"
    assert (built / old["document"]).read_bytes() == PDF
    assert "2281K-DP900" in set(plans["plan_id"])  # beside the plan in the national format


def test_the_service_serves_the_older_plan_and_its_pdf(built):
    client = create_app({"TESTING": True, "data_dir": str(built)}).test_client()
    items = client.get("/ogc/collections/plans/items?f=json&plan_id=2281-P68-12").get_json()
    assert items["numberMatched"] == 1
    assert items["features"][0]["properties"]["name"] == OLD_PLAN["plannamn"]


def test_addresses_on_no_unit_are_reported_not_imported(built):
    addresses = pyogrio.read_dataframe(built / "minfastighet.gpkg", layer="addresses")
    assert "Testvägen 9" not in set(addresses["label"])  # a3 stands on no register unit
    report = json.loads((built / "validation" / "report.json").read_text(encoding="utf-8"))
    warnings = [w for item in report["imports"] for w in item["warnings"]]
    assert any(uid("a3") in w for w in warnings)


def test_overlapping_bestammelser_both_apply_to_the_property(built):
    client = create_app({"TESTING": True, "data_dir": str(built)}).test_client()
    report = client.get(f"/api/v1/properties/{uid('unitA')}").get_json()
    text = json.dumps(report["zoning"], ensure_ascii=False)
    assert '"e1"' in text
    assert '"prickmark"' in text
