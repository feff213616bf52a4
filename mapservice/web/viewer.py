"""The planners' layer viewer at ``/karta``: every layer, the solar map, measuring, coordinates.

The page is a Leaflet map fed by the service's own OGC API Features (GeoJSON in CRS84 for the
visible extent) and solar map tiles; nothing comes from another origin. The view hands the
script one configuration object: the layers with their titles, colours and layer information,
the solar map's legend, the data's extent and the kommun's local SWEREF 99 zone.
"""

from __future__ import annotations

from flask import Blueprint, render_template, request, url_for
from flask_babel import lazy_gettext as _l

from layers.errors import StoreUnavailable
from layers.store import LayerStore
from layers.zones import local_zone, proj4_definition
from mapservice.web.ogc.documents import layer_source
from mapservice.web.ogc.query import plain_args
from mapservice.web.pages import LAYER_NAMES
from mapservice.web.resources import get_dataset, get_sources
from mapservice.web.solar_tiles import MIN_ZOOM, legend_body
from solar.tiles import MAX_ZOOM
from sweref import STORAGE_CRS, WGS84, reproject_bounds

bp = Blueprint("viewer", __name__)

#: How each layer is drawn: outline colour, fill colour (None: no fill), and whether the
#: layer is on when the page opens.
STYLES = {
    "parcels": ("#1f1f1f", None, True),
    "addresses": ("#6a1b9a", "#6a1b9a", False),
    "buildings": ("#5d4037", "#a1887f", True),
    "plans": ("#0b5394", None, False),
    "plan_uses": ("#2e7d32", "#a5d6a7", True),
    "plan_rules": ("#b71c1c", "#ef9a9a", False),
    "roof_faces": ("#e65100", "#ffcc80", False),
}

TITLES = {**LAYER_NAMES, "roof_faces": _l("Roof faces")}


def _layers() -> list[dict]:
    store = get_sources().store
    out = []
    for name in store.layer_names():
        info = store.layer_info(name)
        stroke, fill, on = STYLES.get(name, ("#333333", None, False))
        out.append(
            {
                "id": name,
                "title": str(TITLES.get(name, info.title)),
                "geometry": info.geometry_type,
                "stroke": stroke,
                "fill": fill,
                "on": on,
                "count": info.count,
                "info": layer_source(info),
                "items": url_for("ogc.items", collection_id=name),
            }
        )
    return out


def _extent() -> tuple[list[float], str | None]:
    dataset = get_dataset()
    store = get_sources().store
    bounds = dataset.bounds if dataset else _store_bounds(store)
    west, south, east, north = reproject_bounds(bounds, STORAGE_CRS, WGS84)
    kommunkod = getattr(dataset, "kommunkod", None) or _kommunkod(store)
    return [round(v, 6) for v in (west, south, east, north)], kommunkod


def _store_bounds(store: LayerStore) -> tuple[float, float, float, float]:
    """The extent of the store's first layer that has features (an empty layer has none)."""
    for name in store.layer_names():
        bounds = store.layer_info(name).bounds
        if bounds is not None:
            return bounds
    raise StoreUnavailable("the store has no features, so the viewer has no extent to open on")


def _kommunkod(store: LayerStore) -> str | None:
    page = store.features("parcels", limit=1)
    if not page.features:
        return None
    kommunkod = page.features[0].properties.get("kommunkod")
    return None if kommunkod is None else str(kommunkod)


def viewer_config() -> dict:
    """Everything the viewer's script needs, as one JSON-ready object."""
    extent, kommunkod = _extent()
    zone, zone_name = local_zone(kommunkod, (extent[0] + extent[2]) / 2)
    return {
        "layers": _layers(),
        "extent": extent,
        "zone": {"crs": zone, "name": zone_name, "proj4": proj4_definition(zone)},
        "storage": {
            "crs": STORAGE_CRS,
            "name": "SWEREF 99 TM",
            "proj4": proj4_definition(STORAGE_CRS),
        },
        "solar": {
            "tiles": url_for("solar_tiles.tile", z=0, x=0, y=0).replace(
                "/0/0/0.png", "/{z}/{x}/{y}.png"
            ),
            "minzoom": MIN_ZOOM,
            "maxzoom": MAX_ZOOM,
            "legend": legend_body(),
        },
        "maxFeatures": 2000,
    }


@bp.get("/karta")
def karta():
    """The layer viewer."""
    plain_args(request.args)
    return render_template("karta.html", config=viewer_config())
