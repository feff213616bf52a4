"""Typed notes of :mod:`solar`: the permit guidance's reasons and what a summary wants known.

A domain function never returns a sentence. It returns a :class:`Note`: a code
(:class:`PermitNote` or :class:`PotentialNote`) and the values the sentence needs (a plan
rule's code and wording); the service's presentation (``mapservice.wording``) turns it into
Swedish or English. :mod:`layers` has notes of its own (``layers.notes``): the two packages
never import each other.

>>> note = Note(PermitNote.PROTECTED, {"rule": "q1", "provision": "skydd av kulturvärden"})
>>> note.to_dict()
{'code': 'protected', 'params': {'rule': 'q1', 'provision': 'skydd av kulturvärden'}}
>>> Note.from_dict(note.to_dict()) == note
True
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import Any

__all__ = ["Note", "NoteValue", "PermitNote", "PotentialNote"]

#: The values a note may carry.
NoteValue = str | float | int


class PermitNote(StrEnum):
    """Why the permit guidance concludes what it does, and what always applies."""

    #: In or next to an area of national interest for total defence (MB 3:9): no exemption.
    DEFENCE = "defence"
    #: The plan requires bygglov for solar energy (``rule``, ``wording``), PBL 9:8.
    PLAN_REQUIRES = "plan_requires"
    #: The plan protects cultural values (``rule``, ``provision``), PBL 8:13: no exemption.
    PROTECTED = "protected"
    #: In an area of national interest for kulturmiljövård (MB 3:6): ask the municipality.
    NATIONAL_INTEREST_CULTURE = "national_interest_culture"
    #: Inside a detaljplan, panels that follow the roof need no bygglov (PBL 9:3c).
    EXEMPT_IN_PLAN = "exempt_in_plan"
    #: The mounting must still follow the detaljplan (PBL 10:2).
    FOLLOW_PLAN = "follow_plan"
    #: Outside any detaljplan but under områdesbestämmelser (PBL 9:8): ask the municipality.
    AREA_REGULATIONS = "area_regulations"
    #: Outside any detaljplan no bygglov is needed for panels on a building (PBL 9:2).
    OUTSIDE_PLAN = "outside_plan"
    #: Panels angled up from the roof, or replacing its covering, do not follow its shape.
    ANGLED_PANELS = "angled_panels"
    #: An anmälan may be needed if the load-bearing structure or fire safety is affected.
    LOAD_BEARING = "load_bearing"
    #: Alterations must always be careful (varsamhetskravet, PBL 8:17).
    CAREFUL = "careful"


class PotentialNote(StrEnum):
    """What a solar summary wants known about how it was made."""

    #: No surface model: each roof is one face with the pitch its building records.
    NO_SURFACE_MODEL = "no_surface_model"
    #: Peak power (``kwp``) above the micro-production limit (``limit`` kW, ellagen 4:10).
    OVER_MICRO_PRODUCTION = "over_micro_production"
    #: Produces more than the property uses in a year: not a micro-producer (ellagen 4:10).
    NET_PRODUCER = "net_producer"
    #: Peak power (``kwp``) at or above ``limit`` kWp: energy tax on self-used power (LSE 11:2).
    ENERGY_TAX = "energy_tax"


#: Every code by its value (the two enumerations share none).
_CODES: dict[str, PermitNote | PotentialNote] = {
    **{c.value: c for c in PermitNote},
    **{c.value: c for c in PotentialNote},
}


@dataclass(frozen=True)
class Note:
    """One note: its ``code`` and the ``params`` its sentence is made with."""

    code: PermitNote | PotentialNote
    params: Mapping[str, NoteValue] = field(default_factory=lambda: MappingProxyType({}))

    def __post_init__(self) -> None:
        object.__setattr__(self, "params", MappingProxyType(dict(self.params)))

    def __hash__(self) -> int:
        return hash((self.code, tuple(sorted(self.params.items()))))

    def to_dict(self) -> dict[str, Any]:
        """``{"code": …, "params": {…}}``, JSON-ready."""
        return {"code": self.code.value, "params": dict(self.params)}

    @classmethod
    def from_dict(cls, body: Mapping[str, Any]) -> Note:
        """The note :meth:`to_dict` wrote."""
        return cls(_CODES[body["code"]], dict(body.get("params") or {}))
