"""Buildings of the sample neighbourhood: footprints and the roof parameters the DSM is drawn from.

A building is a rectangle of ``length`` along its ridge and ``width`` across it, centred on
(``cx``, ``cy``) and turned so that the ridge points to ``ridge_azimuth`` (degrees clockwise from
north). Roofs are ``gable``, ``hip``, ``flat`` or ``mono-pitch``; a mono-pitch roof slopes down
towards ``ridge_azimuth + 90°``. ``eave_height`` and ``height`` (the ridge) are metres above
ground.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
from shapely.geometry import Polygon

from data import names
from data.cadastre import designation, unit_uuid
from data.layout import Layout, Lot


@dataclass
class Building:
    """One building as the sample draws it."""

    lot: Lot
    use: str
    cx: float
    cy: float
    length: float
    width: float
    ridge_azimuth: float
    roof_shape: str
    eave_height: float
    roof_pitch: float
    floors: int
    entrances: list[tuple[float, float]] = field(default_factory=list)

    @property
    def height(self) -> float:
        """Height of the highest point of the roof above ground, metres."""
        rise = math.tan(math.radians(self.roof_pitch))
        if self.roof_shape == "flat":
            return self.eave_height
        if self.roof_shape == "mono-pitch":
            return self.eave_height + self.width * rise
        return self.eave_height + self.width / 2 * rise

    def to_local(self, dx: float, dy: float) -> tuple[float, float]:
        """Coordinates along (u) and across (v) the ridge of points offset from the centre."""
        t = math.radians(self.ridge_azimuth)
        return dx * math.sin(t) + dy * math.cos(t), dx * math.cos(t) - dy * math.sin(t)

    def footprint(self) -> Polygon:
        """The footprint polygon in local metres."""
        t = math.radians(self.ridge_azimuth)
        s, c = math.sin(t), math.cos(t)
        corners = []
        for su, sv in ((-1, -1), (1, -1), (1, 1), (-1, 1)):
            u, v = su * self.length / 2, sv * self.width / 2
            corners.append((round(self.cx + u * s + v * c, 3), round(self.cy + u * c - v * s, 3)))
        return Polygon(corners)


def _floors_and_eave(rng: np.random.Generator, one_floor_share: float = 0.55) -> tuple[int, float]:
    floors = 1 if rng.random() < one_floor_share else 2
    eave = rng.uniform(2.8, 3.3) if floors == 1 else rng.uniform(5.3, 6.0)
    return floors, eave


def _roof(
    rng: np.random.Generator, shares: tuple[float, ...] = (0.55, 0.2, 0.1, 0.15)
) -> tuple[str, float]:
    shape = rng.choice(["gable", "hip", "mono-pitch", "flat"], p=shares)
    pitch = {
        "gable": rng.uniform(22, 38),
        "hip": rng.uniform(18, 30),
        "mono-pitch": rng.uniform(8, 15),
        "flat": 0.0,
    }[shape]
    return str(shape), round(float(pitch), 1)


def _villa(lot: Lot, rng: np.random.Generator) -> list[Building]:
    x0, y0, x1, y1 = lot.rect
    lot_w = x1 - x0
    along = min(rng.uniform(10, 15), lot_w - 8)
    depth = rng.uniform(8, 11)
    setback = rng.uniform(7, 10)
    cx = x0 + 4 + along / 2 + rng.uniform(0, lot_w - 8 - along)
    cy = y0 + setback + depth / 2 if lot.front == "S" else y1 - setback - depth / 2
    shape, pitch = _roof(rng)
    floors, eave = _floors_and_eave(rng)
    parallel = rng.random() < 0.75
    turn = rng.uniform(-8, 8) if rng.random() < 0.2 else 0.0
    azimuth = (90.0 if parallel else 0.0) + turn
    length, width = (along, depth) if parallel else (depth, along)
    if shape == "mono-pitch" and rng.random() < 0.5:
        azimuth += 180.0
    door = (cx, cy - depth / 2 - 0.5) if lot.front == "S" else (cx, cy + depth / 2 + 0.5)
    house = Building(
        lot, "småhus", cx, cy, length, width, azimuth % 360, shape, eave, pitch, floors, [door]
    )
    out = [house]
    if rng.random() < 0.55:
        garage = _garage(lot, house, rng)
        if garage is not None:
            out.append(garage)
    return out


def _garage(lot: Lot, house: Building, rng: np.random.Generator) -> Building | None:
    x0, y0, x1, y1 = lot.rect
    hb = house.footprint().bounds
    left, right = hb[0] - x0, x1 - hb[2]
    gx = x0 + 1.5 + 3.0 if left > right else x1 - 1.5 - 3.0
    gy = y1 - 1.5 - 3.5 if lot.front == "S" else y0 + 1.5 + 3.5
    if rng.random() < 0.6:
        shape, pitch, azimuth = "gable", round(float(rng.uniform(18, 27)), 1), 0.0
    else:
        shape, pitch, azimuth = "mono-pitch", round(float(rng.uniform(6, 12)), 1), 90.0
    garage = Building(lot, "komplementbyggnad", gx, gy, 7.0, 6.0, azimuth, shape, 2.5, pitch, 1)
    if garage.footprint().buffer(1.0).intersects(house.footprint()):
        return None
    return garage


def _row_houses(lots: list[Lot], rng: np.random.Generator) -> list[Building]:
    """One attached dwelling per row-house lot; a row shares eaves, pitch and setback."""
    out = []
    rows: dict[tuple[int | None, str | None], tuple[float, float]] = {}
    for lot in lots:
        key = (lot.block, lot.front)
        if key not in rows:
            eave = round(float(rng.uniform(5.4, 5.8)), 2)
            rows[key] = (eave, round(float(rng.uniform(24, 30)), 1))
        eave, pitch = rows[key]
        x0, y0, x1, y1 = lot.rect
        depth, setback = 9.0, 6.0
        cy = y0 + setback + depth / 2 if lot.front == "S" else y1 - setback - depth / 2
        door_y = cy - depth / 2 - 0.5 if lot.front == "S" else cy + depth / 2 + 0.5
        out.append(
            Building(
                lot,
                "radhus",
                (x0 + x1) / 2,
                cy,
                x1 - x0,
                depth,
                90.0,
                "gable",
                eave,
                pitch,
                2,
                [((x0 + x1) / 2, door_y)],
            )
        )
    return out


def _slab(
    lot: Lot,
    rng: np.random.Generator,
    use: str,
    length: float,
    width: float,
    setback: float,
    floors: int,
    shape: str,
    pitch: float,
    entrances: int,
    rear: bool = False,
) -> Building:
    x0, y0, x1, y1 = lot.rect
    cx = (x0 + x1) / 2 + rng.uniform(-3, 3)
    towards_street = (lot.front == "S") != rear
    cy = y0 + setback + width / 2 if towards_street else y1 - setback - width / 2
    eave = floors * 3.0 + (0.6 if shape == "flat" else 0.3)
    side = -1 if towards_street else 1
    doors = [
        (cx - length / 2 + length * (k + 0.5) / entrances, cy + side * (width / 2 + 0.5))
        for k in range(entrances)
    ]
    return Building(lot, use, cx, cy, length, width, 90.0, shape, eave, pitch, floors, doors)


def _apartment(lot: Lot, rng: np.random.Generator) -> list[Building]:
    lot_w = lot.rect[2] - lot.rect[0]
    gable = rng.random() < 0.5
    shape, pitch = ("gable", 27.0) if gable else ("flat", 0.0)
    floors = int(rng.integers(3, 6))
    length = min(rng.uniform(45, 60), lot_w - 12)
    out = [_slab(lot, rng, "flerbostadshus", length, 12.5, 6.0, floors, shape, pitch, 2)]
    if rng.random() < 0.5:
        out.append(
            _slab(lot, rng, "flerbostadshus", 30.0, 12.0, 8.0, 3, shape, pitch, 1, rear=True)
        )
    return out


def _centre(lot: Lot, rng: np.random.Generator) -> list[Building]:
    lot_w = lot.rect[2] - lot.rect[0]
    floors = int(rng.integers(1, 3))
    length = min(rng.uniform(35, 55), lot_w - 12)
    out = [_slab(lot, rng, "verksamhet", length, rng.uniform(25, 35), 6.0, floors, "flat", 0.0, 1)]
    out[0].eave_height = 4.5 if floors == 1 else 8.0
    if rng.random() < 0.5:
        out.append(
            _slab(
                lot,
                rng,
                "flerbostadshus",
                min(40.0, lot_w - 12),
                12.0,
                6.0,
                4,
                "gable",
                27.0,
                2,
                rear=True,
            )
        )
    return out


def _industrial(lot: Lot, rng: np.random.Generator) -> list[Building]:
    x0, y0, x1, y1 = lot.rect
    along = (x1 - x0 - 12) * rng.uniform(0.6, 0.9)
    across = (y1 - y0 - 22) * rng.uniform(0.35, 0.7)
    cx = (x0 + x1) / 2
    # Stay behind the transformer plot cut from the street corner of the lot, if there is one.
    front_setback = 12 if lot.cut is None else (lot.cut[3] - lot.cut[1]) + 4
    cy = y1 - front_setback - across / 2 if lot.front == "N" else y0 + 12 + across / 2
    flat = rng.random() < 0.6
    eave = round(float(rng.uniform(7, 11)), 1)
    if flat:
        shape, pitch, azimuth, length, width = "flat", 0.0, 90.0, along, across
    elif along >= across:
        shape, pitch, azimuth, length, width = "gable", 8.0, 90.0, along, across
    else:
        shape, pitch, azimuth, length, width = "gable", 8.0, 0.0, across, along
    door_y = cy + across / 2 + 0.5 if lot.front == "N" else cy - across / 2 - 0.5
    return [
        Building(
            lot, "industri", cx, cy, length, width, azimuth, shape, eave, pitch, 1, [(cx, door_y)]
        )
    ]


def _transformer(lot: Lot, rng: np.random.Generator) -> list[Building]:
    x0, y0, x1, y1 = lot.rect
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    return [
        Building(
            lot,
            "transformatorstation",
            cx,
            cy,
            4.0,
            3.0,
            90.0,
            "flat",
            2.6,
            0.0,
            1,
            [(cx, y1 - 0.5)],
        )
    ]


def make_buildings(layout: Layout, rng: np.random.Generator) -> list[Building]:
    """Buildings for every built lot, in the order of the lots."""
    makers = {
        "villa": _villa,
        "apartment": _apartment,
        "centre": _centre,
        "industrial": _industrial,
        "transformer": _transformer,
    }
    out: list[Building] = []
    row_lots = [lot for lot in layout.lots if lot.kind == "radhus"]
    for lot in layout.lots:
        if lot.built and lot.kind in makers:
            out.extend(makers[lot.kind](lot, rng))
    out.extend(_row_houses(row_lots, rng))
    return out


def buildings_frame(
    buildings: list[Building], bases: np.ndarray, kommun: names.Kommun = names.SUNDSVALL
) -> gpd.GeoDataFrame:
    """The buildings layer of ``kommun`` in local metres; ``bases`` are their ground heights."""
    rows = []
    counters: dict[str, int] = {}
    for building, base in zip(buildings, bases, strict=True):
        lot = building.lot
        if lot.unit is None:
            raise ValueError(f"a lot of {lot.trakt} has no unit number: number the layout first")
        text = designation(lot.trakt, lot.block, lot.unit, lot.kind, kommun.name)
        counters[text] = counters.get(text, 0) + 1
        rows.append(
            {
                "building_id": unit_uuid(f"{text}#building{counters[text]}"),
                "unit_id": unit_uuid(text),
                "designation": text,
                "use": building.use,
                "floors": building.floors,
                "roof_shape": building.roof_shape,
                "roof_pitch": round(building.roof_pitch, 1),
                "ridge_azimuth": round(building.ridge_azimuth % 360, 1),
                "eave_height": round(building.eave_height, 2),
                "height": round(building.height, 2),
                "ground_height": round(float(base), 2),
                "geometry": building.footprint(),
            }
        )
    return gpd.GeoDataFrame(rows, geometry="geometry")
