"""Who the owner probably is, and the floor area their default use is derived from.

The building register says what a building is used for (``småhus``, ``flerbostadshus``,
``industri`` …). The property's main building (the largest that is not an outbuilding) gives
the default owner type: a villa or terraced house a private person, a block of flats a
housing association (bostadsrättsförening), industry and other business a company. The owner
may choose another type and enter their own yearly use; the report says which it used.

>>> from types import SimpleNamespace as B
>>> flats = [
...     B(use="flerbostadshus", area=400.0, floors=5),
...     B(use="komplementbyggnad", area=30.0, floors=1),
... ]
>>> guess_owner(flats), floor_area(flats)
('housing', 2000.0)
>>> guess_owner([B(use="industri", area=900.0, floors=None)]), guess_owner([])
('company', 'private')
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any, Protocol

from solar.economics import Rate, rates_in_force
from solar.pv import PVAssumptions

__all__ = ["OwnerProfile", "floor_area", "guess_owner", "owner_profile"]

#: The owner type a main building's use suggests; any other use suggests a private person.
OWNER_BY_USE = {
    "småhus": "private",
    "radhus": "private",
    "flerbostadshus": "housing",
    "industri": "company",
    "verksamhet": "company",
}
#: Uses that are never the main building.
OUTBUILDINGS = frozenset({"komplementbyggnad", "transformatorstation"})


class _Building(Protocol):
    @property
    def use(self) -> str | None: ...
    @property
    def area(self) -> float: ...
    @property
    def floors(self) -> int | None: ...


def _main(buildings: Sequence[_Building]) -> list[_Building]:
    return [b for b in buildings if (b.use or "") not in OUTBUILDINGS]


def guess_owner(buildings: Sequence[_Building]) -> str:
    """The owner type the property's largest main building suggests."""
    main = sorted(_main(buildings), key=lambda b: b.area, reverse=True)
    return OWNER_BY_USE.get(main[0].use or "", "private") if main else "private"


def floor_area(buildings: Sequence[_Building]) -> float:
    """The main buildings' floor area, estimated as footprint × floors (1 when not known)."""
    return round(sum(b.area * (b.floors or 1) for b in _main(buildings)), 1)


@dataclass(frozen=True)
class OwnerProfile:
    """The owner type and yearly use a report's estimate used, and where each came from.

    ``guessed`` is True when the type comes from the buildings' use (not chosen);
    ``use_source`` is ``entered`` (the owner's own figure), ``per_m2`` (floor area × a
    figure per m²) or ``default`` (the owner type's fixed figure).
    """

    owner: str
    guessed: bool
    use_kwh: float
    use_source: str
    floor_m2: float
    rates_date: str
    rates: tuple[Rate, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        body = asdict(self)
        body["rates"] = [r.to_dict() for r in self.rates]
        return body


def owner_profile(
    buildings: Sequence[_Building],
    owner: str | None,
    use_kwh: float | None,
    day: dt.date,
    **changes: Any,
) -> tuple[OwnerProfile, PVAssumptions]:
    """The owner's profile and PV assumptions: the chosen or guessed type, the entered or
    default use, the rates in force on ``day`` and the owner's other ``changes``."""
    kind = owner or guess_owner(buildings)
    area = floor_area(buildings)
    assumptions = PVAssumptions.for_owner(kind, day, use_kwh, area or None, **changes)
    if use_kwh is not None:
        source = "entered"
    else:
        source = "per_m2" if kind != "private" and area > 0 else "default"
    profile = OwnerProfile(
        kind,
        owner is None,
        assumptions.household_kwh,
        source,
        area,
        day.isoformat(),
        rates_in_force(day, kind),
    )
    return profile, assumptions
