"""The sample's second kommun, Härnösand (2280): its own layers' rows, beside Sundsvall's."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
import shapely

from data.build import SAMPLE_LAYERS
from data.harnosand import QUADRANTS, make_harnosand
from data.names import HARNOSAND, SUNDSVALL


@pytest.fixture(scope="module")
def everything(sample):
    return {name: gpd.read_file(sample.vector_path, layer=name) for name in SAMPLE_LAYERS}


@pytest.fixture(scope="module")
def harnosand(sample):
    x0, y0 = HARNOSAND.origin
    box = (x0, y0, x0 + HARNOSAND.size[0], y0 + HARNOSAND.size[1])
    return {name: gpd.read_file(sample.vector_path, layer=name, bbox=box) for name in SAMPLE_LAYERS}


def test_the_store_holds_both_kommuner_and_the_manifest_lists_them(sample, everything):
    parcels = everything["parcels"]
    assert set(parcels.kommunkod) == {"2281", "2280"}
    assert set(parcels.registry_area) == {"SUNDSVALL", "HÄRNÖSAND"}
    assert set(everything["addresses"].kommunkod) == {"2281", "2280"}
    assert sample.kommuner == {"2281": "Sundsvall", "2280": "Härnösand"}
    assert (sample.kommunkod, sample.kommun) == ("2281", "Sundsvall")  # where maps open
    assert "KLOCKMYRA" in sample.trakter
    for name, frame in everything.items():
        assert sample.manifest["layers"][name] == len(frame), name


def test_harnosand_is_a_small_valid_neighbourhood_in_its_real_area(harnosand):
    parcels = harnosand["parcels"]
    assert parcels.designation.str.startswith("HÄRNÖSAND ").all()
    assert (parcels.kommunkod == "2280").all()
    assert 30 <= parcels.unit_id.nunique() <= 100  # smaller than Sundsvall's 600+
    extent = shapely.box(*shapely.union_all(parcels.geometry.values).bounds)
    assert extent.area == pytest.approx(480 * 176)
    assert extent.difference(shapely.union_all(parcels.geometry.values)).area < 1e-4
    # Härnösand's town lies around E 650 000, N 6 948 000 in SWEREF 99 TM.
    assert 640_000 < extent.bounds[0] < 652_000
    assert 6_940_000 < extent.bounds[1] < 6_955_000
    for frame in harnosand.values():
        assert frame.geometry.is_valid.all()
    assert harnosand["plans"].plan_id.tolist() == ["2280K-DP52"]
    assert set(harnosand["plan_rules"].plan_id) == {"2280K-DP52"}
    addresses = harnosand["addresses"]
    assert addresses.postcode.str.startswith("871 ").all()
    assert (addresses.postal_town == "HÄRNÖSAND").all()
    joined = gpd.sjoin(harnosand["buildings"], parcels, predicate="within")
    assert len(joined) == len(harnosand["buildings"])
    assert (joined.unit_id_left == joined.unit_id_right).all()


def test_a_trakt_name_exists_in_both_kommuner_and_labels_and_ids_stay_unique(everything):
    parcels = everything["parcels"]
    assert not parcels.designation.eq("HÄRNÖSAND BJÖRKÅSEN 1:1").any()  # Sundsvall's alone
    both = parcels[parcels.designation.str.endswith(" BJÖRKÅSEN 20:1")]
    assert sorted(set(both.designation)) == ["HÄRNÖSAND BJÖRKÅSEN 20:1", "SUNDSVALL BJÖRKÅSEN 20:1"]
    assert both.unit_id.nunique() == 2
    assert parcels.part_id.is_unique
    assert parcels.groupby("unit_id").designation.nunique().max() == 1
    assert not everything["addresses"].label.duplicated().any()
    assert everything["buildings"].building_id.is_unique


def test_harnosand_is_deterministic_and_leaves_sundsvall_alone():
    first = make_harnosand(np.random.default_rng(7))
    again = make_harnosand(np.random.default_rng(7))
    for name in first:
        assert first[name].equals(again[name]), name
    assert set(QUADRANTS) == {"KLOCKMYRA"}  # the street parcel of the whole neighbourhood
    assert (SUNDSVALL.kommunkod, SUNDSVALL.origin) == ("2281", (616_400.0, 6_917_400.0))
