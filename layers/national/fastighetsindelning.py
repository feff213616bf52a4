"""Lantmäteriet's Fastighetsindelning Nedladdning, vektor (2025.02) → the ``parcels`` layer.

One row of the GeoPackage's ``registerenhetsomradesyta`` table is one *område* of a register
unit; the unit is ``registerenhetsreferens`` (its UUID in the Fastighetsregister), the område's
own id ``objektidentitet`` and its number within the unit ``omradesnummer``, so a multi-part
unit is several rows sharing one reference. The designation is built as GEODOK/11 defines a
registerbeteckning: registerområde (``kommunnamn``), trakt (or kvarter), and ``block:enhet`` —
without block for the kvarter form. A samfällighet's block is ``S`` (``… S:1``).
The attribute list and its sources are in docs/ONBOARDING.md.

>>> import geopandas as gpd
>>> from shapely import box
>>> rows = gpd.GeoDataFrame({
...     "objektidentitet": ["o1", "o2", "o3"], "registerenhetsreferens": ["u1", "u1", "u2"],
...     "kommunkod": ["2281"] * 3, "kommunnamn": ["Sundsvall"] * 3,
...     "trakt": ["Björkåsen", "Björkåsen", "Balder"], "block": ["2", "2", None],
...     "enhet": [1, 1, 4], "omradesnummer": [1, 2, 1]},
...     geometry=[box(0, 0, 1, 1), box(2, 0, 3, 1), box(4, 0, 5, 1)], crs="EPSG:3006")
>>> parcels = parcels_from_fastighetsindelning(rows)
>>> parcels["designation"].tolist()
['SUNDSVALL BJÖRKÅSEN 2:1', 'SUNDSVALL BJÖRKÅSEN 2:1', 'SUNDSVALL BALDER 4']
>>> parcels["unit_id"].tolist(), parcels["part"].tolist()
(['u1', 'u1', 'u2'], [1, 2, 1])
"""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import pandas as pd

from layers.text import normalise

#: The table of register-unit areas in the 2025.02 GeoPackage.
LAYER = "registerenhetsomradesyta"
#: Columns that identify the table (a file with these is this product).
SIGNATURE = frozenset({"registerenhetsreferens", "kommunnamn", "trakt", "enhet"})


def designation(kommunnamn: Any, trakt: Any, block: Any, enhet: Any) -> str:
    """A registerbeteckning from its parts, as GEODOK/11 defines it.

    >>> designation("Sundsvall", "Skönsmon", "3", 12), designation("Sundsvall", "Balder", None, 2)
    ('SUNDSVALL SKÖNSMON 3:12', 'SUNDSVALL BALDER 2')
    >>> designation("Härnösand", "Björkå", "s", 1)
    'HÄRNÖSAND BJÖRKÅ S:1'
    """
    area = normalise(str(kommunnamn)).upper()
    name = normalise(str(trakt)).upper()
    number = "" if _missing(enhet) else str(int(float(enhet)))
    if _missing(block):
        return f"{area} {name} {number}"
    return f"{area} {name} {str(block).strip().upper()}:{number}"


def _missing(value: Any) -> bool:
    if isinstance(value, float):
        return bool(pd.isna(value))
    return value is None or not str(value).strip()


def parcels_from_fastighetsindelning(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The ``registerenhetsomradesyta`` rows as the columns of the ``parcels`` layer (one row
    per område; the importer's validation checks and completes them)."""
    columns = {str(c).lower(): c for c in frame.columns}

    def col(name: str) -> pd.Series:
        return frame[columns[name]] if name in columns else pd.Series([None] * len(frame))

    out = gpd.GeoDataFrame(
        {
            "unit_id": col("registerenhetsreferens").to_numpy(),
            "part_id": col("objektidentitet").to_numpy(),
            "designation": [
                designation(k, t, b, e)
                for k, t, b, e in zip(
                    col("kommunnamn"), col("trakt"), col("block"), col("enhet"), strict=True
                )
            ],
            "kommunkod": [None if _missing(k) else str(k).zfill(4) for k in col("kommunkod")],
            "part": pd.to_numeric(col("omradesnummer"), errors="coerce").to_numpy(),
        },
        geometry=frame.geometry.to_numpy(),
        crs=frame.crs,
    )
    out["part"] = out["part"].astype("Int64")
    return out


__all__ = ["LAYER", "SIGNATURE", "designation", "parcels_from_fastighetsindelning"]
