"""The property report: one register unit, its addresses, buildings, detaljplan and roofs.

:func:`build_report` composes :mod:`layers` (the property, its addresses and buildings, the
zoning overlay) and :mod:`solar` (roof statistics, faces, PV estimate, permit guidance, with the
plan rules handed over as plain :class:`~solar.permit.PlanContext`) into one typed
:class:`PropertyReport`, read from :class:`~mapservice.report.sources.ReportSources` (the layer
store, the solar map, the surface model and the data set, opened once and closed together).
Nothing here imports Flask: the web pages, the JSON API, the PDF, the command line and
notebooks all call :func:`build_report`.

>>> choices = OwnerChoices(price_sek_kwh=2.0, efficiency=0.22, roof_share=0.6)
>>> a = choices.assumptions()
>>> a.purchase_sek_kwh, a.module_w_per_m2, a.pitched_share
(2.0, 220.0, 0.6)
"""

from __future__ import annotations

import builtins
import dataclasses
import datetime as dt
import html
import math
from dataclasses import dataclass
from typing import Any

import shapely

from data.dataset import Dataset
from layers import zoning_report
from layers.models import Address, Building, Property
from layers.plan import PlanRule, PlanUse
from layers.zoning import ZoningReport
from mapservice.report import deadline
from mapservice.report.owner import OwnerProfile, owner_profile
from mapservice.report.sources import ReportSources, Source
from mapservice.report.summary import rates_json, summarise
from mapservice.wording import Wording, note_json, zoning_json
from solar import permit
from solar.economics import CHECK_DATE
from solar.errors import SolarMapNotFound
from solar.potential import Roof, SolarPotential, solar_potential
from solar.pv import PVAssumptions
from solar.suitability import Suitability

__all__ = ["NOTICE", "OwnerChoices", "PropertyReport", "build_report"]

#: The notice every map and report carries.
NOTICE = {"sv": "Kartan är inte rättsligt gällande.", "en": "The map is not legally binding."}
#: How far around the property the map's plan areas reach (m).
SURROUNDINGS_M = 60.0


@dataclass(frozen=True)
class OwnerChoices:
    """The assumptions an owner may change on the report page.

    ``price_sek_kwh`` is what a bought kWh costs, ``efficiency`` the modules' efficiency
    (0.20 = 200 W per m² of panel), ``roof_share`` the share of a pitched roof face the
    panels cover, ``owner`` the owner type (``private``, ``company``, ``housing``; None: guessed
    from the buildings' use) and ``use_kwh`` the property's yearly electricity use (None: the
    owner type's default). ``None`` keeps the default of :class:`~solar.pv.PVAssumptions`.
    """

    price_sek_kwh: float | None = None
    efficiency: float | None = None
    roof_share: float | None = None
    owner: str | None = None
    use_kwh: float | None = None

    def changes(self) -> dict[str, float]:
        """The physical and price assumptions these choices change."""
        changes = {
            "purchase_sek_kwh": self.price_sek_kwh,
            "module_w_per_m2": None
            if self.efficiency is None
            else round(self.efficiency * 1000, 3),
            "pitched_share": self.roof_share,
        }
        return {k: v for k, v in changes.items() if v is not None}

    def assumptions(self) -> PVAssumptions:
        """The PV assumptions with these choices applied (validated by PVAssumptions)."""
        return PVAssumptions.for_owner(
            self.owner or "private", CHECK_DATE, self.use_kwh, None, **self.changes()
        )

    def profile(
        self, buildings: tuple[Building, ...], day: dt.date
    ) -> tuple[OwnerProfile, PVAssumptions]:
        """The owner's profile and assumptions for a property's ``buildings`` on ``day``."""
        return owner_profile(buildings, self.owner, self.use_kwh, day, **self.changes())


