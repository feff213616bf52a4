"""Words for the building check ("Kan jag bygga?"): its checks, procedures and kinds in sv and en.

The check (:mod:`layers.building_check`) returns codes and values; this module words them from
the service's gettext catalogs, like :mod:`mapservice.wording` does for the report's notes (a
sibling module, so that one stays small). No Flask.

>>> procedure_text("none", "en")
'Neither a building permit nor a notification is needed.'
>>> procedure_text("bygglov", "sv")
'Bygglov krävs.'
"""

from __future__ import annotations

from typing import Any

from layers.building_check import BuildingCheck, Check
from layers.permit_rules import CHECK_DATE
from mapservice.wording import _l, gettext

__all__ = [
    "GUIDANCE",
    "KINDS",
    "PRESET_NAMES",
    "PROCEDURES",
    "check_json",
    "check_text",
    "loss_text",
    "no_loss_text",
    "procedure_text",
]

#: Said with every answer.
GUIDANCE = _l(
    "Guidance, not a decision: the municipality's building committee decides. The rules are "
    "those in force on %(date)s (PBL as amended by SFS 2025:974); some readings are unverified."
)

PROCEDURES: dict[str, str] = {
    "bygglov": _l("A building permit (bygglov) is needed."),
    "anmalan": _l("A notification (anmälan) and a start notice are needed."),
    "none": _l("Neither a building permit nor a notification is needed."),
    "not_allowed": _l(
        "Not allowed as drawn: the building breaks the plan, so a permit would be refused "
        "unless the deviation is small."
    ),
}

KINDS: dict[str, str] = {
    "main_building": _l("main building"),
    "extension": _l("extension"),
    "komplementbyggnad": _l("outbuilding (komplementbyggnad)"),
    "komplementbostadshus": _l("annex dwelling (komplementbostadshus)"),
    "friggebod": _l("friggebod-type outbuilding"),
    "attefall_house": _l("attefall-type house"),
    "attefall_extension": _l("attefall-type extension"),
    "carport": _l("carport"),
    "dormer": _l("dormer"),
}

#: The page's presets (:data:`mapservice.web.building_query.PRESETS`).
PRESET_NAMES: dict[str, str] = {
    "garage": _l("Garage 6 × 4 m"),
    "friggebod": _l("Friggebod 15 m²"),
    "attefallshus": _l("Attefall-type house 30 m²"),
    "tillbyggnad": _l("Extension 15 m²"),
}

