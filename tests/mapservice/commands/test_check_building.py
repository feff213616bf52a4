"""``minfastighet check-building`` and ``check-buildings`` on the sample."""

from __future__ import annotations

import json

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from click.testing import CliRunner

from layers import GeoPackageStore
from layers.building_site import building_site
from mapservice.commands.main import main


@pytest.fixture
def run(sample, monkeypatch):
    monkeypatch.setenv("MINFASTIGHET_DATA_DIR", str(sample.directory))
    runner = CliRunner()
    return lambda *args: runner.invoke(main, list(args))


@pytest.fixture(scope="module")
def spot(sample):
    """A free spot on Björkåsen 4:1, far from its boundary (see tests/layers)."""
    with GeoPackageStore(sample.vector_path) as store:
        site = building_site(store, store.find_property("sundsvall björkåsen 4:1"))
    room = site.geometry.buffer(-8.5).difference(site.prickmark.buffer(4))
    for building in site.buildings:
        room = room.difference(building.geometry.buffer(4))
    point = room.representative_point()
    return round(point.x, 2), round(point.y, 2)


def test_rect_by_designation_as_json(run, spot):
    x, y = spot
    result = run(
        "check-building",
        "sundsvall",
        "björkåsen",
        "4:1",
        "--rect",
        "4",
        "4",
        str(x),
        str(y),
        "0",
        "--height",
        "3",
        "--kind",
        "friggebod",
        "--format",
        "json",
        "--no-shade",
    )
    assert result.exit_code == 0, result.output
    answer = json.loads(result.output)
    assert answer["procedure"] == "none"
    assert answer["shade"] is None


def test_geometry_file_as_text(run, spot, tmp_path):
    x, y = spot
    path = tmp_path / "house.geojson"
    house = shapely.box(x - 5, y - 4, x + 5, y + 4)
    path.write_text(json.dumps({"type": "Feature", "geometry": house.__geo_interface__}))
    result = run(
        "check-building",
        "sundsvall björkåsen 4:1",
        "--geometry",
        str(path),
        "--height",
        "9",
        "--kind",
        "main_building",
        "--lang",
        "en",
    )
    assert result.exit_code == 0, result.output
    assert "Not allowed as drawn" in result.output  # h1 is 7.5 m
    assert "[conflict] Height 9 m is over the plan's 7.5 m (h1)" in result.output


@pytest.mark.parametrize(
    "args",
    [
        ["--height", "3", "--kind", "friggebod"],  # no footprint
        ["--rect", "4", "4", "1", "1", "0", "--height", "3", "--kind", "castle"],
        ["--rect", "0.1", "0.1", "616800", "6917430", "0", "--height", "3", "--kind", "carport"],
    ],
)
def test_bad_input_is_a_message_and_a_non_zero_exit(run, args):
    result = run("check-building", "sundsvall björkåsen 4:1", *args)
    assert result.exit_code != 0
    assert "Traceback" not in result.output


def test_a_layer_of_buildings_to_csv_and_geopackage(run, spot, tmp_path):
    x, y = spot
    frame = pd.DataFrame(
        {
            "wkt": [shapely.box(x - 2, y - 2, x + 2, y + 2).wkt, "POLYGON EMPTY", "nonsense"],
            "height_m": [3.0, 3.0, 3.0],
            "kind": ["friggebod", "friggebod", "friggebod"],
        }
    )
    source = tmp_path / "planned.csv"
    frame.to_csv(source, index=False)
    result = run("check-buildings", str(source), "--out", str(tmp_path / "out.csv"))
    assert result.exit_code == 0, result.output
    out = pd.read_csv(tmp_path / "out.csv", keep_default_na=False)
    assert list(out["procedure"]) == ["none", "", ""]
    assert out["error"][0] == ""
    assert out["error"][1]
    assert out["error"][2]
    gpkg = tmp_path / "out.gpkg"
    assert run("check-buildings", str(source), "--out", str(gpkg)).exit_code == 0
    assert gpd.read_file(gpkg).loc[0, "designation"] == "SUNDSVALL BJÖRKÅSEN 4:1"


def test_a_file_without_the_columns_is_refused(run, tmp_path):
    source = tmp_path / "planned.csv"
    pd.DataFrame({"wkt": ["POINT (1 2)"]}).to_csv(source, index=False)
    result = run("check-buildings", str(source), "--out", str(tmp_path / "out.csv"))
    assert result.exit_code != 0
    assert "missing column" in result.output
    assert not (tmp_path / "out.csv").exists()


PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("plan.png", PNG),
        ("notes.txt", b"hello\nworld\n"),
        ("planned.gpkg", b"not a geopackage at all"),
        ("planned.geojson", b'{"type": "FeatureCollection", "features": [}'),
        ("planned.csv", PNG),  # a picture named .csv
        ("planned.csv", b""),
    ],
)
def test_a_file_that_is_not_a_layer_is_a_message(run, tmp_path, name, content):
    source = tmp_path / name
    source.write_bytes(content)
    result = run("check-buildings", str(source), "--out", str(tmp_path / "out.csv"))
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), result.exception  # a message, no traceback
    assert result.output.startswith("Error: ")
    assert name in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "out.csv").exists()
