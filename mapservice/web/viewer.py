"""The planners' layer viewer at ``/karta``: every layer, the solar map, measuring, coordinates.

The page is a Leaflet map fed by the service's own OGC API Features (GeoJSON in CRS84 for the
visible extent) and solar map tiles; nothing comes from another origin. The view hands the
script one configuration object: the layers with their titles, colours and layer information,
the solar map's legend, the data's extent and the kommun's local SWEREF 99 zone.
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Blueprint, current_app, render_template, request, url_for
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from reportlab.lib.units import mm

from layers.errors import StoreUnavailable
from layers.store import LayerStore
from layers.zones import local_zone, proj4_definition
from mapservice.report.view_print import (
    DEFAULT_STYLE,
    LAYER_STYLES,
    ORIENTATIONS,
    PAPERS,
    SCALES,
    SOLAR,
    PrintSpec,
    print_view,
)
from mapservice.web.feature_info import layer_fields
from mapservice.web.i18n import current_language
from mapservice.web.ogc.documents import layer_source
from mapservice.web.ogc.query import plain_args
from mapservice.web.pages import LAYER_TITLES
from mapservice.web.resources import get_dataset, get_settings, get_sources
from mapservice.web.solar_tiles import MIN_ZOOM, legend_body
from mapservice.web.viewer_print import PrintQuery, pdf_response
from solar.tiles import MAX_ZOOM
from sweref import STORAGE_CRS, WGS84, reproject_bounds

bp = Blueprint("viewer", __name__)

#: How each layer is drawn (shared with the print).
STYLES = LAYER_STYLES

TITLES = LAYER_TITLES

#: The layer list's groups: (id, title, layers); a layer in none is listed under "Other".
GROUPS = (
    ("property", _l("Property"), ("parcels", "addresses", "buildings")),
    ("plan", _l("Plan"), ("plans", "plan_uses", "plan_rules")),
    ("solar", _l("Solar energy"), ("roof_faces",)),
)

#: Stands for a property's id in the report URL handed to the script (which fills it in).
REPORT_ID = "00000000-0000-0000-0000-000000000000"


def _layers() -> list[dict]:
    store = get_sources().store
    lang = current_language()
    out = []
    for name in store.layer_names():
        info = store.layer_info(name)
        stroke, fill, on = STYLES.get(name, DEFAULT_STYLE)
        out.append(
            {
                "id": name,
                "title": str(TITLES.get(name, info.title)),
                "geometry": info.geometry_type,
                "stroke": stroke,
                "fill": fill,
                "on": on,
                "count": info.count,
                "info": (source := layer_source(info)),
                "imported": str(source["imported_at"] or "")[:10],
                "items": url_for("ogc.items", collection_id=name),
                "fields": layer_fields(name, lang),
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


def groups(layers: list[dict]) -> list[dict]:
    """The layers by group, in the groups' order (the solar map is drawn into "solar")."""
    out = []
    for group_id, title, names in GROUPS:
        members = [layer for name in names for layer in layers if layer["id"] == name]
        out.append({"id": group_id, "title": str(title), "layers": members})
    grouped = {name for _id, _title, names in GROUPS for name in names}
    rest = [layer for layer in layers if layer["id"] not in grouped]
    if rest:
        out.append({"id": "other", "title": str(_l("Other layers")), "layers": rest})
    return out


def base_maps() -> list[dict]:
    """The background maps to choose from: none, the service's own base map tiles (when the
    service has them) and the configured background map (when one is set)."""
    out = [{"id": "none", "title": str(_l("None")), "url": None, "attribution": ""}]
    own = next(
        (r for r in current_app.url_map.iter_rules() if r.rule.startswith("/tiles/base/")), None
    )
    if own is not None and own.rule.endswith("/<int:z>/<int:x>/<int:y>.png"):
        url = url_for(own.endpoint, z=0, x=0, y=0).replace("/0/0/0.png", "/{z}/{x}/{y}.png")
        out.append(
            {
                "id": "own",
                "title": str(_l("The service's own base map")),
                "url": url,
                "attribution": "Min fastighet",
            }
        )
    settings = get_settings()
    if settings.background_map_url:
        out.append(
            {
                "id": "configured",
                "title": str(_l("Configured background map")),
                "url": settings.background_map_url,
                "attribution": settings.background_map_attribution,
            }
        )
    return out


def print_frames() -> dict[str, dict[str, list[float]]]:
    """The map frame of each paper and orientation, in mm (the viewer outlines what prints)."""
    return {
        paper: {
            o: [round(v / mm, 1) for v in PrintSpec((0, 0), 1000, paper, o, ()).frame]
            for o in ORIENTATIONS
        }
        for paper in PAPERS
    }


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
            "point": url_for("solar_tiles.point"),
            "date": get_sources().solar_date,
        },
        "basemaps": base_maps(),
        "search": url_for("api.search"),
        "print": {
            "url": url_for("viewer.print_pdf"),
            "scales": SCALES,
            "papers": list(PAPERS),
            "frames": print_frames(),
        },
        "report": url_for("property_page.report", unit_id=REPORT_ID).replace(REPORT_ID, "{id}"),
        "maxFeatures": 2000,
    }


@bp.get("/karta")
def karta():
    """The layer viewer."""
    plain_args(request.args)
    config = viewer_config()
    return render_template("karta.html", config=config, groups=groups(config["layers"]))


@bp.get("/karta/utskrift.pdf")
def print_pdf():
    """The current view as a PDF at a chosen scale and paper size (legend, scale bar, north
    arrow, date and sources)."""
    sources_ = get_sources()
    store = sources_.store
    printable = tuple(store.layer_names()) + ((SOLAR,) if sources_.solar_map is not None else ())
    query = PrintQuery.from_args(request.args, printable)
    titles = {name: str(TITLES.get(name, name)) for name in query.spec.layers}
    titles[SOLAR] = gettext("Solar map")
    sources = {}
    if SOLAR in query.spec.layers:
        sources[SOLAR] = gettext("Solar map: yearly irradiation on roofs (kWh/m² per year)") + (
            f" ({sources_.solar_date})" if sources_.solar_date else ""
        )
    for name in (n for n in query.spec.layers if n != SOLAR):
        info = layer_source(store.layer_info(name))
        sources[name] = info["licence"] + (
            f" ({str(info['imported_at'])[:10]})" if info["imported_at"] else ""
        )
    lang, made = current_language(), datetime.now(UTC)
    pdf = print_view(store, query.spec, titles, sources, gettext, lang, made, sources_.solar_map)
    return pdf_response(pdf, query.spec)