#: The sentence of each check, by (code, status); placeholders are the check's values.
CHECKS: dict[tuple[str, str], str] = {
    ("inside_property", "ok"): _l("The building lies inside the property."),
    ("inside_property", "conflict"): _l(
        "%(outside_m2)s m² of the building lies outside the property."
    ),
    ("land_use", "ok"): _l("The building stands on kvartersmark for its use (%(uses)s)."),
    ("land_use", "conflict"): _l(
        "The plan's use here (%(uses)s) does not allow the building, or it stands on public "
        "land (%(public_m2)s m²)."
    ),
    ("prickmark", "ok"): _l("The building is not on prickmark."),
    ("prickmark", "conflict"): _l(
        "%(area_m2)s m² of the building is on prickmark, where the plan allows no building."
    ),
    ("korsmark", "ok"): _l("Korsmark (only outbuildings) does not stop this building."),
    ("korsmark", "conflict"): _l(
        "%(area_m2)s m² is on korsmark, where only outbuildings may stand."
    ),
    ("building_area", "ok"): _l(
        "Building area after the build: %(after_m2)s m², within the plan's limit (%(max_m2)s m²)."
    ),
    ("building_area", "conflict"): _l(
        "Building area after the build: %(after_m2)s m², %(over_m2)s m² over the plan's "
        "%(max_m2)s m² (%(remaining_m2)s m² are left)."
    ),
    ("height", "ok"): _l("Height %(height_m)s m is within the plan's limit."),
    ("height", "conflict"): _l("Height %(height_m)s m is over the plan's %(max_m)s m (%(rule)s)."),
    ("height", "unknown"): _l(
        "The plan limits the building height (byggnadshöjd) to %(max_m)s m; whether a ridge "
        "at %(height_m)s m keeps within it depends on the roof."
    ),
    ("area_regulations", "unknown"): _l(
        "Outside a detailed development plan: area regulations (områdesbestämmelser) are not "
        "in this data set, ask the municipality. Sammanhållen bebyggelse no longer matters for "
        "these exemptions."
    ),
    ("protection", "ok"): _l("No protection provisions (q, r, k) on the property."),
    ("protection", "conflict"): _l(
        "The plan protects the property (%(rules)s): exemptions from the building permit do "
        "not apply, and a neighbour's consent cannot change that."
    ),
    ("permit_required", "ok"): _l("The plan's extra permit requirement does not cover this."),
    ("permit_required", "conflict"): _l(
        "The plan requires a building permit here (%(rules)s): the exemption does not apply."
    ),
    ("total_defence", "ok"): _l(
        "The building is not in an area of national interest for total defence."
    ),
    ("total_defence", "conflict"): _l(
        "The building is in an area of national interest for total defence (riksintresse för "
        "totalförsvaret): the exemptions from the building permit do not apply there."
    ),
    ("total_defence", "unknown"): _l(
        "Cannot tell: no layer of the areas of national interest for total defence is loaded "
        "(some are secret). In them the exemptions do not apply: ask the municipality."
    ),
    ("railway", "ok"): _l(
        "%(distance_m)s m to the nearest railway track (closer than %(min_m)s m needs the "
        "infrastructure manager's written consent)."
    ),
    ("railway", "conflict"): _l(
        "Only %(distance_m)s m to a railway's track centre: closer than %(min_m)s m needs the "
        "infrastructure manager's written consent, or a building permit."
    ),
    ("railway", "unknown"): _l(
        "Cannot tell: no railway data is loaded. Closer than %(min_m)s m to a railway's track "
        "centre the building needs the infrastructure manager's written consent, or a building "
        "permit."
    ),
    ("earlier_annexes", "ok"): _l(
        "No outbuildings on the property count against the exemption's total."
    ),
    ("earlier_annexes", "unknown"): _l(
        "The %(existing_m2)s m² of outbuildings on the property were counted against the "
        "%(max_total_m2)s m² total as if built without a permit; ones built with a permit may "
        "not count: the register does not say, ask the municipality."
    ),
    ("earlier_extensions", "unknown"): _l(
        "Cannot tell: earlier extensions built without a permit count against the "
        "%(max_area_m2)s m² too, and the register does not record them."
    ),
    ("exemption_size", "ok"): _l(
        "Within the exemption: %(area_m2)s m² of %(max_area_m2)s m², ridge %(height_m)s m of "
        "%(max_height_m)s m, %(total_m2)s m² of %(max_total_m2)s m² in total on the property."
    ),
    ("exemption_size", "conflict"): _l(
        "Over the exemption's limits (%(max_area_m2)s m², ridge %(max_height_m)s m, "
        "%(max_total_m2)s m² in total, smaller than the main building): %(area_m2)s m², "
        "%(height_m)s m, %(total_m2)s m² in total."
    ),
    ("extension_size", "ok"): _l(
        "Within the exemption for extensions: %(area_m2)s m² of %(max_area_m2)s m² (earlier "
        "exempt extensions count too), not above the ridge."
    ),
    ("extension_size", "conflict"): _l(
        "Over the exemption for extensions: %(area_m2)s m² (at most %(max_area_m2)s m² in "
        "total) or above the building's ridge."
    ),
    ("extension_size", "unknown"): _l(
        "Cannot tell whether the extension stays below the ridge: no existing building next "
        "to it, or its height is not recorded."
    ),
    ("plan_deviation", "ok"): _l(
        "The building deviates from the plan, which an exempt outbuilding, annex dwelling or "
        "extension to a one- or two-dwelling house may do (never against protection rules); "
        "it may count against building rights in later permits."
    ),
    ("plan_deviation", "conflict"): _l(
        "The building deviates from the plan and is not one of the measures allowed to do so "
        "without a permit: a building permit is needed."
    ),
    ("boundary_distance", "ok"): _l(
        "%(distance_m)s m to the boundary (%(min_m)s m needed without the neighbours' written "
        "consent)."
    ),
    ("boundary_distance", "conflict"): _l(
        "Only %(distance_m)s m to the boundary: closer than %(min_m)s m needs every affected "
        "neighbour's written consent, or a building permit."
    ),
    ("anmalan_triggers", "unknown"): _l(
        "A notification (anmälan) is needed if you install water and drains, ventilation or a "
        "fireplace (PBF 6 kap. 1 §)."
    ),
}


