"""Lantmäteriet's Belägenhetsadress Nedladdning, vektor (GEODOK/15, 2025.02) → ``addresses``.

The GeoPackage's table ``belagenhetsadress`` holds one point per address (geometry column
``adressplatspunkt``) with ``adressomrade_faststalltnamn`` (the street or village), for a
gårdsadress also ``gardsadressomrade_faststalltnamn``, ``adressplatsnummer``,
``bokstavstillagg``, ``postnummer`` (an integer: zero-padded here), ``postort``, ``kommunkod``
and ``statusforbelagenhetsadress`` (Gällande or Reserverad; only gällande addresses are taken).
Whether the GeoPackage names the register unit is not documented: a ``registerenhetsreferens``
column is used when the file has one, otherwise each point is linked to the unit whose area
holds it; :class:`AddressLinks` says which. Sources in docs/ONBOARDING.md.

>>> postcode(85641), postcode("85641"), postcode(11122.0), postcode(None)
('856 41', '856 41', '111 22', None)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
import pandas as pd

from layers.national.link import link_points
from layers.schema import LAYER_SCHEMAS
from layers.text import fold
from sweref import STORAGE_CRS

#: The table, and the columns that identify it.
LAYER = "belagenhetsadress"
SIGNATURE = frozenset({"adressomrade_faststalltnamn", "adressplatsnummer"})
#: How addresses were linked to register units.
BY_REFERENCE = "registerenhetsreferens"
BY_POINT_IN_POLYGON = "point-in-polygon"


def postcode(value: Any) -> str | None:
    """A postnummer as five digits with the customary space (``856 41``)."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    text = str(value).strip().split(".")[0]
    if not text.isdigit() or len(text) > 5:
        return None
    text = text.zfill(5)
    return f"{text[:3]} {text[3:]}"


@dataclass
class AddressLinks:
    """How the addresses were linked, and what was left out."""

    method: str = BY_POINT_IN_POLYGON
    linked: int = 0
    #: Ids of gällande addresses on no register unit (left out of the layer).
    unlinked: list[str] = field(default_factory=list)
    not_in_force: int = 0


def _text(value: Any) -> str | None:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    return str(value).strip() or None


def addresses_from_belagenhetsadress(
    frame: gpd.GeoDataFrame, units: gpd.GeoDataFrame
) -> tuple[gpd.GeoDataFrame, AddressLinks]:
    """The address points as the ``addresses`` layer's columns, linked to ``units``
    (``unit_id``, ``designation``, areas in SWEREF 99 TM)."""
    frame = frame.rename(columns={c: str(c).lower() for c in frame.columns if c != "geometry"})
    frame = frame.to_crs(STORAGE_CRS) if frame.crs is not None else frame
    summary = AddressLinks()
    if "statusforbelagenhetsadress" in frame:
        in_force = frame["statusforbelagenhetsadress"].map(lambda s: fold(str(s)) == "gallande")
        summary.not_in_force = int((~in_force).sum())
        frame = frame[in_force.to_numpy()]
    id_column = next(
        (c for c in ("belagenhetsadress_objektidentitet", "objektidentitet") if c in frame), None
    )
    names = dict(zip(units["unit_id"].astype(str), units["designation"], strict=True))
    if BY_REFERENCE in frame:
        summary.method = BY_REFERENCE
        refs = [_text(r) for r in frame[BY_REFERENCE]]
        links = [(r, names[r]) if r in names else None for r in refs]
    else:
        found = link_points(list(frame.geometry.to_numpy()), units)
        links = [(f.unit_id, f.designation) if f else None for f in found]
    rows = []
    for (_, row), link in zip(frame.iterrows(), links, strict=True):
        address_id = _text(row.get(id_column)) if id_column else None
        if link is None:
            summary.unlinked.append(address_id or "?")
            continue
        summary.linked += 1
        street = _text(row.get("adressomrade_faststalltnamn"))
        farm = _text(row.get("gardsadressomrade_faststalltnamn"))
        name = f"{street} {farm}" if street and farm else street or farm
        number, letter = _text(row.get("adressplatsnummer")), _text(row.get("bokstavstillagg"))
        rows.append(
            {
                "address_id": address_id,
                "unit_id": link[0],
                "designation": link[1],
                "street": name,
                "number": number,
                "letter": letter,
                "label": " ".join(p for p in (name, f"{number or ''}{letter or ''}") if p),
                "postcode": postcode(row.get("postnummer")),
                "postal_town": _text(row.get("postort")),
                "kommunkod": (_text(row.get("kommunkod")) or "").zfill(4) or None,
                "geometry": row.geometry,
            }
        )
    columns = [*LAYER_SCHEMAS["addresses"].columns, "geometry"]
    out = gpd.GeoDataFrame(rows or None, columns=columns, geometry="geometry", crs=STORAGE_CRS)
    return out, summary


__all__ = [
    "BY_POINT_IN_POLYGON",
    "BY_REFERENCE",
    "LAYER",
    "SIGNATURE",
    "AddressLinks",
    "addresses_from_belagenhetsadress",
    "postcode",
]