@dataclass(frozen=True)
class PropertyReport:
    """Everything the owner's report says about one property.

    ``solar`` is None when no solar map covers the property (``solar_missing`` says why);
    ``building_classes`` gives each building's suitability class (its roof faces' mean);
    ``plan_areas`` are the användningsbestämmelser around the property and ``plan_rules`` the
    egenskapsbestämmelser (prickmark, korsmark, e1, h1 …) there, for the map.
    """

    property: Property
    kommun: str
    addresses: tuple[Address, ...]
    buildings: tuple[Building, ...]
    zoning: ZoningReport
    solar: SolarPotential | None
    solar_missing: str | None
    building_classes: dict[str, str]
    plan_areas: tuple[PlanUse, ...]
    sources: tuple[Source, ...]
    created: dt.datetime
    data_notice: dict[str, str] | None = None
    notice: dict[str, str] = dataclasses.field(default_factory=lambda: dict(NOTICE))
    owner: OwnerProfile | None = None
    plan_rules: tuple[PlanRule, ...] = ()

    # builtins.property: inside this class body the field ``property`` shadows the builtin
    @builtins.property
    def unit_id(self) -> str:
        return self.property.unit_id

    @builtins.property
    def designation(self) -> str:
        return str(self.property.designation)

    @builtins.property
    def in_plan(self) -> bool:
        """Whether any detaljplan in force covers part of the property."""
        return any(p.in_force for p in self.zoning.plans)

    def to_dict(self, lang: str = "sv") -> dict[str, Any]:
        """The report as JSON-ready values (geometries as GeoJSON in EPSG:3006).

        Notes (zoning, permit reasons, solar) are ``{"code", "params", "text"}`` and every
        source and rate has a ``text``, worded in ``lang``.
        """
        prop = self.property.to_dict()
        prop["designation"] = self.designation
        return {
            "lang": lang,
            "unit_id": self.unit_id,
            "designation": self.designation,
            "kommun": self.kommun,
            "created": self.created.isoformat(timespec="seconds"),
            "crs": self.property.crs,
            "property": prop,
            "addresses": [a.to_dict() for a in self.addresses],
            "buildings": [
                {**b.to_dict(), "solar_class": self.building_classes.get(b.building_id)}
                for b in self.buildings
            ],
            "zoning": zoning_json(self.zoning, lang) | {"buildings": None},
            "solar": _solar_json(self.solar, lang),
            "solar_missing": self.solar_missing,
            "owner": None
            if self.owner is None
            else self.owner.to_dict() | {"rates": rates_json(self.owner.rates, lang)},
            "sources": [s.to_dict() | {"text": _source_text(s, lang)} for s in self.sources],
            "summary": [fact.to_dict() for fact in summarise(self, lang)],
            "notice": self.notice,
            "data_notice": self.data_notice,
        }

    @builtins.property
    def __geo_interface__(self) -> dict[str, Any]:
        """The property and its buildings (with their solar class) as a FeatureCollection."""
        features = [self.property.__geo_interface__]
        for b in self.buildings:
            feature = b.__geo_interface__
            feature["properties"]["solar_class"] = self.building_classes.get(b.building_id)
            features.append(feature)
        return {"type": "FeatureCollection", "features": features}

    def _repr_html_(self) -> str:
        parts = [
            f"<h3>{html.escape(self.designation)}</h3>",
            f"<p>{html.escape(self.kommun)}, {self.property.area:,.1f} m², "
            f"{len(self.addresses)} address(es), {len(self.buildings)} building(s)</p>",
            self.zoning._repr_html_(),
        ]
        if self.solar is not None:
            parts.append(self.solar._repr_html_())
        parts.append(f"<p><em>{html.escape(self.notice['en'])}</em></p>")
        return "<div>" + "".join(parts) + "</div>"


def _solar_json(solar: SolarPotential | None, lang: str) -> dict[str, Any] | None:
    if solar is None:
        return None
    body = solar.to_dict()
    body["notes"] = [note_json(n, lang) for n in solar.notes]
    if solar.permit is not None:
        body["permit"]["reasons"] = [note_json(n, lang) for n in solar.permit.reasons]
        body["permit"]["notes"] = [note_json(n, lang) for n in solar.permit.notes]
    return body


def _source_text(source: Source, lang: str) -> str:
    name, detail = Wording(lang).source(source.key, source.name, source.detail)
    return f"{name} ({detail})" if detail else name


