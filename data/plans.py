"""Detaljplaner of the sample, per Boverket's BFS 2020:5 way of describing a plan.

Five plans: a 1964 stadsplan, plans from 1992, 2005 and 2021 (all laga kraft) and one plan
under work. Each plan is tiled by its användningsbestämmelser (B, C, J, E, GATA, PARK, NATUR);
egenskapsbestämmelser (e1, h1, prickmark, korsmark, q1) are drawn over the kvartersmark.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal

import geopandas as gpd
import shapely
from shapely.geometry import box
from shapely.geometry.base import BaseGeometry

from data.cadastre import lot_geometry, unit_uuid
from data.layout import Block, Layout
from data.names import HARNOSAND, SUNDSVALL


@dataclass(frozen=True)
class PlanSpec:
    """A plan's attributes and extent in local metres."""

    plan_id: str
    name: str
    plan_type: str
    status: str
    adopted: dt.date | None
    legal_force: dt.date | None
    implementation_years: int | None
    extent: tuple[float, float, float, float]


PLANS = [
    PlanSpec(
        "2281K-S112",
        "Stadsplan för Björkåsen",
        "stadsplan",
        "laga kraft",
        dt.date(1964, 3, 2),
        dt.date(1964, 5, 12),
        None,
        (0, 0, 600, 600),
    ),
    PlanSpec(
        "2281K-DP145",
        "Detaljplan för Lövsättra",
        "detaljplan",
        "laga kraft",
        dt.date(1992, 4, 27),
        dt.date(1992, 6, 1),
        15,
        (0, 600, 600, 900),
    ),
    PlanSpec(
        "2281K-DP188",
        "Detaljplan för Stenhälla industriområde",
        "detaljplan",
        "laga kraft",
        dt.date(2005, 9, 26),
        dt.date(2005, 10, 24),
        10,
        (600, 0, 1200, 386),
    ),
    PlanSpec(
        "2281K-DP231",
        "Detaljplan för kvarteren Lärkan och Svalan",
        "detaljplan",
        "laga kraft",
        dt.date(2021, 2, 15),
        dt.date(2021, 3, 15),
        10,
        (600, 386, 1200, 600),
    ),
    PlanSpec(
        "2281K-DP240",
        "Detaljplan för Granmyra (samrådsförslag)",
        "detaljplan",
        "under arbete",
        None,
        None,
        10,
        (600, 600, 1200, 956),
    ),
]

#: Härnösand's one plan over its whole neighbourhood (local metres of that neighbourhood).
HARNOSAND_PLANS = [
    PlanSpec(
        "2280K-DP52",
        "Detaljplan för Björkåsen och Klockmyra",
        "detaljplan",
        "laga kraft",
        dt.date(2012, 5, 21),
        dt.date(2012, 6, 18),
        10,
        (0, 0, *HARNOSAND.size),
    ),
]

USES = {
    "B": ("Bostäder", "kvartersmark", "DP_KM_B2"),
    "C": ("Centrum", "kvartersmark", "DP_KM_C2"),
    "J": ("Industri", "kvartersmark", "DP_KM_J2"),
    "E": ("Tekniska anläggningar", "kvartersmark", "DP_KM_E2"),
    "GATA": ("Gata", "allmän plats", "DP_AP_Gata"),
    "PARK": ("Park", "allmän plats", "DP_AP_Park"),
    "NATUR": ("Natur", "allmän plats", "DP_AP_Natur"),
}

BLOCK_USE = {
    "villa": "B",
    "radhus": "B",
    "kvarter_b": "B",
    "kvarter_c": "C",
    "industrial": "J",
    "park": "PARK",
    "natur": "NATUR",
}

