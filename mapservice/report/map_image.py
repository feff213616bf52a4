"""The report's map as a print-resolution image, drawn on the server from our own layers.

No browser and no tile server: the solar map's pixels are read from the catalogued COGs and
coloured with the tiles' ramp, then what the plan says (land use areas within a dash-dot
användningsgräns, prickmark as dots, korsmark as crosses, egenskapsområden within a dotted
egenskapsgräns, each with its code), the buildings, their roof faces outlined by solar class
and the property's boundary are drawn over them with Pillow, with the symbols of
:mod:`.map_symbols` (the legend's). The image is in SWEREF 99 TM, north up, so a scale bar
and a north arrow drawn beside it are exact.

>>> Extent.around((0.0, 0.0, 40.0, 10.0), aspect=1.0, margin=5.0).bounds
(-5.0, -20.0, 45.0, 30.0)
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import numpy as np
import shapely
from PIL import Image, ImageChops, ImageDraw, ImageFont
from rasterio.windows import Window
from shapely.geometry import LinearRing, Point
from shapely.geometry.base import BaseGeometry

from mapservice.report import PropertyReport
from mapservice.report.map_symbols import (
    SYMBOLS,
    Symbol,
    plan_colour,
    plan_labels,
    rule_symbol,
)
from solar.colormap import DEFAULT_RAMP
from solar.raster import RasterSource

__all__ = ["Extent", "render_map", "solar_image"]

Font = ImageFont.FreeTypeFont | ImageFont.ImageFont


@dataclass(frozen=True)
class Extent:
    """A north-up map extent in SWEREF 99 TM (minx, miny, maxx, maxy)."""

    bounds: tuple[float, float, float, float]

    @classmethod
    def around(
        cls, bounds: tuple[float, float, float, float], aspect: float, margin: float
    ) -> Extent:
        """The smallest extent of width/height ``aspect`` holding ``bounds`` plus ``margin``."""
        minx, miny, maxx, maxy = bounds
        cx, cy = (minx + maxx) / 2, (miny + maxy) / 2
        width, height = maxx - minx + 2 * margin, maxy - miny + 2 * margin
        width, height = max(width, height * aspect), max(height, width / aspect)
        return cls((cx - width / 2, cy - height / 2, cx + width / 2, cy + height / 2))

    @property
    def width_m(self) -> float:
        return self.bounds[2] - self.bounds[0]


def _hex(colour: str, alpha: int = 255) -> tuple[int, int, int, int]:
    return (int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16), alpha)


class _Canvas:
    def __init__(self, extent: Extent, size: tuple[int, int]) -> None:
        self.extent, self.size = extent, size
        self.scale = size[0] / extent.width_m

    def pixels(self, ring: LinearRing) -> list[tuple[float, float]]:
        minx, _, _, maxy = self.extent.bounds
        return [((x - minx) * self.scale, (maxy - y) * self.scale) for x, y in ring.coords]

    def polygons(self, geometry):
        """The polygons of ``geometry`` clipped to the canvas with a margin of 20 px: the clip's
        own edges fall outside the image, and a plan area many times the map's size is not
        drawn (or dashed) along its whole length."""
        minx, miny, maxx, maxy = self.extent.bounds
        margin = 20 / self.scale
        geometry = shapely.clip_by_rect(
            geometry, minx - margin, miny - margin, maxx + margin, maxy + margin
        )
        for polygon in shapely.get_parts(geometry):
            if polygon.geom_type == "Polygon" and not polygon.is_empty:
                yield polygon


def solar_image(solar_map: RasterSource, extent: Extent, size: tuple[int, int]) -> Image.Image:
    """The solar map's pixels over ``extent``, coloured by the tiles' ramp, as an RGBA image of
    ``size`` (transparent where there is no value; pixels outside the map are no value)."""
    minx, miny, maxx, maxy = extent.bounds
    t = solar_map.transform
    col0, row0 = int((minx - t.c) // t.a), int((maxy - t.f) // t.e)
    col1, row1 = int(-(-(maxx - t.c) // t.a)), int(-(-(miny - t.f) // t.e))
    values = solar_map.read(Window(col0, row0, col1 - col0, row1 - row0)).astype("float32")
    values[values == solar_map.nodata] = np.nan
    rgba = DEFAULT_RAMP.colorize(values)
    image = Image.fromarray(rgba, "RGBA")
    # crop to the extent exactly, then scale up without smoothing (pixels stay pixels)
    left = (minx - (t.c + col0 * t.a)) / t.a
    top = (maxy - (t.f + row0 * t.e)) / t.e
    box = (left, top, left + (maxx - minx) / t.a, top + (maxy - miny) / -t.e)
    return image.resize(size, Image.Resampling.NEAREST, box=box)


def _dashed(
    draw: ImageDraw.ImageDraw,
    points: list[tuple[float, float]],
    dash: tuple[float, ...],
    width: int,
    fill: tuple[int, int, int, int],
) -> None:
    """A line through ``points`` with ``dash`` (on, off, on, off … lengths in pixels)."""
    if not dash:
        draw.line(points, fill=fill, width=width, joint="curve")
        return
    index, remaining = 0, dash[0]
    for (x0, y0), (x1, y1) in itertools.pairwise(points):
        length = math.hypot(x1 - x0, y1 - y0)
        pos = 0.0
        while pos < length:
            step = min(remaining, length - pos)
            if index % 2 == 0:
                a, b = pos / length, (pos + step) / length
                draw.line(
                    [
                        (x0 + (x1 - x0) * a, y0 + (y1 - y0) * a),
                        (x0 + (x1 - x0) * b, y0 + (y1 - y0) * b),
                    ],
                    fill=fill,
                    width=width,
                )
            pos += step
            remaining -= step
            if remaining <= 1e-9:
                index = (index + 1) % len(dash)
                remaining = dash[index]


def _raster(size: tuple[int, int], symbol: Symbol, unit: float) -> Image.Image:
    """The plan map's raster of ``symbol`` (dots or crosses) over a whole image."""
    spacing = max(6, round(9 * unit))
    tile = Image.new("RGBA", (spacing, spacing), (0, 0, 0, 0))
    draw = ImageDraw.Draw(tile)
    c, r, ink = spacing / 2, max(1.5, 1.4 * unit), _hex(symbol.ink)
    if symbol.pattern == "dots":
        draw.ellipse((c - r, c - r, c + r, c + r), fill=ink)
    else:
        arm, width = 2.2 * unit, max(1, round(1.3 * unit))
        draw.line([(c - arm, c - arm), (c + arm, c + arm)], fill=ink, width=width)
        draw.line([(c - arm, c + arm), (c + arm, c - arm)], fill=ink, width=width)
    # the tile repeated over the image in one array operation (a paste per tile cost ~80 000
    # calls and most of a PDF's time)
    reps = (-(-size[1] // spacing), -(-size[0] // spacing), 1)
    cells = np.tile(np.asarray(tile), reps)[: size[1], : size[0]]
    return Image.fromarray(np.ascontiguousarray(cells), "RGBA")


def _fill_raster(
    image: Image.Image, canvas: _Canvas, geometries: list[BaseGeometry], raster: Image.Image
) -> Image.Image:
    """``image`` with ``raster`` inside each of ``geometries`` (their holes left out), in one
    composite."""
    mask = Image.new("L", image.size, 0)
    draw = ImageDraw.Draw(mask)
    for geometry in geometries:
        for polygon in canvas.polygons(geometry):
            draw.polygon(canvas.pixels(polygon.exterior), fill=255)
            for hole in polygon.interiors:
                draw.polygon(canvas.pixels(hole), fill=0)
    return Image.composite(raster, image, ImageChops.multiply(mask, raster.getchannel("A")))


def _outline(
    draw: ImageDraw.ImageDraw, canvas: _Canvas, geometry: BaseGeometry, symbol: Symbol, unit: float
) -> None:
    width = max(1, round(symbol.weight * unit))
    dash = tuple(d * unit for d in symbol.dash)
    for polygon in canvas.polygons(geometry):
        for ring in (polygon.exterior, *polygon.interiors):
            _dashed(draw, canvas.pixels(ring), dash, width, _hex(symbol.stroke))


def _label(draw: ImageDraw.ImageDraw, canvas: _Canvas, point: Point, text: str, font: Font) -> None:
    """``text`` on a light box centred on ``point``."""
    minx, _, _, maxy = canvas.extent.bounds
    x, y = (point.x - minx) * canvas.scale, (maxy - point.y) * canvas.scale
    left, top, right, bottom = draw.textbbox((x, y), text, font=font, anchor="mm")
    draw.rectangle((left - 3, top - 2, right + 3, bottom + 2), fill=(255, 255, 255, 210))
    draw.text((x, y), text, font=font, fill=_hex("#2d004b"), anchor="mm")


def _plan(image: Image.Image, canvas: _Canvas, report: PropertyReport, unit: float) -> Image.Image:
    """``image`` with the plan's rasters (prickmark, korsmark) and its boundaries drawn."""
    patterned: dict[str, tuple[Symbol, list[BaseGeometry]]] = {}
    for rule in report.plan_rules:
        symbol = SYMBOLS[rule_symbol(rule.code, rule.category)]
        if symbol.pattern is not None:
            patterned.setdefault(symbol.pattern, (symbol, []))[1].append(rule.geometry)
    for symbol, geometries in patterned.values():
        image = _fill_raster(image, canvas, geometries, _raster(image.size, symbol, unit))
    draw = ImageDraw.Draw(image)
    for area in report.plan_areas:
        _outline(draw, canvas, area.geometry, SYMBOLS["plan.use"], unit)
    for rule in report.plan_rules:
        _outline(draw, canvas, rule.geometry, SYMBOLS[rule_symbol(rule.code, rule.category)], unit)
    return image


def _faces(image: Image.Image, canvas: _Canvas, report: PropertyReport, unit: float) -> Image.Image:
    """``image`` with the buildings' outlines and each roof face outlined in its class."""
    draw = ImageDraw.Draw(image)
    for b in report.buildings:
        _outline(draw, canvas, b.geometry, SYMBOLS["building"], unit)
    overlay = Image.new("RGBA", image.size, (0, 0, 0, 0))
    faces = ImageDraw.Draw(overlay)
    all_faces = report.solar.faces if report.solar is not None else ()
    for face in all_faces:
        symbol = SYMBOLS[f"face.{face.suitability}"]
        for polygon in canvas.polygons(face.geometry):
            faces.polygon(
                canvas.pixels(polygon.exterior),
                fill=_hex(symbol.stroke, round(255 * symbol.fill_opacity)),
            )
    image = Image.alpha_composite(image, overlay)
    draw = ImageDraw.Draw(image)
    width = max(1, round(SYMBOLS["face.good"].weight * unit))
    for face in all_faces:  # a light halo, then the class's line: readable on any raster colour
        colour = SYMBOLS[f"face.{face.suitability}"].stroke
        for polygon in canvas.polygons(face.geometry):
            ring = canvas.pixels(polygon.exterior)
            draw.line(ring, fill=(255, 255, 255, 255), width=width + 4, joint="curve")
            draw.line(ring, fill=_hex(colour), width=width, joint="curve")
    return image


def render_map(
    report: PropertyReport,
    size: tuple[int, int],
    solar_map: RasterSource | None = None,
    margin: float = 12.0,
) -> tuple[Image.Image, Extent]:
    """The report's map as an RGB image of ``size`` pixels, and the extent it shows.

    It draws the symbols :func:`.map_symbols.drawn` names for ``report`` (the PDF's legend).
    """
    extent = Extent.around(report.property.geometry.bounds, size[0] / size[1], margin)
    canvas = _Canvas(extent, size)
    unit = size[0] / 600  # one CSS pixel of the web map on a map 600 px wide
    image = Image.new("RGBA", size, (250, 250, 247, 255))
    for area in report.plan_areas:  # each blended on its own, as the web map does
        overlay = Image.new("RGBA", size, (0, 0, 0, 0))
        draw = ImageDraw.Draw(overlay)
        for polygon in canvas.polygons(area.geometry):
            draw.polygon(canvas.pixels(polygon.exterior), fill=_hex(plan_colour(area.code), 90))
        image = Image.alpha_composite(image, overlay)
    if solar_map is not None and report.solar is not None:
        image = Image.alpha_composite(image, solar_image(solar_map, extent, size))
    image = _faces(_plan(image, canvas, report, unit), canvas, report, unit)
    draw = ImageDraw.Draw(image)
    _outline(draw, canvas, report.property.geometry, SYMBOLS["property"], unit)
    font = ImageFont.load_default(size=max(10, round(9 * unit)))
    for _area, point, text in plan_labels(report, shapely.box(*extent.bounds)):
        _label(draw, canvas, point, text, font)
    return image.convert("RGB"), extent
