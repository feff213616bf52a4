"""The plan page ``/fastighet/<id>/planer/<plan>``: the service's layout, the plan's map, its
rules with their codes and wording, dates and genomförandetid, the document and the way back
(issue 16, point 7)."""

from __future__ import annotations

import html
import re
import shutil

import pyogrio
import pytest
from markupsafe import escape

from layers import GeoPackageStore, zoning_report
from mapservice import create_app
from mapservice.report.summary import implementation
from mapservice.wording import Wording

DESIGNATION = "SUNDSVALL BJÖRKÅSEN 2:1"
HOSTILE = '<img src=x onerror="alert(1)">&<script>alert(2)</script>'


def _plan_of(client, designation=DESIGNATION):
    unit = client.get(f"/api/v1/properties?designation={designation}").json["unit_id"]
    report = client.get(f"/api/v1/properties/{unit}").json
    return unit, report["zoning"]["plans"][0]


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_page_has_the_layout_map_rules_dates_document_and_way_back(client, lang):
    unit, plan = _plan_of(client)
    response = client.get(f"/fastighet/{unit}/planer/{plan['plan_id']}?lang={lang}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert f'<html lang="{lang}">' in page
    assert 'class="brand"' in page  # base.html's header and footer
    assert "Min fastighet</title>" in page
    back = f'href="/fastighet/{unit}?lang={lang}"'
    assert page.count(back) == 2
    assert 'id="plan-map"' in page
    assert "L.map(" in page  # folium's map, with its script
    assert re.search(r'<script nonce="[^"]+">', page)
    assert f'href="/fastighet/{unit}/planer/{plan["plan_id"]}/dokument"' in page
    words = Wording(lang)
    assert words.plan_status(plan["status"]) in page
    uses = re.search(r'<table id="plan-uses">.*?</table>', page, re.S).group(0)
    rules = re.search(r'<table id="plan-rules">.*?</table>', page, re.S).group(0)
    for use in plan["uses"]:
        assert f"<td>{html.escape(use['code'])}</td>" in uses
    for rule in plan["rules"]:
        assert f"<td>{html.escape(rule['code'])}</td>" in rules
        if rule["wording"]:
            assert html.escape(rule["wording"]) in rules
    sources = re.search(r'<ul id="plan-sources">.*?</ul>', page, re.S).group(0)
    assert re.search(r"\d{4}-\d{2}-\d{2}", sources)  # the plan layers' import date
    assert "T00:00" not in sources


def test_genomforandetid_is_worded_as_in_the_report(client, sample):
    unit, plan = _plan_of(client)
    page = client.get(f"/fastighet/{unit}/planer/{plan['plan_id']}?lang=en")
    with GeoPackageStore(sample.vector_path) as store:
        zoning = zoning_report(store, store.get_property(unit))
    coverage = next(p for p in zoning.plans if p.plan_id == plan["plan_id"])
    assert coverage.in_force
    assert html.escape(implementation(coverage, Wording("en"))) in page.get_data(as_text=True)


def test_the_swedish_page_is_in_swedish(client):
    unit, plan = _plan_of(client)
    page = client.get(f"/fastighet/{unit}/planer/{plan['plan_id']}?lang=sv").get_data(as_text=True)
    assert "Tillbaka till rapporten om SUNDSVALL BJÖRKÅSEN 2:1" in page
    assert "Egenskapsbestämmelser" in page or "egenskapsbestämmelser" in page
    assert "Back to the report" not in page


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/fastighet/{unit}/planer/2281K-NOPE", 404),
        ("/fastighet/{unit}/planer/{other}", 404),  # a plan elsewhere in the kommun
        ("/fastighet/00000000-0000-0000-0000-000000000000/planer/{plan}", 404),
        ("/fastighet/not-an-id/planer/{plan}", 400),
        ("/fastighet/{unit}/planer/2281K-NOPE/dokument", 404),
    ],
)
def test_unknown_plans_and_plans_elsewhere_are_problems(client, path, status):
    unit, plan = _plan_of(client)
    others = {
        p["properties"]["plan_id"]
        for p in client.get("/ogc/collections/plans/items").json["features"]
    } - {p["plan_id"] for p in client.get(f"/api/v1/properties/{unit}").json["zoning"]["plans"]}
    url = path.format(unit=unit, plan=plan["plan_id"], other=sorted(others)[0])
    response = client.get(url, headers={"Accept": "application/json"})
    assert response.status_code == status
    assert response.mimetype == "application/problem+json"
    assert response.json["status"] == status
    assert client.get(url).status_code == status  # and an HTML page for people
    assert "text/html" in client.get(url).content_type


def test_hostile_plan_names_and_wordings_are_escaped(sample, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(sample.directory, data)
    path = data / "minfastighet.gpkg"
    plans = pyogrio.read_dataframe(path, layer="plans")
    plans["name"] = HOSTILE
    plans["authority"] = HOSTILE
    rules = pyogrio.read_dataframe(path, layer="plan_rules")
    rules["wording"] = HOSTILE
    rules["code"] = rules["code"].where(rules["code"].isin(["prickmark", "korsmark"]), HOSTILE)
    uses = pyogrio.read_dataframe(path, layer="plan_uses")
    uses["code"] = HOSTILE  # the map's labels
    with GeoPackageStore(path, writable=True) as store:
        store.replace_layer("plans", plans)
        store.replace_layer("plan_rules", rules)
        store.replace_layer("plan_uses", uses)
    client = create_app({"TESTING": True, "data_dir": str(data)}).test_client()
    unit, plan = _plan_of(client)
    response = client.get(f"/fastighet/{unit}/planer/{plan['plan_id']}?lang=en")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "<img src=x" not in page
    assert "<script>alert" not in page
    assert str(escape(HOSTILE)) in page  # shown as text: name, authority, wordings
    assert 'onerror="' not in page
    assert 'onerror=\\"' not in page  # nor markup inside the map's script (the use labels)


def test_prickmark_and_korsmark_by_category_are_drawn_as_such(sample, tmp_path):
    """A delivery's rules carry catalogue codes (layers.national.detaljplan): the map tells
    prickmark and korsmark by their category and draws them as the report's map does."""
    data = tmp_path / "data"
    shutil.copytree(sample.directory, data)
    path = data / "minfastighet.gpkg"
    rules = pyogrio.read_dataframe(path, layer="plan_rules")
    catalogue = {"prickmark": "DP_KM_Eg_Mark_EjByggnad", "korsmark": "DP_KM_Eg_Mark_Komplement"}
    marked = rules["code"].isin(list(catalogue))
    assert marked.any()
    rules["category"] = rules["category"].where(~marked, rules["code"])
    rules["code"] = rules["code"].replace(catalogue)
    with GeoPackageStore(path, writable=True) as store:
        store.replace_layer("plan_rules", rules)
    client = create_app({"TESTING": True, "data_dir": str(data)}).test_client()
    unit, plan = _plan_of(client)
    page = client.get(f"/fastighet/{unit}/planer/{plan['plan_id']}").get_data(as_text=True)
    assert "DP_KM_Eg_Mark_EjByggnad" in page  # the table shows the delivered code
    fills = set(re.findall(r'"fillColor": "(url\(#mf-[a-z]+\))"', page))
    assert "url(#mf-dots)" in fills  # prickmark: the report map's raster of dots
