"""The viewer's print ``/karta/utskrift.pdf``: strict parameters (4xx problems) and a PDF
with the scale, paper, date, legend and sources (issue 16, point 13)."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from pypdf import PdfReader

from mapservice.report.view_print import PrintSpec, scale_bar_metres

URL = "/karta/utskrift.pdf"
GOOD = {
    "x": "616400",
    "y": "6917900",
    "scale": "1000",
    "paper": "a4",
    "orientation": "landscape",
    "layers": "parcels,buildings,plan_uses",
}


def _text(response) -> str:
    reader = PdfReader(io.BytesIO(response.data))
    assert len(reader.pages) == 1
    return reader.pages[0].extract_text()


@pytest.mark.parametrize(
    ("change", "detail"),
    [
        ({"scale": "1500"}, "scale must be one of 500, 1000, 2000, 5000, 10000"),
        ({"scale": "1:100000"}, "scale must be one of"),
        ({"paper": "a0"}, "paper must be one of a4, a3"),
        ({"orientation": "sideways"}, "orientation must be one of portrait, landscape"),
        ({"layers": "parcels,secrets"}, "each of layers must be one of"),
        ({"layers": "parcels,parcels"}, "layers must name each layer to print once"),
        ({"layers": ""}, "parameter layers is required"),
        ({"x": "abc"}, "x and y must be numbers"),
        ({"x": "nan"}, "x and y must be a point in Sweden"),
        ({"y": "1e12"}, "x and y must be a point in Sweden"),
        ({"x": None}, "parameter x is required"),
        ({"bbox": "0,0,1,1"}, "unknown parameter(s): bbox"),
    ],
)
def test_bad_parameters_are_400_problems(client, change, detail):
    args = {k: v for k, v in {**GOOD, **change}.items() if v is not None}
    response = client.get(URL, query_string=args, headers={"Accept": "application/json"})
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"
    assert detail in response.json["detail"]


@pytest.mark.parametrize(
    ("lang", "scale", "paper", "orientation", "words"),
    [
        (
            "sv",
            "2000",
            "a4",
            "landscape",
            (
                "Skala 1:2 000",
                "A4 liggande",
                "Teckenförklaring",
                "Fastighetsytor",
                "Byggnader",
                "Källor",
                "Utskriven",
            ),
        ),
        (
            "en",
            "10000",
            "a3",
            "portrait",
            (
                "Scale 1:10,000",
                "A3 portrait",
                "Legend",
                "Parcels",
                "Buildings",
                "Sources",
                "Printed",
            ),
        ),
    ],
)
def test_the_pdf_has_scale_paper_date_legend_and_sources(
    client, lang, scale, paper, orientation, words
):
    args = {**GOOD, "scale": scale, "paper": paper, "orientation": orientation, "lang": lang}
    response = client.get(URL, query_string=args)
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    text = _text(response)
    for word in words:
        assert word in text, (word, text)
    assert datetime.now(UTC).date().isoformat() in text
    assert "SWEREF 99 TM" in text
    assert " m" in text  # the scale bar's length
    box = PdfReader(io.BytesIO(response.data)).pages[0].mediabox
    width, height = float(box.width), float(box.height)
    expected = {"a4": (595.3, 841.9), "a3": (841.9, 1190.6)}[paper]
    if orientation == "landscape":
        expected = expected[::-1]
    assert (width, height) == pytest.approx(expected, abs=1)


def test_the_map_is_drawn_at_the_chosen_scale():
    """1 mm on an A4 landscape page at 1:1 000 is 1 m on the ground: the frame is 277 mm wide
    (297 − 2 × 10 mm margins), so it shows 277 m."""
    spec = PrintSpec((616000.0, 6918000.0), 1000, "a4", "landscape", ("parcels",))
    minx, _miny, maxx, _maxy = spec.bounds
    assert maxx - minx == pytest.approx(277.0, abs=0.1)
    big = PrintSpec((616000.0, 6918000.0), 10000, "a3", "landscape", ("parcels",))
    assert big.bounds[2] - big.bounds[0] == pytest.approx(4000.0, abs=1)
    assert scale_bar_metres(277.0) == 50


@pytest.mark.parametrize(("scale", "drawn"), [("1000", True), ("5000", False)])
def test_the_solar_map_is_printed_under_the_layers_up_to_1_to_2000(report_client, scale, drawn):
    args = {**GOOD, "scale": scale, "layers": "parcels,solar", "lang": "en"}
    response = report_client.get(URL, query_string=args)
    assert response.status_code == 200
    page = PdfReader(io.BytesIO(response.data)).pages[0]
    text = page.extract_text()
    assert "Solar map" in text
    assert "Solar map: yearly irradiation on roofs" in text  # its source, with the scan date
    if drawn:
        assert "(kWh/m² per year, estimate)" in text
        assert len(page.images) == 1
    else:
        assert "(printed at 1:2 000 or larger)" in text
        assert len(page.images) == 0


def test_without_a_solar_map_solar_is_not_a_layer_to_print(client):
    args = {**GOOD, "layers": "parcels,solar"}
    response = client.get(URL, query_string=args, headers={"Accept": "application/json"})
    assert response.status_code == 400
    assert "got 'solar'" in response.json["detail"]
