"""The solar-map and catalog commands: thin over :mod:`solar`, clear errors, exit codes."""

from __future__ import annotations

import numpy as np
import rasterio
from click.testing import CliRunner

from mapservice.commands.main import main
from solar.catalog import list_tiles

from .conftest import plane, write_dsm


def _run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def test_solar_map_writes_a_cog_and_catalogues_it(tmp_path):
    dsm = write_dsm(tmp_path / "dsm.tif", plane(30, 180, size=24))
    catalog = tmp_path / "stac" / "catalog.json"
    result = _run(
        "solar-map",
        "--dsm",
        dsm,
        "--out",
        tmp_path / "sol.tif",
        "--margin",
        5,
        "--step",
        30,
        "--directions",
        16,
        "--scan-date",
        "2024-05-01",
        "--catalog",
        catalog,
    )
    assert result.exit_code == 0, result.output
    assert "kWh/m²·year" in result.output
    with rasterio.open(tmp_path / "sol.tif") as src:
        assert np.all(src.read(1) > 0)
    assert [t.id for t in list_tiles(catalog)] == ["sol"]
    listed = _run("catalog", "list", "--catalog", catalog)
    assert "sol\t2024-05-01\tEPSG:3006" in listed.output
    checked = _run("catalog", "validate", "--catalog", catalog)
    assert checked.exit_code == 0
    assert "is valid STAC" in checked.output


def test_solar_map_bad_input_is_a_message_not_a_traceback(tmp_path):
    (tmp_path / "junk.tif").write_text("junk")
    result = _run("solar-map", "--dsm", tmp_path / "junk.tif", "--out", tmp_path / "o.tif")
    assert result.exit_code == 1
    assert "Error: cannot read the surface model" in result.output
    assert "Traceback" not in result.output
    dsm = write_dsm(tmp_path / "dsm.tif", plane(0, 180, size=8))
    for args, text in [
        (["--albedo", "3"], "albedo must lie"),
        (["--climate", tmp_path / "junk.tif"], "give a PVGIS TMY"),
        (["--catalog", tmp_path / "c.json"], "needs --scan-date"),
    ]:
        result = _run("solar-map", "--dsm", dsm, "--out", tmp_path / "o.tif", *args)
        assert result.exit_code != 0
        assert text in result.output
    assert not (tmp_path / "o.tif").exists()


def test_catalog_add_reports_each_refused_raster_and_fails(tmp_path):
    good = write_dsm(tmp_path / "good.tif", np.full((16, 16), 950.0, np.float32))
    heights = write_dsm(tmp_path / "heights.tif", plane(10, 180, size=16))
    catalog = tmp_path / "stac" / "catalog.json"
    result = _run(
        "catalog",
        "add",
        good,
        heights,
        "--catalog",
        catalog,
        "--scan-date",
        "2022-06-01",
        "--source",
        "SOLEY",
    )
    assert result.exit_code == 1
    assert "Added good" in result.output
    assert "heights.tif" in result.output
    assert "1 of 2 rasters were not added" in result.output
    assert [(t.id, t.source) for t in list_tiles(catalog)] == [("good", "SOLEY")]


def test_catalog_commands_on_a_missing_catalog_fail_clearly(tmp_path):
    result = _run("catalog", "validate", "--catalog", tmp_path / "none.json")
    assert result.exit_code == 1
    assert "no solar catalog" in result.output


def test_solar_map_in_tiles_catalogues_one_item_per_tile(tmp_path):
    dsm = write_dsm(tmp_path / "dsm.tif", plane(20, 160, size=60))  # 30 m square
    catalog = tmp_path / "stac" / "catalog.json"
    result = _run(
        "solar-map",
        "--dsm",
        dsm,
        "--out",
        tmp_path / "tiles",
        "--tile-size",
        10,
        "--margin",
        5,
        "--step",
        30,
        "--directions",
        16,
        "--scan-date",
        "2024-05-01",
        "--catalog",
        catalog,
    )
    assert result.exit_code == 0, result.output
    assert result.output.count("Wrote ") == 9
    assert len(list_tiles(catalog)) == 9
    assert "solkarta_617000_6917970" in {t.id for t in list_tiles(catalog)}
