"""Lantmäteriet's buildings → the ``buildings`` layer: Byggnad Nedladdning, vektor and the
Topografi products' ``byggnad`` layer.

Both deliver footprints with ``objektidentitet`` (a multi-part building repeats it on several
rows, dissolved here into one footprint), ``objekttypnr``/``objekttyp`` from the code list of
GEODOK/76 (2061 Bostad … 2067 Övrig byggnad) and, in the full product, ``huvudbyggnad``
(``Ja``/``Nej``), ``husnummer`` and ``andamal1``–``andamal5`` (``"Bostad; Småhus friliggande"``).
No row names its property: :func:`buildings_from_byggnad` links each to the register unit it
stands on by overlay (:mod:`layers.national.link`). The mapping is in docs/ONBOARDING.md.

>>> use_of(2061, "Bostad", "Bostad; Småhus friliggande"), use_of(2066, "Komplementbyggnad", None)
('småhus', 'komplementbyggnad')
>>> use_of(None, "Bostad", "Bostad; Flerfamiljshus"), use_of(2062, None, None)
('flerbostadshus', 'industri')
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
import pandas as pd
import shapely

from layers.national.link import link_footprints
from layers.text import fold
from sweref import STORAGE_CRS

#: The layer's name in both products.
LAYER = "byggnad"
#: Columns that identify a building layer of Lantmäteriet's.
SIGNATURE = frozenset({"objektidentitet", "objekttypnr", "objekttyp"})

#: objekttypnr → the service's use (GEODOK/76, Tema byggnadsverk).
OBJEKTTYP = {
    2061: "bostad",
    2062: "industri",
    2063: "samhällsfunktion",
    2064: "verksamhet",
    2065: "ekonomibyggnad",
    2066: "komplementbyggnad",
    2067: "övrig byggnad",
}
#: Ändamål of a Bostad (Värdemängder för Byggnad och Lägenhet v1.9) → the sample's finer uses.
BOSTAD = (
    ("radhus", "radhus"),
    ("kedjehus", "radhus"),
    ("smahus", "småhus"),
    ("flerfamiljshus", "flerbostadshus"),
)


def use_of(objekttypnr: Any, objekttyp: Any, andamal: Any) -> str | None:
    """The service's use of a building from its code (or its name) and its first ändamål."""
    use = None
    if objekttypnr is not None and not pd.isna(objekttypnr):
        use = OBJEKTTYP.get(int(objekttypnr))
    if use is None and isinstance(objekttyp, str) and objekttyp.strip():
        names = {fold(v): v for v in OBJEKTTYP.values()}
        use = names.get(fold(objekttyp.strip()), objekttyp.strip().lower())
    if use == "bostad" and isinstance(andamal, str):
        words = fold(andamal)
        use = next((ours for key, ours in BOSTAD if key in words), use)
    return use


@dataclass
class BuildingLinks:
    """How the buildings were linked to register units."""

    linked: int = 0
    across_boundaries: int = 0
    #: Building ids that stand on no register unit of the store (left out of the layer).
    unlinked: list[str] = field(default_factory=list)


def buildings_from_byggnad(
    frame: gpd.GeoDataFrame, units: gpd.GeoDataFrame
) -> tuple[gpd.GeoDataFrame, BuildingLinks]:
    """The buildings of ``frame`` as the ``buildings`` layer's columns, each linked to the unit
    of ``units`` (``unit_id``, ``designation``, areas in SWEREF 99 TM) with the largest share of
    its footprint; buildings on no unit are left out and listed in the links."""
    frame = frame.rename(columns={c: str(c).lower() for c in frame.columns if c != "geometry"})
    frame = frame.to_crs(STORAGE_CRS) if frame.crs is not None else frame
    frame["objektidentitet"] = frame["objektidentitet"].astype(str)
    first = frame.drop(columns="geometry").groupby("objektidentitet", sort=False).first()
    order = {key: i for i, key in enumerate(first.index)}
    parts: list[list[Any]] = [[] for _ in order]
    for key, geometry in zip(frame["objektidentitet"], frame.geometry.to_numpy(), strict=True):
        parts[order[key]].append(geometry)
    shapes = [p[0] if len(p) == 1 else shapely.union_all(p) for p in parts]
    links = link_footprints(shapes, units)
    summary = BuildingLinks()
    rows = []
    for (building_id, row), shape, link in zip(first.iterrows(), shapes, links, strict=True):
        if link is None:
            summary.unlinked.append(str(building_id))
            continue
        summary.linked += 1
        summary.across_boundaries += len(link.shares) > 1
        main = row.get("huvudbyggnad")
        rows.append(
            {
                "building_id": str(building_id),
                "unit_id": link.unit_id,
                "designation": link.designation,
                "use": use_of(row.get("objekttypnr"), row.get("objekttyp"), row.get("andamal1")),
                "main_building": None if not isinstance(main, str) else fold(main) == "ja",
                "house_number": row.get("husnummer"),
                "unit_shares": link.shares_json(),
                "geometry": shape,
            }
        )
    columns = [
        "building_id",
        "unit_id",
        "designation",
        "use",
        "main_building",
        "house_number",
        "unit_shares",
        "geometry",
    ]
    out = gpd.GeoDataFrame(rows or None, columns=columns, geometry="geometry", crs=STORAGE_CRS)
    out["house_number"] = pd.to_numeric(out["house_number"], errors="coerce").astype("Int64")
    return out, summary


__all__ = ["LAYER", "OBJEKTTYP", "SIGNATURE", "BuildingLinks", "buildings_from_byggnad", "use_of"]
