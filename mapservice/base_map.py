"""A light background map drawn from the service's own layers, as WebMercatorQuad PNG tiles.

Without a configured third-party background every map would be grey: no streets, no names.
This draws one from what the layer store already holds — plan areas (streets and parks from
their use codes), property boundaries, buildings, and street names placed from the addresses —
so the maps are readable offline and nothing leaves the service. A background URL in the
settings still wins (the web layer decides; this module knows no Flask).

Street names are data: they are drawn as pixels with a font shipped by ReportLab (Bitstream
Vera, which has å, ä and ö), never written into any markup. Labels are placed per street and
per *label cell* (a fixed block of 2 × 2 tiles at the zoom): the anchor depends only on the
addresses in the cell, so a label crossing a tile edge is drawn identically by both tiles.

>>> tile_bounds(0, 0, 0)[0] < 0 < tile_bounds(0, 0, 0)[2]
True
>>> png = BaseMapRenderer.empty_tile()
>>> png[:8] == b"\\x89PNG\\r\\n\\x1a\\n"
True
"""

from __future__ import annotations

import io
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import morecantile
import numpy as np
import shapely
import shapely.ops
from PIL import Image, ImageDraw, ImageFont
from pyproj import Transformer
from shapely.geometry.base import BaseGeometry

from layers.features import FeatureQuery, FeatureRecord
from layers.store import LayerStore
from solar.tiles import TileRenderer
from sweref import STORAGE_CRS, WEB_MERCATOR

__all__ = [
    "MIN_ZOOM",
    "BaseMapRenderer",
    "attribution",
    "tile_bounds",
]

TMS = morecantile.tms.get("WebMercatorQuad")
TILE_SIZE = 256
#: Drawn at twice the size and reduced: smooth edges without an anti-aliasing rasteriser.
SUPERSAMPLE = 2
#: Below this only the background colour is drawn (a kommun's features would be specks).
MIN_ZOOM = 12
#: From which zoom each layer is drawn.
PLANS_FROM, BUILDINGS_FROM, PARCELS_FROM, LABELS_FROM = 13, 15, 16, 16
#: Most features of one layer drawn in one tile (a box of a whole city at zoom 15 stays bounded).
MOST_FEATURES = 20_000
#: A street name is moved onto a street area (plan use GATA …) this near, in metres on the ground.
ON_ROAD_WITHIN = 25.0
#: A label cell is this many tiles wide; the query reaches this many pixels around a tile.
CELL_TILES, LABEL_MARGIN = 2, 160

RGB = tuple[int, int, int]
LAND: RGB = (242, 239, 233)
ROAD = (255, 255, 255)
GREEN = (220, 234, 204)
PLAN_LINE = (180, 160, 200)
PARCEL_LINE = (190, 170, 150)
BUILDING_FILL, BUILDING_LINE = (217, 208, 199), (180, 168, 156)
LABEL, HALO = (70, 70, 70), (255, 255, 255)
#: The layers drawn.
LAYERS = ("plans", "plan_uses", "parcels", "buildings", "addresses")
#: Use codes (Boverket's planbestämmelsekatalog) drawn as streets or as green.
ROAD_CODES = ("GATA", "TORG", "VÄG", "P-PLATS", "GC-VÄG")
GREEN_CODES = ("PARK", "NATUR", "REKREATION")


def tile_bounds(z: int, x: int, y: int) -> tuple[float, float, float, float]:
    """The Web Mercator bounds (left, bottom, right, top) of tile z/x/y.

    >>> [round(v) for v in tile_bounds(1, 1, 0)]
    [0, 0, 20037508, 20037508]
    """
    b = TMS.xy_bounds(morecantile.Tile(x, y, z))
    return (b.left, b.bottom, b.right, b.top)


@cache
def _to_mercator() -> Transformer:
    return Transformer.from_crs(STORAGE_CRS, WEB_MERCATOR, always_xy=True)


@cache
def _to_storage() -> Transformer:
    return Transformer.from_crs(WEB_MERCATOR, STORAGE_CRS, always_xy=True)


