"""Who owns the roof, and what a kWh is worth to them: one dated table of rates and rules.

Every rate, limit and default the PV estimate's money rests on is one :class:`Rate` row: its
value, the owner types it applies to (``private`` person, ``company``, ``housing`` for a
bostadsrättsförening), the days it is valid, its sources as cited, what they say (an English
note the report translates) and whether it is ``law``, ``statistics`` or our own ``estimate``.
:func:`rate` picks the row in force on a day, so a report made on 2026-11-30 uses what applied
then (grönt teknikavdrag 15 % for private persons only, no skattereduktion för mikroproduktion
since 1 January 2026). The rows were checked against their sources on :data:`CHECK_DATE`; the
law rows come from the propositions' and the authorities' texts as quoted by the sources named
(read 2026-11-30), guidance, not advice.

The money model on top is small and stated: each month the panels cover at most the share of
that month's use that falls in daylight (``daytime_share``; the rest is sold), the yearly
saving shrinks with the panels' degradation, and the payback is the year the discounted
savings have repaid the investment (:func:`discounted_payback`).

>>> rate("green_deduction", dt.date(2026, 11, 30), "private").value
0.15
>>> rate("green_deduction", dt.date(2024, 6, 1), "private").value
0.2
>>> rate("green_deduction", dt.date(2026, 11, 30), "company").value
0.0
>>> rate("export_tax_credit_sek_kwh", dt.date(2025, 12, 31), "private").value
0.6
>>> rate("export_tax_credit_sek_kwh", dt.date(2026, 1, 1), "private").value
0.0
>>> monthly_self_use((100.0, 300.0), (400.0, 400.0), 0.5)
(100.0, 200.0)
>>> discounted_payback(1000.0, 250.0, 0.0, 0.0, 25)
4.0
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

__all__ = [
    "CHECK_DATE",
    "OWNERS",
    "RATES",
    "USE_PROFILES",
    "Rate",
    "discounted_payback",
    "monthly_self_use",
    "net_present_value",
    "rate",
    "rates_in_force",
]

#: The owner types: a private person, a company, a housing association (bostadsrättsförening).
OWNERS = ("private", "company", "housing")
#: The day the table was last checked against its sources.
CHECK_DATE = dt.date(2026, 11, 30)

_ALL = OWNERS
_PRIVATE = ("private",)
_OTHERS = ("company", "housing")

_PROP = "Prop. 2024/25:109 Förändrade skattesubventioner för solceller och mikroproduktion av el"
GREEN_LAW = "Inkomstskattelagen (1999:1229) 67 kap.; lagen (2020:1066)"
GREEN_CHANGES = f"{GREEN_LAW}; {_PROP}"


def _l(message: str) -> str:
    """Mark ``message`` for extraction (pybabel ``-k _l``); the report words it at use."""
    return message


@dataclass(frozen=True)
class Rate:
    """One row of the table: a value, who and when it applies to, and where it comes from.

    ``citation`` names the sources as cited (statutes with SFS numbers, propositions, authorities,
    papers; the same in every language, empty for our estimates), ``note`` says what they say
    (English, a message id); ``kind`` is ``law``, ``statistics`` or ``estimate`` (ours).
    """

    key: str
    value: float
    unit: str
    owners: tuple[str, ...]
    valid_from: dt.date
    valid_to: dt.date | None
    citation: str
    note: str
    kind: str

    def applies(self, day: dt.date, owner: str) -> bool:
        """Whether this row is the one for ``owner`` on ``day``."""
        ends = self.valid_to is None or day <= self.valid_to
        return owner in self.owners and self.valid_from <= day and ends

    def to_dict(self) -> dict[str, Any]:
        body = asdict(self)
        body["owners"] = list(self.owners)
        body["valid_from"] = self.valid_from.isoformat()
        body["valid_to"] = None if self.valid_to is None else self.valid_to.isoformat()
        return body


def _d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


_EVER = _d("2000-01-01")

RATES: tuple[Rate, ...] = (
    Rate(
        "green_deduction",
        0.15,
        "share",
        _PRIVATE,
        _d("2021-01-01"),
        _d("2022-12-31"),
        GREEN_CHANGES,
        _l("Only private persons: 15 % for solar cells, the rate before 2023."),
        "law",
    ),
    Rate(
        "green_deduction",
        0.20,
        "share",
        _PRIVATE,
        _d("2023-01-01"),
        _d("2025-06-30"),
        GREEN_CHANGES,
        _l("Only private persons: raised to 20 % from 1 January 2023."),
        "law",
    ),
    Rate(
        "green_deduction",
        0.15,
        "share",
        _PRIVATE,
        _d("2025-07-01"),
        None,
        GREEN_CHANGES,
        _l("Only private persons: lowered to 15 % for final payments after 30 June 2025."),
        "law",
    ),
    Rate(
        "green_deduction",
        0.0,
        "share",
        _OTHERS,
        _EVER,
        None,
        GREEN_LAW,
        _l("Only private persons: companies and housing associations get no green deduction."),
        "law",
    ),
    Rate(
        "green_deduction_max_sek",
        50_000.0,
        "SEK",
        _ALL,
        _d("2021-01-01"),
        None,
        GREEN_LAW,
        _l("At most 50 000 SEK per person and year."),
        "law",
    ),
    Rate(
        "green_deduction_share_of_price",
        0.97,
        "share",
        _ALL,
        _d("2021-01-01"),
        None,
        "Skatteverket",
        _l("A fixed price counts as 97 % work and material (schablon)."),
        "law",
    ),
    Rate(
        "export_tax_credit_sek_kwh",
        0.60,
        "SEK/kWh",
        _ALL,
        _d("2015-01-01"),
        _d("2025-12-31"),
        "Inkomstskattelagen (1999:1229) 67 kap. 27–33 §§",
        _l("60 öre per sold kWh, at most 30 000 kWh a year, with a fuse of at most 100 A."),
        "law",
    ),
    Rate(
        "export_tax_credit_sek_kwh",
        0.0,
        "SEK/kWh",
        _ALL,
        _d("2026-01-01"),
        None,
        _PROP,
        _l("The tax credit for micro-production is abolished from 1 January 2026."),
        "law",
    ),
    Rate(
        "micro_production_kw",
        43.5,
        "kW",
        _ALL,
        _d("2010-07-01"),
        None,
        "Ellagen (1997:857) 4 kap. 10 §; Energimarknadsbyrån",
        _l(
            "No fee for feeding in with a fuse of at most 63 A, at most 43.5 kW fed in, and "
            "more taken out than fed in over a calendar year."
        ),
        "law",
    ),
    Rate(
        "energy_tax_free_kwp",
        500.0,
        "kWp",
        _ALL,
        _d("2021-07-01"),
        None,
        "Lagen (1994:1776) om skatt på energi 11 kap. 2 §; prop. 2020/21:113",
        _l("Self-used solar power is free of energy tax below 500 kW peak power (255 kW before)."),
        "law",
    ),
    Rate(
        "vat",
        0.25,
        "share",
        _ALL,
        _EVER,
        None,
        "Mervärdesskattelagen (2023:200)",
        _l(
            "25 %; a company deducts the VAT it pays, a private person and a housing "
            "association (its flats are exempt) do not."
        ),
        "law",
    ),
    Rate(
        "use_kwh",
        20_000.0,
        "kWh",
        _PRIVATE,
        _EVER,
        None,
        "SCB; Energimarknadsbyrån",
        _l(
            "SCB's typical customer: a villa with electric heating uses ≈ 20 000 kWh a year, "
            "≈ 5 000 kWh without (read 2026-11-30)."
        ),
        "statistics",
    ),
    Rate(
        "use_kwh_per_m2",
        30.0,
        "kWh/m²",
        ("housing",),
        _EVER,
        None,
        "Sveby",
        _l(
            "The standard for household electricity in flats: 30 kWh per m² Atemp and year; "
            "the floor area is the buildings' footprint × floors (estimate)."
        ),
        "statistics",
    ),
    Rate(
        "use_kwh_per_m2",
        50.0,
        "kWh/m²",
        ("company",),
        _EVER,
        None,
        "",
        _l("Our estimate for premises and industry (no national figure): enter your own use."),
        "estimate",
    ),
    Rate(
        "daytime_share",
        0.5,
        "share",
        ("private", "housing"),
        _EVER,
        None,
        "",
        _l("Our estimate: half of a home's monthly use falls in hours when the panels produce."),
        "estimate",
    ),
    Rate(
        "daytime_share",
        0.7,
        "share",
        ("company",),
        _EVER,
        None,
        "",
        _l("Our estimate: most of a business's use falls in working hours, when panels produce."),
        "estimate",
    ),
    Rate(
        "degradation",
        0.005,
        "share/year",
        _ALL,
        _EVER,
        None,
        "Jordan & Kurtz, Photovoltaic Degradation Rates — an Analytical Review (NREL, 2013)",
        _l("The median is 0.5 % a year."),
        "statistics",
    ),
    Rate(
        "discount_rate",
        0.03,
        "share/year",
        _ALL,
        _EVER,
        None,
        "",
        _l("Our estimate: a real discount rate of 3 % a year (what the money could earn instead)."),
        "estimate",
    ),
)

#: Each owner type's use per month as shares of the year (estimates: a villa heated by
#: electricity uses most in winter, flats less so, a business about the same every day).
USE_PROFILES: dict[str, tuple[float, ...]] = {
    "private": (0.14, 0.12, 0.11, 0.08, 0.06, 0.05, 0.05, 0.05, 0.06, 0.08, 0.10, 0.10),
    "housing": (0.10, 0.09, 0.09, 0.08, 0.07, 0.07, 0.07, 0.07, 0.08, 0.09, 0.09, 0.10),
    "company": tuple(d / 365 for d in (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)),
}


def rate(key: str, day: dt.date, owner: str) -> Rate:
    """The row of ``key`` in force for ``owner`` on ``day``.

    Raises
    ------
    KeyError
        No row applies (an unknown key or owner type, or a day before the first row).
    """
    for row in RATES:
        if row.key == key and row.applies(day, owner):
            return row
    raise KeyError(f"no rate {key!r} for {owner!r} on {day.isoformat()}")


def rates_in_force(day: dt.date, owner: str) -> tuple[Rate, ...]:
    """Every row that applies to ``owner`` on ``day``, in the table's order.

    >>> [r.key for r in rates_in_force(CHECK_DATE, "company")][:2]
    ['green_deduction', 'green_deduction_max_sek']
    """
    return tuple(row for row in RATES if row.applies(day, owner))


def monthly_self_use(
    production: Sequence[float], use: Sequence[float], daytime_share: float
) -> tuple[float, ...]:
    """Each month's self-used kWh: the production, at most the month's daylight use."""
    return tuple(min(p, daytime_share * u) for p, u in zip(production, use, strict=True))


def _discounted(first_year: float, degradation: float, discount: float, year: int) -> float:
    return first_year * (1 - degradation) ** (year - 1) / (1 + discount) ** year


def net_present_value(
    investment: float, first_year: float, degradation: float, discount: float, years: int
) -> float:
    """The savings over ``years``, shrinking and discounted, less the investment.

    >>> round(net_present_value(1000.0, 100.0, 0.0, 0.0, 25))
    1500
    """
    return sum(_discounted(first_year, degradation, discount, t) for t in range(1, years + 1)) - (
        investment
    )


def discounted_payback(
    investment: float, first_year: float, degradation: float, discount: float, years: int
) -> float | None:
    """The years until the discounted savings repay ``investment``; None if not within
    ``years`` (the system's lifetime).

    >>> discounted_payback(1000.0, 30.0, 0.005, 0.03, 25) is None
    True
    >>> round(discounted_payback(1000.0, 100.0, 0.005, 0.0, 25), 1)
    10.2
    """
    if first_year <= 0:
        return None
    left = investment
    for year in range(1, years + 1):
        saved = _discounted(first_year, degradation, discount, year)
        if saved >= left:
            return year - 1 + left / saved
        left -= saved
    return None
