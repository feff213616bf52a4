"""On the sample municipality, roof means and areas agree with exactextract within 0.5 %."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
import shapely

from solar import SolarModel, compute_solar_map
from solar.catalog import add_to_catalog
from solar.errors import SolarMapNotFound
from solar.potential import Roof, solar_potential
from solar.raster import CogMosaic, open_solar_map
from solar.suitability import CLASSES, Suitability

exactextract = pytest.importorskip("exactextract")


@pytest.fixture(scope="module")
def catalog(sample, tmp_path_factory):
    """The sample's solar map (a coarse model: only agreement is tested) in a STAC catalog."""
    out = tmp_path_factory.mktemp("solar")
    result = compute_solar_map(
        sample.dsm_path,
        out / "solkarta.tif",
        buildings=sample.vector_path,
        model=SolarModel(step_minutes=60, directions=16, margin_m=20),
    )
    return (
        add_to_catalog(
            out / "catalog.json",
            result.path,
            "2025-05-20",
            source="test",
            parameters=result.parameters,
        ).href.parent
        / "catalog.json"
    )


def _properties(sample):
    # The sample's surface model (and so its solar map) covers its first kommun, Sundsvall's
    # neighbourhood; the second kommun's properties lie outside it.
    parcels = gpd.read_file(sample.vector_path, layer="parcels", engine="pyogrio")
    parcels = parcels[parcels.kommunkod == sample.kommunkod]
    buildings = gpd.read_file(sample.vector_path, layer="buildings", engine="pyogrio")
    buildings = buildings[buildings.unit_id.isin(parcels.unit_id)]
    areas = parcels.dissolve("unit_id").geometry
    for unit_id, group in buildings.groupby("unit_id"):
        yield (
            unit_id,
            areas[unit_id],
            [
                Roof(row.geometry, row.building_id, row.roof_shape, row.roof_pitch)
                for row in group.itertuples()
            ],
        )


def test_every_built_property_agrees_with_exactextract(sample, catalog):
    suitability = Suitability()
    roofs, ours = [], []
    with open_solar_map(catalog) as solar_map, CogMosaic([sample.dsm_path]) as surface:
        for _, area, buildings in _properties(sample):
            result = solar_potential(area, solar_map, buildings, surface, suitability=suitability)
            roofs.append(
                shapely.intersection(shapely.union_all([b.geometry for b in buildings]), area)
            )
            ours.append(result.roofs)
        path = solar_map.paths[0]
    assert len(ours) > 100
    frame = gpd.GeoDataFrame(geometry=roofs, crs="EPSG:3006")
    theirs = exactextract.exact_extract(
        str(path), frame, ["mean", "count", "values", "coverage"], output="pandas"
    )
    edges = np.asarray(suitability.edges)
    for mine, (_, row) in zip(ours, theirs.iterrows(), strict=True):
        assert mine.mean == pytest.approx(row["mean"], rel=0.005)
        area_with_data = mine.footprint_m2 - mine.nodata_m2
        assert area_with_data == pytest.approx(row["count"] * 0.25, rel=0.005)
        classes = np.searchsorted(edges, np.asarray(row["values"]), side="right")
        for i, key in enumerate(CLASSES):
            expected = float(np.asarray(row["coverage"])[classes == i].sum()) * 0.25
            assert mine.class_m2[key] == pytest.approx(expected, rel=0.005, abs=1e-6)


def test_the_map_is_found_through_the_catalog(sample, catalog):
    with open_solar_map(catalog, shapely.box(616500, 6917500, 616600, 6917600)) as solar_map:
        assert solar_map.parameters["directions"] == 16
        latitude, _ = solar_map.site
        assert 62 < latitude < 63
    with pytest.raises(SolarMapNotFound):
        open_solar_map(catalog, shapely.box(500000, 6500000, 500100, 6500100))
