"""OGC API Features through Flask's test client: documents, paging, CRS, strict parameters."""

from __future__ import annotations

import re
from urllib.parse import quote, urlencode

import pytest
import shapely
from openapi_spec_validator import validate

from layers.text import fold

#: These tests run on both vector store backends (tests/conftest.py).
pytestmark = pytest.mark.both_backends

TM = "http://www.opengis.net/def/crs/EPSG/0/3006"
ZONE = "http://www.opengis.net/def/crs/EPSG/0/3014"
CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
BOX_TM = (616700.0, 6917700.0, 617000.0, 6918000.0)


@pytest.fixture
def full_client(full_sample, vector_config):
    from mapservice import create_app

    config = {"TESTING": True, "data_dir": str(full_sample.directory)}
    return create_app({**config, **vector_config(full_sample)}).test_client()


def test_landing_links_to_api_conformance_and_collections(client):
    body = client.get("/ogc/").json
    rels = {link["rel"]: link["href"] for link in body["links"]}
    assert {"self", "alternate", "service-desc", "service-doc", "conformance", "data"} <= set(rels)
    assert client.get(rels["service-desc"]).status_code == 200


def test_conformance_names_core_geojson_and_crs(client):
    conforms = client.get("/ogc/conformance").json["conformsTo"]
    assert "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core" in conforms
    assert "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs" in conforms


def test_openapi_document_is_valid_openapi_3(full_client):
    response = full_client.get("/ogc/api")
    assert response.mimetype == "application/vnd.oai.openapi+json"
    document = response.json
    validate(document)
    assert "/ogc/collections/roof_faces/items" in document["paths"]
    assert "/tiles/solar/{z}/{x}/{y}.png" in document["paths"]
    assert "/api/v1/solar/point" in document["paths"]


def test_collections_include_roof_faces_with_layer_information(full_client):
    body = full_client.get("/ogc/collections").json
    ids = [c["id"] for c in body["collections"]]
    assert ids == [
        "parcels",
        "addresses",
        "buildings",
        "plans",
        "plan_uses",
        "plan_rules",
        "roof_faces",
    ]
    faces = body["collections"][-1]
    assert faces["storageCrs"] == TM
    assert CRS84 in faces["crs"]
    assert ZONE in faces["crs"]
    layer = faces["layer"]
    assert layer["feature_count"] > 500
    assert layer["crs"] == "EPSG:3006"
    assert layer["source"]
    assert layer["licence"]
    assert layer["imported_at"]


def test_items_page_with_links_and_counts(client, sample):
    first = client.get("/ogc/collections/parcels/items?limit=100")
    assert first.mimetype == "application/geo+json"
    assert first.headers["Content-Crs"] == f"<{CRS84}>"
    body = first.json
    assert body["numberMatched"] == sample.manifest["layers"]["parcels"]
    assert body["numberReturned"] == 100
    links = {link["rel"]: link["href"] for link in body["links"]}
    assert "prev" not in links
    second = client.get(links["next"]).json
    assert "prev" in {link["rel"] for link in second["links"]}
    ids = {f["id"] for f in body["features"]} | {f["id"] for f in second["features"]}
    assert len(ids) == 200


def test_bbox_selects_exactly_what_intersects(client, sample):
    import pyogrio

    stored = pyogrio.read_dataframe(sample.directory / "minfastighet.gpkg", layer="buildings")
    expected = set(stored[stored.intersects(shapely.box(*BOX_TM))]["building_id"])
    bbox = f"{BOX_TM[1]},{BOX_TM[0]},{BOX_TM[3]},{BOX_TM[2]}"  # northing first in EPSG:3006
    body = client.get(f"/ogc/collections/buildings/items?bbox={bbox}&bbox-crs={TM}&limit=1000").json
    assert {f["id"] for f in body["features"]} == expected
    assert body["numberMatched"] == len(expected) > 10


