"""Exporting the sample layers to GeoJSON and Shapefile and importing them into a fresh store
gives the same answers to the same queries."""

import datetime as dt
import warnings

import pyogrio
import pytest
import shapely
from shapely.geometry import shape

from layers import LAYERS, GeoPackageStore, zoning_report
from layers.importer import import_layer

DESIGNATIONS = [
    "björkåsen 3:12",
    "lärkan 2",
    "svalan 1",
    "stenhälla 1:1",
    "lövsättra s:1",
    "granmyra ga:1",
    "granmyra 1:2",
    "lövsättra 1:2",
    "björkåsen 1:1",
]
POINTS = [(616_500, 6_917_500), (617_000, 6_918_000), (617_300, 6_918_400), (616_900, 6_917_450)]


def canonical(value):
    """Answers with geometries compared by shape (normalised WKT at mm precision)."""
    if isinstance(value, dict):
        if value.get("type") in ("Polygon", "MultiPolygon", "Point") and "coordinates" in value:
            geom = shapely.union_all(shape(value))
            return shapely.normalize(shapely.set_precision(geom, 0.001)).wkt
        return {k: canonical(v) for k, v in value.items()}
    if isinstance(value, list):
        return [canonical(v) for v in value]
    return value


def answers(path):
    today = dt.date(2026, 11, 27)
    out = {}
    with GeoPackageStore(path) as store:
        for text in DESIGNATIONS:
            prop = store.find_property(text)
            out[text] = [
                prop.to_dict(),
                zoning_report(store, prop, today).to_dict(),
                [a.to_dict() for a in store.addresses_of(prop.unit_id)],
                [b.to_dict() for b in store.buildings_of(prop.unit_id)],
            ]
        for x, y in POINTS:
            out[(x, y)] = [p.unit_id for p in store.properties_at(x, y)]
        out["bbox"] = [
            p.unit_id
            for p in store.properties_in(
                (616_400, 6_917_400, 617_000, 6_918_000), limit=50, offset=10
            ).items
        ]
        out["designations"] = [s.to_dict() for s in store.suggest_designations("bj", 10)]
        out["addresses"] = [s.to_dict() for s in store.suggest_addresses("storvägen 1", 10)]
        out["address"] = store.find_address("Storvägen 39B").to_dict()
    return canonical(out)


@pytest.mark.parametrize(
    ("driver", "suffix"), [("GeoJSON", ".geojson"), ("ESRI Shapefile", ".shp")]
)
def test_export_and_reimport_gives_identical_answers(sample_store_path, tmp_path, driver, suffix):
    fresh = tmp_path / "fresh.gpkg"
    for layer in LAYERS:
        exported = tmp_path / f"{layer}{suffix}"
        frame = pyogrio.read_dataframe(sample_store_path, layer=layer)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # Shapefile truncates names
            pyogrio.write_dataframe(frame, exported, driver=driver)
        report = import_layer(fresh, layer, exported)
        assert report.ok, report.to_text()
        assert report.imported == len(frame)
    expected, got = answers(sample_store_path), answers(fresh)
    assert got.keys() == expected.keys()
    for key in expected:
        assert got[key] == expected[key], key
