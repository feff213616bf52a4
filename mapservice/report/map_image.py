"""The report's map as a print-resolution image, drawn on the server from our own layers.

No browser and no tile server: the solar map's pixels are read from the catalogued COGs and
coloured with the tiles' ramp, then the plan areas, the buildings (filled by solar class) and
the property's boundary are drawn over them with Pillow. The image is in SWEREF 99 TM, north
up, so a scale bar and a north arrow drawn beside it are exact.

>>> Extent.around((0.0, 0.0, 40.0, 10.0), aspect=1.0, margin=5.0).bounds
(-5.0, -20.0, 45.0, 30.0)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely
from PIL import Image, ImageDraw
from rasterio.windows import Window
from shapely.geometry import LinearRing

from mapservice.report import PropertyReport
from mapservice.report.maps import CLASS_COLOURS, PROPERTY_COLOUR, plan_colour
from solar.colormap import DEFAULT_RAMP
from solar.raster import RasterSource

__all__ = ["Extent", "render_map"]


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
        for polygon in shapely.get_parts(geometry):
            if polygon.geom_type == "Polygon" and not polygon.is_empty:
                yield polygon


def _solar_layer(solar_map: RasterSource, extent: Extent, size: tuple[int, int]) -> Image.Image:
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


def render_map(
    report: PropertyReport,
    size: tuple[int, int],
    solar_map: RasterSource | None = None,
    margin: float = 12.0,
) -> tuple[Image.Image, Extent]:
    """The report's map as an RGB image of ``size`` pixels, and the extent it shows."""
    extent = Extent.around(report.property.geometry.bounds, size[0] / size[1], margin)
    canvas = _Canvas(extent, size)
    image = Image.new("RGBA", size, (250, 250, 247, 255))
    line = max(1, round(size[0] / 600))
    for use in report.plan_areas:  # each blended on its own, as the web map does
        overlay = Image.new("RGBA", size, (0, 0, 0, 0))
        draw = ImageDraw.Draw(overlay)
        for polygon in canvas.polygons(use.geometry):
            draw.polygon(
                canvas.pixels(polygon.exterior),
                fill=_hex(plan_colour(use.code), 90),
                outline=_hex("#54278f", 200),
                width=line,
            )
        image = Image.alpha_composite(image, overlay)
    if solar_map is not None and report.solar is not None:
        image = Image.alpha_composite(image, _solar_layer(solar_map, extent, size))
    draw = ImageDraw.Draw(image)
    for b in report.buildings:
        colour = CLASS_COLOURS[report.building_classes.get(b.building_id)]
        for polygon in canvas.polygons(b.geometry):
            draw.polygon(
                canvas.pixels(polygon.exterior),
                fill=_hex(colour, 255),
                outline=(27, 27, 27, 255),
                width=line * 2,
            )
    for polygon in canvas.polygons(report.property.geometry):
        for ring in (polygon.exterior, *polygon.interiors):
            draw.line(
                canvas.pixels(ring), fill=_hex(PROPERTY_COLOUR), width=line * 5, joint="curve"
            )
    return image.convert("RGB"), extent
