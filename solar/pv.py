"""A PV estimate for a roof: usable area, peak power, production, money and CO₂.

Every number comes from :class:`PVAssumptions`, which travels with the :class:`PVEstimate`, so
a report can always say what it assumed. The model is deliberately simple and transparent, as
PVGIS's is: the annual irradiation on each usable face (from the solar map) times the module
efficiency (module power per m² at 1000 W/m²) times (1 − system loss).

>>> from solar.pv import FaceInput, estimate_pv
>>> pv = estimate_pv([FaceInput(area_m2=40.0, tilt=30.0, irradiation=1000.0, suitability="good")])
>>> pv.usable_m2, pv.peak_kwp, round(pv.annual_kwh)
(28.0, 5.6, 4816)
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any

from solar.errors import InvalidAssumption
from solar.suitability import CLASSES

__all__ = ["FaceInput", "PVAssumptions", "PVEstimate", "estimate_pv"]

#: Monthly shares of the default climate's global horizontal irradiation (Sundsvall), Jan–Dec.
MONTHLY_SHARE = (0.006, 0.022, 0.068, 0.122, 0.170, 0.180, 0.170, 0.126, 0.082, 0.039, 0.011, 0.004)


@dataclass(frozen=True)
class PVAssumptions:
    """Every assumption of the PV estimate, with its default's reason.

    Attributes
    ----------
    module_w_per_m2
        Module peak power per m² of panel (today's 400–450 W modules of ≈ 2 m²: ≈ 200 W/m²).
    system_loss
        Cables, inverter, soiling, snow, temperature and mismatch: PVGIS's default 14 %.
    pitched_share
        Share of a pitched face that panels can cover (clearance at edges, ridge, chimneys).
    flat_share
        Share of a flat roof covered by tilted rows spaced against their own shade.
    flat_tilt_below
        Faces tilted less than this (degrees) count as flat.
    min_class
        Faces of this suitability class or better are used.
    min_face_m2
        Faces whose usable area is smaller are left out (fewer than ≈ 5 modules).
    household_kwh
        Yearly electricity use of the household, for the share covered (a villa with a heat
        pump uses ≈ 15 000 kWh).
    self_use_share
        Share of the production used in the house (the rest is sold); ≈ 30–50 % without a
        battery.
    purchase_sek_kwh
        What a bought kWh costs all in (spot, grid fee, energy tax, VAT), SE2.
    export_sek_kwh
        What a sold kWh earns (spot price and the grid's compensation), SE2.
    export_tax_credit_sek_kwh
        Skattereduktion for mikroproduktion per sold kWh: 0.60 until 2025, abolished from
        1 January 2026 (prop. 2024/25:109).
    cost_sek_per_kwp
        Installed price per kWp incl. VAT for a villa system.
    green_deduction
        Grönt avdrag (skattereduktion för installation av grön teknik) for solar cells: 15 % of
        work and material from 1 July 2025 (20 % before; prop. 2024/25:109).
    green_deduction_share_of_price
        Share of a fixed price that counts as work and material (Skatteverket's 97 %).
    green_deduction_max_sek
        Ceiling per person and year.
    green_deduction_date
        The date the deduction rate is valid from.
    co2_g_per_kwh
        Emissions avoided per kWh produced. The default, 40 g CO₂e/kWh, is roughly the Nordic
        electricity mix's life-cycle figure; a marginal (fossil) view would be ≈ 10 × higher.
    lifetime_years
        Years the system produces, for the net gain over its life (no degradation counted).
    """

    module_w_per_m2: float = 200.0
    system_loss: float = 0.14
    pitched_share: float = 0.7
    flat_share: float = 0.5
    flat_tilt_below: float = 10.0
    min_class: str = "good"
    min_face_m2: float = 10.0
    household_kwh: float = 15_000.0
    self_use_share: float = 0.4
    purchase_sek_kwh: float = 1.50
    export_sek_kwh: float = 0.40
    export_tax_credit_sek_kwh: float = 0.0
    cost_sek_per_kwp: float = 16_000.0
    green_deduction: float = 0.15
    green_deduction_share_of_price: float = 0.97
    green_deduction_max_sek: float = 50_000.0
    green_deduction_date: str = "2025-07-01"
    co2_g_per_kwh: float = 40.0
    lifetime_years: int = 25
    monthly_share: tuple[float, ...] = field(default=MONTHLY_SHARE)

    def __post_init__(self) -> None:
        shares = (
            "system_loss",
            "pitched_share",
            "flat_share",
            "self_use_share",
            "green_deduction",
            "green_deduction_share_of_price",
        )
        for name in shares:
            if not 0 <= getattr(self, name) <= 1:
                raise InvalidAssumption(f"{name} must lie in [0, 1], not {getattr(self, name)}")
        positive = (
            "module_w_per_m2",
            "household_kwh",
            "purchase_sek_kwh",
            "cost_sek_per_kwp",
            "lifetime_years",
        )
        for name in positive:
            if not getattr(self, name) > 0:
                raise InvalidAssumption(f"{name} must be positive, not {getattr(self, name)}")
        if self.min_class not in CLASSES:
            raise InvalidAssumption(
                f"min_class must be one of {', '.join(CLASSES)}, not {self.min_class!r}"
            )
        if len(self.monthly_share) != 12 or abs(sum(self.monthly_share) - 1) > 0.01:
            raise InvalidAssumption("monthly_share needs 12 shares adding up to 1")
        try:
            dt.date.fromisoformat(self.green_deduction_date)
        except ValueError as err:
            raise InvalidAssumption(
                f"green_deduction_date {self.green_deduction_date!r} is not a date (YYYY-MM-DD)"
            ) from err

    def to_dict(self) -> dict[str, Any]:
        """The assumptions as JSON-ready values."""
        return {**asdict(self), "monthly_share": list(self.monthly_share)}


@dataclass(frozen=True)
class FaceInput:
    """What the estimate needs of one roof face (tilted area, tilt, mean irradiation, class)."""

    area_m2: float
    tilt: float
    irradiation: float
    suitability: str


@dataclass(frozen=True)
class PVEstimate:
    """A PV system's estimate and the assumptions it rests on."""

    faces_used: int
    usable_m2: float
    peak_kwp: float
    annual_kwh: float
    monthly_kwh: tuple[float, ...]
    household_share: float
    savings_sek_year: float
    investment_sek: float
    green_deduction_sek: float
    payback_years: float | None
    lifetime_net_sek: float
    co2_kg_year: float
    assumptions: PVAssumptions

    def to_dict(self) -> dict[str, Any]:
        """The estimate and its assumptions as JSON-ready values."""
        body = asdict(self)
        body["monthly_kwh"] = list(self.monthly_kwh)
        body["assumptions"] = self.assumptions.to_dict()
        return body

    def _repr_html_(self) -> str:
        payback = f"{self.payback_years:.0f} years" if self.payback_years is not None else "never"
        return (
            f"<b>PV estimate</b>: {self.peak_kwp:.1f} kWp on {self.usable_m2:.0f} m², "
            f"{self.annual_kwh:,.0f} kWh/year ({self.household_share:.0%} of the "
            f"household), saves {self.savings_sek_year:,.0f} SEK/year, investment "
            f"{self.investment_sek:,.0f} SEK after grönt avdrag "
            f"{self.green_deduction_sek:,.0f} SEK, payback {payback}, "
            f"{self.co2_kg_year:,.0f} kg CO₂/year"
        )


def usable_area(face: FaceInput, assumptions: PVAssumptions) -> float:
    """The part of a face that panels cover (0 when it is too poor or too small)."""
    if CLASSES.index(face.suitability) < CLASSES.index(assumptions.min_class):
        return 0.0
    share = (
        assumptions.flat_share
        if face.tilt < assumptions.flat_tilt_below
        else assumptions.pitched_share
    )
    usable = face.area_m2 * share
    return usable if usable >= assumptions.min_face_m2 else 0.0


def estimate_pv(faces: list[FaceInput], assumptions: PVAssumptions | None = None) -> PVEstimate:
    """Estimate a PV system on the usable faces of a roof."""
    a = assumptions or PVAssumptions()
    usable = [(usable_area(f, a), f) for f in faces]
    usable = [(m2, f) for m2, f in usable if m2 > 0]
    area = sum(m2 for m2, _ in usable)
    efficiency = a.module_w_per_m2 / 1000.0
    annual = sum(m2 * f.irradiation for m2, f in usable) * efficiency * (1 - a.system_loss)
    kwp = area * a.module_w_per_m2 / 1000.0
    self_used = annual * a.self_use_share
    sold = annual - self_used
    savings = self_used * a.purchase_sek_kwh + sold * (
        a.export_sek_kwh + a.export_tax_credit_sek_kwh
    )
    price = kwp * a.cost_sek_per_kwp
    deduction = min(
        price * a.green_deduction_share_of_price * a.green_deduction, a.green_deduction_max_sek
    )
    investment = price - deduction
    payback = investment / savings if savings > 0 else None
    return PVEstimate(
        faces_used=len(usable),
        usable_m2=round(area, 1),
        peak_kwp=round(kwp, 2),
        annual_kwh=annual,
        monthly_kwh=tuple(annual * s for s in a.monthly_share),
        household_share=min(annual / a.household_kwh, 1.0),
        savings_sek_year=savings,
        investment_sek=investment,
        green_deduction_sek=deduction,
        payback_years=round(payback, 1) if payback is not None and kwp > 0 else None,
        lifetime_net_sek=savings * a.lifetime_years - investment,
        co2_kg_year=annual * a.co2_g_per_kwh / 1000.0,
        assumptions=a,
    )