E_PERCENT = (
    "Största byggnadsarea är {v} % av fastighetsarean inom egenskapsområdet.",
    "DP_KM_Eg_Utnytt_StorstaAreaProc_ByggnadsEgen",
)
E_AREA = ("Största byggnadsarea är {v} m² per fastighet.", "DP_KM_Eg_Utnytt_StorstaArea_Fastighet")
H_RIDGE = ("Högsta nockhöjd är {v} meter.", "DP_KM_Eg_Hojd_HogstaHojd_Nockhojd")
PRICK = ("Marken får inte förses med byggnad.", "DP_KM_Eg_Begr_MarkEjByggnad")
KORS = ("Marken får endast förses med komplementbyggnad.", "DP_KM_Eg_Begr_MarkKomplement")
Q_CULTURE = (
    "Kulturhistoriskt värdefull miljö. Ändring av byggnad ska utföras varsamt så att "
    "områdets karaktär och byggnadernas tidstypiska utformning bevaras.",
    "DP_KM_Eg_Skydd_Kulturvarden",
)

#: Where on a block a rule is drawn: the whole block, its street edges (prickmark of that
#: depth), or a strip along the middle (korsmark of that width).
Where = Literal["block"] | tuple[Literal["edges", "middle"], float]
#: One rule: (code, category, (wording, bestämmelsekod), value, unit, where).
RuleSpec = tuple[str, str, tuple[str, str], float | None, str | None, Where]

#: Rules per plan and block kind.
RULES: dict[tuple[str, str], list[RuleSpec]] = {
    ("2281K-S112", "villa"): [
        ("e1", "utnyttjandegrad", E_PERCENT, 20, "%", "block"),
        ("h1", "höjd", H_RIDGE, 7.5, "m", "block"),
        ("prickmark", "prickmark", PRICK, None, None, ("edges", 6.0)),
    ],
    ("2281K-DP145", "villa"): [
        ("e1", "utnyttjandegrad", E_AREA, 200, "m²", "block"),
        ("h1", "höjd", H_RIDGE, 8.0, "m", "block"),
        ("prickmark", "prickmark", PRICK, None, None, ("edges", 4.5)),
        ("korsmark", "korsmark", KORS, None, None, ("middle", 8.0)),
    ],
    ("2281K-DP188", "industrial"): [
        ("e1", "utnyttjandegrad", E_PERCENT, 50, "%", "block"),
        ("h1", "höjd", H_RIDGE, 12.0, "m", "block"),
        ("prickmark", "prickmark", PRICK, None, None, ("edges", 10.0)),
    ],
    ("2281K-DP231", "kvarter_b"): [
        ("e1", "utnyttjandegrad", E_PERCENT, 30, "%", "block"),
        ("h1", "höjd", H_RIDGE, 16.0, "m", "block"),
        ("prickmark", "prickmark", PRICK, None, None, ("edges", 3.0)),
        ("korsmark", "korsmark", KORS, None, None, ("middle", 20.0)),
    ],
    ("2281K-DP231", "kvarter_c"): [
        ("e1", "utnyttjandegrad", E_PERCENT, 60, "%", "block"),
        ("h1", "höjd", H_RIDGE, 14.0, "m", "block"),
        ("prickmark", "prickmark", PRICK, None, None, ("edges", 3.0)),
    ],
    ("2281K-DP240", "villa"): [
        ("e1", "utnyttjandegrad", E_AREA, 250, "m²", "block"),
        ("h1", "höjd", H_RIDGE, 8.5, "m", "block"),
        ("prickmark", "prickmark", PRICK, None, None, ("edges", 6.0)),
    ],
    ("2280K-DP52", "villa"): [
        ("e1", "utnyttjandegrad", E_AREA, 180, "m²", "block"),
        ("h1", "höjd", H_RIDGE, 7.0, "m", "block"),
        ("prickmark", "prickmark", PRICK, None, None, ("edges", 5.0)),
    ],
    ("2281K-DP240", "radhus"): [
        ("e1", "utnyttjandegrad", E_PERCENT, 35, "%", "block"),
        ("h1", "höjd", H_RIDGE, 9.0, "m", "block"),
    ],
}

#: The two oldest villa blocks of the 1964 plan carry a protective q1 rule.
Q_BLOCKS = {("BJÖRKÅSEN", 2), ("BJÖRKÅSEN", 3)}


