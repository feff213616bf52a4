"""The building check page's arguments: a building by its dimensions or by a drawn polygon.

``typ`` (kind), ``hojd`` (height to the ridge, m), ``medgivande`` (the neighbours consent in
writing), ``skugga`` (compute the shade, default on) and either ``polygon=x y,x y,…`` (SWEREF
99 TM, as the page's drawing sends it) or ``bredd``, ``djup``, ``x``, ``y`` (the centre, SWEREF 99
TM) and ``vridning`` (degrees clockwise). Without a building the page shows the form. The URL
is the share link: it restores the building.

>>> q = BuildingQuery.from_args({"typ": "friggebod", "hojd": "3", "bredd": "4", "djup": "5",
...                              "x": "616800", "y": "6917430", "vridning": "90"})
>>> [round(v, 6) for v in q.building.geometry.bounds], q.building.area
([616797.5, 6917428.0, 616802.5, 6917432.0], 20.0)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import shapely
from shapely import affinity

from layers.errors import InvalidBuilding
from layers.models import Property
from layers.planned import BuildingKind, PlannedBuilding
from mapservice.errors import BadRequest
from mapservice.report.building_check import BuildingCheckReport
from mapservice.report.sketch import Sketch, sketch
from mapservice.report.sources import ReportSources
from mapservice.web.queries import number

__all__ = ["PRESETS", "BuildingQuery"]

#: The presets' dimensions: (width, depth, height, kind).
PRESETS = {
    "garage": (6.0, 4.0, 3.5, "komplementbyggnad"),
    "friggebod": (5.0, 3.0, 3.0, "friggebod"),
    "attefallshus": (6.0, 5.0, 4.0, "attefall_house"),
    "tillbyggnad": (5.0, 3.0, 3.0, "extension"),
}
NAMES = ("typ", "hojd", "medgivande", "skugga", "polygon", "bredd", "djup", "x", "y", "vridning")
MAX_POINTS = 200
#: Coordinates beyond these are not in Sweden (SWEREF 99 TM, generous).
X_RANGE, Y_RANGE = (-1e6, 2e6), (6e6, 8e6)


@dataclass(frozen=True)
class BuildingQuery:
    """What the page was asked: the building (None for the empty form) and the form's values."""

    building: PlannedBuilding | None
    values: Mapping[str, str]
    shade: bool

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> BuildingQuery:
        values = {k: str(args[k])[:4000] for k in NAMES if args.get(k)}
        shade = values.get("skugga", "1") not in ("0", "nej", "false")
        if "typ" not in values and "polygon" not in values and "bredd" not in values:
            return cls(None, values, shade)
        kind = values.get("typ", "komplementbyggnad")
        if kind not in {k.value for k in BuildingKind}:
            raise BadRequest(f"typ must be one of {', '.join(k.value for k in BuildingKind)}")
        height = number(args, "hojd", 0.1, 100.0)
        if height is None:
            raise BadRequest("hojd (height to the ridge, m) is required")
        footprint = _polygon(values["polygon"]) if "polygon" in values else _rectangle(args)
        consent = values.get("medgivande") in ("1", "on", "ja", "true")
        try:
            building = PlannedBuilding(footprint, height, kind, consent)
        except InvalidBuilding as err:
            raise BadRequest(str(err)) from err
        return cls(building, values, shade)

    def drawing(
        self, sources: ReportSources, prop: Property, report: BuildingCheckReport | None
    ) -> Sketch:
        """The page's sketch: the checked site, or the property's own without a building."""
        if report is not None:
            return sketch(report.site, report.check.building, report.shade)
        from layers.building_site import building_site

        return sketch(building_site(sources.store, prop))


def _coordinate(text: str, name: str, low: float, high: float) -> float:
    try:
        value = float(text.strip().replace(",", "."))
    except ValueError as err:
        raise BadRequest(f"{name} must be a number, got {text[:40]!r}") from err
    if not low <= value <= high:
        raise BadRequest(f"{name} must lie between {low:g} and {high:g} (SWEREF 99 TM)")
    return value


def _polygon(text: str) -> shapely.Polygon:
    pairs = [p for p in text.split(",") if p.strip()]
    if not 3 <= len(pairs) <= MAX_POINTS:
        raise BadRequest(f"polygon takes 3 to {MAX_POINTS} points 'x y' separated by commas")
    points = []
    for pair in pairs:
        parts = pair.split()
        if len(parts) != 2:
            raise BadRequest("each point of polygon is 'x y' (SWEREF 99 TM)")
        points.append((_coordinate(parts[0], "x", *X_RANGE), _coordinate(parts[1], "y", *Y_RANGE)))
    return shapely.Polygon(points)


def _rectangle(args: Mapping[str, str]) -> shapely.Polygon:
    width, depth = number(args, "bredd", 0.5, 100.0), number(args, "djup", 0.5, 100.0)
    x, y = number(args, "x", *X_RANGE), number(args, "y", *Y_RANGE)
    if width is None or depth is None or x is None or y is None:
        raise BadRequest("give bredd, djup, x and y (or polygon)")
    turn = number(args, "vridning", -360.0, 360.0) or 0.0
    rect = shapely.box(x - width / 2, y - depth / 2, x + width / 2, y + depth / 2)
    return affinity.rotate(rect, -turn, origin=(x, y))  # clockwise, as a compass turns
