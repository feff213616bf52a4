"""What the layer viewer shows of a feature under a click: labelled attributes, worded values.

A planner reads "Takform: sadeltak", not ``roof_shape: gable``, and never an id column's UUID.
Each layer lists the attributes worth reading, in order, with a label, a unit and, for coded
values, their words in the page's language (the solar classes' words are
:data:`solar.suitability.LABELS`, the plans' statuses those of :mod:`mapservice.wording`).
Attributes not listed (ids, catalogue codes) are not shown; the viewer's script writes every
value as text, never as markup, since the data come from outside.

>>> [f.key for f in FIELDS["roof_faces"]][:3]
['irradiation', 'suitability', 'tilt']
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from mapservice.wording import PLAN_STATUSES, Wording
from solar.suitability import LABELS

__all__ = ["FIELDS", "Field", "layer_fields"]


def _l(message: str) -> str:
    """Mark ``message`` for extraction (pybabel ``-k _l``); worded by :func:`layer_fields`."""
    return message


@dataclass(frozen=True)
class Field:
    """One attribute the viewer shows: its column, label (message id), unit and coded words."""

    key: str
    label: str
    unit: str = ""
    values: Mapping[str, str] = field(default_factory=dict)


#: Roof shapes as the building layer records them, by message id.
ROOF_SHAPES = {
    "gable": _l("gable roof"),
    "hip": _l("hip roof"),
    "flat": _l("flat roof"),
    "mono-pitch": _l("mono-pitch roof"),
}

_PROPERTY = Field("designation", _l("Property"))
_PLAN = Field("plan_id", _l("Plan"))

#: The attributes each layer shows, in order.
FIELDS: dict[str, tuple[Field, ...]] = {
    "parcels": (
        Field("designation", _l("Designation")),
        Field("unit_type", _l("Kind of register unit")),
        Field("part", _l("Part (skifte)")),
    ),
    "addresses": (
        Field("label", _l("Address")),
        Field("postcode", _l("Postcode")),
        Field("postal_town", _l("Post town")),
        _PROPERTY,
    ),
    "buildings": (
        Field("use", _l("Purpose")),
        Field("floors", _l("Storeys")),
        Field("height", _l("Height"), "m"),
        Field("roof_shape", _l("Roof shape"), values=ROOF_SHAPES),
        Field("roof_pitch", _l("Roof pitch"), "°"),
        _PROPERTY,
    ),
    "plans": (
        Field("plan_id", _l("Plan")),
        Field("name", _l("Name")),
        Field("status", _l("Status"), values=PLAN_STATUSES),
        Field("plan_type", _l("Kind of plan")),
        Field("adopted", _l("Adopted")),
        Field("legal_force", _l("In force since")),
        Field("implementation_years", _l("Implementation period"), _l("years")),
        Field("authority", _l("Authority")),
    ),
    "plan_uses": (
        Field("code", _l("Provision")),
        Field("wording", _l("Wording")),
        Field("land_form", _l("Kind of land")),
        _PLAN,
    ),
    "plan_rules": (
        Field("code", _l("Provision")),
        Field("category", _l("Kind of provision")),
        Field("wording", _l("Wording")),
        _PLAN,
    ),
    "roof_faces": (
        Field("irradiation", _l("Solar irradiation (estimate)"), _l("kWh/m² per year")),
        Field("suitability", _l("Solar class")),
        Field("tilt", _l("Tilt"), "°"),
        Field("azimuth", _l("Facing (azimuth)"), "°"),
        Field("surface_m2", _l("Roof area"), "m²"),
    ),
}


def _values(f: Field, words: Wording) -> dict[str, str]:
    if f.key == "suitability":  # the solar classes have their words in solar.suitability
        return dict(LABELS.get(words.lang, LABELS["en"]))
    return {code: words.gettext(message) for code, message in f.values.items()}


def layer_fields(layer: str, lang: str) -> list[dict[str, Any]]:
    """The attributes the viewer shows of ``layer``, worded in ``lang`` (JSON-ready).

    A layer without a list (a new one) shows none of its columns by name: only its title.

    >>> [f["label"] for f in layer_fields("buildings", "sv")][3]
    'Takform'
    >>> layer_fields("buildings", "sv")[3]["values"]["gable"]
    'sadeltak'
    """
    words = Wording(lang)
    return [
        {
            "key": f.key,
            "label": words.gettext(f.label),
            "unit": words.gettext(f.unit) if f.unit else "",
            "values": _values(f, words),
        }
        for f in FIELDS.get(layer, ())
    ]