def swedish_number(value: float) -> str:
    """A number as Swedish text writes it: decimal comma, no trailing zeros.

    >>> swedish_number(7.5), swedish_number(20), swedish_number(12.0)
    ('7,5', '20', '12')
    """
    return f"{value:g}".replace(".", ",")


def _rule_shape(block: Block, where: Where) -> BaseGeometry:
    x0, y0, x1, y1 = block.rect
    if where == "block":
        return box(x0, y0, x1, y1)
    kind, size = where
    if kind == "edges":
        return shapely.union_all([box(x0, y0, x1, y0 + size), box(x0, y1 - size, x1, y1)])
    ym = (y0 + y1) / 2
    return box(x0, ym - size / 2, x1, ym + size / 2)


def make_plans(
    layout: Layout, specs: list[PlanSpec] = PLANS, authority: str = SUNDSVALL.authority
) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """Plans, användningsbestämmelser and egenskapsbestämmelser as three frames in local metres.

    ``specs`` are the plans to draw over ``layout`` (Sundsvall's five by default) and
    ``authority`` the kommun that adopted them.
    """
    plans: list[dict[str, Any]] = []
    uses: list[dict[str, Any]] = []
    rules: list[dict[str, Any]] = []
    transformer = [lot_geometry(lot) for lot in layout.lots if lot.kind == "transformer"]
    for spec in specs:
        extent = box(*spec.extent)
        plans.append(
            {
                "plan_id": spec.plan_id,
                "name": spec.name,
                "plan_type": spec.plan_type,
                "status": spec.status,
                "adopted": spec.adopted,
                "legal_force": spec.legal_force,
                "implementation_years": spec.implementation_years,
                "authority": authority,
                "document": f"documents/{spec.plan_id}.html",
                "geometry": extent,
            }
        )
        pieces: list[tuple[str, BaseGeometry]] = []
        for block in layout.blocks:
            piece = box(*block.rect).intersection(extent)
            if piece.area < 1.0:
                continue
            code = BLOCK_USE[block.kind]
            if code == "J" and transformer:
                electric = shapely.union_all(transformer).intersection(piece)
                if electric.area > 0:
                    pieces.append(("E", electric))
                    piece = piece.difference(electric)
            pieces.append((code, piece))
            rules.extend(_block_rules(spec, block, extent))
        streets = extent.difference(shapely.union_all([geom for _, geom in pieces]))
        if streets.area > 0:
            pieces.append(("GATA", streets))
        for k, (code, geom) in enumerate(pieces):
            wording, form, catalogue = USES[code]
            uses.append(
                {
                    "use_id": unit_uuid(f"{spec.plan_id}/use/{k}"),
                    "plan_id": spec.plan_id,
                    "code": code,
                    "wording": wording,
                    "land_form": form,
                    "catalogue_code": catalogue,
                    "geometry": geom,
                }
            )
    plan, use, rule = (gpd.GeoDataFrame(rows, geometry="geometry") for rows in (plans, uses, rules))
    return plan, use, rule


def _block_rules(spec: PlanSpec, block: Block, extent: BaseGeometry) -> list[dict[str, Any]]:
    out = []
    specs = list(RULES.get((spec.plan_id, block.kind), []))
    if spec.plan_id == "2281K-S112" and (block.trakt, block.number) in Q_BLOCKS:
        specs.append(("q1", "skydd av kulturvärden", Q_CULTURE, None, None, "block"))
    for code, category, (wording, catalogue), value, unit, where in specs:
        geom = _rule_shape(block, where).intersection(extent)
        if geom.area < 1.0:
            continue
        text = wording.format(v=swedish_number(value)) if value is not None else wording
        out.append(
            {
                "rule_id": unit_uuid(
                    f"{spec.plan_id}/{block.trakt}/{block.number}/{block.kind}/{code}"
                ),
                "plan_id": spec.plan_id,
                "code": code,
                "category": category,
                "wording": text,
                "value": None if value is None else float(value),
                "unit": unit,
                "catalogue_code": catalogue,
                "geometry": geom,
            }
        )
    return out