@pytest.mark.parametrize(
    ("crs", "first_axis"),
    [
        (TM, (6.9e6, 7.0e6)),
        (ZONE, (6.9e6, 7.0e6)),
        (CRS84, (17.0, 17.5)),
        ("http://www.opengis.net/def/crs/EPSG/0/4326", (62.0, 63.0)),
    ],
)
def test_crs_gives_coordinates_in_the_crs_axis_order(client, crs, first_axis):
    response = client.get(f"/ogc/collections/addresses/items?limit=1&crs={crs}")
    assert response.headers["Content-Crs"] == f"<{crs}>"
    first, _second = response.json["features"][0]["geometry"]["coordinates"]
    assert first_axis[0] < first < first_axis[1]


def test_queryables_filter_and_type_checks(client):
    body = client.get("/ogc/collections/plan_rules/items?code=e1&limit=1000").json
    assert body["numberMatched"] > 0
    assert {f["properties"]["code"] for f in body["features"]} == {"e1"}
    schema = client.get("/ogc/collections/plan_rules/queryables").json
    assert set(schema["properties"]) == {"plan_id", "code", "category"}


def test_plans_are_searched_by_free_text(client):
    """q on plans: a part of the id or name; its terms in the paging links; other collections
    and bad terms are 400 problems; the OpenAPI document offers it on plans only."""
    plans = [
        f["properties"]
        for f in client.get("/ogc/collections/plans/items?limit=1000&f=json").json["features"]
    ]
    plan = plans[-1]

    def bare(text):  # case, accents, spaces and punctuation left out, as the API says
        return re.sub(r"[\W_]+", "", fold(text))

    def holds(p, text):
        return any(bare(text) in bare(p[k] or "") for k in ("plan_id", "name"))

    words = [w for w in (plan["name"] or "").split() if len(w) > 3] or [plan["plan_id"]]
    word = min(words, key=lambda w: sum(holds(p, w) for p in plans)).upper()  # its rarest word
    body = client.get(f"/ogc/collections/plans/items?q={quote(word)}&limit=1000&f=json").json
    found = {f["properties"]["plan_id"] for f in body["features"]}
    assert plan["plan_id"] in found
    assert found == {p["plan_id"] for p in plans if holds(p, word)}
    other = plans[0]["plan_id"]
    q = f"{word},{other.lower()}"
    page = client.get(f"/ogc/collections/plans/items?q={quote(q)}&limit=1&f=json").json
    assert page["numberMatched"] == sum(holds(p, word) or holds(p, other) for p in plans)
    following = [link["href"] for link in page["links"] if link["rel"] == "next"]
    assert all(urlencode({"q": q}) in href for href in following)
    assert len(following) == (page["numberMatched"] > 1)
    for query, message in (
        ("collections/parcels/items?q=x", "unknown parameter"),
        ("collections/plans/items?q=,", "no search term"),
        ("collections/plans/items?q=" + "x" * 101, "at most 100"),
    ):
        response = client.get(f"/ogc/{query}")
        assert response.status_code == 400, query
        assert response.mimetype == "application/problem+json"
        assert message in response.json["detail"]
    paths = client.get("/ogc/api").json["paths"]
    takes_q = {
        path: p["schema"]
        for path, item in paths.items()
        for p in item.get("get", {}).get("parameters", [])
        if p.get("name") == "q"
    }
    assert takes_q == {"/ogc/collections/plans/items": {"type": "string", "maxLength": 200}}
    assert client.get("/ogc/collections/plans/items?q=" + "a," * 100).status_code == 400


