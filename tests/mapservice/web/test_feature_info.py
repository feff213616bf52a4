"""What the viewer shows of a feature: labels and worded values, never ids (issue 16, point 12)."""

from __future__ import annotations

import json
import re

import pytest

from layers.schema import LAYER_SCHEMAS
from mapservice.web.feature_info import FIELDS, layer_fields

UUID_COLUMNS = {"unit_id", "part_id", "building_id", "address_id", "use_id", "rule_id", "face_id"}


@pytest.mark.parametrize("layer", sorted(FIELDS))
def test_every_field_is_a_column_of_its_layer_and_no_id_is_shown(layer):
    keys = [f.key for f in FIELDS[layer]]
    assert not UUID_COLUMNS & set(keys)
    assert "catalogue_code" not in keys
    if layer in LAYER_SCHEMAS:
        assert set(keys) <= set(LAYER_SCHEMAS[layer].columns)


@pytest.mark.parametrize(
    ("lang", "label", "gable", "very_good", "status"),
    [
        ("sv", "Takform", "sadeltak", "mycket god", "laga kraft"),
        ("en", "Roof shape", "gable roof", "very good", "in force"),
    ],
)
def test_labels_and_coded_values_are_worded_in_the_language(lang, label, gable, very_good, status):
    buildings = {f["key"]: f for f in layer_fields("buildings", lang)}
    assert buildings["roof_shape"]["label"] == label
    assert buildings["roof_shape"]["values"]["gable"] == gable
    faces = {f["key"]: f for f in layer_fields("roof_faces", lang)}
    assert faces["suitability"]["values"]["very_good"] == very_good
    plans = {f["key"]: f for f in layer_fields("plans", lang)}
    assert plans["status"]["values"]["laga kraft"] == status


def test_a_layer_without_a_list_shows_no_column_names():
    assert layer_fields("some_new_layer", "sv") == []


def test_the_viewer_hands_its_script_the_fields_report_link_and_solar_point(client):
    page = client.get("/karta?lang=sv").get_data(as_text=True)
    config = json.loads(re.search(r'id="viewer-config">(.*?)</script>', page, re.S).group(1))
    layers = {layer["id"]: layer for layer in config["layers"]}
    assert layers["parcels"]["fields"][0]["label"] == "Fastighetsbeteckning"
    assert config["report"] == "/fastighet/{id}"
    assert config["solar"]["point"] == "/api/v1/solar/point"


def _config(client, query: str = "") -> dict:
    page = client.get(f"/karta?lang=en{query}").get_data(as_text=True)
    return json.loads(re.search(r'id="viewer-config">(.*?)</script>', page, re.S).group(1))


def test_the_background_maps_offered(sample):
    """None, the service's own base map when it has one, and the configured URL when set."""
    from mapservice import create_app

    url = "https://tiles.example.se/{z}/{x}/{y}.png"
    app = create_app(
        {
            "TESTING": True,
            "data_dir": str(sample.directory),
            "background_map_url": url,
            "background_map_attribution": "© Example",
        }
    )
    bases = {b["id"]: b for b in _config(app.test_client())["basemaps"]}
    assert bases["none"]["url"] is None
    assert bases["configured"]["url"] == url
    assert bases["configured"]["attribution"] == "© Example"
    own = [r.rule for r in app.url_map.iter_rules() if r.rule.startswith("/tiles/base/")]
    assert ("own" in bases) == bool(own)
    page = app.test_client().get("/karta?lang=en").get_data(as_text=True)
    assert 'id="basemap-configured"' in page


def test_the_layer_list_is_grouped(client):
    from mapservice.web.viewer import groups

    page = client.get("/karta?lang=sv").get_data(as_text=True)
    legends = re.findall(r'<fieldset class="layer-group">\s*<legend>([^<]+)</legend>', page)
    assert legends[:3] == ["Fastighet", "Plan", "Solenergi"]
    layers = [{"id": "parcels"}, {"id": "plans"}, {"id": "noise"}]
    with client.application.test_request_context("/karta?lang=en"):
        grouped = groups(layers)
    assert [g["id"] for g in grouped] == ["property", "plan", "solar", "other"]
    assert grouped[-1]["layers"] == [{"id": "noise"}]
