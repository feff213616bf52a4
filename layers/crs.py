"""Coordinate reference systems: the ones accepted, and moving points, boxes and shapes between
them.

**Axis order.** Everywhere in :mod:`layers` a coordinate pair is ``(x, y)`` = (easting,
northing) in projected CRSs and (longitude, latitude) in EPSG:4326, as in GeoJSON and
OGC CRS84 — whatever order the EPSG registry lists the axes in (it says northing first for
SWEREF 99 and latitude first for WGS 84). Transformers are built with ``always_xy=True``.
A pair that lands outside Sweden but would land inside with x and y swapped gets an error that
says so.

>>> [round(v) for v in to_storage(17.25, 62.3698, "EPSG:4326")]  # lon/lat in Sundsvall
[616401, 6917403]
>>> parse_crs("epsg:3014"), parse_crs(3006)
('EPSG:3014', 'EPSG:3006')
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import pyproj
from shapely.geometry.base import BaseGeometry

from layers.errors import InvalidCoordinates, OutsideSweden, UnsupportedCRS
from sweref import (
    STORAGE_CRS,
    SUPPORTED_CRS,
    SWEDEN_LONLAT,
    WGS84,
    Bounds,
    reproject,
    reproject_bounds,
    transformer,
)

__all__ = [
    "STORAGE_CRS",
    "SUPPORTED_CRS",
    "SWEDEN_LONLAT",
    "WGS84",
    "bounds_to_storage",
    "from_storage",
    "parse_crs",
    "to_storage",
    "transform_geometry",
    "transformer",
]


def parse_crs(value: str | int | pyproj.CRS) -> str:
    """Normalise a CRS given as ``EPSG:3014``, ``epsg:3014``, ``3014``, an int or a pyproj CRS.

    >>> parse_crs("EPSG:2154")
    Traceback (most recent call last):
    ...
    layers.errors.UnsupportedCRS: EPSG:2154 is not supported; use one of EPSG:3006, ...
    """
    if isinstance(value, pyproj.CRS):
        code = value.to_epsg(min_confidence=70)
        text = f"EPSG:{code}" if code else value.name
    else:
        text = str(value).strip().upper()
        if text.isdigit():
            text = f"EPSG:{text}"
        text = text.replace("URN:OGC:DEF:CRS:EPSG::", "EPSG:")
        if text in ("CRS84", "OGC:CRS84", "URN:OGC:DEF:CRS:OGC:1.3:CRS84"):
            text = WGS84
    if text not in SUPPORTED_CRS:
        raise UnsupportedCRS(
            f"{text} is not supported; use one of EPSG:3006, EPSG:3007–3018 (SWEREF 99 local "
            "zones), EPSG:3021 (RT90 2.5 gon V), EPSG:4326 (WGS 84, lon/lat) or EPSG:3857"
        )
    return text


def _in_sweden(x: float, y: float) -> bool:
    lon, lat = transformer(STORAGE_CRS, WGS84).transform(x, y)
    minx, miny, maxx, maxy = SWEDEN_LONLAT
    return bool(minx <= lon <= maxx and miny <= lat <= maxy)


def to_storage(x: float, y: float, crs: str | int = STORAGE_CRS) -> tuple[float, float]:
    """A point (x = easting or longitude, y = northing or latitude) in SWEREF 99 TM.

    Raises
    ------
    InvalidCoordinates
        If x or y is not a finite number.
    OutsideSweden
        If the point lies outside Sweden (with a hint when x and y look swapped).

    >>> to_storage(6918000, 617000)
    Traceback (most recent call last):
    ...
    layers.errors.OutsideSweden: (6918000, 617000) in EPSG:3006 lies outside Sweden; x and y...
    """
    crs = parse_crs(crs)
    try:
        fx, fy = float(x), float(y)
    except (TypeError, ValueError) as err:
        raise InvalidCoordinates(f"coordinates must be numbers, got x={x!r}, y={y!r}") from err
    if not (math.isfinite(fx) and math.isfinite(fy)):
        raise InvalidCoordinates(f"coordinates must be finite numbers, got x={x!r}, y={y!r}")
    sx, sy = transformer(crs, STORAGE_CRS).transform(fx, fy)
    if math.isfinite(sx) and math.isfinite(sy) and _in_sweden(sx, sy):
        return float(sx), float(sy)
    hint = ""
    swapped = transformer(crs, STORAGE_CRS).transform(fy, fx)
    if all(math.isfinite(v) for v in swapped) and _in_sweden(*swapped):
        hint = (
            "; x and y seem swapped: give x (easting or longitude) first, then y (northing "
            "or latitude)"
        )
    raise OutsideSweden(f"({x}, {y}) in {crs} lies outside Sweden{hint}")


def from_storage(x: float, y: float, crs: str | int) -> tuple[float, float]:
    """A SWEREF 99 TM point in ``crs``, (x, y) order.

    >>> [round(v, 4) for v in from_storage(616400.0, 6917400.0, "EPSG:4326")]
    [17.25, 62.3698]
    """
    return transformer(STORAGE_CRS, parse_crs(crs)).transform(x, y)


def bounds_to_storage(bounds: Iterable[float], crs: str | int = STORAGE_CRS) -> Bounds:
    """A bounding box (minx, miny, maxx, maxy) in ``crs`` as a box in SWEREF 99 TM.

    The edges are densified so the result contains the whole transformed box.

    >>> bounds_to_storage((616400, 6917400, 616500, 6917500))
    (616400.0, 6917400.0, 616500.0, 6917500.0)
    """
    crs = parse_crs(crs)
    try:
        minx, miny, maxx, maxy = (float(v) for v in bounds)
    except (TypeError, ValueError) as err:
        raise InvalidCoordinates(
            f"a bounding box is four numbers minx, miny, maxx, maxy; got {bounds!r}"
        ) from err
    if not all(math.isfinite(v) for v in (minx, miny, maxx, maxy)):
        raise InvalidCoordinates(f"bounding box values must be finite, got {bounds!r}")
    if minx > maxx or miny > maxy:
        raise InvalidCoordinates(
            f"bounding box {bounds!r} has min above max; give minx, miny, maxx, maxy"
        )
    for x, y in ((minx, miny), (maxx, maxy)):
        to_storage(x, y, crs)
    return reproject_bounds((minx, miny, maxx, maxy), crs, STORAGE_CRS)


def transform_geometry(geometry: BaseGeometry, src_crs: str, dst_crs: str) -> BaseGeometry:
    """A shapely geometry moved from ``src_crs`` to ``dst_crs``.

    >>> from shapely import Point
    >>> transform_geometry(Point(1, 2), "EPSG:3006", "EPSG:3006")
    <POINT (1 2)>
    """
    return reproject(geometry, parse_crs(src_crs), parse_crs(dst_crs))