def test_single_item_by_stable_id(client):
    first = client.get("/ogc/collections/plans/items?limit=1").json["features"][0]
    one = client.get(f"/ogc/collections/plans/items/{first['id']}?crs={TM}")
    assert one.json["properties"]["plan_id"] == first["id"]
    assert one.headers["Content-Crs"] == f"<{TM}>"
    assert client.get("/ogc/collections/plans/items/NOPE").status_code == 404


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ("colour=red", "unknown parameter"),
        ("wording=x", "unknown parameter"),  # an attribute, but not a queryable
        ("limit=0", "limit"),
        ("limit=10001", "limit"),
        ("limit=ten", "limit"),
        ("offset=-1", "offset"),
        ("bbox=1,2,3", "bbox"),
        ("bbox=3,2,1,4", "lower corner"),
        ("bbox=a,b,c,d", "bbox"),
        ("crs=EPSG:3006", "crs"),
        ("bbox-crs=" + TM, "without bbox"),
        ("f=xml", "f must be"),
        ("limit=1&limit=2", "once"),
    ],
)
def test_malformed_parameters_are_400_problems(client, query, words):
    response = client.get(f"/ogc/collections/parcels/items?{query}")
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"
    assert words in response.json["detail"]


def test_integer_queryable_must_be_a_number(full_client):
    response = full_client.get("/ogc/collections/roof_faces/items?suitability=1")
    assert response.status_code == 200
    bad = full_client.get("/ogc/collections/plan_rules/items?limit=5&offset=x")
    assert bad.status_code == 400


def test_bbox_outside_sweden_is_empty_not_an_error(client):
    body = client.get("/ogc/collections/parcels/items?bbox=-10,40,-9,41").json
    assert body["numberMatched"] == body["numberReturned"] == 0


def test_unknown_collection_is_404(client):
    response = client.get("/ogc/collections/roads/items")
    assert response.status_code == 404
    assert "roads" in response.json["detail"]


@pytest.mark.parametrize(
    "path",
    [
        "/ogc/",
        "/ogc/conformance",
        "/ogc/collections",
        "/ogc/collections/plan_rules",
        "/ogc/collections/plan_rules/items",
        "/ogc/collections/plan_rules/queryables",
        "/ogc/api",
    ],
)
def test_html_pages(client, path):
    response = client.get(f"{path}?f=html&lang=en")
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    assert '<html lang="en">' in response.get_data(as_text=True)


def test_browsers_get_html_without_f(client):
    response = client.get("/ogc/collections", headers={"Accept": "text/html"})
    assert response.mimetype == "text/html"


def test_plan_rule_page_shows_full_wording(client):
    rule = client.get("/ogc/collections/plan_rules/items?code=e1&limit=1").json["features"][0]
    page = client.get(f"/ogc/collections/plan_rules/items/{rule['id']}?f=html")
    assert rule["properties"]["wording"] in page.get_data(as_text=True)


def test_an_imported_layer_shows_its_source_licence_and_validation_report(sample, tmp_path):
    import geopandas as gpd
    import pyogrio
    from click.testing import CliRunner

    from mapservice import create_app
    from mapservice.commands.main import main

    data = tmp_path / "data"
    data.mkdir()
    (data / "minfastighet.gpkg").write_bytes((sample.directory / "minfastighet.gpkg").read_bytes())
    plans = pyogrio.read_dataframe(data / "minfastighet.gpkg", layer="plans")
    plans["ägare"] = "someone"  # a personal column: dropped, and the report says so
    source = tmp_path / "detaljplaner.gpkg"
    gpd.GeoDataFrame(plans).to_file(source, engine="pyogrio")
    result = CliRunner().invoke(
        main,
        ["import", "plans", str(source), "--licence", "CC0 1.0"],
        env={"MINFASTIGHET_DATA_DIR": str(data)},
    )
    assert result.exit_code == 0, result.output
    client = create_app({"TESTING": True, "data_dir": str(data)}).test_client()
    layer = client.get("/ogc/collections/plans").json["layer"]
    assert layer["source"] == "detaljplaner.gpkg"  # the file's name, never a server path
    assert layer["licence"] == "CC0 1.0"
    assert layer["feature_count"] == len(plans)
    assert layer["imported_at"].startswith("20")
    assert layer["validation_report"]["personal_columns"] == ["ägare"]
    page = client.get("/ogc/collections/plans?f=html&lang=en").get_data(as_text=True)
    assert "CC0 1.0" in page
    assert "ägare" in page
    parcels = client.get("/ogc/collections/parcels").json["layer"]
    assert parcels["validation_report"] is None


