"""``/karta/utskrift.pdf``: the viewer's current view printed at a scale on a paper size.

The query names the view's centre in SWEREF 99 TM (``x`` easting, ``y`` northing), the scale
(one of :data:`mapservice.report.view_print.SCALES`), the paper (``a4``/``a3``), the
orientation and the layers (a comma-separated list of the store's layers). Everything is
checked before anything is drawn: an unknown parameter, a scale not offered, a centre outside
Sweden or an unknown layer is a 400 problem saying which; the drawn area is bounded by the
largest paper at the smallest scale (A3 at 1:10 000, about 4 × 2.8 km), and each layer by the
``max_items`` setting.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from flask import Response

from mapservice.errors import BadRequest
from mapservice.report.view_print import ORIENTATIONS, PAPERS, SCALES, PrintSpec
from sweref import SWEDEN_BOUNDS

__all__ = ["PrintQuery", "pdf_response"]

PARAMETERS = ("x", "y", "scale", "paper", "orientation", "layers", "lang")


def _one(args: Mapping[str, str], name: str) -> str:
    value = args.get(name)
    if value is None or not value.strip():
        raise BadRequest(f"parameter {name} is required")
    return value.strip()


def _choice(text: str, name: str, allowed: tuple[str, ...]) -> str:
    if text not in allowed:
        raise BadRequest(f"{name} must be one of {', '.join(allowed)}, got {text[:20]!r}")
    return text


@dataclass(frozen=True)
class PrintQuery:
    """The print's query, parsed and checked (see the module's description)."""

    spec: PrintSpec

    @classmethod
    def from_args(cls, args: Mapping[str, str], layers: tuple[str, ...]) -> PrintQuery:
        """Parse ``args``; ``layers`` are the store's layers that may be printed.

        >>> q = PrintQuery.from_args({"x": "616000", "y": "6918000", "scale": "2000",
        ...     "paper": "a3", "orientation": "landscape", "layers": "parcels"}, ("parcels",))
        >>> q.spec.scale, q.spec.paper, q.spec.layers
        (2000, 'a3', ('parcels',))
        """
        unknown = sorted(set(args) - set(PARAMETERS))
        if unknown:
            raise BadRequest(f"unknown parameter(s): {', '.join(unknown)[:100]}")
        x_text, y_text = _one(args, "x"), _one(args, "y")
        try:
            x, y = float(x_text), float(y_text)
        except ValueError as err:
            raise BadRequest("x and y must be numbers (SWEREF 99 TM, metres)") from err
        minx, miny, maxx, maxy = SWEDEN_BOUNDS
        if not (math.isfinite(x) and math.isfinite(y) and minx <= x <= maxx and miny <= y <= maxy):
            raise BadRequest("x and y must be a point in Sweden in SWEREF 99 TM (metres)")
        scale_text = _one(args, "scale").replace(" ", "").removeprefix("1:")
        _choice(scale_text, "scale", tuple(str(s) for s in SCALES))
        paper = _choice(_one(args, "paper").lower(), "paper", tuple(PAPERS))
        orientation = _choice(_one(args, "orientation").lower(), "orientation", ORIENTATIONS)
        names = tuple(n for n in _one(args, "layers").split(",") if n)
        for name in names:
            _choice(name, "each of layers", layers)
        if not names or len(set(names)) != len(names):
            raise BadRequest("layers must name each layer to print once")
        return cls(PrintSpec((x, y), int(scale_text), paper, orientation, names))


def pdf_response(pdf: bytes, spec: PrintSpec) -> Response:
    """The PDF as a download named after its scale and paper."""
    response = Response(pdf, mimetype="application/pdf")
    name = f"karta-1-{spec.scale}-{spec.paper}-{spec.orientation}.pdf"
    response.headers["Content-Disposition"] = f'inline; filename="{name}"'
    response.headers["Cache-Control"] = "no-store"
    return response
