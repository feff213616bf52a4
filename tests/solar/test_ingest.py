"""Solar maps made elsewhere: unit and range checks, COG conversion, reprojection."""

from __future__ import annotations

import numpy as np
import pytest
import rasterio
from affine import Affine

from solar.catalog import list_tiles, validate_catalog
from solar.cog import validate_cog
from solar.errors import CatalogError, NotIrradiation, SolarError
from solar.ingest import import_solar_raster
from solar.solar_map import NODATA


def _raster(path, values: np.ndarray, crs="EPSG:3014", nodata=-9999.0, unit=None, count=1):
    profile = {
        "driver": "GTiff",
        "width": values.shape[1],
        "height": values.shape[0],
        "count": count,
        "dtype": "float32",
        "crs": crs,
        "nodata": nodata,
        "transform": Affine(1.0, 0, 150000.0, 0, -1.0, 6920000.0),
    }
    with rasterio.open(path, "w", **profile) as dst:
        for band in range(1, count + 1):
            dst.write(values.astype(np.float32), band)
        if unit:
            dst.update_tags(1, UNIT=unit)
    return path


def _roofs(scale: float = 1.0) -> np.ndarray:
    """Roof-like annual irradiation (kWh/m²) times ``scale``, nodata in the first rows."""
    rng = np.random.default_rng(1)
    values = rng.uniform(500, 1100, (60, 80)) * scale
    values[:10] = -9999.0
    return values


def test_sebe_like_raster_in_wh_is_scaled_reprojected_and_catalogued(tmp_path):
    raster = _raster(tmp_path / "Energyyearroof.tif", _roofs(1000), unit="Wh/m2")
    catalog = tmp_path / "stac" / "catalog.json"
    tile = import_solar_raster(raster, catalog, "2023-04-01", to_storage_crs=True)
    assert tile.crs == "EPSG:3006"
    validate_cog(tile.href)
    with rasterio.open(tile.href) as src:
        values = src.read(1, masked=True)
        assert src.nodata == NODATA
        assert src.crs.to_epsg() == 3006
    assert 500 <= values.min() <= values.max() <= 1100
    assert tile.href.parent == tmp_path / "solar"
    assert [t.id for t in list_tiles(catalog)] == ["Energyyearroof"]
    validate_catalog(catalog)


def test_kept_in_its_own_crs_unless_asked(tmp_path):
    raster = _raster(tmp_path / "soley.tif", _roofs())
    tile = import_solar_raster(raster, tmp_path / "stac" / "catalog.json", "2021-05-01")
    assert tile.crs == "EPSG:3014"


@pytest.mark.parametrize(
    ("values", "unit", "message"),
    [
        (_roofs(0.01), None, "not a year's irradiation"),  # a short period (SEBE demo)
        (_roofs(1000), None, "more than any place"),  # Wh/m² without a unit tag
        (_roofs(-1), None, "negative"),
        (_roofs(), "kWh/kWp", "not an irradiation"),  # PV yield
        (np.full((20, 20), 85.0), "m", "not an irradiation"),  # heights
        (np.full((20, 20), -9999.0), None, "no valid values"),
    ],
)
def test_rasters_that_cannot_be_annual_irradiation_are_refused(tmp_path, values, unit, message):
    raster = _raster(tmp_path / "x.tif", values, unit=unit)
    with pytest.raises(NotIrradiation, match=message):
        import_solar_raster(raster, tmp_path / "stac" / "catalog.json", "2021-05-01")
    assert not (tmp_path / "stac").exists()
    assert not list((tmp_path / "solar").glob("*.tif")) if (tmp_path / "solar").exists() else True


def test_multiband_unreadable_and_crs_less_rasters_are_refused(tmp_path):
    with pytest.raises(NotIrradiation, match="bands"):
        import_solar_raster(
            _raster(tmp_path / "m.tif", _roofs(), count=2), tmp_path / "c.json", "2021-05-01"
        )
    with pytest.raises(NotIrradiation, match="no CRS"):
        import_solar_raster(
            _raster(tmp_path / "n.tif", _roofs(), crs=None), tmp_path / "c.json", "2021-05-01"
        )
    (tmp_path / "junk.tif").write_bytes(b"junk")
    with pytest.raises(CatalogError):
        import_solar_raster(tmp_path / "junk.tif", tmp_path / "c.json", "2021-05-01")
    assert issubclass(NotIrradiation, SolarError)
