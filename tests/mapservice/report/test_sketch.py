"""The building check's sketch as the page draws it: shadows fall north, swatches match the map.

The sketch once showed a stepped fan south of a planned building in what the legend called the
winter shadow's colour: the 21 June shadow was drawn for the whole day (the low night sun in the
north casts it south), see-through, and the legend's swatches were opaque, so on the page the
summer shadow had the winter swatch's colour. These tests read the page's SVG.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from layers import GeoPackageStore
from layers.building_site import building_site
from mapservice.report.sketch import LAYERS, OPACITY


class _Svg(HTMLParser):
    """The sketch's paths (class → attributes) and the legend's swatch rectangles, in order."""

    def __init__(self) -> None:
        super().__init__()
        self.paths: dict[str, dict[str, str | None]] = {}
        self.swatches: list[dict[str, str | None]] = []
        self._in_legend = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "ul" and a.get("class") == "legend":
            self._in_legend = True
        elif tag == "path" and (a.get("class") or "").startswith("layer-"):
            self.paths[(a["class"] or "")[len("layer-") :]] = a
        elif tag == "rect" and self._in_legend:
            self.swatches.append(a)

    def handle_endtag(self, tag: str) -> None:
        if tag == "ul":
            self._in_legend = False


def _points(d: str) -> list[tuple[float, float]]:
    return [(float(x), float(y)) for x, y in re.findall(r"(-?[\d.e+-]+),(-?[\d.e+-]+)", d)]


@pytest.fixture(scope="module")
def drawn(sample):
    """The page of Björkåsen 4:1 with a 4 × 4 m, 3 m high building on a free spot (the spot
    the other building-check tests use), parsed."""
    from mapservice import create_app

    with GeoPackageStore(sample.vector_path) as store:
        prop = store.find_property("sundsvall björkåsen 4:1")
        site = building_site(store, prop)
    room = site.geometry.buffer(-8.5).difference(site.prickmark.buffer(4))
    for building in site.buildings:
        room = room.difference(building.geometry.buffer(4))
    spot = room.representative_point()
    client = create_app({"TESTING": True, "data_dir": str(sample.directory)}).test_client()
    response = client.get(
        f"/fastighet/{prop.unit_id}/kan-jag-bygga",
        query_string={
            "typ": "friggebod",
            "bredd": 4,
            "djup": 4,
            "hojd": 3,
            "x": spot.x,
            "y": spot.y,
        },
    )
    assert response.status_code == 200
    parser = _Svg()
    parser.feed(response.get_data(as_text=True))
    return parser


@pytest.mark.parametrize("day", ["winter_shadow", "summer_shadow"])
def test_no_shadow_falls_south_of_the_building(drawn, day):
    # SVG's y grows southwards: no shadow point lies below the building's southern edge
    south_edge = max(y for _, y in _points(drawn.paths["planned"]["d"] or ""))
    shadow = _points(drawn.paths[day]["d"] or "")
    assert shadow
    assert max(y for _, y in shadow) <= south_edge + 1e-6
    assert min(y for _, y in shadow) < south_edge - 4.0  # and it does fall north


def test_each_swatch_has_its_layers_colour_on_the_sketch(drawn):
    keys = [k for k in LAYERS if k in drawn.paths]
    assert {"winter_shadow", "summer_shadow", "planned"} <= set(keys)
    assert len(drawn.swatches) == len(keys)
    for key, swatch in zip(keys, drawn.swatches, strict=True):
        path = drawn.paths[key]
        assert swatch["fill"] == path["fill"] == LAYERS[key][0], key
        assert swatch.get("fill-opacity") == path.get("fill-opacity"), key
        assert float(path.get("fill-opacity") or 1) == OPACITY.get(key, 1.0), key


def test_the_two_shadows_cannot_be_taken_for_each_other():
    winter, summer = LAYERS["winter_shadow"][0], LAYERS["summer_shadow"][0]

    def seen(colour: str, alpha: float) -> tuple[float, ...]:  # over the sketch's white
        rgb = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
        return tuple(255 - alpha * (255 - c) for c in rgb)

    w, s = seen(winter, OPACITY["winter_shadow"]), seen(summer, OPACITY["summer_shadow"])
    assert max(abs(a - b) for a, b in zip(w, s, strict=True)) > 60  # 0-255 per channel
