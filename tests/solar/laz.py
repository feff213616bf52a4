"""Small laser tiles written with laspy in the layout of Lantmäteriet's Laserdata: a sloping
ground, a flat-roofed building, a tree, and noise points high and low."""

from __future__ import annotations

from dataclasses import dataclass

import laspy
import numpy as np
import pyproj

#: Lower-left corner of the synthetic tiles (the sample municipality's area, EPSG:3006).
ORIGIN = (617000.0, 6918000.0)
SIZE = 40.0
#: The building: a 10 × 10 m box whose flat roof is 8 m above the ground's highest corner.
HOUSE = (10.0, 10.0, 20.0, 20.0)
ROOF_ABOVE = 8.0
#: The tree: a cone of radius 3 m, 12 m tall, at this offset.
TREE = (30.0, 30.0, 3.0, 12.0)
#: Stray points, offsets (x, y) from the origin and their height above the ground.
BIRD = (5.0, 35.0, 45.0)  # unclassified, a bird: far above all around it
PIT = (35.0, 5.0, -12.0)  # unclassified, a multipath return far below the ground


def ground(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """The terrain, metres in RH 2000: rising 5 cm per metre eastwards."""
    return 20.0 + 0.05 * (x - ORIGIN[0]) + 0.0 * y


def roof_height() -> float:
    return float(ground(np.array([ORIGIN[0] + HOUSE[2]]), np.array([0.0]))[0]) + ROOF_ABOVE


@dataclass(frozen=True)
class Points:
    x: np.ndarray
    y: np.ndarray
    z: np.ndarray
    classification: np.ndarray


def make_points(
    density: float = 4.0, building_class: int = 1, origin=ORIGIN, seed: int = 1
) -> Points:
    """Returns over a SIZE × SIZE m tile; roofs get ``building_class`` (1 in Laserdata skog)."""
    rng = np.random.default_rng(seed)
    n = int(density * SIZE * SIZE)
    dx, dy = rng.uniform(0, SIZE, n), rng.uniform(0, SIZE, n)
    x, y = origin[0] + dx, origin[1] + dy
    z = ground(x, y)
    classes = np.full(n, 2, np.uint8)
    house = (dx >= HOUSE[0]) & (dx < HOUSE[2]) & (dy >= HOUSE[1]) & (dy < HOUSE[3])
    z[house] = roof_height()
    classes[house] = building_class
    tx, ty, radius, height = TREE
    distance = np.hypot(dx - tx, dy - ty)
    crown = (distance < radius) & (rng.uniform(size=n) < 0.8)  # some returns reach the ground
    z[crown] = ground(x[crown], y[crown]) + height * (1 - distance[crown] / radius)
    classes[crown] = 1
    extra = [
        (origin[0] + BIRD[0], origin[1] + BIRD[1], BIRD[2], 1),
        (origin[0] + PIT[0], origin[1] + PIT[1], PIT[2], 1),
        (origin[0] + 25.0, origin[1] + 5.0, 60.0, 18),  # high noise
        (origin[0] + 26.0, origin[1] + 6.0, -25.0, 7),  # low noise
        (origin[0] + 5.0, origin[1] + 5.0, -30.0, 7),
    ]
    ex, ey, ez, ec = (np.array(v) for v in zip(*extra, strict=True))
    ez = ground(ex, ey) + ez
    return Points(
        np.concatenate([x, ex]),
        np.concatenate([y, ey]),
        np.concatenate([z, ez]),
        np.concatenate([classes, ec.astype(np.uint8)]),
    )


def write_points(path, points: Points, version: str = "1.2", crs: str | None = "EPSG:3006"):
    """Write ``points`` as LAS/LAZ (by the suffix): LAS 1.2 point format 1 or LAS 1.4 format 6,
    centimetre scale, as Lantmäteriet's tiles."""
    header = laspy.LasHeader(point_format=1 if version == "1.2" else 6, version=version)
    header.scales = np.array([0.01, 0.01, 0.01])
    header.offsets = np.array([np.floor(points.x.min()), np.floor(points.y.min()), 0.0])
    if crs:
        header.add_crs(pyproj.CRS(crs))
    las = laspy.LasData(header)
    las.x, las.y, las.z = points.x, points.y, points.z
    las.classification = points.classification
    las.return_number = np.ones(points.x.size, np.uint8)
    las.number_of_returns = np.ones(points.x.size, np.uint8)
    las.write(str(path))
    return path


def write_tile(path, version: str = "1.2", building_class: int = 1, **kwargs):
    """A whole synthetic tile at ``path``."""
    return write_points(path, make_points(building_class=building_class, **kwargs), version)
