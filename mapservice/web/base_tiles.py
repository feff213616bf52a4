"""The service's own background map as z/x/y PNG tiles (``/tiles/base/{z}/{x}/{y}.png``).

Drawn by :class:`mapservice.base_map.BaseMapRenderer` from the request's layer store (never a
path from the request), kept in an LRU cache of its own keyed by the data's version *and* the
layers' last imports (so an import into PostGIS, which changes no file, shows too), and served
with a strong ETag and ``Cache-Control`` like the solar tiles. Every map of the service uses
it as its background unless ``background_map_url`` names a third-party one, which wins.
"""

from __future__ import annotations

from flask import Blueprint, Flask, Response, current_app, request, url_for
from flask.typing import ResponseReturnValue
from markupsafe import escape

from mapservice.base_map import BaseMapRenderer, attribution
from mapservice.web.resources import data_version, get_dataset, get_settings, get_sources
from mapservice.web.solar_tiles import TileCache

__all__ = ["background", "bp", "init_app"]

bp = Blueprint("base_tiles", __name__)

KEY = "minfastighet.base_tiles"


@bp.get("/tiles/base/<int:z>/<int:x>/<int:y>.png")
def tile(z: int, x: int, y: int) -> ResponseReturnValue:
    """One WebMercatorQuad tile of the base map (land colour outside the data)."""
    renderer = BaseMapRenderer(get_sources().store)
    cache: TileCache = current_app.extensions[KEY]
    version = f"{data_version()}:{renderer.version!r}"
    rendered = cache.tile(version, z, x, y, lambda: renderer.render(z, x, y))
    response = Response(rendered.png, mimetype="image/png")
    response.set_etag(rendered.etag)
    response.cache_control.public = True
    response.cache_control.max_age = get_settings().tile_max_age
    return response.make_conditional(request)


def background() -> tuple[str, str]:
    """The background map's XYZ URL template and its attribution, as HTML.

    The configured ``background_map_url`` (with its attribution, which the operator wrote)
    wins; otherwise this service's base map, attributed to the layers' sources and licences,
    escaped (a licence is data).
    """
    settings = get_settings()
    if settings.background_map_url:
        return settings.background_map_url, settings.background_map_attribution
    template = url_for("base_tiles.tile", z=0, x=0, y=0).replace("/0/0/0.png", "/{z}/{x}/{y}.png")
    dataset = get_dataset()
    licences = BaseMapRenderer(get_sources().store).licences
    text = attribution(
        licences, dataset.kommun if dataset else None, bool(dataset and dataset.fictitious)
    )
    return template, str(escape(text))


def init_app(app: Flask) -> None:
    """Register the route and an empty tile cache (``base_tile_cache_size`` tiles)."""
    app.extensions[KEY] = TileCache(get_settings(app).base_tile_cache_size)
    app.register_blueprint(bp)