#: What the building costs one roof in sun, over and under the noticeable share.
LOSS = _l("%(kwh)s kWh a year less sun (%(share)s %% of the roof's)")
NO_LOSS = _l(
    "no noticeable loss: %(kwh)s kWh a year, %(share)s %% of the roof's sun, under %(limit)s %%"
)
#: Said when no roof loses a noticeable share.
NO_ROOF = _l(
    "The building takes no noticeable sun from any roof: a loss under %(limit)s %% of a roof's "
    "yearly sun is smaller than the sunshine differs from one year to the next."
)


def loss_text(kwh: float, share: float, noticeable: bool, limit: float, lang: str) -> str:
    """What a roof loses, as a sentence's end; under ``limit`` (a share) "no noticeable loss",
    the figure still given (an estimate of irradiation).

    >>> loss_text(312, 0.0034, False, 0.01, "en")
    "no noticeable loss: 312 kWh a year, 0.3 % of the roof's sun, under 1 %"
    >>> loss_text(1329, 0.0146, True, 0.01, "sv")
    '1329 kWh mindre sol per år (1,5 % av takets)'
    """
    params = {
        "kwh": _number(float(round(kwh)), lang),
        "share": _number(round(share * 100, 1), lang),
        "limit": _number(round(limit * 100, 1), lang),
    }
    return gettext(lang, LOSS if noticeable else NO_LOSS) % params


def no_loss_text(limit: float, lang: str) -> str:
    """The sentence for a building that takes no roof a noticeable share (``limit``) of sun."""
    return gettext(lang, NO_ROOF) % {"limit": _number(round(limit * 100, 1), lang)}


def procedure_text(procedure: str, lang: str) -> str:
    """What the procedure means, in ``lang``."""
    return gettext(lang, PROCEDURES[procedure])


def check_text(check: Check, lang: str) -> str:
    """The sentence of one check, in ``lang``."""
    params = _Blank({k: _number(v, lang) for k, v in check.values.items()})
    return gettext(lang, CHECKS[(check.code.value, check.status.value)]) % params


def _number(value: object, lang: str) -> object:
    if isinstance(value, float):
        text = f"{value:g}"
        return text.replace(".", ",") if lang == "sv" else text
    return value


class _Blank(dict[str, object]):
    """Values for a sentence; one the check has not got (no limit there) reads as a dash."""

    def __missing__(self, key: str) -> str:
        return "–"


def check_json(result: BuildingCheck, lang: str) -> dict[str, Any]:
    """The check as the API answers it, every code worded in ``lang``."""
    body = result.to_dict()
    for item, check in zip(body["checks"], result.checks, strict=True):
        item["text"] = check_text(check, lang)
    body["procedure_text"] = procedure_text(result.procedure.value, lang)
    body["kind_text"] = gettext(lang, KINDS[body["kind"]])
    body["guidance"] = gettext(lang, GUIDANCE, date=CHECK_DATE.isoformat())
    return body