@cache
def _font() -> ImageFont.FreeTypeFont:
    import reportlab

    return ImageFont.truetype(str(Path(reportlab.__file__).parent / "fonts" / "Vera.ttf"), 11)


@dataclass(frozen=True)
class _Frame:
    """Where a tile lies: Web Mercator bounds and the scale from metres to (supersampled) px."""

    left: float
    top: float
    scale: float  # pixels per metre

    def pixels(self, coords: np.ndarray) -> np.ndarray:
        out = np.empty_like(coords)
        out[:, 0] = (coords[:, 0] - self.left) * self.scale
        out[:, 1] = (self.top - coords[:, 1]) * self.scale
        return out


def _mercator(geometries: Sequence[BaseGeometry | None]) -> np.ndarray:
    tr = _to_mercator()

    def move(c: np.ndarray) -> np.ndarray:
        x, y = tr.transform(c[:, 0], c[:, 1])
        return np.column_stack([x, y])

    return np.asarray(shapely.transform(np.asarray(geometries, dtype=object), move))


def _rings(geometry: BaseGeometry) -> Iterable[tuple[np.ndarray, bool]]:
    """Each ring of a (multi)polygon as (coordinates, is-hole)."""
    for polygon in getattr(geometry, "geoms", [geometry]):
        if polygon.geom_type != "Polygon" or polygon.is_empty:
            continue
        yield np.asarray(polygon.exterior.coords)[:, :2], False
        for ring in polygon.interiors:
            yield np.asarray(ring.coords)[:, :2], True


def _fill(image: Image.Image, frame: _Frame, geometries: Iterable[BaseGeometry], rgb: RGB) -> None:
    """Fill polygons (holes left open) in ``rgb`` through a mask."""
    mask = Image.new("L", image.size, 0)
    draw = ImageDraw.Draw(mask)
    drawn = False
    for geometry in geometries:
        for ring, hole in _rings(geometry):
            points = frame.pixels(ring).ravel().tolist()
            if len(points) >= 6:
                draw.polygon(points, fill=0 if hole else 255)
                drawn = True
    if drawn:  # pasting through a mask costs as much as drawing: skip it for nothing
        image.paste(rgb, (0, 0, *image.size), mask)


def _outline(
    draw: ImageDraw.ImageDraw,
    frame: _Frame,
    geometries: Iterable[BaseGeometry],
    rgb: RGB,
    width: int,
) -> None:
    for geometry in geometries:
        for ring, _hole in _rings(geometry):
            points = frame.pixels(ring).ravel().tolist()
            if len(points) >= 4:
                draw.line(points, fill=rgb, width=width)


