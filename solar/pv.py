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
from dataclasses import asdict, dataclass, field, fields
from typing import Any

from solar.economics import (
    CHECK_DATE,
    OWNERS,
    USE_PROFILES,
    discounted_payback,
    monthly_self_use,
    net_present_value,
    rate,
)
from solar.errors import InvalidAssumption
from solar.notes import Note, PotentialNote
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
    owner
        Who owns the roof: ``private`` person, ``company`` or ``housing`` (a
        bostadsrättsförening); :meth:`for_owner` takes each one's rates from
        :data:`solar.economics.RATES`.
    household_kwh
        Yearly electricity use of the property (a villa heated by electricity uses
        ≈ 20 000 kWh, SCB's typical customer).
    use_profile
        The use's monthly shares, January to December.
    daytime_share
        Share of a month's use that falls in hours when the panels produce: each month the
        panels cover at most this much of the use, the rest of the production is sold.
    self_use_share
        A fixed share of the production used on the property instead of the monthly model
        (None: the monthly model).
    degradation
        Yearly loss of the panels' output (0.5 %: NREL's median).
    discount_rate
        Real discount rate for the payback and the net present value.
    vat, vat_deductible
        The VAT rate, and whether the owner deducts it (a company): then prices count
        without VAT.
    micro_production_kw
        The limit of micro-production (ellagen 4 kap. 10 §): above it feeding in may cost a fee.
    energy_tax_free_kwp
        Self-used solar power is free of energy tax below this peak power.
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
        Years the system produces, for the payback and the net present value.
    rates_date
        The day the rates of :data:`solar.economics.RATES` were taken for.
    """

    module_w_per_m2: float = 200.0
    system_loss: float = 0.14
    pitched_share: float = 0.7
    flat_share: float = 0.5
    flat_tilt_below: float = 10.0
    min_class: str = "good"
    min_face_m2: float = 10.0
    owner: str = "private"
    household_kwh: float = 20_000.0
    use_profile: tuple[float, ...] = field(default=USE_PROFILES["private"])
    daytime_share: float = 0.5
    self_use_share: float | None = None
    degradation: float = 0.005
    discount_rate: float = 0.03
    vat: float = 0.25
    vat_deductible: bool = False
    micro_production_kw: float = 43.5
    energy_tax_free_kwp: float = 500.0
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
    rates_date: str = CHECK_DATE.isoformat()

    def __post_init__(self) -> None:
        shares: tuple[str, ...] = (
            "system_loss",
            "pitched_share",
            "flat_share",
            "daytime_share",
            "green_deduction",
            "green_deduction_share_of_price",
            "vat",
        )
        if self.self_use_share is not None:
            shares += ("self_use_share",)
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
        self._check_economics()

    def _check_economics(self) -> None:
        for name in ("monthly_share", "use_profile"):
            values = getattr(self, name)
            if len(values) != 12 or abs(sum(values) - 1) > 0.01:
                raise InvalidAssumption(f"{name} needs 12 shares adding up to 1")
        if self.owner not in OWNERS:
            raise InvalidAssumption(f"owner must be one of {', '.join(OWNERS)}, not {self.owner!r}")
        if not (0 <= self.degradation <= 0.05 and 0 <= self.discount_rate <= 0.2):
            raise InvalidAssumption("degradation must lie in [0, 0.05], discount_rate in [0, 0.2]")
        for name in ("green_deduction_date", "rates_date"):
            try:
                dt.date.fromisoformat(getattr(self, name))
            except ValueError as err:
                raise InvalidAssumption(
                    f"{name} {getattr(self, name)!r} is not a date (YYYY-MM-DD)"
                ) from err

    @classmethod
    def for_owner(
        cls,
        owner: str = "private",
        day: dt.date = CHECK_DATE,
        use_kwh: float | None = None,
        floor_m2: float | None = None,
        **changes: Any,
    ) -> PVAssumptions:
        """The assumptions of ``owner`` with the rates in force on ``day``.

        The yearly use is ``use_kwh`` when given, else the owner type's default: a fixed
        figure for a private person, ``floor_m2`` × a figure per m² for the others.

        >>> a = PVAssumptions.for_owner("company", floor_m2=1000.0)
        >>> a.green_deduction, a.household_kwh, a.vat_deductible
        (0.0, 50000.0, True)
        """
        if owner not in OWNERS:
            raise InvalidAssumption(f"owner must be one of {', '.join(OWNERS)}, not {owner!r}")

        def value(key: str) -> float:
            return rate(key, day, owner).value

        if use_kwh is None and owner != "private" and floor_m2 is not None and floor_m2 > 0:
            use_kwh = value("use_kwh_per_m2") * floor_m2
        elif use_kwh is None:
            use_kwh = rate("use_kwh", day, "private").value
        deduction = rate("green_deduction", day, owner)
        return cls(
            **{
                "owner": owner,
                "household_kwh": round(use_kwh, 1),
                "use_profile": USE_PROFILES[owner],
                "daytime_share": value("daytime_share"),
                "degradation": value("degradation"),
                "discount_rate": value("discount_rate"),
                "vat": value("vat"),
                "vat_deductible": owner == "company",
                "micro_production_kw": value("micro_production_kw"),
                "energy_tax_free_kwp": value("energy_tax_free_kwp"),
                "export_tax_credit_sek_kwh": value("export_tax_credit_sek_kwh"),
                "green_deduction": deduction.value,
                "green_deduction_date": deduction.valid_from.isoformat(),
                "green_deduction_max_sek": value("green_deduction_max_sek"),
                "green_deduction_share_of_price": value("green_deduction_share_of_price"),
                "rates_date": day.isoformat(),
                **changes,
            }
        )

    def to_dict(self) -> dict[str, Any]:
        """The assumptions as JSON-ready values."""
        return {
            **asdict(self),
            "monthly_share": list(self.monthly_share),
            "use_profile": list(self.use_profile),
        }


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
    self_use_kwh: float = 0.0
    export_kwh: float = 0.0
    monthly_self_use_kwh: tuple[float, ...] = (0.0,) * 12
    notes: tuple[Note, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The estimate and its assumptions as JSON-ready values."""
        body = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "notes"}
        body["monthly_kwh"] = list(self.monthly_kwh)
        body["monthly_self_use_kwh"] = list(self.monthly_self_use_kwh)
        body["assumptions"] = self.assumptions.to_dict()
        body["notes"] = [n.to_dict() for n in self.notes]
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
    monthly = tuple(annual * share for share in a.monthly_share)
    if a.self_use_share is None:
        use = tuple(a.household_kwh * share for share in a.use_profile)
        monthly_self = monthly_self_use(monthly, use, a.daytime_share)
    else:
        monthly_self = tuple(m * a.self_use_share for m in monthly)
    self_used = sum(monthly_self)
    sold = annual - self_used
    without_vat = 1 / (1 + a.vat) if a.vat_deductible else 1.0
    savings = self_used * a.purchase_sek_kwh * without_vat + sold * (
        a.export_sek_kwh + a.export_tax_credit_sek_kwh
    )
    price = kwp * a.cost_sek_per_kwp * without_vat
    deduction = min(
        price * a.green_deduction_share_of_price * a.green_deduction, a.green_deduction_max_sek
    )
    investment = price - deduction
    payback = (
        discounted_payback(investment, savings, a.degradation, a.discount_rate, a.lifetime_years)
        if kwp > 0
        else None
    )
    return PVEstimate(
        faces_used=len(usable),
        usable_m2=round(area, 1),
        peak_kwp=round(kwp, 2),
        annual_kwh=annual,
        monthly_kwh=monthly,
        household_share=min(annual / a.household_kwh, 1.0),
        savings_sek_year=savings,
        investment_sek=investment,
        green_deduction_sek=deduction,
        payback_years=round(payback, 1) if payback is not None else None,
        lifetime_net_sek=net_present_value(
            investment, savings, a.degradation, a.discount_rate, a.lifetime_years
        ),
        co2_kg_year=annual * a.co2_g_per_kwh / 1000.0,
        assumptions=a,
        self_use_kwh=self_used,
        export_kwh=sold,
        monthly_self_use_kwh=monthly_self,
        notes=limit_notes(kwp, annual, a),
    )


def limit_notes(kwp: float, annual_kwh: float, a: PVAssumptions) -> tuple[Note, ...]:
    """What the law's limits mean for a system of ``kwp`` producing ``annual_kwh``.

    >>> [n.code.value for n in limit_notes(60.0, 50_000.0, PVAssumptions())]
    ['over_micro_production', 'net_producer']
    """
    notes = []
    if kwp > a.micro_production_kw:
        notes.append(
            Note(
                PotentialNote.OVER_MICRO_PRODUCTION,
                {"kwp": round(kwp, 1), "limit": a.micro_production_kw},
            )
        )
    if kwp > 0 and annual_kwh > a.household_kwh:
        notes.append(Note(PotentialNote.NET_PRODUCER))
    if kwp >= a.energy_tax_free_kwp:
        notes.append(
            Note(PotentialNote.ENERGY_TAX, {"kwp": round(kwp, 1), "limit": a.energy_tax_free_kwp})
        )
    return tuple(notes)
