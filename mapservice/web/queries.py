"""Request arguments parsed into small typed objects, with clear errors for bad input.

The views call these and never read ``request.args`` themselves.

>>> ReportQuery.from_args({"pris": "2,10", "verkningsgrad": "21", "takandel": "60"}).choices
OwnerChoices(price_sek_kwh=2.1, efficiency=0.21, roof_share=0.6)
>>> MapState.from_args({"karta": "62.39,17.30,18", "lager": "solar,property"}).layers
('solar', 'property')
>>> unit_id("not-a-uuid")
Traceback (most recent call last):
...
mapservice.errors.BadRequest: 'not-a-uuid' is not a register unit id (a UUID)
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Mapping
from dataclasses import dataclass

from mapservice.errors import BadRequest
from mapservice.report import OwnerChoices
from mapservice.report.maps import LAYER_KEYS

#: Owner-facing assumptions: argument → (field, lowest, highest, scale to the model's unit).
CHOICES = {
    "pris": ("price_sek_kwh", 0.1, 10.0, 1.0),
    "verkningsgrad": ("efficiency", 5.0, 30.0, 0.01),
    "takandel": ("roof_share", 10.0, 100.0, 0.01),
}


def unit_id(text: str) -> str:
    """A register unit id (UUID) in canonical form; :class:`BadRequest` otherwise."""
    try:
        return str(uuid.UUID(text))
    except (ValueError, AttributeError, TypeError) as err:
        raise BadRequest(f"{text!r} is not a register unit id (a UUID)") from err


def number(args: Mapping[str, str], name: str, low: float, high: float) -> float | None:
    """An optional decimal argument (comma or point) within [low, high]."""
    raw = (args.get(name) or "").strip()
    if not raw:
        return None
    try:
        value = float(raw.replace(",", ".").replace("\u2212", "-"))
    except ValueError as err:
        raise BadRequest(f"{name} must be a number, got {raw!r}") from err
    if not (math.isfinite(value) and low <= value <= high):
        raise BadRequest(f"{name} must lie between {low:g} and {high:g}, got {raw}")
    return value


@dataclass(frozen=True)
class ReportQuery:
    """The owner's changed assumptions (``pris`` SEK/kWh, ``verkningsgrad`` %,
    ``takandel`` %)."""

    choices: OwnerChoices
    given: dict

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> ReportQuery:
        values, given = {}, {}
        for name, (field, low, high, scale) in CHOICES.items():
            value = number(args, name, low, high)
            if value is not None:
                values[field] = round(value * scale, 6)
                given[name] = value
        return cls(OwnerChoices(**values), given)


@dataclass(frozen=True)
class MapState:
    """The map view a share link carries: ``karta=lat,lon,zoom`` and ``lager=key,key``."""

    centre: tuple[float, float] | None = None
    zoom: int | None = None
    layers: tuple[str, ...] | None = None

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> MapState:
        centre = zoom = layers = None
        if args.get("karta"):
            try:
                lat, lon, z = (float(v) for v in args["karta"].split(","))
            except ValueError as err:
                raise BadRequest("karta must be lat,lon,zoom") from err
            if not (-90 <= lat <= 90 and -180 <= lon <= 180 and 0 <= z <= 24):
                raise BadRequest("karta is out of range (lat,lon,zoom)")
            centre, zoom = (lat, lon), int(z)
        if "lager" in args:
            layers = tuple(k for k in args["lager"].split(",") if k)
            unknown = sorted(set(layers) - set(LAYER_KEYS))
            if unknown:
                raise BadRequest(f"unknown map layer(s): {', '.join(unknown)}")
        return cls(centre, zoom, layers)
