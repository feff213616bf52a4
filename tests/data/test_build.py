"""The sample municipality: what it holds, that it is valid, and that it is reproducible."""

from __future__ import annotations

import hashlib
import json
import re

import geopandas as gpd
import pyogrio
import pytest
import rasterio
import shapely

from data import Dataset, IncompleteSample, build_sample
from data.build import SAMPLE_LAYERS

DESIGNATION = re.compile(r"^SUNDSVALL [A-ZÅÄÖ]+ (\d+:\d+|\d+|S:\d+|GA:\d+)$")


@pytest.fixture(scope="module")
def layers(sample):
    """Sundsvall's neighbourhood (the manifest's bounds), which these tests describe; the second
    kommun, Härnösand's, lies 35 km away and has its own tests (test_harnosand.py)."""
    return {
        name: gpd.read_file(sample.vector_path, layer=name, bbox=sample.bounds)
        for name in SAMPLE_LAYERS
    }


def test_every_layer_is_valid_and_in_sweref99tm(sample, layers):
    assert set(pyogrio.list_layers(sample.vector_path)[:, 0]) == set(SAMPLE_LAYERS)
    for name, frame in layers.items():
        assert frame.crs.to_epsg() == 3006, name
        assert frame.geometry.is_valid.all(), name
        assert not frame.geometry.is_empty.any(), name
        assert frame.total_bounds[0] >= 616_400, name
        assert frame.total_bounds[2] <= 617_600, name


def test_layers_have_spatial_and_attribute_indexes(sample):
    import sqlite3

    with sqlite3.connect(sample.vector_path) as con:
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master")}
    for name in SAMPLE_LAYERS:
        assert f"rtree_{name}_geom" in tables, name
    assert "idx_parcels_designation" in tables
    assert "idx_addresses_label" in tables


def test_parcels_tile_the_neighbourhood_without_overlaps_or_gaps(sample, layers):
    parcels = layers["parcels"]
    extent = shapely.box(*sample.manifest["bounds"])
    union = shapely.union_all(parcels.geometry.values)
    assert extent.difference(union).area < 1e-4  # no gap of 1 cm²
    tree = shapely.STRtree(parcels.geometry.values)
    left, right = tree.query(parcels.geometry.values, predicate="intersects")
    pairs = left < right
    overlaps = shapely.intersection(
        parcels.geometry.values[left[pairs]], parcels.geometry.values[right[pairs]]
    )
    assert shapely.area(overlaps).max() < 1e-4


def test_designations_are_unique_and_well_formed(layers):
    parcels = layers["parcels"]
    assert all(DESIGNATION.match(d) for d in parcels.designation), parcels.designation[
        ~parcels.designation.str.match(DESIGNATION)
    ].tolist()
    units = parcels.groupby("designation").unit_id.nunique()
    assert (units == 1).all()
    assert parcels.groupby("unit_id").designation.nunique().max() == 1
    assert parcels.part_id.is_unique


def test_the_cadastre_holds_what_a_real_one_does(layers):
    parcels = layers["parcels"]
    units = parcels.dissolve("unit_id", aggfunc="first")
    assert len(units) >= 600
    assert parcels.trakt.nunique() >= 4 + 1
    kvarter = parcels[parcels.block.isna() & (parcels.unit_type == "fastighet")]
    assert len(kvarter) >= 2
    assert not kvarter.designation.str.contains(":").any()
    streets = units[units.land_use == "street"]
    assert streets.designation.str.endswith(" 1:1").all()
    assert len(streets) >= 4
    villas = units[units.land_use == "villa"].area
    assert len(villas) > 300
    assert villas.between(600, 1500).all()
    assert (units.land_use == "apartment").sum() >= 4
    assert (units.land_use == "industrial").sum() >= 5
    forests = units[units.land_use == "forest"].area
    assert len(forests) >= 3
    assert (forests > 20_000).all()
    assert parcels.groupby("unit_id").size().max() >= 2  # a property in two separate parts
    two_part = parcels.groupby("unit_id").filter(lambda g: len(g) > 1)
    assert shapely.union_all(two_part.geometry.values).geom_type != "Polygon"
    assert parcels.designation.str.endswith(" S:1").any()
    assert parcels.designation.str.endswith(" GA:1").any()
    assert set(parcels.unit_type) == {"fastighet", "samfällighet", "gemensamhetsanläggning"}


def test_every_built_property_has_an_address_some_have_several(layers):
    buildings, addresses = layers["buildings"], layers["addresses"]
    main = buildings[~buildings.use.isin(["komplementbyggnad", "transformatorstation"])]
    assert set(main.unit_id) <= set(addresses.unit_id)
    assert addresses.groupby("unit_id").size().max() >= 2
    assert addresses.postcode.str.match(r"^8\d\d \d\d$").all()
    assert addresses.street.str.contains("[åäö]").any()
    assert not addresses.label.duplicated().any()
    parcels = layers["parcels"].set_index("part_id")
    joined = gpd.sjoin(addresses, layers["parcels"], predicate="within")
    assert (joined.unit_id_left == joined.unit_id_right).all()
    assert len(parcels) > 0


