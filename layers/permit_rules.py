"""The rules a planned building is checked against: one dated table, each row with its source.

The table holds what the building check (:mod:`layers.building_check`) applies: which measures
need a bygglov, an anmälan or neither, and the limits of the exemptions, as in force on
:data:`CHECK_DATE` after the reform of PBL 9 kap. by Lag (2025:974) (in force 1 December 2025;
all of 9 kap. renumbered, friggebod and attefall merged into one rule for komplementbyggnader)
and of PBF 6 kap. by förordning (2025:979). Every row names its law, chapter, section and the
SFS number of the amendment in force, and whether the reading is verified: the section numbers
come from secondary texts that quote riksdagen's text (read 2026-09-28), not from a primary
reading (docs/BUILDING_CHECK.md says which and why). Guidance, not a decision.

>>> RULES["R02"].reference.text()
'PBL (2010:900) 9 kap. 4 § (SFS 2025:974)'
>>> limits(in_plan=True).building_area, limits(in_plan=False).total_area
(30.0, 65.0)
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from layers.models import Model

__all__ = [
    "BOUNDARY_DISTANCE",
    "CHECK_DATE",
    "EXTENSION_AREA",
    "RAILWAY_DISTANCE",
    "RULES",
    "ExemptionLimits",
    "Procedure",
    "Reference",
    "Rule",
    "limits",
]

#: The day the table was last checked against its sources.
CHECK_DATE = dt.date(2026, 11, 30)
#: The newest reading of the law text the table rests on (through secondary quotations).
SOURCES_READ = dt.date(2026, 9, 28)


class Procedure(StrEnum):
    """What a measure needs before work starts."""

    BYGGLOV = "bygglov"  # a building permit (and then a startbesked)
    ANMALAN = "anmalan"  # a notification and a startbesked
    NONE = "none"  # neither
    NOT_ALLOWED = "not_allowed"  # against the plan: a permit would be refused as drawn


@dataclass(frozen=True)
class Reference(Model):
    """A legal reference: statute, chapter, section(s) and the amendment in force."""

    law: str
    chapter: int
    section: str
    sfs: str

    def text(self) -> str:
        """The reference as cited, e.g. ``PBL (2010:900) 9 kap. 3 § (SFS 2025:974)``.

        >>> Reference("PBF (2011:338)", 6, "1", "2025:979").text()
        'PBF (2011:338) 6 kap. 1 § (SFS 2025:979)'
        """
        return f"{self.law} {self.chapter} kap. {self.section} § (SFS {self.sfs})"


PBL = "PBL (2010:900)"
PBF = "PBF (2011:338)"


@dataclass(frozen=True)
class Rule(Model):
    """One row of the table: the measure, what it needs, its source and how sure the reading is.

    ``verified`` is False for readings the research could not confirm (docs/BUILDING_CHECK.md).
    """

    rule_id: str
    measure: str
    procedure: Procedure | None
    reference: Reference
    verified: bool
    checked: dt.date = CHECK_DATE

    def to_dict(self) -> dict[str, Any]:
        body = super().to_dict()
        body["reference"] = self.reference.text()
        return body


def _rule(
    rule_id: str,
    measure: str,
    procedure: Procedure | None,
    chapter: int,
    section: str,
    *,
    law: str = PBL,
    sfs: str = "2025:974",
    verified: bool = True,
) -> Rule:
    return Rule(rule_id, measure, procedure, Reference(law, chapter, section, sfs), verified)


B, A, N = Procedure.BYGGLOV, Procedure.ANMALAN, Procedure.NONE
#: The rule table (ids as in the research note of issue 15), as in force on :data:`CHECK_DATE`.
RULES: dict[str, Rule] = {
    r.rule_id: r
    for r in (
        _rule("R01", "nybyggnad (main building)", B, 9, "3"),
        _rule("R02", "komplementbyggnad inside a detaljplan within the limits", N, 9, "4"),
        _rule("R03", "komplementbyggnad outside a detaljplan within the limits", N, 9, "5"),
        _rule(
            "R04",
            "komplementbostadshus: anmälan if water, drains or a fireplace",
            A,
            6,
            "1",
            law=PBF,
            sfs="2025:979",
            verified=False,
        ),
        _rule("R05", "komplementbyggnad over a limit", B, 9, "3"),
        _rule("R06", "tillbyggnad ≤ 30 m², not above the ridge", N, 9, "9–10"),
        _rule("R07", "tillbyggnad over 30 m² or above the ridge", B, 9, "9"),
        _rule("R08", "takkupa counted as a tillbyggnad", None, 9, "9–10", verified=False),
        _rule(
            "R09",
            "lovfri measure closer than 30 m to a railway's track centre without the "
            "infrastructure manager's consent",
            B,
            9,
            "34–35",
            verified=False,
        ),
        _rule("R10", "lovfri measure closer than 4.5 m to a boundary", B, 9, "34–35"),
        _rule("R11", "skyddsbestämmelser or a particularly valuable area", B, 9, "37"),
        _rule(
            "R12",
            "lovfri measure in an area of riksintresse för totalförsvaret",
            B,
            9,
            "34–37",
            verified=False,
        ),
        _rule("R13", "utökad lovplikt in the plan", B, 9, "2", verified=False),
        _rule("R15", "plan deviation allowed for listed lovfria measures", None, 10, "2 a"),
        _rule(
            "R16",
            "earlier lovfria komplementbyggnader and tillbyggnader count against the totals",
            None,
            9,
            "4–5, 9–10",
        ),
        _rule(
            "R17",
            "PBF triggers for anmälan (VA, ventilation, load-bearing parts)",
            A,
            6,
            "1",
            law=PBF,
            sfs="2025:979",
        ),
        _rule("P01", "planenlighet: prickmark, korsmark, use, e- and h-rules", None, 10, "2"),
    )
}


@dataclass(frozen=True)
class ExemptionLimits(Model):
    """The limits of the komplementbyggnad exemption (m², m)."""

    building_area: float
    ridge_height: float
    total_area: float
    rule_id: str


INSIDE_PLAN = ExemptionLimits(30.0, 4.0, 45.0, "R02")
OUTSIDE_PLAN = ExemptionLimits(50.0, 4.5, 65.0, "R03")
#: The largest lovfri tillbyggnad (bruttoarea, cumulative), inside and outside a plan (m²).
EXTENSION_AREA = 30.0
#: Closer than this to a boundary a lovfri measure needs the neighbours' written consent (m).
BOUNDARY_DISTANCE = 4.5
#: Closer than this to a railway's track centre a lovfri measure needs the infrastructure
#: manager's consent (m; R09).
RAILWAY_DISTANCE = 30.0


def limits(*, in_plan: bool) -> ExemptionLimits:
    """The komplementbyggnad limits inside or outside a detaljplan."""
    return INSIDE_PLAN if in_plan else OUTSIDE_PLAN
