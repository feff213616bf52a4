"""The report page's form of assumptions: each field's value and message in the page's language.

A figure is shown as the page's language writes it (``12,5`` in Swedish, ``12.5`` in English)
and read in either way (:func:`mapservice.web.queries.parse_number`). A refused value stays in
its field as typed, with a message beside it that the field points to (``aria-describedby``),
so the owner can correct it; the page itself is still the report (answered with status 400).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from flask_babel import format_decimal
from flask_babel import gettext as _

from mapservice.report import PropertyReport
from mapservice.report.summary import OWNERS
from mapservice.web.queries import OWNER, FieldError, ReportQuery

__all__ = ["FormField", "form_fields"]


@dataclass(frozen=True)
class FormField:
    """One field of the form: its text and, when its value was refused, the message."""

    name: str
    value: str
    error: str | None = None
    options: tuple[tuple[str, str], ...] = ()


def _figure(value: float, pattern: str) -> str:
    return str(format_decimal(value, pattern))


def _message(error: FieldError) -> str:
    if error.code == "not_a_number":
        return _("Enter a number, for example %(example)s.", example=_figure(12.5, "0.0"))
    if error.code == "unknown":
        return _("Choose one of the owner types in the list.")
    low, high = (_figure(v, "#,##0.##") for v in (error.low, error.high))
    return _("Enter a number from %(low)s to %(high)s.", low=low, high=high)


def form_fields(query: ReportQuery, report: PropertyReport) -> dict[str, FormField]:
    """The form's fields by argument name, with the values the report used."""
    owner = report.owner
    chosen = owner.owner if owner is not None and not owner.guessed else ""
    shown: dict[str, str] = {"forbrukning": "", OWNER: chosen}
    if report.solar is not None:
        a = report.solar.pv.assumptions
        shown |= {
            "pris": _figure(a.purchase_sek_kwh, "0.0#"),
            "verkningsgrad": _figure(a.module_w_per_m2 / 10, "0.0#"),
            "takandel": _figure(a.pitched_share * 100, "0.#"),
        }
    if "forbrukning" in query.given:
        shown["forbrukning"] = _figure(query.given["forbrukning"], "0.#")
    fields = {}
    for name, value in shown.items():
        error = query.errors.get(name)
        text = query.raw.get(name, value) if error else value
        fields[name] = FormField(name, text, _message(error) if error else None)
    options = tuple((key, _(label)) for key, label in OWNERS.items())
    if owner is not None and owner.guessed:  # kept as a guess until the owner picks a type
        guess = _("%(owner)s (guessed)", owner=_(OWNERS[owner.owner]))
        options = (("", guess), *options)
    fields[OWNER] = dataclasses.replace(fields[OWNER], options=options)
    return fields
