"""Linking national features to register units by overlay.

Lantmäteriet's building layers carry no property, and the address points' reference to the
register unit is not documented for the GeoPackage (see docs/ONBOARDING.md), so both are linked to
the register-unit areas they lie on: a building to the unit with the largest share of its
footprint (the shares of every unit it stands on are kept), an address point to the unit whose
area holds it. Candidates come from an STRtree, so linking is linear in the number of features
times the few units each touches.

>>> import geopandas as gpd
>>> from shapely import box
>>> units = gpd.GeoDataFrame({"unit_id": ["a", "b"], "designation": ["X 1:1", "X 1:2"]},
...                          geometry=[box(0, 0, 10, 10), box(10, 0, 20, 10)], crs="EPSG:3006")
>>> [link.unit_id for link in link_footprints([box(2, 2, 14, 4)], units)]
['a']
>>> link_footprints([box(2, 2, 14, 4)], units)[0].shares
(('a', 'X 1:1', 0.667), ('b', 'X 1:2', 0.333))
>>> [getattr(link, "unit_id", None) for link in link_points([shapely.Point(15, 5),
...                                                          shapely.Point(30, 5)], units)]
['b', None]
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from layers.features import FeatureQuery, FeatureRecord
from layers.store import LayerStore
from sweref import STORAGE_CRS

#: A share of a footprint below this is snapping noise along a boundary, not a part on a unit.
MIN_SHARE = 0.005
#: Features read per page when the register units come from a store.
PAGE = 5_000


@dataclass(frozen=True)
class Link:
    """The register unit a feature belongs to, and for footprints every unit it stands on."""

    unit_id: str
    designation: str
    #: (unit_id, designation, share of the footprint), largest first; one entry when wholly on one.
    shares: tuple[tuple[str, str, float], ...] = ()

    def shares_json(self) -> str | None:
        """The shares as JSON text when the feature stands on more than one unit, else None."""
        if len(self.shares) < 2:
            return None
        return json.dumps(
            [{"unit_id": u, "designation": d, "share": s} for u, d, s in self.shares],
            ensure_ascii=False,
        )


def link_footprints(geoms: Sequence[BaseGeometry], units: gpd.GeoDataFrame) -> list[Link | None]:
    """The unit with the largest share of each footprint (None where none is under it).

    ``units`` has ``unit_id``, ``designation`` and the units' areas (parts of one unit on
    several rows are summed), in the footprints' CRS.
    """
    values = np.asarray(geoms, dtype=object)
    unit_geoms = units.geometry.values
    ids, names = units["unit_id"].to_numpy(), units["designation"].to_numpy()
    tree = shapely.STRtree(unit_geoms)
    left, right = tree.query(values, predicate="intersects")
    areas = shapely.area(shapely.intersection(values[left], unit_geoms[right]))
    total = shapely.area(values).tolist()
    per: dict[int, dict[tuple[str, str], float]] = defaultdict(lambda: defaultdict(float))
    for i, j, size in zip(left.tolist(), right.tolist(), areas.tolist(), strict=True):
        per[i][(str(ids[j]), str(names[j]))] += size
    out: list[Link | None] = []
    for i in range(len(values)):
        shares = sorted(
            (
                (unit, name, round(size / total[i], 3))
                for (unit, name), size in per.get(i, {}).items()
                if total[i] > 0 and size / total[i] >= MIN_SHARE
            ),
            key=lambda s: (-s[2], s[1]),
        )
        out.append(Link(shares[0][0], shares[0][1], tuple(shares)) if shares else None)
    return out


def link_points(points: Sequence[BaseGeometry], units: gpd.GeoDataFrame) -> list[Link | None]:
    """The unit whose area holds each point (None outside every unit); on a boundary, the unit
    first by designation, so the answer does not depend on the order of the rows."""
    values = np.asarray(points, dtype=object)
    ids, names = units["unit_id"].to_numpy(), units["designation"].to_numpy()
    left, right = shapely.STRtree(units.geometry.values).query(values, predicate="intersects")
    found: dict[int, tuple[str, str]] = {}
    for i, j in zip(left.tolist(), right.tolist(), strict=True):
        candidate = (str(names[j]), str(ids[j]))
        if i not in found or candidate < found[i]:
            found[i] = candidate
    return [Link(found[i][1], found[i][0]) if i in found else None for i in range(len(values))]


def store_units(store: LayerStore, bounds: tuple[float, float, float, float]) -> gpd.GeoDataFrame:
    """The register-unit areas (``parcels``) of ``store`` in ``bounds`` (SWEREF 99 TM), read
    page by page through the store's feature access."""
    rows = list(_records(store, bounds))
    return gpd.GeoDataFrame(
        {
            "unit_id": [r.properties.get("unit_id") for r in rows],
            "designation": [r.properties.get("designation") for r in rows],
        },
        geometry=np.asarray([r.geometry for r in rows], dtype=object),
        crs=STORAGE_CRS,
    )


def _records(
    store: LayerStore, bounds: tuple[float, float, float, float]
) -> Iterator[FeatureRecord]:
    if "parcels" not in store.layer_names():
        return
    offset = 0
    while True:
        page = store.feature_page(FeatureQuery("parcels", bounds=bounds, limit=PAGE, offset=offset))
        yield from page.features
        if not page.has_next:
            return
        offset += PAGE


__all__ = ["MIN_SHARE", "Link", "link_footprints", "link_points", "store_units"]
