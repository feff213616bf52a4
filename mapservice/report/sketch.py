"""The building check's sketch: the property, its plan areas, buildings and the planned one.

One :class:`Sketch` in metres east and south of the top-left corner of the property's box
(SVG's axes), drawn by the page as SVG paths and by the PDF (a situationsplan at a stated scale)
as vectors: the property boundary, prickmark, korsmark and protected areas, the existing and
the planned buildings, the shadows on a winter and a summer day, and the planned building's
shortest distance to the boundary, measured. No Flask.

>>> from shapely import box
>>> path(box(0, 0, 2, 1), (0.0, 0.0, 10.0, 10.0))
'M2,10L2,9L0,9L0,10Z'
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import shapely
from shapely.geometry.base import BaseGeometry
from shapely.ops import nearest_points

from layers.building_site import Site
from layers.planned import PlannedBuilding

if TYPE_CHECKING:
    from solar.shade import BuildingShade

__all__ = ["LAYERS", "OPACITY", "Sketch", "path", "sketch"]

#: What the sketch draws, bottom to top: key → (fill, stroke); the legend lists them. The two
#: shadows have hues of their own (a cool blue for 21 December, amber for 21 June), so that
#: one drawn see-through over the other or over white cannot be taken for the other.
LAYERS: dict[str, tuple[str, str]] = {
    "property": ("#ffffff", "#1a1a1a"),
    "winter_shadow": ("#3d6fb6", "none"),
    "summer_shadow": ("#c77800", "none"),
    "prickmark": ("#e7b5b5", "#a33"),
    "korsmark": ("#f3dd9b", "#8a6d00"),
    "protection": ("none", "#6b3fa0"),
    "buildings": ("#8c8c8c", "#333333"),
    "planned": ("#1f5fbf", "#0b2e66"),
}
#: The fill's opacity of a layer drawn see-through (1 for the others): the page's paths, its
#: legend's swatches and the PDF's paths and swatches all take it from here, so a swatch has the
#: colour its layer has on the sketch.
OPACITY: dict[str, float] = {"winter_shadow": 0.35, "summer_shadow": 0.5, "prickmark": 0.7}


def _rings(geometry: BaseGeometry) -> list[list[tuple[float, float]]]:
    rings = []
    for part in shapely.get_parts(geometry):
        if isinstance(part, shapely.Polygon) and not part.is_empty:
            rings.append([(x, y) for x, y, *_ in part.exterior.coords])
            rings += [[(x, y) for x, y, *_ in r.coords] for r in part.interiors]
    return rings


def path(geometry: BaseGeometry, bounds: tuple[float, float, float, float]) -> str:
    """An SVG path of ``geometry``'s polygons, in metres from the top-left of ``bounds``."""
    minx, _, _, maxy = bounds
    out = []
    for ring in _rings(geometry):
        points = [f"{x - minx:.6g},{maxy - y:.6g}" for x, y in ring[:-1]]
        out.append("M" + "L".join(points) + "Z")
    return "".join(out)


@dataclass(frozen=True)
class Sketch:
    """Everything drawn, as SVG paths in a ``width`` × ``height`` metre box at ``bounds``.

    ``distance`` is the planned building's shortest line to the boundary (x1, y1, x2, y2 in
    the sketch's metres) and its length, when there is a planned building.
    """

    bounds: tuple[float, float, float, float]
    paths: dict[str, str] = field(default_factory=dict)
    distance: tuple[float, float, float, float, float] | None = None

    @property
    def width(self) -> float:
        return self.bounds[2] - self.bounds[0]

    @property
    def height(self) -> float:
        return self.bounds[3] - self.bounds[1]

    @property
    def view_box(self) -> str:
        """The SVG ``viewBox``."""
        return f"0 0 {self.width:.6g} {self.height:.6g}"


def sketch(
    site: Site,
    building: PlannedBuilding | None = None,
    shade: BuildingShade | None = None,
    margin: float = 5.0,
) -> Sketch:
    """The sketch of ``site`` (with the planned ``building`` and its ``shade``)."""
    x0, y0, x1, y1 = site.geometry.bounds
    bounds = (x0 - margin, y0 - margin, x1 + margin, y1 + margin)
    frame = shapely.box(*bounds)
    shapes: dict[str, BaseGeometry] = {
        "property": site.geometry,
        "prickmark": site.prickmark,
        "korsmark": site.korsmark,
        "protection": shapely.union_all([p.geometry for p in site.protection]),
        "buildings": shapely.union_all([b.geometry for b in site.buildings]),
    }
    if shade is not None:
        shapes["winter_shadow"] = shade.winter_shadow
        shapes["summer_shadow"] = shade.summer_shadow
    distance = None
    if building is not None:
        shapes["planned"] = building.geometry
        a, b = nearest_points(building.geometry.boundary, site.geometry.boundary)
        distance = (
            a.x - bounds[0],
            bounds[3] - a.y,
            b.x - bounds[0],
            bounds[3] - b.y,
            round(a.distance(b), 1),
        )
    paths = {}
    for key in LAYERS:
        shape = shapes.get(key)
        if shape is not None and not shape.is_empty:
            paths[key] = path(shape.intersection(frame), bounds)
    return Sketch(bounds, {k: v for k, v in paths.items() if v}, distance)