def test_buildings_are_realistic_and_stand_on_their_own_parcels(layers):
    buildings = layers["buildings"]
    assert set(buildings.roof_shape) == {"gable", "hip", "flat", "mono-pitch"}
    size = buildings.assign(area=buildings.area).groupby("use").area
    assert size.median()["småhus"] == pytest.approx(115, rel=0.3)
    assert size.median()["komplementbyggnad"] == pytest.approx(42, rel=0.05)
    assert size.min()["flerbostadshus"] > 300
    assert size.min()["industri"] > 500
    assert size.median()["industri"] > 2000
    assert buildings.height.between(2.5, 20).all()
    assert (buildings.height >= buildings.eave_height).all()
    joined = gpd.sjoin(buildings, layers["parcels"], predicate="within")
    assert len(joined) == len(buildings)
    assert (joined.unit_id_left == joined.unit_id_right).all()


def test_plans_hold_what_the_issue_lists(layers):
    plans = layers["plans"].set_index("plan_id")
    assert len(plans) >= 5
    assert plans.index.str.match(r"^2281K-").all()
    in_force = plans[plans.status == "laga kraft"]
    assert len(in_force) >= 4
    assert (plans.status == "under arbete").sum() >= 1
    years = in_force.legal_force.astype(str).str[:4].astype(int)
    assert years.min() < 1970
    assert years.max() >= 2020
    assert set(layers["plan_uses"].code) >= {"B", "C", "J", "E", "GATA", "PARK", "NATUR"}
    rules = layers["plan_rules"]
    assert set(rules.code) >= {"e1", "h1", "prickmark", "korsmark", "q1"}
    assert set(rules.loc[rules.code == "e1", "unit"]) == {"%", "m²"}
    assert rules.loc[rules.code == "h1", "value"].between(5, 25).all()


def test_every_plan_is_tiled_by_its_use_areas(layers):
    uses = layers["plan_uses"]
    for plan in layers["plans"].itertuples():
        mine = uses[uses.plan_id == plan.plan_id].geometry.values
        union = shapely.union_all(mine)
        assert union.symmetric_difference(plan.geometry).area < 1e-3, plan.plan_id
        assert shapely.area(mine).sum() - union.area < 1e-3, plan.plan_id


def test_some_properties_lie_outside_any_plan_and_some_cross_a_boundary(layers):
    parcels = layers["parcels"]
    in_force = layers["plans"][layers["plans"].status == "laga kraft"]
    covered = shapely.union_all(in_force.geometry.values)
    share = shapely.area(shapely.intersection(parcels.geometry.values, covered)) / parcels.area
    assert (share < 1e-9).sum() >= 5
    assert ((share > 0.05) & (share < 0.95)).sum() >= 5


def test_the_surface_models_are_cogs_with_roofs_and_trees(sample, layers):
    with rasterio.open(sample.dsm_path) as dsm, rasterio.open(sample.dtm_path) as dtm:
        assert dsm.crs.to_epsg() == 3006
        assert dsm.res == (0.5, 0.5)
        assert dsm.tags(ns="IMAGE_STRUCTURE").get("LAYOUT") == "COG"
        assert dsm.overviews(1)
        assert dsm.block_shapes[0] == (512, 512)
        assert dsm.dtypes[0] == "float32"
        surface, ground = dsm.read(1), dtm.read(1)
        transform = dsm.transform
    above = surface - ground
    assert above.min() >= -0.01
    assert 20 < above.max() <= 25.5
    assert ground.min() > 15
    assert ground.max() < 60
    # The ridge of a gable roof stands at the building's height, its eaves lower.
    house = layers["buildings"].query("roof_shape == 'gable' and use == 'småhus'").iloc[0]
    row, col = rasterio.transform.rowcol(transform, *house.geometry.centroid.coords[0])
    assert surface[row, col] - house.ground_height == pytest.approx(house.height, abs=0.4)


def test_the_sample_is_marked_fictitious(sample):
    manifest = json.loads((sample.directory / "dataset.json").read_text(encoding="utf-8"))
    assert manifest["fictitious"] is True
    assert "påhittade" in manifest["notice"]["sv"]
    info = pyogrio.read_info(sample.vector_path, layer="parcels")
    assert info["crs"] == "EPSG:3006"
    with rasterio.open(sample.dsm_path) as dsm:
        assert dsm.tags()["FICTITIOUS"] == "yes"


def _digests(directory):
    return {
        p.relative_to(directory).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(directory.rglob("*"))
        if p.is_file()
    }


def test_two_builds_are_byte_identical(sample, tmp_path):
    again = build_sample(tmp_path / "again")
    assert _digests(again.directory) == _digests(sample.directory)


def test_another_seed_gives_another_neighbourhood(tmp_path):
    other = build_sample(tmp_path / "other", seed=7)
    parcels = pyogrio.read_dataframe(other.vector_path, layer="parcels")
    assert len(parcels) >= 600
    assert other.manifest["seed"] == 7


def test_a_failed_build_leaves_the_previous_sample_intact(tmp_path):
    first = build_sample(tmp_path / "s")
    before = _digests(first.directory)

    def broken(work, say):
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError, match="disk full"):
        build_sample(tmp_path / "s", seed=9, steps=(broken,))
    assert _digests(tmp_path / "s") == before
    assert [p.name for p in tmp_path.iterdir()] == ["s"]


def test_opening_an_incomplete_directory_says_what_is_missing(tmp_path):
    with pytest.raises(IncompleteSample, match="sample-data"):
        Dataset.read(tmp_path)
    (tmp_path / "dataset.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(IncompleteSample, match="not valid JSON"):
        Dataset.read(tmp_path)
