"""Solar map tiles for web maps: z/x/y PNGs, TileJSON, the legend, and one pixel's value.

Tiles are rendered by the request's :class:`solar.tiles.TileRenderer`, which reads the same
solar map the reports and point values read (:mod:`mapservice.web.resources` owns it: one per
worker thread, never a path from a request), kept in an in-process LRU cache keyed by the data's
version, and served with a strong ETag and ``Cache-Control`` so browsers and proxies revalidate
cheaply (``304 Not Modified``).
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from cachetools import LRUCache
from flask import Blueprint, Flask, Response, current_app, jsonify, request, url_for
from flask.typing import ResponseReturnValue

from layers.crs import STORAGE_CRS, parse_crs, to_storage
from mapservice.errors import BadRequest
from mapservice.web.resources import data_version, get_raster, get_renderer, get_settings
from solar.colormap import DEFAULT_RAMP
from solar.errors import SolarMapNotFound
from solar.point import irradiation_at
from solar.tiles import MAX_ZOOM
from sweref import WEB_MERCATOR, WGS84, reproject_bounds

bp = Blueprint("solar_tiles", __name__)

MIN_ZOOM = 10


@dataclass
class _Rendered:
    png: bytes
    etag: str


class TileCache:
    """The app's rendered tiles, shared by its threads: an LRU cache keyed by the data's version.

    Parameters
    ----------
    size
        How many tiles to keep; 0 keeps none.
    """

    def __init__(self, size: int) -> None:
        self._cache: LRUCache | None = LRUCache(size) if size else None
        self._lock = threading.Lock()

    def tile(self, version: str, z: int, x: int, y: int, render: Callable[[], bytes]) -> _Rendered:
        """The tile z/x/y of the data ``version``, from the cache or from ``render()``."""
        key = (version, z, x, y)
        if self._cache is not None:
            with self._lock:
                hit = self._cache.get(key)
            if hit is not None:
                return hit
        png = render()
        rendered = _Rendered(png, hashlib.sha256(png).hexdigest()[:32])
        if self._cache is not None:
            with self._lock:
                self._cache[key] = rendered
        return rendered


KEY = "minfastighet.tiles"


@bp.get("/tiles/solar/<int:z>/<int:x>/<int:y>.png")
def tile(z: int, x: int, y: int) -> ResponseReturnValue:
    """One WebMercatorQuad tile of the solar map; transparent outside the data."""
    renderer = get_renderer()
    cache: TileCache = current_app.extensions[KEY]
    rendered = cache.tile(data_version(), z, x, y, lambda: renderer.render(z, x, y).png)
    response = Response(rendered.png, mimetype="image/png")
    response.set_etag(rendered.etag)
    response.cache_control.public = True
    response.cache_control.max_age = get_settings().tile_max_age
    return response.make_conditional(request)


@bp.get("/tiles/solar/tilejson.json")
def tilejson() -> Response:
    """TileJSON 3.0.0 describing the tiles, with the legend."""
    bounds = get_renderer().bounds_mercator
    if bounds is None:  # a mosaic has at least one tile; a renderer over none has no bounds
        raise SolarMapNotFound("no solar map is catalogued in this service")
    west, south, east, north = reproject_bounds(bounds, WEB_MERCATOR, WGS84)
    template = url_for("solar_tiles.tile", z=0, x=0, y=0, _external=True).replace(
        "/0/0/0.png", "/{z}/{x}/{y}.png"
    )
    return jsonify(
        {
            "tilejson": "3.0.0",
            "name": "Solkarta",
            "version": "1.0.0",
            "scheme": "xyz",
            "description": "Annual solar irradiation on roofs, kWh/m²·year",
            "tiles": [template],
            "minzoom": MIN_ZOOM,
            "maxzoom": MAX_ZOOM,
            "bounds": [round(v, 6) for v in (west, south, east, north)],
            "center": [round((west + east) / 2, 6), round((south + north) / 2, 6), 16],
            "legend": legend_body(),
        }
    )


def legend_body() -> dict[str, Any]:
    """The colour ramp as JSON-ready values (TileJSON's legend and the viewer's)."""
    return {
        "unit": "kWh/m²·year",
        "min": DEFAULT_RAMP.vmin,
        "max": DEFAULT_RAMP.vmax,
        "stops": DEFAULT_RAMP.legend(8),
        "nodata": "transparent",
    }


@bp.get("/tiles/solar/legend.json")
def legend() -> Response:
    """The colour ramp: values and colours from low to high."""
    return jsonify(legend_body())


@dataclass(frozen=True)
class PointQuery:
    """``?x=&y=&crs=`` parsed: a point in any supported CRS, moved to SWEREF 99 TM."""

    x: float
    y: float
    crs: str

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> PointQuery:
        unknown = sorted(set(args) - {"x", "y", "crs", "lang"})
        if unknown:
            raise BadRequest(f"unknown parameter(s): {', '.join(unknown)}")
        try:
            x, y = float(args["x"]), float(args["y"])
        except KeyError as err:
            raise BadRequest(f"parameter {err.args[0]} is required") from err
        except ValueError as err:
            raise BadRequest("x and y must be numbers") from err
        crs = parse_crs(args.get("crs", STORAGE_CRS))
        return cls(x, y, crs)


@bp.get("/api/v1/solar/point")
def point() -> Response:
    """The solar map's value under one point."""
    query = PointQuery.from_args(request.args)
    east, north = to_storage(query.x, query.y, query.crs)
    result = irradiation_at(get_raster("solar"), east, north, STORAGE_CRS)
    body = result.to_dict()
    body.update({"query": {"x": query.x, "y": query.y, "crs": query.crs}})
    return jsonify(body)


def init_app(app: Flask) -> None:
    """Register the routes and an empty tile cache; the solar map is opened by
    :mod:`mapservice.web.resources` at a thread's first request."""
    app.extensions[KEY] = TileCache(get_settings(app).tile_cache_size)
    app.register_blueprint(bp)
