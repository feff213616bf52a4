"""The sample's surface models at 0.5 m, heights in metres in RH 2000.

* the ground model (DTM): gentle relief rising towards the forested north;
* the surface model (DSM): the ground plus every building's roof, drawn plane by plane from its
  shape, height and ridge direction, plus tree canopies 6–25 m high (conical conifers, round
  broadleaves) in the forest, the parks, the natural buffer and the gardens.

All drawing is vectorised over pixels; only tree crowns are placed one by one into small windows.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import rasterio.features
import shapely
from affine import Affine
from numpy.typing import NDArray
from shapely.geometry.base import BaseGeometry

from data import names
from data.buildings import Building
from data.cadastre import lot_geometry
from data.layout import Layout

RESOLUTION = 0.5

FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class Grid:
    """A north-up raster grid in local metres: ``width`` × ``height`` pixels of ``resolution``."""

    width: int
    height: int
    resolution: float = RESOLUTION

    @classmethod
    def for_neighbourhood(cls) -> Grid:
        """The grid covering the whole sample neighbourhood."""
        n = round(names.SIZE / RESOLUTION)
        return cls(n, n)

    @property
    def local_transform(self) -> Affine:
        """Pixel to local metres, origin at the south-west corner of the neighbourhood."""
        return Affine(self.resolution, 0, 0, 0, -self.resolution, self.height * self.resolution)

    def centres(self) -> tuple[FloatArray, FloatArray]:
        """Pixel-centre coordinates as 1-D arrays: x (columns) and y (rows, north first)."""
        x = (np.arange(self.width, dtype=np.float64) + 0.5) * self.resolution
        y = (self.height - np.arange(self.height, dtype=np.float64) - 0.5) * self.resolution
        return x, y


def terrain(x: FloatArray, y: FloatArray) -> FloatArray:
    """Ground height in RH 2000 metres at local coordinates (broadcasting).

    >>> round(float(terrain(np.array(600.0), np.array(600.0))), 2)
    34.52
    """
    base = 27.0 + 9.0 * (y / names.SIZE)
    waves = 3.0 * np.sin(2 * np.pi * x / 950 + 0.7) * np.cos(2 * np.pi * y / 1300 + 0.3)
    hill = 6.0 * np.exp(-((x - 320) ** 2 + (y - 1080) ** 2) / (2 * 170.0**2))
    return base + waves + hill


def roof_heights(
    buildings: list[Building], index: NDArray[np.int32], x: FloatArray, y: FloatArray
) -> FloatArray:
    """Height above the building's ground of each roof pixel.

    ``index`` holds, per pixel, the 1-based number of the building drawn there (0 elsewhere);
    ``x``, ``y`` the pixel-centre coordinates of the same pixels.
    """
    k = index - 1
    params = np.array(
        [
            (
                b.cx,
                b.cy,
                b.length / 2,
                b.width / 2,
                np.radians(b.ridge_azimuth),
                np.tan(np.radians(b.roof_pitch)),
                b.eave_height,
            )
            for b in buildings
        ]
    )
    cx, cy, a, half_w, theta, rise, eave = (params[k, i] for i in range(7))
    shape = np.array([b.roof_shape for b in buildings])[k]
    dx, dy = x - cx, y - cy
    u = dx * np.sin(theta) + dy * np.cos(theta)
    v = dx * np.cos(theta) - dy * np.sin(theta)
    across = np.clip(half_w - np.abs(v), 0, None)
    along = np.clip(a - np.abs(u), 0, None)
    return np.select(
        [shape == "gable", shape == "hip", shape == "mono-pitch"],
        [
            eave + across * rise,
            eave + np.minimum(across, along) * rise,
            eave + np.clip(half_w - v, 0, 2 * half_w) * rise,
        ],
        default=eave,
    )


def _tree_positions(
    layout: Layout, buildings: list[Building], rng: np.random.Generator
) -> FloatArray:
    """Trees as rows of (x, y, height, crown radius, conifer)."""
    stands: list[FloatArray] = []
    for lot in layout.lots:
        if lot.kind == "forest":
            stands.append(
                _stand(lot_geometry(lot), rng, spacing=4.6, heights=(12, 25), conifer=0.8)
            )
        elif lot.kind == "samfallighet":
            stands.append(_stand(lot_geometry(lot), rng, spacing=9.0, heights=(8, 18), conifer=0.4))
        elif lot.kind in ("villa", "radhus") and lot.built:
            n = int(rng.integers(0, 4))
            stands.append(_scatter(lot_geometry(lot), n, rng, heights=(6, 14), conifer=0.3))
    for area in layout.areas:
        geom = shapely.box(*area.rect)
        if area.kind == "natur":
            stands.append(_stand(geom, rng, spacing=5.0, heights=(10, 22), conifer=0.7))
        else:
            stands.append(_scatter(geom, int(geom.area / 160), rng, heights=(8, 20), conifer=0.3))
    trees = np.concatenate([t for t in stands if len(t)])
    # Keep crowns off the roofs: a tree stands at least its crown radius plus 0.5 m away.
    footprints = shapely.STRtree([b.footprint() for b in buildings])
    points = shapely.points(trees[:, 0], trees[:, 1])
    near = footprints.query(points, predicate="dwithin", distance=trees[:, 3] + 0.5)
    clash = np.zeros(len(trees), dtype=bool)
    clash[near[0]] = True
    return trees[~clash]


def _stand(
    geom: BaseGeometry,
    rng: np.random.Generator,
    spacing: float,
    heights: tuple[float, float],
    conifer: float,
) -> FloatArray:
    x0, y0, x1, y1 = geom.bounds
    xs, ys = np.meshgrid(
        np.arange(x0 + spacing / 2, x1, spacing), np.arange(y0 + spacing / 2, y1, spacing)
    )
    xs = xs.ravel() + rng.uniform(-spacing / 3, spacing / 3, xs.size)
    ys = ys.ravel() + rng.uniform(-spacing / 3, spacing / 3, ys.size)
    return _crowns(xs, ys, geom, rng, heights, conifer)


def _scatter(
    geom: BaseGeometry,
    n: int,
    rng: np.random.Generator,
    heights: tuple[float, float],
    conifer: float,
) -> FloatArray:
    x0, y0, x1, y1 = geom.bounds
    xs, ys = rng.uniform(x0 + 2, x1 - 2, n), rng.uniform(y0 + 2, y1 - 2, n)
    return _crowns(xs, ys, geom, rng, heights, conifer)


def _crowns(
    xs: FloatArray,
    ys: FloatArray,
    geom: BaseGeometry,
    rng: np.random.Generator,
    heights: tuple[float, float],
    conifer: float,
) -> FloatArray:
    h = rng.uniform(*heights, xs.size)
    is_conifer = rng.random(xs.size) < conifer
    radius = np.where(is_conifer, 0.16 * h + 0.6, 0.22 * h + 1.0)
    inside = shapely.contains_xy(geom, xs, ys)
    return np.column_stack([xs, ys, h, radius, is_conifer])[inside]


def _draw_trees(canopy: FloatArray, grid: Grid, trees: FloatArray) -> None:
    res = grid.resolution
    for x, y, h, r, conifer in trees:
        c0, c1 = int((x - r) / res), int((x + r) / res) + 1
        top_y = grid.height * res
        r0, r1 = int((top_y - (y + r)) / res), int((top_y - (y - r)) / res) + 1
        c0, r0 = max(c0, 0), max(r0, 0)
        c1, r1 = min(c1, grid.width), min(r1, grid.height)
        if c0 >= c1 or r0 >= r1:
            continue
        px = (np.arange(c0, c1) + 0.5) * res
        py = grid.height * res - (np.arange(r0, r1) + 0.5) * res
        d = np.hypot(px[None, :] - x, py[:, None] - y) / r
        base = 0.35 * h if conifer else 0.45 * h
        top = np.where(
            d < 1,
            h - d * (h - base) if conifer else base + (h - base) * np.sqrt(np.clip(1 - d**2, 0, 1)),
            0.0,
        )
        window = canopy[r0:r1, c0:c1]
        np.maximum(window, top, out=window)


def make_surfaces(
    layout: Layout, buildings: list[Building], rng: np.random.Generator
) -> tuple[Grid, NDArray[np.float32], NDArray[np.float32], FloatArray]:
    """The ground model and the surface model as float32 arrays, north row first."""
    grid = Grid.for_neighbourhood()
    x, y = grid.centres()
    dtm = terrain(x[None, :], y[:, None])
    index = rasterio.features.rasterize(
        ((b.footprint(), i + 1) for i, b in enumerate(buildings)),
        out_shape=(grid.height, grid.width),
        transform=grid.local_transform,
        dtype="int32",
    )
    rows, cols = np.nonzero(index)
    bases = np.array([terrain(np.asarray(b.cx), np.asarray(b.cy)) for b in buildings])
    roofs = roof_heights(buildings, index[rows, cols], x[cols], y[rows])
    canopy = np.zeros_like(dtm)
    _draw_trees(canopy, grid, _tree_positions(layout, buildings, rng))
    dsm = dtm + canopy
    dsm[rows, cols] = bases[index[rows, cols] - 1] + roofs
    return grid, dtm.astype("float32"), dsm.astype("float32"), bases
