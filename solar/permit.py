"""Permit guidance for solar panels on a property, from the plan rules that touch it.

Guidance, not a decision: the byggnadsnämnd decides. The rules, as in force since 1 August 2018
(SFS 2018:1324):

- Outside a detaljplan, changing a building's appearance needs no bygglov (PBL 9 kap. 2 §
  första stycket 3 c applies only inside a detaljplan), unless områdesbestämmelser say so
  (PBL 9 kap. 8 §).
- Inside a detaljplan, panels and solar collectors mounted on the roof or facade **that follow
  the building's shape** need no bygglov even if the appearance changes considerably
  (PBL 9 kap. 3 c § första stycket), **except** (andra stycket) where
  1. the municipality has decided in the plan that they need bygglov (PBL 9 kap. 8 §),
  2. the building or area is particularly valuable historically, culturally, environmentally
     or artistically (PBL 8 kap. 13 §: plans mark these with q-, r- and varsamhets- or
     skyddsbestämmelser), or
  3. it lies in or next to an area of national interest for total defence (miljöbalken 3 kap.
     9 § andra stycket).
- Panels angled up from the roof, or integrated as the roof material, do not follow the shape:
  inside a detaljplan they need bygglov when they change the appearance considerably.
- Even without bygglov, the work must follow the plan (PBL 10 kap. 2 §), alterations must be
  careful (varsamhetskravet, PBL 8 kap. 17 §), and an anmälan is needed if the load-bearing
  structure or the fire protection is affected (PBF 6 kap. 5 §).

Areas of national interest for kulturmiljövård (miljöbalken 3 kap. 6 §) are not themselves an
exception in 9 kap. 3 c §, but they usually hold the particularly valuable buildings that
8 kap. 13 § protects; the guidance asks the owner to check with the municipality there.

The guidance says why as typed notes (:class:`~solar.notes.Note` with a
:class:`~solar.notes.PermitNote` code), never as sentences; ``mapservice.wording`` words them.

>>> q1 = PlanProvision(code="q1", category="skydd av kulturvärden", wording="Får inte rivas.")
>>> g = permit_guidance(PlanContext(in_detailed_plan=True, rules=(q1,)))
>>> g.case, g.permit_needed, [r.code.value for r in g.reasons]
('protected', True, ['protected'])
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

from solar.notes import Note, PermitNote

__all__ = ["PermitGuidance", "PlanContext", "PlanProvision", "permit_guidance"]

DISCLAIMER = {
    "sv": "Vägledning, inte ett beslut. Kontakta byggnadsnämnden i kommunen före monteringen.",
    "en": "Guidance, not a decision. Check with the municipality's building committee before "
    "mounting.",
}

SOURCES = {
    "PBL 9:3c": "Plan- och bygglagen (2010:900) 9 kap. 3 c § (SFS 2018:1324)",
    "PBL 9:2": "Plan- och bygglagen (2010:900) 9 kap. 2 § första stycket 3 c",
    "PBL 9:8": "Plan- och bygglagen (2010:900) 9 kap. 8 §",
    "PBL 8:13": "Plan- och bygglagen (2010:900) 8 kap. 13 §",
    "PBL 8:17": "Plan- och bygglagen (2010:900) 8 kap. 17 §",
    "PBL 10:2": "Plan- och bygglagen (2010:900) 10 kap. 2 §",
    "PBF 6:5": "Plan- och byggförordningen (2011:338) 6 kap. 5 §",
    "MB 3:6": "Miljöbalken (1998:808) 3 kap. 6 §",
    "MB 3:9": "Miljöbalken (1998:808) 3 kap. 9 § andra stycket",
}

#: Codes of skydds- (q), rivningsförbud (r) and varsamhetsbestämmelser (k), and their words.
_PROTECTION_CODE = re.compile(r"^[qrk]\d*$", re.IGNORECASE)
_PROTECTION_WORDS = (
    "kulturvärde",
    "kulturhistori",
    "skyddsbestämmelse",
    "varsamhet",
    "rivningsförbud",
    "förvanskas",
    "q-märk",
)
_SOLAR_WORDS = ("solcell", "solfångare", "solenergi", "solpanel")


@dataclass(frozen=True)
class PlanProvision:
    """One plan provision (egenskapsbestämmelse) touching the property, as the caller gives it.

    Not ``layers.plan.PlanRule`` (a stored rule area with its geometry): :mod:`solar` has no
    store, so the caller hands over the provisions' codes and words.
    """

    code: str
    category: str = ""
    wording: str = ""
    plan_id: str = ""

    @property
    def protects_culture(self) -> bool:
        text = f"{self.category} {self.wording}".lower()
        return bool(_PROTECTION_CODE.match(self.code.strip())) or any(
            w in text for w in _PROTECTION_WORDS
        )

    @property
    def requires_permit_for_solar(self) -> bool:
        text = self.wording.lower()
        return any(w in text for w in _SOLAR_WORDS) and ("lov" in text or "bygglov" in text)


@dataclass(frozen=True)
class PlanContext:
    """What the plans say about a property (passed in by the caller; :mod:`solar` has no store).

    Attributes
    ----------
    in_detailed_plan
        Whether any part of the property lies in a detaljplan (or stadsplan) in force.
    rules
        The egenskapsbestämmelser that touch the property.
    plan_ids
        The plans concerned.
    national_interest_culture
        Whether the property lies in an area of national interest for kulturmiljövård.
    national_interest_defence
        Whether it lies in or next to an area of national interest for total defence.
    area_regulations
        Whether områdesbestämmelser cover it (they may require bygglov outside plans).
    """

    in_detailed_plan: bool = False
    rules: tuple[PlanProvision, ...] = ()
    plan_ids: tuple[str, ...] = ()
    national_interest_culture: bool = False
    national_interest_defence: bool = False
    area_regulations: bool = False

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class PermitGuidance:
    """Which case applies, whether a permit is likely needed, why, and the legal sources.

    ``reasons`` say why the case applies and ``notes`` what applies in every case, as typed
    notes; ``sources`` are keys of :data:`SOURCES` (the statutes' names in ``to_dict``).
    """

    case: str
    permit_needed: bool | None
    reasons: tuple[Note, ...]
    rules: tuple[PlanProvision, ...] = ()
    sources: tuple[str, ...] = ()
    notes: tuple[Note, ...] = ()
    disclaimer: dict[str, str] = field(default_factory=lambda: dict(DISCLAIMER))

    def to_dict(self) -> dict[str, Any]:
        return {
            "case": self.case,
            "permit_needed": self.permit_needed,
            "reasons": [r.to_dict() for r in self.reasons],
            "rules": [asdict(r) for r in self.rules],
            "sources": [SOURCES[s] for s in self.sources],
            "notes": [n.to_dict() for n in self.notes],
            "disclaimer": dict(self.disclaimer),
        }

    def _repr_html_(self) -> str:
        need = {
            True: "probably needed",
            False: "probably not needed",
            None: "ask the municipality",
        }[self.permit_needed]
        items = "".join(f"<li>{n.code.value}</li>" for n in (*self.reasons, *self.notes))
        return (
            f"<b>Solar panels and bygglov</b> ({self.case}): {need}<ul>{items}</ul>"
            f"<small>{self.disclaimer['en']}</small>"
        )


#: What applies in every case.
_NOTES = (
    Note(PermitNote.ANGLED_PANELS),
    Note(PermitNote.LOAD_BEARING),
    Note(PermitNote.CAREFUL),
)


def permit_guidance(plan: PlanContext) -> PermitGuidance:
    """The case that applies to panels following the roof's shape on this property."""
    protecting = tuple(r for r in plan.rules if r.protects_culture)
    solar_rules = tuple(r for r in plan.rules if r.requires_permit_for_solar)
    if plan.national_interest_defence:
        return _guidance("defence", True, (Note(PermitNote.DEFENCE),), ("PBL 9:3c", "MB 3:9"))
    if solar_rules:
        reasons = tuple(
            Note(PermitNote.PLAN_REQUIRES, {"rule": r.code, "wording": r.wording})
            for r in solar_rules
        )
        return _guidance("plan_requires", True, reasons, ("PBL 9:3c", "PBL 9:8"), solar_rules)
    if protecting:
        reasons = tuple(
            Note(PermitNote.PROTECTED, {"rule": r.code, "provision": r.category or r.wording})
            for r in protecting
        )
        sources = ("PBL 9:3c", "PBL 8:13", "PBL 9:2")
        return _guidance("protected", True, reasons, sources, protecting)
    if plan.national_interest_culture:
        reasons = (Note(PermitNote.NATIONAL_INTEREST_CULTURE),)
        sources = ("PBL 9:3c", "PBL 8:13", "MB 3:6")
        return _guidance("national_interest_culture", None, reasons, sources)
    if plan.in_detailed_plan:
        reasons = (Note(PermitNote.EXEMPT_IN_PLAN), Note(PermitNote.FOLLOW_PLAN))
        return _guidance("exempt_in_plan", False, reasons, ("PBL 9:3c", "PBL 10:2"))
    if plan.area_regulations:
        reasons = (Note(PermitNote.AREA_REGULATIONS),)
        return _guidance("area_regulations", None, reasons, ("PBL 9:8",))
    return _guidance("outside_plan", False, (Note(PermitNote.OUTSIDE_PLAN),), ("PBL 9:2",))


def _guidance(
    case: str,
    needed: bool | None,
    reasons: tuple[Note, ...],
    sources: tuple[str, ...],
    rules: tuple[PlanProvision, ...] = (),
) -> PermitGuidance:
    return PermitGuidance(
        case=case,
        permit_needed=needed,
        reasons=reasons,
        rules=rules,
        sources=sources,
        notes=_NOTES,
    )
