"""The planned building and the answers of its check: kinds, check codes, statuses, results.

Typed models of :mod:`layers.building_check`, codes only (``mapservice`` words them).

>>> from shapely import box
>>> PlannedBuilding(box(0, 0, 5, 6), 3.5, "friggebod").area
30.0
>>> PlannedBuilding(box(0, 0, 5, 6), 3.5, "shed")
Traceback (most recent call last):
...
layers.errors.InvalidBuilding: unknown kind of building 'shed'
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import Any

import shapely
from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry

from layers.errors import InvalidBuilding
from layers.models import Model
from layers.notes import NoteValue
from layers.permit_rules import CHECK_DATE, RULES, Procedure
from layers.rights import area

__all__ = [
    "ANNEXES",
    "DWELLINGS",
    "EXTENSIONS",
    "PLAN_CHECKS",
    "BuildingCheck",
    "BuildingKind",
    "Check",
    "CheckCode",
    "PlannedBuilding",
    "Status",
]

#: The largest footprint (m²) and height (m) a check accepts.
MAX_AREA, MAX_HEIGHT = 10_000.0, 100.0


class BuildingKind(StrEnum):
    """What is planned. Friggebod and attefall are older names: since 1 December 2025 the law
    knows komplementbyggnad, komplementbostadshus and tillbyggnad (Lag 2025:974)."""

    MAIN = "main_building"
    EXTENSION = "extension"
    KOMPLEMENTBYGGNAD = "komplementbyggnad"
    KOMPLEMENTBOSTADSHUS = "komplementbostadshus"
    FRIGGEBOD = "friggebod"
    ATTEFALL_HOUSE = "attefall_house"
    ATTEFALL_EXTENSION = "attefall_extension"
    CARPORT = "carport"
    DORMER = "dormer"


ANNEXES = {
    BuildingKind.KOMPLEMENTBYGGNAD,
    BuildingKind.FRIGGEBOD,
    BuildingKind.CARPORT,
    BuildingKind.KOMPLEMENTBOSTADSHUS,
    BuildingKind.ATTEFALL_HOUSE,
}
DWELLINGS = {BuildingKind.KOMPLEMENTBOSTADSHUS, BuildingKind.ATTEFALL_HOUSE}
EXTENSIONS = {BuildingKind.EXTENSION, BuildingKind.ATTEFALL_EXTENSION, BuildingKind.DORMER}


class Status(StrEnum):
    OK = "ok"
    CONFLICT = "conflict"
    UNKNOWN = "unknown"


class CheckCode(StrEnum):
    """The rules checked, in the order they are reported."""

    INSIDE_PROPERTY = "inside_property"
    LAND_USE = "land_use"
    PRICKMARK = "prickmark"
    KORSMARK = "korsmark"
    BUILDING_AREA = "building_area"
    HEIGHT = "height"
    AREA_REGULATIONS = "area_regulations"
    PROTECTION = "protection"
    PERMIT_REQUIRED = "permit_required"
    TOTAL_DEFENCE = "total_defence"
    RAILWAY = "railway"
    EXEMPTION_SIZE = "exemption_size"
    EXTENSION_SIZE = "extension_size"
    EARLIER_ANNEXES = "earlier_annexes"
    EARLIER_EXTENSIONS = "earlier_extensions"
    PLAN_DEVIATION = "plan_deviation"
    BOUNDARY_DISTANCE = "boundary_distance"
    ANMALAN_TRIGGERS = "anmalan_triggers"


#: The checks that together say whether the building follows the plan.
PLAN_CHECKS = (
    CheckCode.LAND_USE,
    CheckCode.PRICKMARK,
    CheckCode.KORSMARK,
    CheckCode.BUILDING_AREA,
    CheckCode.HEIGHT,
)


@dataclass(frozen=True)
class PlannedBuilding(Model):
    """A planned building: footprint (SWEREF 99 TM), height to the ridge (m), kind, and whether
    every affected neighbour consents in writing."""

    geometry: BaseGeometry
    height_m: float
    kind: BuildingKind | str
    neighbour_consent: bool = False

    def __post_init__(self) -> None:
        try:
            object.__setattr__(self, "kind", BuildingKind(self.kind))
        except ValueError as err:
            raise InvalidBuilding(f"unknown kind of building {self.kind!r}") from err
        g = self.geometry
        if shapely.get_type_id(g) != 3 or g.is_empty or not g.is_valid:
            raise InvalidBuilding("the footprint must be one valid polygon")
        if not 1.0 <= g.area <= MAX_AREA:
            raise InvalidBuilding(f"the footprint must cover 1 to {MAX_AREA:g} m², not {g.area:g}")
        if not (math.isfinite(self.height_m) and 0 < self.height_m <= MAX_HEIGHT):
            raise InvalidBuilding(f"the height must lie in (0, {MAX_HEIGHT:g}] m")

    @property
    def area(self) -> float:
        """The footprint's area (m², 0.1 m²)."""
        return area(self.geometry.area)


@dataclass(frozen=True)
class Check(Model):
    """One rule applied: its code, status, the values decided on and the rule table's row."""

    code: CheckCode
    status: Status
    rule_id: str
    values: Mapping[str, NoteValue] = field(default_factory=lambda: MappingProxyType({}))

    def to_dict(self) -> dict[str, Any]:
        rule = RULES[self.rule_id]
        return {
            "code": self.code.value,
            "status": self.status.value,
            "values": dict(self.values),
            "rule": self.rule_id,
            "source": rule.reference.text(),
            "verified": rule.verified,
            "checked": rule.checked.isoformat(),
        }


@dataclass(frozen=True)
class BuildingCheck(Model):
    """The answer: the procedure, the rule it follows from and every check, on ``check_date``."""

    unit_id: str
    designation: str
    building: PlannedBuilding
    in_plan: bool
    procedure: Procedure
    procedure_rule: str
    checks: tuple[Check, ...]
    check_date: dt.date = CHECK_DATE

    def check(self, code: CheckCode) -> Check | None:
        """The check of ``code``, if it was made."""
        return next((c for c in self.checks if c.code == code), None)

    def to_dict(self) -> dict[str, Any]:
        rule = RULES[self.procedure_rule]
        return {
            "unit_id": self.unit_id,
            "designation": self.designation,
            "kind": str(self.building.kind),
            "area_m2": self.building.area,
            "height_m": self.building.height_m,
            "neighbour_consent": self.building.neighbour_consent,
            "in_plan": self.in_plan,
            "procedure": self.procedure.value,
            "procedure_rule": self.procedure_rule,
            "procedure_source": rule.reference.text(),
            "checks": [c.to_dict() for c in self.checks],
            "check_date": self.check_date.isoformat(),
        }

    @property
    def __geo_interface__(self) -> dict[str, Any]:
        return {
            "type": "Feature",
            "geometry": mapping(self.building.geometry),
            "properties": {"procedure": self.procedure.value},
        }
