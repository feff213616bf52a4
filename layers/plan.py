"""Detaljplaner and their bestämmelser as stored: plans, användningsbestämmelser (uses) and
egenskapsbestämmelser (rules), per Boverket's BFS 2020:5.

>>> from shapely import box
>>> plan = Plan(plan_id="2281K-DP231", name="Lärkan", plan_type="detaljplan",
...             status="laga kraft", adopted=dt.date(2021, 2, 15),
...             legal_force=dt.date(2021, 3, 15), implementation_years=10, authority=None,
...             document=None, geometry=box(0, 0, 1, 1))
>>> plan.implementation_end, plan.implementation_status(dt.date(2026, 11, 27))
(datetime.date(2031, 3, 15), 'running')
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import ClassVar

from shapely.geometry.base import BaseGeometry

from layers.crs import STORAGE_CRS
from layers.models import Feature

#: Plans that gained legal force before PBL (1 July 1987) have no genomförandetid left.
PBL_START = dt.date(1987, 7, 1)
IN_FORCE = "laga kraft"


def add_years(day: dt.date, years: int) -> dt.date:
    """``day`` plus whole years; 29 February becomes 28 February in a common year.

    >>> add_years(dt.date(2020, 2, 29), 1)
    datetime.date(2021, 2, 28)
    """
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


@dataclass(frozen=True)
class Plan(Feature):
    """A detaljplan (or older stadsplan/byggnadsplan) with its dates and genomförandetid."""

    plan_id: str
    name: str
    plan_type: str | None
    status: str
    adopted: dt.date | None
    legal_force: dt.date | None
    implementation_years: int | None
    authority: str | None
    document: str | None
    geometry: BaseGeometry
    crs: str = STORAGE_CRS

    id_field: ClassVar[str] = "plan_id"

    @property
    def in_force(self) -> bool:
        """True for a plan that has gained legal force (laga kraft)."""
        return self.status == IN_FORCE and self.legal_force is not None

    @property
    def implementation_end(self) -> dt.date | None:
        """When the genomförandetid ends: laga kraft plus the years (None if unknown)."""
        if self.legal_force is None or self.implementation_years is None:
            return None
        return add_years(self.legal_force, int(self.implementation_years))

    def implementation_status(self, today: dt.date | None = None) -> str:
        """``running``, ``ended`` (also for pre-PBL plans without one) or ``not in force``."""
        legal_force = self.legal_force
        if not self.in_force or legal_force is None:
            return "not in force"
        end = self.implementation_end
        if end is None:
            return (
                "ended"
                if legal_force < PBL_START or self.implementation_years is None
                else "running"
            )
        return "running" if (today or dt.date.today()) < end else "ended"


@dataclass(frozen=True)
class PlanUse(Feature):
    """An användningsbestämmelse area (B, C, J, E, GATA, PARK, NATUR …)."""

    use_id: str
    plan_id: str
    code: str
    wording: str | None
    land_form: str | None
    catalogue_code: str | None
    geometry: BaseGeometry
    crs: str = STORAGE_CRS

    id_field: ClassVar[str] = "use_id"


@dataclass(frozen=True)
class PlanRule(Feature):
    """An egenskapsbestämmelse area (e1, h1, prickmark, korsmark, q1 …)."""

    rule_id: str
    plan_id: str
    code: str
    category: str | None
    wording: str | None
    value: float | None
    unit: str | None
    catalogue_code: str | None
    geometry: BaseGeometry
    crs: str = STORAGE_CRS

    id_field: ClassVar[str] = "rule_id"