def test_collections_are_worded_in_the_page_language(full_client):
    """Titles and descriptions follow ?lang= in JSON and HTML; ids stay as they are."""
    landing = full_client.get("/ogc/?lang=sv").json["description"]
    assert landing.startswith("Fastigheter, adresser, byggnader, detaljplaner och takytor")
    landing = full_client.get("/ogc/?lang=en").json["description"]
    assert landing.startswith("Parcels, addresses, buildings, detailed development plans")
    sv = {c["id"]: c for c in full_client.get("/ogc/collections?lang=sv").json["collections"]}
    en = {c["id"]: c for c in full_client.get("/ogc/collections?lang=en").json["collections"]}
    assert sv.keys() == en.keys()
    assert sv["parcels"]["description"].startswith("Fastighetsindelningen: ett objekt per skifte")
    assert en["parcels"]["description"].startswith("Cadastral parcels: one feature per part")
    assert sv["roof_faces"]["title"] == "Takfält"
    assert en["roof_faces"]["title"] == "Roof faces"
    assert "solinstrålning" in sv["roof_faces"]["description"]
    page = full_client.get("/ogc/collections/buildings/items?f=html&lang=sv&limit=1").text
    assert "<h1>Byggnader</h1>" in page
    html = full_client.get("/ogc/collections?f=html&lang=sv").text
    assert "Byggnadernas ytor med ändamål" in html
    assert "Building footprints" not in html


def test_link_titles_are_worded_in_the_page_language(full_client):
    """Every link title of the landing, collections, items, item and queryables documents
    follows ?lang=: a client that shows them shows one language."""

    def titles(path, lang):
        return [link["title"] for link in full_client.get(f"{path}&lang={lang}").json["links"]]

    assert titles("/ogc/?f=json", "sv") == [
        "Startsida",
        "Startsida",
        "API-definitionen (OpenAPI 3.0)",
        "API-dokumentationen",
        "Konformitetsklasser",
        "Samlingar",
    ]
    assert titles("/ogc/?f=json", "en")[2:4] == [
        "The API definition (OpenAPI 3.0)",
        "The API documentation",
    ]
    collection = titles("/ogc/collections/buildings?f=json", "sv")
    assert collection[0] == "Byggnader"
    assert collection[-1] == "Filtrerbara egenskaper"
    assert titles("/ogc/collections/buildings/items?limit=1&offset=1", "sv") == [
        "Den här sidan",
        "Den här sidan (HTML)",
        "Byggnader",
        "Nästa sida",
        "Föregående sida",
    ]
    assert titles("/ogc/collections/buildings/items?limit=1&offset=1", "en")[3:] == [
        "Next page",
        "Previous page",
    ]
    first = full_client.get("/ogc/collections/buildings/items?limit=1").json["features"][0]
    assert set(titles(f"/ogc/collections/buildings/items/{first['id']}?f=json", "sv")) == {
        "Byggnader"
    }
    queryables = full_client.get("/ogc/collections/buildings/queryables?lang=sv").json
    assert queryables["title"] == "Byggnader"


@pytest.mark.parametrize("description", ["", "100 % <b>eget</b> lager", "Fastigheter"])
def test_an_operators_own_layer_keeps_its_words(client, description):
    """Not a message id: the words stay as they are (an empty one is not the catalog's header,
    a % is not a format)."""
    from layers.features import LayerInfo
    from mapservice.web.ogc.documents import worded

    info = LayerInfo("egna", "Eget", description, "Point", 0, None, (), (), "id", None)
    with client.application.test_request_context("/ogc/collections?lang=sv"):
        assert (worded(info).title, worded(info).description) == ("Eget", description)
