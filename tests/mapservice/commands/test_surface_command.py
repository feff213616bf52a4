"""``minfastighet surface``: laser tiles to dsm.tif and dtm.tif, bad input as one line."""

from __future__ import annotations

import json

import rasterio
from click.testing import CliRunner

from mapservice.commands.main import main
from tests.solar.laz import write_tile


def test_surface_from_a_laz_folder(tmp_path):
    (tmp_path / "delivery").mkdir()
    write_tile(tmp_path / "delivery" / "699_65_7500.laz", "1.4")
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main, ["surface", "--laz", str(tmp_path / "delivery"), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "699_65_7500.laz (1/1)" in result.output
    assert "wrote dsm.tif and dtm.tif" in result.output
    assert "RH 2000" in result.output
    with rasterio.open(out / "dsm.tif") as src:
        assert src.crs.to_string() == "EPSG:3006"
        assert src.res == (0.5, 0.5)


def test_surface_json_and_resolution(tmp_path):
    laz = write_tile(tmp_path / "t.laz")
    args = ["surface", "--laz", str(laz), "--out", str(tmp_path / "o"), "--resolution", "1"]
    result = CliRunner().invoke(main, [*args, "--json"])
    assert result.exit_code == 0, result.output
    body = json.loads(result.output)
    assert body["resolution"] == 1.0
    assert body["vertical_datum"] == "RH 2000"
    assert body["noise_points"] == 3


def test_bad_input_is_one_line_and_nonzero(tmp_path):
    bad = tmp_path / "bad.laz"
    bad.write_bytes(b"LASF but not really")
    result = CliRunner().invoke(main, ["surface", "--laz", str(bad), "--out", str(tmp_path / "o")])
    assert result.exit_code == 1
    assert result.output.startswith("Error: cannot read the point cloud bad.laz")
    assert "Traceback" not in result.output
    result = CliRunner().invoke(
        main, ["surface", "--laz", str(bad), "--out", str(tmp_path / "o"), "--resolution", "0"]
    )
    assert result.exit_code == 1
    assert "resolution" in result.output