class BaseMapRenderer:
    """Draws base map tiles from one layer store (its layers in SWEREF 99 TM).

    Parameters
    ----------
    store
        The layer store to read parcels, buildings, addresses and plan areas from.
    """

    def __init__(self, store: LayerStore) -> None:
        self.store = store
        infos = [store.layer_info(n) for n in store.layer_names() if n in LAYERS]
        self.layers = {info.id for info in infos}
        #: What the tiles are drawn from: each layer's last change and count (an import
        #: changes it, so a cache keyed by it shows the new data).
        self.version = tuple(sorted((i.id, i.last_change or "", i.count) for i in infos))
        #: The layers' licences as their last imports recorded them.
        self.licences = {i.id: (i.last_import or {}).get("licence") for i in infos}
        boxes = [i.bounds for i in infos if i.bounds]
        self.extent = (
            _to_mercator().transform_bounds(
                min(b[0] for b in boxes),
                min(b[1] for b in boxes),
                max(b[2] for b in boxes),
                max(b[3] for b in boxes),
            )
            if boxes
            else None
        )

    @staticmethod
    def empty_tile() -> bytes:
        """A tile of only the land colour."""
        return _encode(Image.new("RGB", (TILE_SIZE, TILE_SIZE), LAND))

    def render(self, z: int, x: int, y: int) -> bytes:
        """The PNG of tile z/x/y.

        Raises
        ------
        solar.errors.TileOutOfRange
            z/x/y is no WebMercatorQuad tile (the same range the solar tiles have).
        """
        TileRenderer.check(z, x, y)
        left, bottom, right, top = tile_bounds(z, x, y)
        e = self.extent
        if z < MIN_ZOOM or e is None or e[0] > right or e[2] < left or e[1] > top or e[3] < bottom:
            return self.empty_tile()
        size = TILE_SIZE * SUPERSAMPLE
        frame = _Frame(left, top, size / (right - left))
        image = Image.new("RGB", (size, size), LAND)
        draw = ImageDraw.Draw(image)
        box = (left, bottom, right, top)
        if z >= PLANS_FROM:
            uses = self._features("plan_uses", box)
            roads = [f.geometry for f in uses if _code(f) in ROAD_CODES]
            greens = [f.geometry for f in uses if _code(f) in GREEN_CODES]
            _fill(image, frame, _mercator(greens), GREEN)
            _fill(image, frame, _mercator(roads), ROAD)
            plans = [f.geometry for f in self._features("plans", box)]
            _outline(draw, frame, _mercator(plans), PLAN_LINE, 2 * SUPERSAMPLE)
        if z >= PARCELS_FROM:
            parcels = [f.geometry for f in self._features("parcels", box)]
            _outline(draw, frame, _mercator(parcels), PARCEL_LINE, SUPERSAMPLE)
        if z >= BUILDINGS_FROM:
            buildings = _mercator([f.geometry for f in self._features("buildings", box)])
            _fill(image, frame, buildings, BUILDING_FILL)
            _outline(draw, frame, buildings, BUILDING_LINE, 1)
        image = image.reduce(SUPERSAMPLE)
        if z >= LABELS_FROM:
            self._labels(image, z, x, y)
        return _encode(image)

    def _features(self, layer: str, box: tuple[float, float, float, float]) -> list[FeatureRecord]:
        """The features of ``layer`` under a Web Mercator box (none if the store lacks it)."""
        if layer not in self.layers:
            return []
        minx, miny, maxx, maxy = _to_storage().transform_bounds(*box)
        page = self.store.feature_page(
            FeatureQuery(layer, bounds=(minx, miny, maxx, maxy), limit=MOST_FEATURES)
        )
        return [f for f in page.features if f.geometry is not None and not f.geometry.is_empty]

    def _labels(self, image: Image.Image, z: int, x: int, y: int) -> None:
        """Street names, one per street and label cell, at the address nearest the street's
        addresses' middle in that cell."""
        left, bottom, right, top = tile_bounds(z, x, y)
        cell = (right - left) * CELL_TILES
        origin = TMS.xy_bounds(morecantile.Tile(0, 0, 0))
        margin = (right - left) * LABEL_MARGIN / TILE_SIZE

        def snap(v: float, o: float, up: bool) -> float:
            k = np.floor((v - o) / cell) + (1 if up else 0)
            return float(o + k * cell)

        box = (
            snap(left - margin, origin.left, False),
            snap(bottom - margin, origin.bottom, False),
            snap(right + margin, origin.left, True),
            snap(top + margin, origin.bottom, True),
        )
        addresses = [f for f in self._features("addresses", box) if f.properties.get("street")]
        if not addresses:
            return
        points = _mercator([f.geometry for f in addresses])
        groups: dict[tuple[str, int, int], list[tuple[float, float]]] = defaultdict(list)
        for feature, point in zip(addresses, points, strict=True):
            px, py = point.x, point.y
            key = (
                str(feature.properties["street"]),
                int((px - origin.left) // cell),
                int((py - origin.bottom) // cell),
            )
            groups[key].append((px, py))
        frame = _Frame(left, top, TILE_SIZE / (right - left))
        font = _font()
        lat = 2 * np.arctan(np.exp(top / 6_378_137.0)) - np.pi / 2
        reach = ON_ROAD_WITHIN / np.cos(lat)  # metres on the ground as Web Mercator metres
        wide = (box[0] - reach, box[1] - reach, box[2] + reach, box[3] + reach)
        roads = [f.geometry for f in self._features("plan_uses", wide) if _code(f) in ROAD_CODES]
        road_tree = shapely.STRtree(_mercator(roads))
        for (street, _cx, _cy), coords in sorted(groups.items()):
            xy = np.asarray(coords)
            anchor = _on_road(
                xy[np.argmin(((xy - xy.mean(axis=0)) ** 2).sum(axis=1))], road_tree, reach
            )
            px, py = frame.pixels(anchor[None, :])[0]
            if abs(py - TILE_SIZE / 2) > TILE_SIZE / 2 + 10:
                continue  # drawn by the tile above or below
            if abs(px - TILE_SIZE / 2) > TILE_SIZE / 2 + font.getlength(street) / 2 + 3:
                continue
            label = _label(street)
            image.paste(
                label,
                (round(px - label.width / 2), round(py - label.height / 2)),
                label,
            )


def _on_road(anchor: np.ndarray, roads: shapely.STRtree, reach: float) -> np.ndarray:
    """``anchor`` moved into the middle of the nearest street area within ``reach`` (the
    centroid of the street around its nearest point), or where it was when none is near."""
    point = shapely.Point(anchor)
    index = roads.nearest(point)
    if index is None:
        return anchor
    road: BaseGeometry = roads.geometries.take([index])[0]
    if road.distance(point) > reach:
        return anchor
    near = shapely.ops.nearest_points(road, point)[0]
    middle = road.intersection(near.buffer(reach / 2)).centroid
    return anchor if middle.is_empty else np.array([middle.x, middle.y])


@lru_cache(maxsize=4096)
def _label(text: str) -> Image.Image:
    """A street name drawn once (dark letters in a white halo) on a transparent image; every
    tile that shows it pastes the same pixels. Cached: a kommun has a few thousand names."""
    font = _font()
    left, top, right, bottom = font.getbbox(text, stroke_width=2, anchor="lt")
    size = (int(np.ceil(right - left)) + 2, int(np.ceil(bottom - top)) + 2)
    image = Image.new("RGBA", size, (0, 0, 0, 0))
    ImageDraw.Draw(image).text(
        (1 - left, 1 - top),
        text,
        font=font,
        fill=LABEL,
        anchor="lt",
        stroke_width=2,
        stroke_fill=HALO,
    )
    return image


def _code(feature: FeatureRecord) -> str:
    return str(feature.properties.get("code") or "").upper()


def _encode(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=False, compress_level=6)
    return buffer.getvalue()


def _genitive(name: str) -> str:
    """A Swedish place name in the genitive, as in "Sundsvalls kommun".

    >>> _genitive("Sundsvall"), _genitive("Kramfors"), _genitive("Timrå")
    ('Sundsvalls', 'Kramfors', 'Timrå')
    """
    return name if name[-1:].lower() in "sxzaeiouyåäö" else name + "s"


def attribution(
    licences: dict[str, str | None], kommun: str | None, fictitious: bool = False
) -> str:
    """The base map's attribution (plain text: the caller escapes it where it lands).

    ``licences`` holds each layer's licence as its last import recorded it (None: none was).

    >>> attribution({"parcels": "CC BY 4.0", "plans": None}, "Sundsvall")
    '© Lantmäteriet (fastighetsindelning, CC BY 4.0), Sundsvalls kommun (detaljplaner)'
    >>> attribution({}, None, fictitious=True)
    '© Lantmäteriet (fastighetsindelning), kommunen (detaljplaner); fiktiva exempeldata'
    """

    def named(what: str, layers: tuple[str, ...]) -> str:
        given = sorted({str(licences[n]) for n in layers if licences.get(n)})
        return ", ".join([what, *given])

    cadastre = named("fastighetsindelning", ("parcels", "buildings", "addresses"))
    plans = named("detaljplaner", ("plans", "plan_uses"))
    municipality = f"{_genitive(kommun)} kommun" if kommun else "kommunen"
    text = f"© Lantmäteriet ({cadastre}), {municipality} ({plans})"
    return text + "; fiktiva exempeldata" if fictitious else text
