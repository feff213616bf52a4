"""The pages for owners without a browser: start page, results without JavaScript, the
report page, its PDF, plan documents, redirects and bad input."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

#: These tests run on both vector store backends (tests/conftest.py).
pytestmark = pytest.mark.both_backends

DESIGNATION = "SUNDSVALL BJÖRKÅSEN 2:1"


@pytest.fixture
def client(report_client):
    return report_client


def test_start_page_has_search_map_and_notice(client):
    page = client.get("/").get_data(as_text=True)
    assert 'role="search"' in page
    assert 'role="combobox"' in page
    assert "Fiktiva exempeldata" in page
    assert 'id="start-map"' in page
    assert "cdn" not in page.lower()
    assert "http://" not in page.replace("http://www.w3.org", "")


def test_q_on_the_start_page_starts_a_search(client):
    response = client.get("/?q=Björkås")
    assert response.status_code == 303
    assert response.headers["Location"].startswith("/sok?q=")


def test_results_without_javascript(client):
    page = client.get("/sok?q=Björkås").get_data(as_text=True)
    assert "Sökresultat" in page
    assert DESIGNATION in page
    exact = client.get("/sok?q=Björkåsgränd 2")
    assert exact.status_code == 303
    assert exact.headers["Location"].startswith("/fastighet/")


@pytest.mark.parametrize(
    ("query", "status", "text"),
    [
        ("x", 400, "minst 2 tecken"),
        ("Zzzzqqq", 404, "Ingen fastighet eller adress"),
        ("SUNDSVALL NOPE 1:1", 404, "Ingen fastighet eller adress"),
    ],
)
def test_results_explain_why_nothing_was_found(client, query, status, text):
    response = client.get(f"/sok?q={query}")
    assert response.status_code == status
    assert text in response.get_data(as_text=True)


def test_designation_urls_redirect_to_the_id(client, unit):
    for url in (f"/fastighet?beteckning={DESIGNATION}", "/fastighet/Björkåsen 2:1"):
        response = client.get(url)
        assert response.status_code == 303
        assert response.headers["Location"] == f"/fastighet/{unit}"


def test_report_page_has_every_section(client, unit):
    page = client.get(f"/fastighet/{unit}").get_data(as_text=True)
    for text in (
        DESIGNATION,
        "Kartan är inte rättsligt gällande.",
        "Detaljplan",
        "Byggrätt",
        "Solel",
        "kWp",
        "Produktion per månad",
        "Takfält",
        "Solceller och bygglov",
        "Alla antaganden",
        "Källor",
        "2025-05-20",
        "Teckenförklaring",
    ):
        assert text in page, text
    # the map: our Leaflet, our tiles, a layer switcher; no other origin
    assert "/assets/leaflet/leaflet.js" in page
    assert "/tiles/solar/{z}/{x}/{y}.png" in page
    assert "L.control.layers" in page
    assert "L.control.scale" in page
    assert not re.search(r"""(src|href)=["']https?://""", page)


def test_report_page_in_english_and_recalculated(client, unit):
    page = client.get(f"/fastighet/{unit}?lang=en&pris=3&verkningsgrad=22&takandel=50")
    text = page.get_data(as_text=True)
    assert '<html lang="en">' in text
    assert "Solar power" in text
    assert 'value="3.0"' in text
    assert 'value="22.0"' in text
    assert 'value="50"' in text


def test_pdf_is_a4_with_the_report_text(client, unit):
    response = client.get(f"/fastighet/{unit}.pdf?lang=sv")
    assert response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.data))
    width, height = reader.pages[0].mediabox.width, reader.pages[0].mediabox.height
    assert (round(float(width)), round(float(height))) == (595, 842)
    text = "\n".join(p.extract_text() for p in reader.pages)
    for expected in (
        DESIGNATION,
        "Kartan är inte rättsligt gällande.",
        "Källor",
        "kWp",
        "Detaljplan",
        "Norr uppåt",
    ):
        assert expected in text, expected
    images = [img for p in reader.pages for img in p.images]
    assert images
    assert images[0].image.width >= 1400  # 120 mm at 300 dpi
    assert b"/ASCII85Decode" not in response.data  # deflated binary streams, not also ASCII85


