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


def test_a_personal_column_is_never_stored_even_when_mapped(tmp_path):
    source = write(uses(personnummer="19121212-1212"), tmp_path / "uses.gpkg")
    store = tmp_path / "store.gpkg"
    with pytest.raises(ImportRefused) as caught:
        import_layer(store, "plan_uses", source, mapping={"personnummer": "wording"})
    assert any("'personnummer'" in e for e in caught.value.report.errors)
    assert not store.exists()


@pytest.mark.parametrize("value", ["19121212-1212", "121212-1212", "191212121212", 191212121212])
def test_personal_identity_numbers_are_refused_under_any_column_name(tmp_path, value):
    source = write(uses(kol1=value), tmp_path / "uses.gpkg")
    with pytest.raises(ImportRefused) as caught:
        import_layer(tmp_path / "store.gpkg", "plan_uses", source, mapping={"kol1": "wording"})
    assert any("personal identity numbers" in e for e in caught.value.report.errors)


def test_a_polygon_over_half_of_europe_is_refused_though_its_centre_is_in_sweden(tmp_path):
    df = uses(1)
    centre = df.geometry[0].centroid
    df.geometry = [box(centre.x - 1_500_000, centre.y - 1_500_000, centre.x + 1_500_000, centre.y)]
    source = write(df, tmp_path / "uses.gpkg")
    with pytest.raises(ImportRefused) as caught:
        import_layer(tmp_path / "store.gpkg", "plan_uses", source)
    assert any("outside Sweden" in e for e in caught.value.report.errors)


def test_a_feature_of_a_million_vertices_is_refused_with_a_clear_message(tmp_path):
    from layers.limits import MAX_VERTICES

    df = uses(2)
    circle = df.geometry[0].centroid.buffer(5, quad_segs=MAX_VERTICES // 4 + 10)
    df.geometry = [circle, df.geometry[1]]
    source = write(df, tmp_path / "uses.gpkg")
    with pytest.raises(ImportRefused) as caught:
        import_layer(tmp_path / "store.gpkg", "plan_uses", source)
    assert any(f"more than {MAX_VERTICES} vertices" in e for e in caught.value.report.errors)


def test_a_text_too_long_is_refused_with_a_clear_message(tmp_path):
    from layers.limits import MAX_TEXT

    source = write(uses(wording="x" * (MAX_TEXT + 1)), tmp_path / "uses.gpkg")
    with pytest.raises(ImportRefused) as caught:
        import_layer(tmp_path / "store.gpkg", "plan_uses", source)
    assert any(f"longer than {MAX_TEXT}" in e for e in caught.value.report.errors)


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), -float("inf")])
def test_coordinates_that_are_not_numbers_end_in_the_report(tmp_path, bad):
    from shapely import Polygon

    df = uses(2)
    with warnings.catch_warnings():  # shapely warns when it builds a ring with a NaN
        warnings.simplefilter("ignore", RuntimeWarning)
        df.geometry = [Polygon([(X0, Y0), (bad, Y0), (X0 + 5, Y0 + 5)]), df.geometry[1]]
    source = write(df, tmp_path / "uses.gpkg")
    with pytest.raises(ImportRefused) as caught:
        import_layer(tmp_path / "store.gpkg", "plan_uses", source)
    assert caught.value.report.errors == ["features 1 have coordinates that are not numbers"]


def test_a_refused_import_reports_why_and_never_says_valid(tmp_path, secret_csv):
    with pytest.raises(ImportRefused) as caught:
        import_layer(tmp_path / "store.gpkg", "plan_uses", secret_csv)
    text = caught.value.report.to_text()
    assert "result: refused" in text
    assert "valid" not in text.splitlines()[-1]
    assert "not a file an import reads" in text


def test_a_failed_write_does_not_say_valid(tmp_path, monkeypatch):
    from layers import StoreUnavailable

    def broken(*args, **kwargs):
        raise StoreUnavailable("disk full")

    monkeypatch.setattr("layers.gpkg.write.replace_layer", broken)
    source = write(uses(), tmp_path / "uses.gpkg")
    from layers.importer import ImportReport

    seen: list[ImportReport] = []
    monkeypatch.setattr(
        "layers.importer.ImportReport",
        lambda *a, **k: seen.append(ImportReport(*a, **k)) or seen[-1],
    )
    with pytest.raises(StoreUnavailable):
        import_layer(tmp_path / "store.gpkg", "plan_uses", source)
    assert seen[0].to_text().endswith("result: not imported; the store is unchanged")
