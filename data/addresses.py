"""Belägenhetsadresser of the sample: numbered along each street, odd on one side, even on the
other."""

from __future__ import annotations

from collections import defaultdict

import geopandas as gpd
from shapely.geometry import Point

from data import names
from data.buildings import Building
from data.cadastre import designation, unit_uuid

LETTERS = "ABCDEFGH"


def _entrances_by_lot(buildings: list[Building]) -> dict[int, list[Building]]:
    by_lot: dict[int, list[Building]] = defaultdict(list)
    for building in buildings:
        if building.use in ("komplementbyggnad", "transformatorstation"):
            continue
        by_lot[id(building.lot)].append(building)
    return by_lot


def make_addresses(
    buildings: list[Building], kommun: names.Kommun = names.SUNDSVALL
) -> gpd.GeoDataFrame:
    """One address point per entrance group of ``kommun``'s buildings, in local metres.

    Villas and row houses get one number; an apartment or centre parcel gets one number per
    street with letters for its entrances (``Storvägen 14A``, ``14B`` …).
    """
    by_lot = _entrances_by_lot(buildings)
    streets: dict[str | None, list[list[Building]]] = defaultdict(list)
    for group in by_lot.values():
        lot = group[0].lot
        streets[lot.street].append(group)
    rows = []
    for street, groups in streets.items():
        groups.sort(key=lambda g: (g[0].lot.rect[0], g[0].lot.rect[1]))
        counters = {"N": -1, "S": 0}  # south side of the street (lots facing north) is odd
        for group in groups:
            lot = group[0].lot
            if lot.front is None or lot.unit is None:
                raise ValueError(f"a lot of {lot.trakt} with buildings has no front or unit")
            counters[lot.front] += 2
            number = counters[lot.front]
            doors = [door for building in group for door in building.entrances]
            text = designation(lot.trakt, lot.block, lot.unit, lot.kind, kommun.name)
            for k, (x, y) in enumerate(doors):
                letter = LETTERS[k] if len(doors) > 1 else None
                label = f"{street} {number}{letter or ''}"
                rows.append(
                    {
                        "address_id": unit_uuid(f"{text}@{label}"),
                        "unit_id": unit_uuid(text),
                        "designation": text,
                        "street": street,
                        "number": number,
                        "letter": letter,
                        "postcode": kommun.postnummer[lot.trakt],
                        "postal_town": kommun.postort,
                        "kommunkod": kommun.kommunkod,
                        "label": label,
                        "geometry": Point(round(x, 2), round(y, 2)),
                    }
                )
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=None)