def test_pdf_in_english(client, unit):
    text = (
        PdfReader(io.BytesIO(client.get(f"/fastighet/{unit}.pdf?lang=en").data))
        .pages[0]
        .extract_text()
    )
    assert "The map is not legally binding." in text


def test_plan_document_is_served_from_the_data(client, unit):
    report = client.get(f"/api/v1/properties/{unit}").json
    plan = report["zoning"]["plans"][0]["plan_id"]
    with client.get(f"/fastighet/{unit}/planer/{plan}/dokument") as response:
        assert response.status_code == 200
        assert plan in response.get_data(as_text=True)
    assert client.get(f"/fastighet/{unit}/planer/..%2Fdataset.json").status_code in (400, 404)
    # in Swedish whatever an earlier test of this module's client chose (the lang cookie)
    report = client.get(f"/fastighet/{unit}?lang=sv").get_data(as_text=True)
    assert f'href="/fastighet/{unit}/planer/{plan}?lang=sv"' in report  # the plan's page


def test_accessibility_statement(client):
    page = client.get("/tillganglighet?lang=sv").get_data(as_text=True)
    assert "Tillgänglighetsredogörelse" in page
    assert "WCAG 2.1" in page


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/fastighet/00000000-0000-0000-0000-000000000000", 404),
        ("/fastighet/00000000-0000-0000-0000-000000000000.pdf", 404),
        ("/fastighet/not-an-id.pdf", 400),
        ("/fastighet/!!!", 400),
        ("/fastighet/SUNDSVALL NOPE 1:1", 404),
        ("/fastighet", 400),
        ("/fastighet?beteckning=", 400),
    ],
)
def test_bad_pages_are_4xx_html(client, url, status):
    response = client.get(url)
    assert response.status_code == status
    assert response.mimetype == "text/html"


@pytest.mark.parametrize(
    "args",
    ["pris=abc", "verkningsgrad=99", "takandel=0", "karta=1,2", "karta=95,17,10", "lager=sun"],
)
def test_bad_report_arguments_are_400(client, unit, args):
    assert client.get(f"/fastighet/{unit}?{args}").status_code == 400


def test_every_kind_of_property_gets_a_page_json_and_pdf(client, full_sample):
    """Multi-part units, samfälligheter, properties without buildings or plans: never a 500."""
    from layers import open_store

    with open_store("geopackage", full_sample.vector_path) as store:
        props = list(store.iter_pages(tuple(full_sample.manifest["bounds"])))
        chosen = {
            "multi-part": next(p for p in props if len(p.parts) > 1),
            "no buildings": next(p for p in props if not store.buildings_of(p.unit_id)),
            "samfällighet": next((p for p in props if p.unit_type != "fastighet"), props[0]),
        }
    chosen.update({f"every 25th ({i})": p for i, p in enumerate(props[::25])})
    for name, prop in chosen.items():
        for url in (f"/fastighet/{prop.unit_id}", f"/api/v1/properties/{prop.unit_id}"):
            assert client.get(url).status_code == 200, (name, url)
    for name in ("multi-part", "no buildings"):
        pdf = client.get(f"/fastighet/{chosen[name].unit_id}.pdf")
        assert pdf.status_code == 200, name
        assert (
            str(chosen[name].designation) in PdfReader(io.BytesIO(pdf.data)).pages[0].extract_text()
        )


def test_the_background_map_is_used_only_when_set(full_sample, unit):
    from mapservice import create_app

    app = create_app(
        {
            "TESTING": True,
            "data_dir": str(full_sample.directory),
            "background_map_url": "https://tiles.example.org/{z}/{x}/{y}.png",
            "background_map_attribution": "© Example",
        }
    )
    page = app.test_client().get(f"/fastighet/{unit}").get_data(as_text=True)
    assert "https://tiles.example.org/{z}/{x}/{y}.png" in page
    assert "\\u00a9 Example" in page or "© Example" in page