def build_report(
    sources: ReportSources,
    unit_id: str,
    choices: OwnerChoices | None = None,
    today: dt.date | None = None,
) -> PropertyReport:
    """The report of the property ``unit_id``.

    Raises
    ------
    layers.ParcelNotFound
        No register unit has this id.
    solar.errors.InvalidAssumption
        A changed assumption is out of its range.
    mapservice.errors.ReportTimeout
        A deadline (:mod:`mapservice.report.deadline`) passed between two steps.
    """
    store = sources.store
    prop = store.get_property(unit_id)
    deadline.check("zoning")
    zoning = zoning_report(store, prop, today)
    owner, assumptions = (choices or OwnerChoices()).profile(
        zoning.buildings, today or dt.date.today()
    )
    deadline.check("solar")
    solar, missing = _solar(sources, prop, zoning, assumptions)
    deadline.check("surroundings")
    around = shapely.box(*prop.geometry.buffer(SURROUNDINGS_M).bounds)
    return PropertyReport(
        property=prop,
        kommun=_kommun(prop, sources.dataset),
        addresses=tuple(store.addresses_of(unit_id)),
        buildings=zoning.buildings,
        zoning=zoning,
        solar=solar,
        solar_missing=missing,
        building_classes=_building_classes(solar, sources.suitability),
        plan_areas=tuple(store.plan_uses_over(around)),
        plan_rules=tuple(store.plan_rules_over(around)),
        sources=sources.sources(zoning),
        created=dt.datetime.now(dt.UTC).astimezone(),
        data_notice=_data_notice(sources.dataset),
        owner=owner,
    )


def _kommun(prop: Property, dataset: Dataset | None) -> str:
    area = prop.designation.registry_area or ""
    if dataset is not None and dataset.kommunkod == prop.kommunkod and dataset.kommun:
        return dataset.kommun
    return area.title()


def _data_notice(dataset: Dataset | None) -> dict[str, str] | None:
    """The notice that goes with fictitious data, or None for real data."""
    if dataset is None or not dataset.fictitious:
        return None
    return dict(dataset.notice)


def plan_context(zoning: ZoningReport) -> permit.PlanContext:
    """What the plans in force say, as the plain input :mod:`solar`'s permit guidance takes."""
    in_force = [p for p in zoning.plans if p.in_force]
    rules = tuple(
        permit.PlanProvision(r.code, r.category or "", r.wording or "", p.plan_id)
        for p in in_force
        for r in p.rules
    )
    return permit.PlanContext(
        in_detailed_plan=bool(in_force), rules=rules, plan_ids=tuple(p.plan_id for p in in_force)
    )


def _solar(
    sources: ReportSources, prop: Property, zoning: ZoningReport, assumptions: PVAssumptions
) -> tuple[SolarPotential | None, str | None]:
    if sources.solar_map is None:
        return None, "no_map"
    if not shapely.box(*sources.solar_map.bounds).intersects(prop.geometry):
        return None, "outside_map"  # e.g. another kommun of the store than the map's
    roofs = [Roof(b.geometry, b.building_id, b.roof_shape) for b in zoning.buildings]
    try:
        potential = solar_potential(
            prop.geometry,
            sources.solar_map,
            roofs,
            sources.surface,
            plan_context(zoning),
            sources.suitability,
            assumptions,
            crs=prop.crs,
        )
    except SolarMapNotFound:
        return None, "outside_map"
    return potential, None


def _building_classes(
    solar: SolarPotential | None, suitability: Suitability | None
) -> dict[str, str]:
    """Each building's class from the surface-weighted mean of its faces with data."""
    if solar is None or suitability is None:
        return {}
    sums: dict[str, list[float]] = {}
    for face in solar.faces:
        if not math.isfinite(face.irradiation):
            continue
        weight = face.footprint_m2 - face.nodata_m2
        total = sums.setdefault(face.building_id, [0.0, 0.0])
        total[0] += face.irradiation * weight
        total[1] += weight
    return {key: suitability.classify(s / w) for key, (s, w) in sums.items() if w > 0}
