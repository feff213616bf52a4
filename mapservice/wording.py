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

from babel.numbers import format_decimal
from babel.support import NullTranslations, Translations

from layers import notes as layer_notes
from layers.zoning import NO_USE, UseCoverage, ZoningReport
from mapservice.i18n_catalog import TRANSLATIONS
from solar import notes as solar_notes

__all__ = [
    "ERRORS",
    "LANGUAGES",
    "TITLES",
    "Wording",
    "error_message",
    "gettext",
    "http_message",
    "note_json",
    "note_text",
    "status_title",
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
    layer_notes.ZoningNote.OVER_HEIGHT: _l(
        "An existing building is %(height)s m high, above the highest height the plan allows "
        "(%(max_height)s m)."
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
    solar_notes.PotentialNote.OVER_MICRO_PRODUCTION: _l(
        "At %(kwp)s kWp the system exceeds the limits of micro-production (%(limit)s kW fed in, "
        "a fuse of at most 63 A; ellagen 4 kap. 10 §): the grid company may charge a fee for "
        "feeding in and a production agreement is needed; ask the grid company before you buy."
    ),
    solar_notes.PotentialNote.NET_PRODUCER: _l(
        "The system produces more in a year than the property uses: only an owner who takes out "
        "more than they feed in over a calendar year feeds in without a fee (ellagen 4 kap. "
        "10 §)."
    ),
    solar_notes.PotentialNote.ENERGY_TAX: _l(
        "At %(kwp)s kWp (%(limit)s kWp or more) the self-used power is not free of energy tax "
        "(lagen om skatt på energi 11 kap. 2 §); the tax is not counted in the savings."
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


#: The public message of every error family's ``public_code`` (see :mod:`mapservice.errors`).
ERRORS: dict[str, str] = {
    "unexpected": _l("An unexpected error occurred."),
    "service_error": _l("The service could not handle the request."),
    "bad_request": _l("The request is not valid: check its parameters."),
    "data_error": _l("The service's data could not be read."),
    "data_missing": _l("The service has no data to show yet. Try again later."),
    "layer_error": _l("The map layers could not be read."),
    "not_found": _l("Nothing matches the request."),
    "property_not_found": _l("No property has this designation or id."),
    "address_not_found": _l("No address matches the request."),
    "invalid_designation": _l(
        "This is not a property designation (for example Sundsvall Björkåsen 3:12)."
    ),
    "ambiguous_designation": _l(
        "The designation matches properties in several municipalities: add the municipality."
    ),
    "invalid_coordinates": _l("The coordinates or the bounding box are not valid."),
    "outside_sweden": _l("The place lies outside Sweden."),
    "unsupported_crs": _l("The coordinate reference system is not supported."),
    "store_unavailable": _l("The map data cannot be read just now. Try again later."),
    "report_timeout": _l(
        "The report took too long to put together, so it was stopped. Try again in a minute."
    ),
    "import_refused": _l("The import was refused; nothing was changed."),
    "missing_crs": _l("The file to import has no coordinate reference system."),
    "unknown_layer": _l("There is no such layer."),
    "invalid_query": _l("The query is not valid: check its parameters."),
    "solar_error": _l("The solar map could not be read."),
    "invalid_surface": _l("The surface model cannot be used."),
    "climate_error": _l("The climate data cannot be used."),
    "not_irradiation": _l("The raster is not a solar map of yearly irradiation (kWh/m²)."),
    "catalog_error": _l("The solar maps cannot be read just now. Try again later."),
    "solar_map_not_found": _l("There is no solar map here."),
    "invalid_model": _l("A parameter of the solar model is out of its range."),
    "invalid_buildings": _l("The building footprints cannot be read."),
    "invalid_raster": _l("The raster cannot be read as one grid."),
    "invalid_geometry": _l(
        "The area must be a polygon or a multipolygon in a known coordinate reference system."
    ),
    "invalid_assumption": _l("An assumption is out of its range."),
    "tile_out_of_range": _l("There is no such map tile."),
    "invalid_building": _l(
        "The planned building cannot be checked: check its footprint, height and kind."
    ),
}

#: The title of a problem, by its HTTP status.
TITLES: dict[int, str] = {
    400: _l("Bad Request"),
    404: _l("Not Found"),
    405: _l("Method Not Allowed"),
    409: _l("Conflict"),
    413: _l("Content Too Large"),
    422: _l("Unprocessable Content"),
    500: _l("Internal Server Error"),
    503: _l("Service Unavailable"),
}

#: The title of a status without one of its own.
UNTITLED = _l("Error")
#: What people are told of an HTTP error that no error family raised, by its status.
HTTP_MESSAGES: dict[int, str] = {
    404: _l("Nothing was found at this address."),
    405: _l("This address does not take that method."),
    413: _l("The request is too large."),
}


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
    """Everything worded in one language: phrases, notes, plans' statuses and sources.

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
        """The singular or plural message id for ``count``, in this language."""
        return translator(self.lang).ngettext(singular, plural, count)

    def note(self, note: AnyNote) -> str:
        """The sentence of a note of :mod:`layers` or :mod:`solar`."""
        params: dict[str, Any] = dict(note.params)
        if "status" in params:
            params["status"] = self.plan_status(str(params["status"]))
        for key, value in params.items():
            if isinstance(value, float):  # 8,45 in Swedish
                params[key] = format_decimal(value, "#,##0.##", locale=self.lang).replace(
                    "\xa0", " "
                )
        return self.gettext(NOTES[note.code]) % params

    def plan_status(self, status: str) -> str:
        """A plan's recorded status in this language (as recorded when it is not known)."""
        return self.gettext(PLAN_STATUSES[status]) if status in PLAN_STATUSES else status

    def use_wording(self, use: UseCoverage) -> str:
        """An användningsbestämmelse's wording (the plan's own), or that there is none."""
        if use.code == NO_USE and use.wording is None:
            return self.gettext(WITHOUT_USE)
        return use.wording or ""

    def source(self, key: str, name: str, detail: str) -> tuple[str, str]:
        """A report source's name and detail: the plans' as recorded (their status worded),
        the others' by their key."""
        if key == "plan":
            return name, self.plan_status(detail)
        if key == "solar":
            return self.gettext(SOURCE_NAMES[key]), self.gettext(LASER_SCANNING)
        return (self.gettext(SOURCE_NAMES[key]) if key in SOURCE_NAMES else name), detail


def error_message(code: str, lang: str) -> str:
    """The public message of an error's ``public_code`` in ``lang``.

    >>> error_message("store_unavailable", "sv")
    'Kartdata kan inte läsas just nu. Försök igen senare.'
    """
    return gettext(lang, ERRORS.get(code, ERRORS["unexpected"]))


def status_title(status: int, lang: str) -> str:
    """The title of an HTTP status in ``lang`` (``Error`` for one without a title)."""
    return gettext(lang, TITLES.get(status, UNTITLED))


def http_message(status: int, lang: str) -> str:
    """What people are told of an HTTP error by its status."""
    return gettext(lang, HTTP_MESSAGES.get(status, ERRORS["service_error"]))


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
