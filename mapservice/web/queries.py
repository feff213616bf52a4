"""Request arguments parsed into small typed objects, with clear errors for bad input.

The views call these and never read ``request.args`` themselves.

>>> ReportQuery.from_args({"pris": "2,10", "verkningsgrad": "21", "takandel": "60"}).choices
OwnerChoices(price_sek_kwh=2.1, efficiency=0.21, roof_share=0.6, owner=None, use_kwh=None)
>>> ReportQuery.parse({"pris": "abc", "agare": "company", "forbrukning": "12 500"}).errors
{'pris': FieldError(name='pris', code='not_a_number', low=0.0, high=0.0)}
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
from dataclasses import dataclass, field
from typing import Any

from mapservice.errors import BadRequest
from mapservice.report import OwnerChoices
from mapservice.report.maps import LAYER_KEYS
from solar.economics import OWNERS

#: Owner-facing assumptions: argument → (field, lowest, highest, scale to the model's unit).
CHOICES = {
    "pris": ("price_sek_kwh", 0.1, 10.0, 1.0),
    "verkningsgrad": ("efficiency", 5.0, 30.0, 0.01),
    "takandel": ("roof_share", 10.0, 100.0, 0.01),
    "forbrukning": ("use_kwh", 100.0, 10_000_000.0, 1.0),
}
#: The owner type argument and its values (``private``, ``company``, ``housing``).
OWNER = "agare"
#: Spaces a figure may be grouped with ("20 000"), all dropped before parsing.
SPACES = dict.fromkeys(map(ord, " \u00a0\u202f\u2009"))


def unit_id(text: str) -> str:
    """A register unit id (UUID) in canonical form; :class:`BadRequest` otherwise."""
    try:
        return str(uuid.UUID(text))
    except (ValueError, AttributeError, TypeError) as err:
        raise BadRequest(f"{text!r} is not a register unit id (a UUID)") from err


@dataclass(frozen=True)
class FieldError:
    """Why one argument was refused: ``not_a_number``, ``out_of_range`` or ``unknown``."""

    name: str
    code: str
    low: float = 0.0
    high: float = 0.0

    def detail(self, raw: str) -> str:
        """The refusal in English, for an API problem's detail and the log."""
        if self.code == "not_a_number":
            return f"{self.name} must be a number, got {raw!r}"
        if self.code == "unknown":
            return f"{self.name} must be one of {', '.join(OWNERS)}, got {raw!r}"
        return f"{self.name} must lie between {self.low:g} and {self.high:g}, got {raw}"


def parse_number(raw: str, name: str, low: float, high: float) -> float | FieldError:
    """A decimal figure (comma or point, grouped by spaces) within [low, high], or why not.

    >>> parse_number("12,5", "x", 0, 100), parse_number("20 000", "x", 0, 1e6)
    (12.5, 20000.0)
    >>> parse_number("1e3", "x", 0, 100).code, parse_number("abc", "x", 0, 1).code
    ('out_of_range', 'not_a_number')
    """
    try:
        value = float(raw.translate(SPACES).replace(",", ".").replace("\u2212", "-"))
    except ValueError:
        return FieldError(name, "not_a_number")
    if not (math.isfinite(value) and low <= value <= high):
        return FieldError(name, "out_of_range", low, high)
    return value


def number(args: Mapping[str, str], name: str, low: float, high: float) -> float | None:
    """An optional decimal argument (comma or point) within [low, high]."""
    raw = (args.get(name) or "").strip()
    if not raw:
        return None
    value = parse_number(raw, name, low, high)
    if isinstance(value, FieldError):
        raise BadRequest(value.detail(raw))
    return value


@dataclass(frozen=True)
class ReportQuery:
    """The owner's changed assumptions (``pris`` SEK/kWh, ``verkningsgrad`` %,
    ``takandel`` %, ``forbrukning`` kWh a year, ``agare`` the owner type).

    ``given`` holds the valid arguments as given (for links), ``raw`` every argument's text
    and ``errors`` the refused ones by name (only from :meth:`parse`).
    """

    choices: OwnerChoices
    given: dict
    raw: dict[str, str] = field(default_factory=dict)
    errors: dict[str, FieldError] = field(default_factory=dict)

    @classmethod
    def parse(cls, args: Mapping[str, str]) -> ReportQuery:
        """Every argument, the refused ones in ``errors`` instead of an exception (a form)."""
        values: dict[str, Any] = {}
        given: dict[str, Any] = {}
        raw: dict[str, str] = {}
        errors: dict[str, FieldError] = {}
        for name, (attribute, low, high, scale) in CHOICES.items():
            text = (args.get(name) or "").strip()
            if not text:
                continue
            raw[name] = text
            value = parse_number(text, name, low, high)
            if isinstance(value, FieldError):
                errors[name] = value
            else:
                values[attribute] = round(value * scale, 6)
                given[name] = value
        owner = (args.get(OWNER) or "").strip()
        if owner:
            raw[OWNER] = owner
            if owner in OWNERS:
                values["owner"] = given[OWNER] = owner
            else:
                errors[OWNER] = FieldError(OWNER, "unknown")
        return cls(OwnerChoices(**values), given, raw, errors)

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> ReportQuery:
        """Every argument; :class:`BadRequest` for the first refused one (API, PDF)."""
        query = cls.parse(args)
        for name, error in query.errors.items():
            raise BadRequest(error.detail(query.raw[name]))
        return query


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
