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

>>> q1 = PlanRule(code="q1", category="skydd av kulturvärden", wording="Får inte rivas.")
>>> g = permit_guidance(PlanContext(in_detailed_plan=True, rules=(q1,)))
>>> g.case, g.permit_needed
('protected', True)
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

__all__ = ["PermitGuidance", "PlanContext", "PlanRule", "permit_guidance"]

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
class PlanRule:
    """One plan provision touching the property, as the layer store gives it."""

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
    rules: tuple[PlanRule, ...] = ()
    plan_ids: tuple[str, ...] = ()
    national_interest_culture: bool = False
    national_interest_defence: bool = False
    area_regulations: bool = False

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class PermitGuidance:
    """Which case applies, whether a permit is likely needed, why, and the legal sources."""

    case: str
    permit_needed: bool | None
    reasons: tuple[str, ...]
    rules: tuple[PlanRule, ...] = ()
    sources: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    disclaimer: dict = field(default_factory=lambda: dict(DISCLAIMER))

    def to_dict(self) -> dict:
        body = asdict(self)
        body["sources"] = [SOURCES[s] for s in self.sources]
        return body

    def _repr_html_(self) -> str:
        need = {
            True: "bygglov krävs troligen",
            False: "bygglov krävs troligen inte",
            None: "kontakta kommunen",
        }[self.permit_needed]
        items = "".join(f"<li>{r}</li>" for r in self.reasons)
        return (
            f"<b>Solceller och bygglov</b>: {need}<ul>{items}</ul>"
            f"<small>{self.disclaimer['sv']}</small>"
        )


_NOTES = (
    "Paneler som vinklas upp från taket, eller ersätter taktäckningen, följer inte byggnadens "
    "form och kan kräva bygglov inom detaljplan.",
    "Anmälan kan krävas om takets bärande konstruktion eller brandskyddet påverkas "
    "(PBF 6 kap. 5 §).",
    "Ändringar ska alltid utföras varsamt (PBL 8 kap. 17 §).",
)


def permit_guidance(plan: PlanContext) -> PermitGuidance:
    """The case that applies to panels following the roof's shape on this property."""
    protecting = tuple(r for r in plan.rules if r.protects_culture)
    solar_rules = tuple(r for r in plan.rules if r.requires_permit_for_solar)
    if plan.national_interest_defence:
        return PermitGuidance(
            "defence",
            True,
            (
                "Fastigheten ligger inom eller intill ett område av riksintresse "
                "för totalförsvaret: undantaget från bygglov gäller inte.",
            ),
            sources=("PBL 9:3c", "MB 3:9"),
            notes=_NOTES,
        )
    if solar_rules:
        return PermitGuidance(
            "plan_requires",
            True,
            tuple(
                f"Detaljplanen kräver bygglov för solenergi ({r.code}: {r.wording})"
                for r in solar_rules
            ),
            rules=solar_rules,
            sources=("PBL 9:3c", "PBL 9:8"),
            notes=_NOTES,
        )
    if protecting:
        return PermitGuidance(
            "protected",
            True,
            tuple(
                f"Planen skyddar kulturvärden ({r.code}: {r.category or r.wording}): "
                "byggnaden eller området räknas som särskilt värdefullt, så undantaget från "
                "bygglov gäller inte."
                for r in protecting
            ),
            rules=protecting,
            sources=("PBL 9:3c", "PBL 8:13", "PBL 9:2"),
            notes=_NOTES,
        )
    if plan.national_interest_culture:
        return PermitGuidance(
            "national_interest_culture",
            None,
            (
                "Fastigheten ligger i ett riksintresse för kulturmiljövården. Byggnader där kan "
                "vara särskilt värdefulla (PBL 8 kap. 13 §) och då krävs bygglov; fråga "
                "kommunen.",
            ),
            sources=("PBL 9:3c", "PBL 8:13", "MB 3:6"),
            notes=_NOTES,
        )
    if plan.in_detailed_plan:
        return PermitGuidance(
            "exempt_in_plan",
            False,
            (
                "Inom detaljplan krävs inte bygglov för solceller som följer byggnadens form, och "
                "planen har inga skydds-, varsamhets- eller solenergibestämmelser här.",
                "Monteringen ska ändå följa detaljplanen.",
            ),
            sources=("PBL 9:3c", "PBL 10:2"),
            notes=_NOTES,
        )
    if plan.area_regulations:
        return PermitGuidance(
            "area_regulations",
            None,
            (
                "Fastigheten ligger utanför detaljplan men inom områdesbestämmelser, som kan "
                "kräva bygglov; fråga kommunen.",
            ),
            sources=("PBL 9:8",),
            notes=_NOTES,
        )
    return PermitGuidance(
        "outside_plan",
        False,
        ("Utanför detaljplan krävs inte bygglov för solceller på en byggnad.",),
        sources=("PBL 9:2",),
        notes=_NOTES,
    )
