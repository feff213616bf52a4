"""Sweden's spatial reference: the CRSs Min fastighet names, Sweden's bounds and reprojection.

One home for the geographic vocabulary that :mod:`layers`, :mod:`solar`, :mod:`data` and
:mod:`mapservice` all speak. It is a top-level package of its own because those packages must
not import each other: a module inside any one of them could not be shared by the others, and
copying the constants is how ``"EPSG:3006"`` came to be written nineteen times. It imports none
of them, and pyproj, shapely and numpy only inside the functions that need them, so naming a
constant costs nothing. (The plainer name ``georef`` is taken on PyPI.)

**Axis order.** A coordinate pair is always ``(x, y)``: (easting, northing) in projected CRSs and
(longitude, latitude) in EPSG:4326, as in GeoJSON and OGC CRS84, whatever order the EPSG
registry lists the axes in. Transformers are built with ``always_xy=True``.

>>> STORAGE_CRS, len(SUPPORTED_CRS)
('EPSG:3006', 16)
>>> [round(v) for v in transformer(WGS84, STORAGE_CRS).transform(17.25, 62.3698)]
[616401, 6917403]
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from functools import lru_cache
from typing import TYPE_CHECKING, Final, TypeVar, overload

if TYPE_CHECKING:
    import numpy as np
    import pyproj
    import shapely
    from numpy.typing import NDArray

__all__ = [
    "RT90",
    "STORAGE_CRS",
    "SUPPORTED_CRS",
    "SWEDEN_BOUNDS",
    "SWEDEN_LONLAT",
    "SWEREF99_ZONES",
    "WEB_MERCATOR",
    "WGS84",
    "Bounds",
    "reproject",
    "reproject_bounds",
    "same_crs",
    "transformer",
]

#: A bounding box: (minx, miny, maxx, maxy).
Bounds = tuple[float, float, float, float]

#: The CRS every layer and solar map is stored in: SWEREF 99 TM.
STORAGE_CRS: Final = "EPSG:3006"
#: The twelve local zones of SWEREF 99 (SWEREF 99 12 00 … 23 15) that municipalities map in.
SWEREF99_ZONES: Final = tuple(f"EPSG:{code}" for code in range(3007, 3019))
#: RT90 2.5 gon V, the national grid before SWEREF 99, still found in older files.
RT90: Final = "EPSG:3021"
#: WGS 84 longitude/latitude (GeoJSON, OGC CRS84, GPS).
WGS84: Final = "EPSG:4326"
#: Web Mercator, the CRS of map tiles.
WEB_MERCATOR: Final = "EPSG:3857"
#: Every CRS a user may give coordinates in.
SUPPORTED_CRS: Final = (STORAGE_CRS, *SWEREF99_ZONES, RT90, WGS84, WEB_MERCATOR)

#: Sweden's extent in longitude/latitude: the area of use of SWEREF 99 TM.
SWEDEN_LONLAT: Final[Bounds] = (10.03, 54.96, 24.17, 69.07)
#: A box in SWEREF 99 TM that holds all of Sweden, rounded outwards to 100 km.
SWEDEN_BOUNDS: Final[Bounds] = (100_000.0, 6_000_000.0, 1_200_000.0, 7_800_000.0)

GeometryT = TypeVar("GeometryT", bound="shapely.Geometry")


@lru_cache(maxsize=64)
def transformer(src_crs: Hashable, dst_crs: Hashable) -> pyproj.Transformer:
    """A cached (x, y)-ordered transformer from ``src_crs`` to ``dst_crs``.

    Each CRS is anything :meth:`pyproj.CRS.from_user_input` takes and that can be hashed:
    ``"EPSG:3006"``, a :class:`pyproj.CRS`, a :class:`rasterio.crs.CRS`.

    >>> transformer(STORAGE_CRS, WGS84) is transformer(STORAGE_CRS, WGS84)
    True
    """
    import pyproj

    return pyproj.Transformer.from_crs(src_crs, dst_crs, always_xy=True)


@lru_cache(maxsize=64)
def same_crs(a: Hashable, b: Hashable) -> bool:
    """Whether two CRSs given in any form are the same one.

    Raises :class:`pyproj.exceptions.CRSError` for a CRS pyproj does not know.

    >>> same_crs("epsg:3006", STORAGE_CRS), same_crs(STORAGE_CRS, WGS84)
    (True, False)
    """
    if a == b:
        return True
    import pyproj

    return bool(pyproj.CRS.from_user_input(a) == pyproj.CRS.from_user_input(b))


@overload
def reproject(geometry: None, src_crs: Hashable | None, dst_crs: Hashable) -> None: ...
@overload
def reproject(geometry: GeometryT, src_crs: Hashable | None, dst_crs: Hashable) -> GeometryT: ...
@overload
def reproject(
    geometry: Iterable[shapely.Geometry | None], src_crs: Hashable | None, dst_crs: Hashable
) -> NDArray[np.object_]: ...
def reproject(
    geometry: GeometryT | Iterable[shapely.Geometry | None] | None,
    src_crs: Hashable | None,
    dst_crs: Hashable,
) -> GeometryT | NDArray[np.object_] | None:
    """A shapely geometry moved from ``src_crs`` to ``dst_crs``; or many, as an object array.

    ``src_crs`` of ``None`` means the geometry is already in ``dst_crs``; so does the same CRS
    in another form. A missing geometry (``None``) stays missing.

    Raises :class:`pyproj.exceptions.CRSError` for a CRS pyproj does not know.

    >>> import shapely
    >>> point = reproject(shapely.Point(616400, 6917400), STORAGE_CRS, WGS84)
    >>> [round(v, 4) for v in point.coords[0]]
    [17.25, 62.3698]
    >>> reproject([shapely.Point(1, 2), None], None, STORAGE_CRS)
    array([<POINT (1 2)>, None], dtype=object)
    """
    import numpy as np
    import shapely

    if geometry is None:
        return None
    geometries: GeometryT | NDArray[np.object_]
    if isinstance(geometry, shapely.Geometry):
        geometries = geometry
    else:
        geometries = np.asarray(geometry, dtype=object)
    if src_crs is None or same_crs(src_crs, dst_crs):
        return geometries
    move = transformer(src_crs, dst_crs)

    def moved(xy: NDArray[np.float64]) -> NDArray[np.float64]:
        return np.column_stack(move.transform(xy[:, 0], xy[:, 1]))

    return shapely.transform(geometries, moved)


def reproject_bounds(
    bounds: tuple[float, float, float, float], src_crs: Hashable, dst_crs: Hashable
) -> Bounds:
    """A box (minx, miny, maxx, maxy) in ``src_crs`` as the box that holds it in ``dst_crs``.

    The edges are densified (21 points each), so the result holds the whole transformed box.

    >>> [round(v) for v in reproject_bounds(SWEDEN_LONLAT, WGS84, STORAGE_CRS)]
    [181896, 6090354, 1086313, 7689478]
    >>> reproject_bounds((1.0, 2.0, 3.0, 4.0), STORAGE_CRS, "epsg:3006")
    (1.0, 2.0, 3.0, 4.0)
    """
    minx, miny, maxx, maxy = (float(v) for v in bounds)
    if same_crs(src_crs, dst_crs):
        return minx, miny, maxx, maxy
    box = transformer(src_crs, dst_crs).transform_bounds(minx, miny, maxx, maxy, densify_pts=21)
    return float(box[0]), float(box[1]), float(box[2]), float(box[3])
