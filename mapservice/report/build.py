"""The property report: one register unit, its addresses, buildings, detaljplan and roofs.

:func:`build_report` composes :mod:`layers` (the property, its addresses and buildings, the
zoning overlay) and :mod:`solar` (roof statistics, faces, PV estimate, permit guidance, with the
plan rules handed over as plain :class:`~solar.permit.PlanContext`) into one typed
:class:`PropertyReport`. :class:`ReportSources` holds what a report is read from (the layer
store, the solar map, the surface model and the data set's manifest), opened once and closed
together. Nothing here imports Flask: the web pages, the JSON API, the PDF, the command line
and notebooks all call :func:`build_report`.

>>> choices = OwnerChoices(price_sek_kwh=2.0, efficiency=0.22, roof_share=0.6)
>>> a = choices.assumptions()
>>> a.purchase_sek_kwh, a.module_w_per_m2, a.pitched_share
(2.0, 220.0, 0.6)
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import math
import os
import weakref
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import shapely

from data.build import RASTERS, SampleData
from data.errors import IncompleteSample
from layers import LayerStore, open_store, zoning_report
from layers.models import Address, Building, Property
from layers.plan import PlanUse
from layers.zoning import ZoningReport
from solar import permit
from solar.catalog import list_tiles
from solar.errors import CatalogError, SolarMapNotFound
from solar.potential import Roof, SolarPotential, calibrated_suitability, solar_potential
from solar.pv import PVAssumptions
from solar.raster import CogMosaic, RasterSource, open_solar_map
from solar.suitability import Suitability

__all__ = ["NOTICE", "OwnerChoices", "PropertyReport", "ReportSources", "Source", "build_report"]

#: The notice every map and report carries.
NOTICE = {"sv": "Kartan är inte rättsligt gällande.", "en": "The map is not legally binding."}
#: How far around the property the map's plan areas reach (m).
SURROUNDINGS_M = 60.0


@dataclass(frozen=True)
class Source:
    """Where a part of the report comes from, and how current it is."""

    key: str
    name: str
    date: str | None
    detail: str = ""

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclass(frozen=True)
class OwnerChoices:
    """The three assumptions an owner may change on the report page.

    ``price_sek_kwh`` is what a bought kWh costs, ``efficiency`` the modules' efficiency
    (0.20 = 200 W per m² of panel) and ``roof_share`` the share of a pitched roof face the
    panels cover. ``None`` keeps the default of :class:`~solar.pv.PVAssumptions`.
    """

    price_sek_kwh: float | None = None
    efficiency: float | None = None
    roof_share: float | None = None

    def assumptions(self) -> PVAssumptions:
        """The PV assumptions with these choices applied (validated by PVAssumptions)."""
        changes: dict[str, float] = {}
        if self.price_sek_kwh is not None:
            changes["purchase_sek_kwh"] = self.price_sek_kwh
        if self.efficiency is not None:
            changes["module_w_per_m2"] = round(self.efficiency * 1000.0, 3)
        if self.roof_share is not None:
            changes["pitched_share"] = self.roof_share
        return PVAssumptions(**changes)


class ReportSources:
    """What reports are read from, opened once: layer store, solar map, surface, manifest.

    Use as a context manager or call :meth:`close`. Not for sharing between threads (the
    store's SQLite connection and the rasters' handles belong to the thread that opened them);
    the web service keeps one per worker thread.

    Parameters
    ----------
    store
        The layer store.
    solar_map, surface
        The solar map (annual kWh/m²) and the surface model for roof faces, or None.
    solar_date
        The date of the laser scan the solar map is computed from.
    manifest
        The data set's manifest (name, fictitious, notice, kommun), or None.
    vector_date
        When the vector layers were last written.
    """

    def __init__(
        self,
        store: LayerStore,
        solar_map: RasterSource | None = None,
        surface: RasterSource | None = None,
        solar_date: str | None = None,
        manifest: dict | None = None,
        vector_date: str | None = None,
    ) -> None:
        self.store = store
        self.solar_map = solar_map
        self.surface = surface
        self.solar_date = solar_date
        self.manifest = manifest or {}
        self.vector_date = vector_date
        self.suitability: Suitability | None = (
            calibrated_suitability(solar_map) if solar_map is not None else None
        )
        self._finalizer = weakref.finalize(self, _close_all, store, solar_map, surface)

    @classmethod
    def open(
        cls,
        vector_store: str,
        vector_path: os.PathLike,
        data_dir: os.PathLike,
        solar_catalog: os.PathLike,
        max_items: int = 10_000,
        solar_bounds: tuple[float, float, float, float] | None = None,
    ) -> ReportSources:
        """Open the sources of a data directory (the service's settings name them).

        A missing solar catalog or surface model leaves the solar section out of reports
        (each report says why); a missing layer store raises
        :class:`~layers.errors.StoreUnavailable`. With ``solar_bounds`` (EPSG:3006) only the
        solar map tiles under that box are opened (all of them when none is), for reports of
        properties within it: what a batch partition needs.
        """
        with ExitStack() as stack:
            store = stack.enter_context(open_store(vector_store, vector_path, max_items))
            solar_map, solar_date = _open_solar(Path(solar_catalog), solar_bounds)
            if solar_map is not None:
                stack.enter_context(solar_map)
            dsm = Path(data_dir) / RASTERS["dsm"]
            surface = stack.enter_context(CogMosaic([dsm])) if dsm.is_file() else None
            sources = cls(
                store,
                solar_map,
                surface,
                solar_date,
                _manifest(Path(data_dir)),
                _modified(Path(vector_path)),
            )
            stack.pop_all()
        return sources

    def close(self) -> None:
        """Close the store and the rasters."""
        self._finalizer()

    def __enter__(self) -> ReportSources:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def sources(self, zoning: ZoningReport) -> tuple[Source, ...]:
        """The sources of a report, with their dates."""
        name = self.manifest.get("name", "")
        items = [
            Source(
                "cadastre",
                "Lantmäteriet: fastighetsindelning, belägenhetsadresser och byggnader",
                self.vector_date,
                name,
            )
        ]
        for plan in zoning.plans:
            day = plan.legal_force or plan.adopted
            items.append(
                Source(
                    "plan",
                    f"{plan.plan_id} {plan.name}",
                    day.isoformat() if day else None,
                    plan.status,
                )
            )
        if self.solar_map is not None:
            items.append(
                Source(
                    "solar",
                    "Solkarta: årlig solinstrålning på tak (kWh/m²·år)",
                    self.solar_date,
                    "laserskanning",
                )
            )
        return tuple(items)


def _close_all(*handles) -> None:
    for handle in handles:
        if handle is not None:
            handle.close()


def _open_solar(catalog: Path, bounds=None) -> tuple[RasterSource | None, str | None]:
    if not catalog.is_file():
        return None, None
    try:
        tiles = list_tiles(catalog)
    except CatalogError:
        return None, None
    if not tiles:
        return None, None
    dates = sorted({t.scan_date[:10] for t in tiles if t.scan_date})
    latest = dates[-1] if dates else None
    if bounds is not None:
        try:
            return open_solar_map(catalog, shapely.box(*bounds)), latest
        except SolarMapNotFound:
            pass
    return open_solar_map(catalog), latest


def _manifest(data_dir: Path) -> dict | None:
    try:
        return SampleData.open(data_dir).manifest
    except IncompleteSample:
        return None


def _modified(path: Path) -> str | None:
    try:
        return dt.date.fromtimestamp(path.stat().st_mtime).isoformat()
    except OSError:
        return None


@dataclass(frozen=True)
class PropertyReport:
    """Everything the owner's report says about one property.

    ``solar`` is None when no solar map covers the property (``solar_missing`` says why);
    ``building_classes`` gives each building's suitability class (its roof faces' mean);
    ``plan_areas`` are the användningsbestämmelser around the property, for the map.
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

    @property
    def unit_id(self) -> str:
        return self.property.unit_id

    @property
    def designation(self) -> str:
        return str(self.property.designation)

    @property
    def in_plan(self) -> bool:
        """Whether any detaljplan in force covers part of the property."""
        return any(p.in_force for p in self.zoning.plans)

    def to_dict(self) -> dict[str, Any]:
        """The report as JSON-ready values (geometries as GeoJSON in EPSG:3006)."""
        prop = self.property.to_dict()
        prop["designation"] = self.designation
        return {
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
            "zoning": self.zoning.to_dict() | {"buildings": None},
            "solar": self.solar.to_dict() if self.solar else None,
            "solar_missing": self.solar_missing,
            "sources": [s.to_dict() for s in self.sources],
            "notice": self.notice,
            "data_notice": self.data_notice,
        }

    @property
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
    """
    store = sources.store
    prop = store.get_property(unit_id)
    assumptions = (choices or OwnerChoices()).assumptions()
    zoning = zoning_report(store, prop, today)
    solar, missing = _solar(sources, prop, zoning, assumptions)
    around = shapely.box(*prop.geometry.buffer(SURROUNDINGS_M).bounds)
    return PropertyReport(
        property=prop,
        kommun=_kommun(prop, sources.manifest),
        addresses=tuple(store.addresses_of(unit_id)),
        buildings=zoning.buildings,
        zoning=zoning,
        solar=solar,
        solar_missing=missing,
        building_classes=_building_classes(solar, sources.suitability),
        plan_areas=tuple(store.plan_uses_over(around)),
        sources=sources.sources(zoning),
        created=dt.datetime.now(dt.UTC).astimezone(),
        data_notice=sources.manifest.get("notice") if sources.manifest.get("fictitious") else None,
    )


def _kommun(prop: Property, manifest: dict) -> str:
    area = prop.designation.registry_area or ""
    if manifest.get("kommunkod") == prop.kommunkod and manifest.get("kommun"):
        return manifest["kommun"]
    return area.title()


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
