"""Attacks on the importer: files that make GDAL read other files or URLs, personal numbers
under a mapped name, absurd geometries and texts, reports that leak paths or say "valid"."""

from __future__ import annotations

import sqlite3
import warnings

import geopandas as gpd
import pyogrio
import pytest
from shapely import box

from layers import ImportRefused
from layers.importer import import_layer

X0, Y0 = 616_400.0, 6_917_400.0
SECRET = "root:x:0:0:SECRET"


def write(df: gpd.GeoDataFrame, path, driver=None):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        pyogrio.write_dataframe(df, path, driver=driver)
    return path


def uses(n=2, **extra):
    rows = [
        {
            "plan_id": "P1",
            "code": f"B{u}",
            "geometry": box(X0 + 10 * u, Y0, X0 + 10 * u + 10, Y0 + 10),
            **extra,
        }
        for u in range(n)
    ]
    return gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:3006")


def stored_rows(store, layer="plan_uses"):
    if not store.exists():
        return []
    con = sqlite3.connect(store)
    try:
        return con.execute(f'SELECT * FROM "{layer}"').fetchall()
    except sqlite3.Error:
        return []
    finally:
        con.close()


@pytest.fixture
def secret_csv(tmp_path):
    """A file GDAL can read as a layer (CSV with WKT) that no import may reach."""
    path = tmp_path / "secret.csv"
    path.write_text(
        "plan_id,code,wkt\n"
        f'P1,{SECRET},"POLYGON(({X0} {Y0},{X0 + 9} {Y0},{X0 + 9} {Y0 + 9},{X0} {Y0}))"\n'
    )
    return path


def vrt(source: str) -> str:
    return (
        '<OGRVRTDataSource><OGRVRTLayer name="evil">'
        f"<SrcDataSource>{source}</SrcDataSource><SrcLayer>secret</SrcLayer>"
        '<GeometryField encoding="WKT" field="wkt"/><LayerSRS>EPSG:3006</LayerSRS>'
        "</OGRVRTLayer></OGRVRTDataSource>"
    )


@pytest.mark.parametrize("name", ["evil.vrt", "evil.gpkg", "evil.geojson", "evil.shp"])
def test_an_ogr_vrt_is_refused_whatever_its_name(tmp_path, secret_csv, name):
    source = tmp_path / name
    source.write_text(vrt(str(secret_csv)))
    store = tmp_path / "store.gpkg"
    with pytest.raises(ImportRefused, match="not a file an import reads"):
        import_layer(store, "plan_uses", source)
    assert not any(SECRET in str(row) for row in stored_rows(store))


def test_a_csv_and_a_plain_sqlite_file_are_refused(tmp_path, secret_csv):
    store = tmp_path / "store.gpkg"
    with pytest.raises(ImportRefused, match="not a file an import reads"):
        import_layer(store, "plan_uses", secret_csv)
    plain = tmp_path / "plain.gpkg"
    sqlite3.connect(plain).execute("CREATE TABLE t (x)").connection.commit()
    with pytest.raises(ImportRefused, match="not a file an import reads"):
        import_layer(store, "plan_uses", plain)
    assert not store.exists()


@pytest.mark.parametrize(
    "path",
    [
        "/vsicurl/http://127.0.0.1:9/plans.gpkg",
        "/vsizip//tmp/plans.zip/plans.shp",
        "http://127.0.0.1:9/plans.geojson",
        "CSV:/etc/passwd",
    ],
)
def test_urls_and_gdal_virtual_paths_are_refused(tmp_path, path):
    store = tmp_path / "store.gpkg"
    with pytest.raises(ImportRefused) as caught:
        import_layer(store, "plan_uses", path)
    assert "local file" in str(caught.value) or "does not exist" in str(caught.value)
    assert not store.exists()


def test_a_directory_is_not_a_shapefile(tmp_path):
    folder = tmp_path / "shapes"
    folder.mkdir()
    write(uses(), folder / "uses.shp")
    with pytest.raises(ImportRefused, match="not a regular file"):
        import_layer(tmp_path / "store.gpkg", "plan_uses", folder)


@pytest.mark.parametrize("suffix", [".gpkg", ".geojson", ".shp", ".parquet"])
def test_the_four_formats_still_import_under_any_name(tmp_path, suffix):
    source = tmp_path / f"uses{suffix}"
    if suffix == ".parquet":
        uses().to_parquet(source)
    else:
        write(uses(), source)
    renamed = source
    if suffix not in (".shp", ".gpkg"):  # GDAL finds sidecars by the name, warns on a GeoPackage
        renamed = source.rename(tmp_path / "uses.data")
    report = import_layer(tmp_path / "store.gpkg", "plan_uses", renamed)
    assert report.swapped
    assert report.imported == 2
