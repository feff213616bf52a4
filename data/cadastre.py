"""Parcels (registerenhetsytor) of the sample neighbourhood, with designations and UUIDs."""

from __future__ import annotations

import uuid
from typing import Any

import geopandas as gpd
import shapely
from shapely.geometry import box
from shapely.geometry.base import BaseGeometry

from data import names
from data.layout import HALF, Layout, Lot

#: Namespace for the sample's deterministic UUIDs (uuid5 of a designation).
NAMESPACE = uuid.UUID("6f1d3c1e-2281-4d1a-9a55-6d696e666173")

UNIT_TYPES = {
    "samfallighet": "samfällighet",
    "ga": "gemensamhetsanläggning",
}

QUADRANTS = {
    names.TRAKT_SW: (0.0, 0.0, HALF, HALF),
    names.TRAKT_NW: (0.0, HALF, HALF, names.SIZE),
    names.TRAKT_SE: (HALF, 0.0, names.SIZE, HALF),
    names.TRAKT_NE: (HALF, HALF, names.SIZE, names.SIZE),
}


def designation(
    trakt: str, block: int | None, unit: int, kind: str = "", kommun: str = names.KOMMUN
) -> str:
    """Format a fastighetsbeteckning in the registerområde ``kommun`` (Sundsvall's by default).

    >>> designation("BJÖRKÅSEN", 3, 12)
    'SUNDSVALL BJÖRKÅSEN 3:12'
    >>> designation("LÄRKAN", None, 2)
    'SUNDSVALL LÄRKAN 2'
    >>> designation("GRANMYRA", None, 1, "ga")
    'SUNDSVALL GRANMYRA GA:1'
    >>> designation("BJÖRKÅSEN", 1, 1, kommun="HÄRNÖSAND")
    'HÄRNÖSAND BJÖRKÅSEN 1:1'
    """
    if kind == "samfallighet":
        number = f"S:{unit}"
    elif kind == "ga":
        number = f"GA:{unit}"
    elif block is None:
        number = str(unit)
    else:
        number = f"{block}:{unit}"
    return f"{kommun} {trakt} {number}"


def unit_uuid(text: str) -> str:
    """The stable UUID the sample gives a register unit or object, from its designation.

    >>> unit_uuid("SUNDSVALL BJÖRKÅSEN 3:12") == unit_uuid("SUNDSVALL BJÖRKÅSEN 3:12")
    True
    """
    return str(uuid.uuid5(NAMESPACE, text))


def lot_geometry(lot: Lot) -> BaseGeometry:
    """The lot's polygon in local metres, less any piece cut out of it."""
    geom = box(*lot.rect)
    return geom.difference(box(*lot.cut)) if lot.cut is not None else geom


def make_parcels(
    layout: Layout,
    kommun: names.Kommun = names.SUNDSVALL,
    quadrants: dict[str, tuple[float, float, float, float]] | None = None,
) -> gpd.GeoDataFrame:
    """One row per parcel part, in local metres (the builder moves them into place).

    ``quadrants`` are the trakter's extents, whose street-and-park parcel (``… 1:1``) is what
    the lots leave of them (Sundsvall's :data:`QUADRANTS` by default).

    Columns: ``unit_id`` (register unit UUID), ``part_id`` (UUID of this part), ``designation``,
    ``kommunkod``, ``registry_area``, ``trakt``, ``block``, ``unit``, ``unit_type``, ``part``
    (1… within the unit), ``land_use`` (what the sample drew there: villa, forest, street …).
    """
    rows = []
    parts: dict[str, int] = {}
    for lot in layout.lots:
        if lot.unit is None:
            raise ValueError(f"a lot of {lot.trakt} has no unit number: number the layout first")
        geom = lot_geometry(lot)
        rows.append(_row(kommun, lot.trakt, lot.block, lot.unit, lot.kind, geom, parts))
    lots_union = shapely.union_all([r["geometry"] for r in rows])
    for trakt, quadrant in (QUADRANTS if quadrants is None else quadrants).items():
        rest = box(*quadrant).difference(lots_union)
        rows.append(_row(kommun, trakt, 1, 1, "street", rest, parts))
    frame = gpd.GeoDataFrame(rows, geometry="geometry", crs=None)
    frame["block"] = frame["block"].astype("Int32")
    return frame


def _row(
    kommun: names.Kommun,
    trakt: str,
    block: int | None,
    unit: int,
    kind: str,
    geom: BaseGeometry,
    parts: dict[str, int],
) -> dict[str, Any]:
    text = designation(trakt, block, unit, kind, kommun.name)
    parts[text] = parts.get(text, 0) + 1
    return {
        "unit_id": unit_uuid(text),
        "part_id": unit_uuid(f"{text}#{parts[text]}"),
        "designation": text,
        "kommunkod": kommun.kommunkod,
        "registry_area": kommun.name,
        "trakt": trakt,
        "block": block if kind not in UNIT_TYPES else None,
        "unit": unit,
        "unit_type": UNIT_TYPES.get(kind, "fastighet"),
        "part": parts[text],
        "land_use": kind,
        "geometry": geom,
    }
