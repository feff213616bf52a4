"""``POST /api/v1/properties/<id>/building-check``, the page's form without JavaScript, the PDF."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from layers import GeoPackageStore
from layers.building_site import building_site

PLAIN = "sundsvall björkåsen 4:1"


@pytest.fixture(scope="module")
def place(sample):
    """The property's id and the centre of a free spot 6.5 m or more from its boundary, off
    prickmark and clear of its buildings (as in tests/layers/test_building_check.py)."""
    with GeoPackageStore(sample.vector_path) as store:
        prop = store.find_property(PLAIN)
        site = building_site(store, prop)
    room = site.geometry.buffer(-8.5).difference(site.prickmark.buffer(4))
    for building in site.buildings:
        room = room.difference(building.geometry.buffer(4))
    point = room.representative_point()
    return prop.unit_id, round(point.x, 2), round(point.y, 2)


def body(x, y, **changes):
    ring = [[x - 2, y - 2], [x + 2, y - 2], [x + 2, y + 2], [x - 2, y + 2], [x - 2, y - 2]]
    return {
        "geometry": {"type": "Polygon", "coordinates": [ring]},
        "crs": "EPSG:3006",
        "height_m": 3.0,
        "kind": "friggebod",
        "neighbour_consent": False,
    } | changes


def test_a_small_outbuilding_needs_no_permit_and_says_why(client, place):
    key, x, y = place
    response = client.post(f"/api/v1/properties/{key}/building-check?lang=en", json=body(x, y))
    assert response.status_code == 200
    answer = response.get_json()
    assert answer["procedure"] == "none"
    assert answer["procedure_source"] == "PBL (2010:900) 9 kap. 4 § (SFS 2025:974)"
    assert answer["guidance"].startswith("Guidance, not a decision")
    for check in answer["checks"]:
        # every rule the data answers is ok; no railway or total defence layer is loaded
        not_loaded = check["code"] in ("railway", "total_defence")
        assert check["status"] == ("unknown" if not_loaded else "ok")
        assert check["text"]
        assert "SFS" in check["source"]
    assert all(r["kwh_per_year_lost"] >= 0 for r in answer["shade"]["roofs"])
    assert answer["shade"]["winter_shadow"]["type"] in ("Polygon", "MultiPolygon")
    assert answer["shade"]["noticeable_share"] == 0.01
    for roof in answer["shade"]["roofs"]:
        assert roof["noticeable"] == (roof["share_lost"] >= 0.01 and roof["kwh_per_year_lost"] > 0)
        assert roof["text"]


def test_the_checks_that_need_data_the_service_lacks_say_so(client, place):
    key, x, y = place
    response = client.post(
        f"/api/v1/properties/{key}/building-check?lang=en&shade=false", json=body(x, y)
    )
    checks = {c["code"]: c for c in response.get_json()["checks"]}
    assert checks["railway"]["text"].startswith("Cannot tell: no railway data is loaded.")
    assert "30 m" in checks["railway"]["text"]
    assert checks["railway"]["verified"] is False  # its section in the new 9 kap. (unverified)
    assert "total defence" in checks["total_defence"]["text"]
    assert checks["earlier_annexes"]["status"] == "ok"  # no outbuilding on Björkåsen 4:1


def test_in_swedish_and_in_wgs84(client, place):
    key, x, y = place
    from sweref import WGS84, reproject

    polygon = reproject(__import__("shapely").box(x - 2, y - 2, x + 2, y + 2), "EPSG:3006", WGS84)
    geometry = {"type": "Polygon", "coordinates": [list(map(list, polygon.exterior.coords))]}
    response = client.post(
        f"/api/v1/properties/{key}/building-check?shade=false",
        json=body(x, y, geometry=geometry, crs="EPSG:4326"),
    )
    answer = response.get_json()
    assert response.status_code == 200
    assert answer["procedure_text"] == "Varken bygglov eller anmälan krävs."
    assert answer["area_m2"] == pytest.approx(16.0, abs=0.2)
    assert answer["shade"] is None


@pytest.mark.parametrize(
    ("changes", "status"),
    [
        ({"geometry": {"type": "Point", "coordinates": [1, 2]}}, 400),
        ({"height_m": "high"}, 400),
        ({"height_m": True}, 400),
        ({"kind": "castle"}, 400),
        ({"crs": "EPSG:2154"}, 400),
        ({"neighbour_consent": "yes"}, 400),
        ({"colour": "red"}, 400),
        ({"geometry": {"type": "Polygon", "coordinates": [[[0, 0]] * 1001]}}, 400),
    ],
)
def test_bad_bodies_are_problems(client, place, changes, status):
    key, x, y = place
    response = client.post(f"/api/v1/properties/{key}/building-check", json=body(x, y, **changes))
    assert response.status_code == status
    assert response.content_type == "application/problem+json"


def test_not_json_unknown_property_and_large_bodies(client, place):
    key, x, y = place
    url = f"/api/v1/properties/{key}/building-check"
    assert client.post(url, data="{", content_type="application/json").status_code == 400
    other = "00000000-0000-0000-0000-000000000000"
    assert client.post(url.replace(key, other), json=body(x, y)).status_code == 404
    big = body(x, y, kind="friggebod" + " " * 70_000)
    assert client.post(url, json=big).status_code in (400, 413)


def test_the_openapi_document_describes_it(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    operation = paths["/properties/{unit_id}/building-check"]["post"]
    assert "requestBody" in operation
    assert set(operation["responses"]) >= {"200", "400", "404"}


def test_the_form_works_without_javascript_and_its_url_is_the_share_link(client, place):
    key, x, y = place
    page = client.get(f"/fastighet/{key}/kan-jag-bygga?lang=en")
    assert page.status_code == 200
    assert b'id="build-form"' in page.data
    assert b"layer-prickmark" in page.data  # the plan areas are drawn
    url = f"/fastighet/{key}/kan-jag-bygga?lang=en&typ=main_building&bredd=8&djup=8"
    url += f"&x={x}&y={y}&hojd=9"
    answer = client.get(url)
    assert answer.status_code == 200
    text = answer.get_data(as_text=True)
    assert "Not allowed as drawn" in text  # h1 is 7.5 m
    assert "layer-planned" in text
    assert client.get(url).get_data(as_text=True) == text  # the link restores it
    bad = client.get(f"/fastighet/{key}/kan-jag-bygga?typ=friggebod&hojd=3&bredd=x")
    assert bad.status_code == 400


def test_the_pdf_states_its_scale_and_the_checks(client, place):
    key, x, y = place
    response = client.get(
        f"/fastighet/{key}/kan-jag-bygga.pdf?typ=friggebod&bredd=4&djup=4&x={x}&y={y}&hojd=3"
    )
    assert response.status_code == 200
    assert response.content_type == "application/pdf"
    pages = PdfReader(io.BytesIO(response.data)).pages
    text = " ".join(" ".join(page.extract_text() for page in pages).split())
    assert "Skala 1:" in text
    assert "SFS 2025:974" in text
    assert "Varken bygglov eller anmälan krävs." in text


def test_the_report_holds_the_check_and_answers_it_without_javascript(client, place):
    key, x, y = place
    empty = client.get(f"/fastighet/{key}").get_data(as_text=True)
    assert 'id="building-check"' in empty
    assert 'id="build-verdict"' not in empty
    assert f'action="/fastighet/{key}"' in empty  # the form comes back to the report
    query = {"typ": "friggebod", "bredd": 4, "djup": 4, "hojd": 3, "x": x, "y": y, "lang": "en"}
    page = client.get(f"/fastighet/{key}", query_string=query).get_data(as_text=True)
    assert 'id="report-map"' in page
    assert "Neither a building permit nor a notification is needed." in page
    assert 'class="layer-planned"' in page
    assert f"/fastighet/{key}.pdf?lang=en&amp;typ=friggebod" in page  # the report's PDF with it


def test_the_fragment_is_the_section_alone_with_links_to_the_report(client, place):
    key, x, y = place
    query = {"typ": "friggebod", "bredd": 4, "djup": 4, "hojd": 3, "x": x, "y": y}
    response = client.get(f"/fastighet/{key}/kan-jag-bygga/del", query_string=query)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert html.lstrip().startswith("{#") is False
    assert html.count("<section") == 1
    assert "<html" not in html
    assert f'href="/fastighet/{key}?lang=sv&amp;typ=friggebod' in html  # share link: the report
    assert "Varken bygglov eller anmälan krävs." in html


@pytest.mark.parametrize("path", ["", "/kan-jag-bygga/del", ".pdf"])
def test_a_bad_building_in_the_report_is_a_400(client, place, path):
    key, _, _ = place
    response = client.get(f"/fastighet/{key}{path}?typ=castle&hojd=3")
    assert response.status_code == 400
