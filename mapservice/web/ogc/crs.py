"""CRS identifiers of OGC API Features Part 2, and coordinates in each CRS's own axis order.

OGC APIs name a CRS by URI (``http://www.opengis.net/def/crs/EPSG/0/3014``); CRS84
(longitude, latitude) is the default of GeoJSON. Part 2 says coordinates in any other CRS, and
the corners of ``bbox`` given with ``bbox-crs``, follow the axis order the CRS defines — the
agreement GDAL, QGIS, pygeoapi and GeoServer follow, and ``Content-Crs`` says which one a
response uses. SWEREF 99 TM, its local zones and RT90 list northing first and WGS 84
(EPSG:4326) latitude first, so those are swapped here, at the edge; :mod:`layers` keeps (x, y)
everywhere.

>>> uri = crs_uri("EPSG:3014")
>>> uri
'http://www.opengis.net/def/crs/EPSG/0/3014'
>>> parse_crs_uri(uri), parse_crs_uri(CRS84)
('EPSG:3014', 'CRS84')
>>> north_first("EPSG:3006"), north_first("EPSG:3857"), north_first("CRS84")
(True, False, False)
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import numpy as np
import pyproj
import shapely
from shapely.geometry.base import BaseGeometry

from layers.errors import UnsupportedCRS
from sweref import (
    STORAGE_CRS,
    SUPPORTED_CRS,
    SWEDEN_LONLAT,
    WGS84,
    Bounds,
    reproject_bounds,
    transformer,
)

CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
EPSG_PREFIX = "http://www.opengis.net/def/crs/EPSG/0/"

#: Every CRS the service outputs, CRS84 (the default) first.
CRS_URIS: tuple[str, ...] = (CRS84, *(EPSG_PREFIX + c.split(":")[1] for c in SUPPORTED_CRS))


def crs_uri(crs: str) -> str:
    """The OGC URI of ``EPSG:nnnn`` or ``CRS84``."""
    return CRS84 if crs == "CRS84" else EPSG_PREFIX + crs.split(":")[1]


def parse_crs_uri(uri: str) -> str:
    """``CRS84`` or ``EPSG:nnnn`` for a supported CRS URI; :class:`UnsupportedCRS` otherwise."""
    text = uri.strip()
    if text in ("[OGC:CRS84]", "OGC:CRS84"):
        text = CRS84
    if text.startswith("[EPSG:") and text.endswith("]"):
        text = EPSG_PREFIX + text[6:-1]
    if text not in CRS_URIS:
        raise UnsupportedCRS(
            f"{uri!r} is not a CRS this service offers; use one of {', '.join(CRS_URIS)}"
        )
    return "CRS84" if text == CRS84 else "EPSG:" + text.rsplit("/", 1)[1]


@lru_cache(maxsize=32)
def north_first(crs: str) -> bool:
    """True when the CRS lists northing (or latitude) before easting (or longitude)."""
    if crs == "CRS84":
        return False
    return pyproj.CRS.from_user_input(crs).axis_info[0].direction.lower() == "north"


def _xy_crs(crs: str) -> str:
    return WGS84 if crs == "CRS84" else crs


def bbox_to_storage(
    bbox: tuple[float, float, float, float], crs: str
) -> tuple[tuple[float, float, float, float], str]:
    """A ``bbox`` in ``crs``'s axis order as (minx, miny, maxx, maxy) and the (x, y) CRS for
    :func:`layers.crs.bounds_to_storage`.

    >>> bbox_to_storage((6917400, 616400, 6917500, 616500), "EPSG:3006")
    ((616400, 6917400, 616500, 6917500), 'EPSG:3006')
    """
    if north_first(crs):
        bbox = (bbox[1], bbox[0], bbox[3], bbox[2])
    return bbox, _xy_crs(crs)


def geometry_out(
    geometry: BaseGeometry | None, crs: str, precision: int | None = None
) -> BaseGeometry | None:
    """A SWEREF 99 TM geometry in ``crs``, in the CRS's axis order, rounded to ``precision``
    decimals (default: 2 for metres, 7 for degrees).

    >>> geometry_out(shapely.Point(600000.123, 6900000.456), crs_uri("EPSG:3006"))
    <POINT (6900000.46 600000.12)>
    """
    return geometries_out([geometry], crs, precision)[0]


def geometries_out(
    geometries: Sequence[BaseGeometry | None], crs: str, precision: int | None = None
) -> list[BaseGeometry | None]:
    """Geometries as :func:`geometry_out` gives them, all moved in one pass over their
    coordinates (a page of features costs one transformation, not one per feature).

    >>> geometries_out([shapely.Point(600000.123, 6900000.456), None], crs_uri("EPSG:3006"))
    [<POINT (6900000.46 600000.12)>, None]
    """
    if not geometries:
        return []
    xy = _xy_crs(crs)
    digits = precision if precision is not None else (7 if xy == WGS84 else 2)
    swap = north_first(crs)

    def move(coords: np.ndarray) -> np.ndarray:
        if xy != STORAGE_CRS:
            x, y = transformer(STORAGE_CRS, xy).transform(coords[:, 0], coords[:, 1])
            coords = np.column_stack([x, y])
        coords = np.round(coords, digits)
        return coords[:, ::-1] if swap else coords

    values = np.empty(len(geometries), dtype=object)
    values[:] = list(geometries)
    return list(shapely.transform(values, move))


def storage_extent_lonlat(bounds: Bounds) -> list[float]:
    """A SWEREF 99 TM box as a CRS84 box (lon/lat), for collection extents."""
    return [round(v, 6) for v in reproject_bounds(bounds, STORAGE_CRS, WGS84)]


def clip_to_sweden(bbox: Bounds, xy_crs: str) -> Bounds | None:
    """The part of a box (x, y order in ``xy_crs``) inside Sweden, as a lon/lat box, or None.

    A client may well ask for more than Sweden (QGIS sends its view); the store answers for
    the part where it can have data.

    >>> [round(v, 2) for v in clip_to_sweden((0.0, 50.0, 17.3, 62.4), WGS84)]
    [10.03, 54.96, 17.3, 62.4]
    >>> clip_to_sweden((0.0, 0.0, 1.0, 1.0), WGS84) is None
    True
    """
    west, south, east, north = SWEDEN_LONLAT
    if xy_crs != WGS84:
        # first cut the box down to Sweden's envelope in its own CRS, so it stays finite
        sw = reproject_bounds(SWEDEN_LONLAT, WGS84, xy_crs)
        bbox = (max(bbox[0], sw[0]), max(bbox[1], sw[1]), min(bbox[2], sw[2]), min(bbox[3], sw[3]))
        if bbox[0] > bbox[2] or bbox[1] > bbox[3]:
            return None
        bbox = reproject_bounds(bbox, xy_crs, WGS84)
    eps = 1e-9
    clipped = (
        max(bbox[0], west + eps),
        max(bbox[1], south + eps),
        min(bbox[2], east - eps),
        min(bbox[3], north - eps),
    )
    return clipped if clipped[0] <= clipped[2] and clipped[1] <= clipped[3] else None


__all__ = [
    "CRS84",
    "CRS_URIS",
    "bbox_to_storage",
    "clip_to_sweden",
    "crs_uri",
    "geometries_out",
    "geometry_out",
    "north_first",
    "parse_crs_uri",
    "storage_extent_lonlat",
]
