"""Solar map tiles for web maps: z/x/y PNGs, TileJSON, the legend, and one pixel's value.

Tiles are rendered by :class:`solar.tiles.TileRenderer` from the COGs the solar catalog lists
(never from a path in a request), kept in an in-process LRU cache, and served with a strong
ETag and ``Cache-Control`` so browsers and proxies revalidate cheaply (``304 Not Modified``).
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass

from cachetools import LRUCache
from flask import Blueprint, Flask, Response, current_app, jsonify, request, url_for
from pyproj import Transformer

from layers.crs import STORAGE_CRS, parse_crs, to_storage
from mapservice.errors import BadRequest
from mapservice.web.dataset import get_settings
from solar.catalog import list_tiles
from solar.colormap import DEFAULT_RAMP
from solar.errors import SolarMapNotFound
from solar.point import irradiation_at
from solar.tiles import MAX_ZOOM, TileRenderer

bp = Blueprint("solar_tiles", __name__)

MIN_ZOOM = 10


@dataclass
class _Rendered:
    png: bytes
    etag: str


class TileService:
    """The app's tile renderer and its cache (both thread-safe)."""

    def __init__(self, renderer: TileRenderer, cache_size: int) -> None:
        self.renderer = renderer
        self._cache: LRUCache | None = LRUCache(cache_size) if cache_size else None
        self._lock = threading.Lock()

    def tile(self, z: int, x: int, y: int) -> _Rendered:
        key = (z, x, y)
        if self._cache is not None:
            with self._lock:
                hit = self._cache.get(key)
            if hit is not None:
                return hit
        png = self.renderer.render(z, x, y).png
        rendered = _Rendered(png, hashlib.sha256(png).hexdigest()[:32])
        if self._cache is not None:
            with self._lock:
                self._cache[key] = rendered
        return rendered


KEY = "minfastighet.tiles"
_CREATE = threading.Lock()


def _service() -> TileService:
    """The app's tile service, created on first use from the solar catalog."""
    service = current_app.extensions.get(KEY)
    if service is None:
        with _CREATE:
            service = current_app.extensions.get(KEY)
            if service is None:
                service = current_app.extensions[KEY] = _create(get_settings())
    return service


def _create(settings) -> TileService:
    if not settings.solar_catalog_path.is_file():
        raise SolarMapNotFound("no solar map is catalogued in this service")
    paths = [tile.href for tile in list_tiles(settings.solar_catalog_path)]
    if not paths:
        raise SolarMapNotFound("the solar catalog lists no solar map")
    return TileService(TileRenderer(paths), settings.tile_cache_size)


@bp.get("/tiles/solar/<int:z>/<int:x>/<int:y>.png")
def tile(z: int, x: int, y: int):
    """One WebMercatorQuad tile of the solar map; transparent outside the data."""
    rendered = _service().tile(z, x, y)
    response = Response(rendered.png, mimetype="image/png")
    response.set_etag(rendered.etag)
    response.cache_control.public = True
    response.cache_control.max_age = get_settings().tile_max_age
    return response.make_conditional(request)


@bp.get("/tiles/solar/tilejson.json")
def tilejson():
    """TileJSON 3.0.0 describing the tiles, with the legend."""
    renderer = _service().renderer
    west, south, east, north = Transformer.from_crs(
        "EPSG:3857", "EPSG:4326", always_xy=True
    ).transform_bounds(*renderer.bounds_mercator)
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


def legend_body() -> dict:
    return {
        "unit": "kWh/m²·year",
        "min": DEFAULT_RAMP.vmin,
        "max": DEFAULT_RAMP.vmax,
        "stops": DEFAULT_RAMP.legend(8),
        "nodata": "transparent",
    }


@bp.get("/tiles/solar/legend.json")
def legend():
    """The colour ramp: values and colours from low to high."""
    return jsonify(legend_body())


@dataclass(frozen=True)
class PointQuery:
    """``?x=&y=&crs=`` parsed: a point in any supported CRS, moved to SWEREF 99 TM."""

    x: float
    y: float
    crs: str

    @classmethod
    def from_args(cls, args) -> PointQuery:
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
def point():
    """The solar map's value under one point."""
    query = PointQuery.from_args(request.args)
    east, north = to_storage(query.x, query.y, query.crs)
    result = irradiation_at(get_settings().solar_catalog_path, east, north, STORAGE_CRS)
    body = result.to_dict()
    body.update({"query": {"x": query.x, "y": query.y, "crs": query.crs}})
    return jsonify(body)


def init_app(app: Flask) -> None:
    """Nothing is opened at start: the renderer is created on the first tile request."""
    app.register_blueprint(bp)
