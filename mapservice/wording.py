"""Words for the domain's codes: the one place where notes, labels and errors become Swedish or
English.

:mod:`layers` and :mod:`solar` return typed notes (a code and its parameters) and codes
(``wholly``, ``running``, ``very_good``); this module maps every code to a gettext message id
with named placeholders and words them from the service's catalogs
(``mapservice/translations``), for the pages, the PDF, the JSON and the command line alike. No
Flask: the web layer asks it with the request's language.

>>> from layers.notes import Note, ZoningNote
>>> note = Note(ZoningNote.REPLACED, {"plan_id": "2281K-S112"})
>>> note_text(note, "en")
'Plan 2281K-S112 is replaced here by a newer plan.'
>>> note_text(note, "sv")
'Plan 2281K-S112 är här ersatt av en nyare plan.'
>>> note_json(note, "en")["code"]
'replaced'
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any, Protocol

from babel.support import NullTranslations, Translations

from layers import notes as layer_notes
from layers.zoning import NO_USE, UseCoverage, ZoningReport
from mapservice.i18n_catalog import TRANSLATIONS
from solar import notes as solar_notes
from solar.suitability import LABELS

__all__ = [
    "LANGUAGES",
    "Wording",
    "gettext",
    "note_json",
    "note_text",
    "translator",
    "zoning_json",
]

#: The languages the catalogs speak (message ids are English).
LANGUAGES = ("sv", "en")


def _l(message: str) -> str:
    """Mark ``message`` as a message id for extraction (pybabel ``-k _l``); worded at use."""
    return message


class AnyNote(Protocol):
    """A note of :mod:`layers` or :mod:`solar`: a code (a ``StrEnum``) and its parameters."""

    @property
    def code(self) -> str: ...

    @property
    def params(self) -> Mapping[str, str | float | int]: ...


#: Every note code and its message id; the placeholders are the note's parameters.
NOTES: dict[str, str] = {
    layer_notes.ZoningNote.REPLACED: _l("Plan %(plan_id)s is replaced here by a newer plan."),
    layer_notes.ZoningNote.PROPOSAL: _l(
        "Plan %(plan_id)s is %(status)s: its rules are proposals, not in force."
    ),
    layer_notes.ZoningNote.NO_KVARTERSMARK: _l(
        "No kvartersmark: the plans in force allow no private building here."
    ),
    layer_notes.ZoningNote.KORSMARK: _l(
        "Korsmark: only outbuildings (komplementbyggnader) may stand there."
    ),
    layer_notes.ZoningNote.PARTLY_OUTSIDE: _l(
        "Part of the property lies outside any detailed development plan in force; building "
        "there is judged case by case when you apply for a building permit (PBL)."
    ),
    solar_notes.PermitNote.DEFENCE: _l(
        "The property lies in or next to an area of national interest for total defence: the "
        "exemption from building permits does not apply."
    ),
    solar_notes.PermitNote.PLAN_REQUIRES: _l(
        "The detailed development plan requires a building permit for solar energy "
        "(%(rule)s: %(wording)s)."
    ),
    solar_notes.PermitNote.PROTECTED: _l(
        "The plan protects cultural values (%(rule)s: %(provision)s): the building or the area "
        "counts as particularly valuable, so the exemption from building permits does not apply."
    ),
    solar_notes.PermitNote.NATIONAL_INTEREST_CULTURE: _l(
        "The property lies in an area of national interest for cultural heritage. Buildings "
        "there may be particularly valuable (PBL 8 kap. 13 §), and then a building permit is "
        "needed; ask the municipality."
    ),
    solar_notes.PermitNote.EXEMPT_IN_PLAN: _l(
        "Inside a detailed development plan, solar panels that follow the building's shape need "
        "no building permit, and the plan has no protection, care or solar energy provisions "
        "here."
    ),
    solar_notes.PermitNote.FOLLOW_PLAN: _l(
        "The mounting must still follow the detailed development plan."
    ),
    solar_notes.PermitNote.AREA_REGULATIONS: _l(
        "The property lies outside any detailed development plan but within area regulations "
        "(områdesbestämmelser), which may require a building permit; ask the municipality."
    ),
    solar_notes.PermitNote.OUTSIDE_PLAN: _l(
        "Outside a detailed development plan, solar panels on a building need no building permit."
    ),
    solar_notes.PermitNote.ANGLED_PANELS: _l(
        "Panels angled up from the roof, or replacing the roof covering, do not follow the "
        "building's shape and may need a building permit inside a detailed development plan."
    ),
    solar_notes.PermitNote.LOAD_BEARING: _l(
        "A notification (anmälan) may be needed if the roof's load-bearing structure or the "
        "fire protection is affected (PBF 6 kap. 5 §)."
    ),
    solar_notes.PermitNote.CAREFUL: _l(
        "Alterations must always be made carefully (PBL 8 kap. 17 §)."
    ),
    solar_notes.PotentialNote.NO_SURFACE_MODEL: _l(
        "No surface model: each roof is one face with the pitch the building register records."
    ),
}

#: Plans' statuses as the store records them (Swedish), by message id.
PLAN_STATUSES: dict[str, str] = {
    "laga kraft": _l("in force"),
    "under arbete": _l("in preparation"),
}

#: The names of the report's sources that are not a plan, by the source's key.
SOURCE_NAMES: dict[str, str] = {
    "cadastre": _l("Lantmäteriet: property boundaries, addresses and buildings"),
    "solar": _l("Solar map: yearly irradiation on roofs (kWh/m² per year)"),
}
#: How the solar map's source was measured.
LASER_SCANNING = _l("laser scanning")
#: The wording of the part of a plan without an användningsbestämmelse.
WITHOUT_USE = _l("without a land-use provision")


@functools.lru_cache(maxsize=len(LANGUAGES))
def translator(lang: str) -> NullTranslations:
    """The service's gettext catalog for ``lang`` (English message ids: none for ``en``)."""
    if lang == "en":
        return NullTranslations()
    return Translations.load(str(TRANSLATIONS), [lang])


