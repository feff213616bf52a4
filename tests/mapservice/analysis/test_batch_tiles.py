"""A batch partition opens only the solar map tiles under its own properties."""

from __future__ import annotations

import numpy as np
import rasterio
from affine import Affine

from mapservice.report import ReportSources
from solar.catalog import add_to_catalog


def _tile(path, west, north):
    with rasterio.open(
        path,
        "w",
        driver="GTiff",
        width=64,
        height=64,
        count=1,
        dtype="float32",
        crs="EPSG:3006",
        nodata=-9999.0,
        transform=Affine(0.5, 0.0, west, 0.0, -0.5, north),
    ) as dst:
        dst.write(np.full((64, 64), 900.0, dtype="float32"), 1)


def test_solar_bounds_open_only_the_tiles_under_them(sample, tmp_path):
    catalog = tmp_path / "stac" / "catalog.json"
    for west in (616400.0, 616432.0, 616464.0):
        path = tmp_path / f"t{west:.0f}.tif"
        _tile(path, west, 6917432.0)
        add_to_catalog(catalog, path, "2025-05-20", "test")
    store = sample.directory / "minfastighet.gpkg"
    args = ("geopackage", store, sample.directory, catalog)
    with ReportSources.open(*args) as every:
        assert len(every.solar_map.paths) == 3
    with ReportSources.open(*args, solar_bounds=(616401.0, 6917401.0, 616410.0, 6917410.0)) as one:
        assert [p.name for p in one.solar_map.paths] == ["t616400.tif"]
        assert one.solar_date == "2025-05-20"
    # a box no tile covers opens them all, so its reports say "outside the map" as always
    with ReportSources.open(*args, solar_bounds=(700000.0, 7000000.0, 700010.0, 7000010.0)) as far:
        assert len(far.solar_map.paths) == 3
