"""Typed notes of :mod:`layers`: what a result wants a reader to know, as a code and its values.

A domain function never returns a sentence. It returns a :class:`Note`: a :class:`ZoningNote`
code and the values the sentence needs (a plan's id, its status); the service's presentation
(``mapservice.wording``) turns it into Swedish or English for pages, the PDF, JSON and the
command line.

>>> note = Note(ZoningNote.REPLACED, {"plan_id": "2281K-S112"})
>>> note.to_dict()
{'code': 'replaced', 'params': {'plan_id': '2281K-S112'}}
>>> note == Note.from_dict(note.to_dict())
True
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from layers.models import Model

__all__ = ["Note", "NoteValue", "ZoningNote"]

#: The values a note may carry.
NoteValue = str | float | int


class ZoningNote(StrEnum):
    """What the zoning overlay notes about a property's plans and building rights."""

    #: A plan in force is wholly replaced on the property by a newer one (``plan_id``).
    REPLACED = "replaced"
    #: A plan is not in force (``plan_id``, ``status``): its rules are proposals.
    PROPOSAL = "proposal"
    #: The plans in force put no kvartersmark on the property: no private building.
    NO_KVARTERSMARK = "no_kvartersmark"
    #: Part of the buildable land is korsmark: only komplementbyggnader may stand there.
    KORSMARK = "korsmark"
    #: Part of the property lies outside every plan in force: building is judged case by case.
    PARTLY_OUTSIDE = "partly_outside"
    #: An existing building is higher (``height``, m) than the plans allow (``max_height``).
    OVER_HEIGHT = "over_height"


@dataclass(frozen=True)
class Note(Model):
    """One note: its ``code`` and the ``params`` its sentence is made with."""

    code: ZoningNote
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
        return cls(ZoningNote(body["code"]), dict(body.get("params") or {}))