def gettext(lang: str, message: str, **params: object) -> str:
    """``message`` in ``lang``, its named placeholders filled from ``params``.

    >>> gettext("sv", "Plan %(plan_id)s is replaced here by a newer plan.", plan_id="P1")
    'Plan P1 är här ersatt av en nyare plan.'
    """
    text = translator(lang).gettext(message)
    return text % params if params else text


class Wording:
    """Everything worded in one language: phrases, notes, statuses, labels and sources.

    It is also the :class:`layers.describe.Words` of the command line's descriptions.

    >>> Wording("en").plan_status("laga kraft"), Wording("sv").plan_status("laga kraft")
    ('in force', 'laga kraft')
    """

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def gettext(self, message: str) -> str:
        """``message`` (an English message id) in this language."""
        return translator(self.lang).gettext(message)

    def ngettext(self, singular: str, plural: str, count: int) -> str:
        """The singular or plural form for ``count``, with ``%(num)d`` filled in."""
        return translator(self.lang).ngettext(singular, plural, count) % {"num": count}

    def note(self, note: AnyNote) -> str:
        """The sentence of a note of :mod:`layers` or :mod:`solar`."""
        params: dict[str, Any] = dict(note.params)
        if "status" in params:
            params["status"] = self.plan_status(str(params["status"]))
        return self.gettext(NOTES[note.code]) % params

    def plan_status(self, status: str) -> str:
        """A plan's recorded status in this language (as recorded when it is not known)."""
        return self.gettext(PLAN_STATUSES[status]) if status in PLAN_STATUSES else status

    def use_wording(self, use: UseCoverage) -> str:
        """An användningsbestämmelse's wording (the plan's own), or that there is none."""
        if use.code == NO_USE and use.wording is None:
            return self.gettext(WITHOUT_USE)
        return use.wording or ""

    def class_label(self, key: str) -> str:
        """The name of a solar suitability class (``very_good`` …)."""
        return LABELS[self.lang][key]

    def source(self, key: str, name: str, detail: str) -> tuple[str, str]:
        """A report source's name and detail: the plans' as recorded (their status worded),
        the others' by their key."""
        if key == "plan":
            return name, self.plan_status(detail)
        if key == "solar":
            return self.gettext(SOURCE_NAMES[key]), self.gettext(LASER_SCANNING)
        return (self.gettext(SOURCE_NAMES[key]) if key in SOURCE_NAMES else name), detail


def note_text(note: AnyNote, lang: str) -> str:
    """The sentence of ``note`` in ``lang``."""
    return Wording(lang).note(note)


def note_json(note: AnyNote, lang: str) -> dict[str, Any]:
    """A note as JSON: ``{"code", "params", "text"}`` with the text in ``lang``."""
    return {"code": str(note.code), "params": dict(note.params), "text": note_text(note, lang)}


def zoning_json(report: ZoningReport, lang: str) -> dict[str, Any]:
    """A zoning overlay as JSON, its notes with their text in ``lang``."""
    body = report.to_dict()
    body["rights"]["notes"] = [note_json(n, lang) for n in report.rights.notes]
    return body
