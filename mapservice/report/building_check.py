""" "Kan jag bygga?" for one property: the plan and law check with the shade on the roofs around.

:func:`check_planned_building` composes :mod:`layers.building_check` (the rules, from the
property's plans) and :mod:`solar.shade` (the sun the building takes from the roofs around it,
the owner's own and the neighbours') over one :class:`~mapservice.report.sources.ReportSources`,
into a :class:`BuildingCheckReport` that the API, the page, the PDF and the command line word
with :mod:`mapservice.building_wording`. No Flask.

>>> from shapely import box
>>> planned_building(box(0, 0, 4, 5), "EPSG:3006", 3.0, "friggebod").area
20.0
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import shapely
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from layers.building_check import BuildingCheck as Check
from layers.building_check import PlannedBuilding, check_building
from layers.building_site import Site, building_site
from layers.crs import transform_geometry
from layers.errors import InvalidBuilding
from mapservice.building_wording import check_json, loss_text, no_loss_text
from mapservice.report.sources import ReportSources
from sweref import STORAGE_CRS

if TYPE_CHECKING:  # the solar model (numba) is loaded when a shade is first computed
    from solar.shade import BuildingShade

__all__ = [
    "BuildingCheckReport",
    "building_from_geojson",
    "check_planned_building",
    "planned_building",
]

#: How far around the planned building the roofs are looked at (m).
REACH_M = 40.0


def planned_building(
    geometry: BaseGeometry, crs: str, height_m: float, kind: str, neighbour_consent: bool = False
) -> PlannedBuilding:
    """A planned building from a footprint in ``crs`` (any supported CRS), in SWEREF 99 TM."""
    return PlannedBuilding(
        transform_geometry(geometry, crs, STORAGE_CRS), float(height_m), kind, neighbour_consent
    )


def building_from_geojson(body: Mapping[str, Any]) -> PlannedBuilding:
    """A planned building from the API's JSON body (``geometry``, ``crs``, ``height_m``,
    ``kind``, ``neighbour_consent``); anything malformed raises
    :class:`~layers.errors.InvalidBuilding`."""
    geometry = body.get("geometry")
    if not isinstance(geometry, Mapping) or geometry.get("type") != "Polygon":
        raise InvalidBuilding("geometry must be a GeoJSON Polygon")
    rings = geometry.get("coordinates")
    if not isinstance(rings, list) or not rings or sum(map(_ring_size, rings)) > 1000:
        raise InvalidBuilding("a Polygon's coordinates are 1 to 1000 positions in rings")
    try:
        footprint = shape(dict(geometry))
    except (TypeError, ValueError, AttributeError, shapely.errors.GEOSException) as err:
        raise InvalidBuilding(f"geometry is not a valid Polygon: {err}") from err
    height, consent = body.get("height_m"), body.get("neighbour_consent", False)
    if isinstance(height, bool) or not isinstance(height, int | float):
        raise InvalidBuilding("height_m must be a number (metres to the ridge)")
    if not isinstance(consent, bool):
        raise InvalidBuilding("neighbour_consent must be true or false")
    kind, crs = body.get("kind"), body.get("crs", STORAGE_CRS)
    if not isinstance(kind, str) or not isinstance(crs, str):
        raise InvalidBuilding("kind and crs must be strings")
    return planned_building(footprint, crs, height, kind, consent)


def _ring_size(ring: object) -> int:
    if not isinstance(ring, list):
        raise InvalidBuilding("a ring must be a list of positions")
    return len(ring)


@dataclass(frozen=True)
class BuildingCheckReport:
    """The check, the shade (None without a surface model or when not asked for), the property
    as the check saw it, and the register unit and designation of each shaded roof."""

    check: Check
    shade: BuildingShade | None
    site: Site
    owners: Mapping[str, tuple[str, str]]

    def to_dict(self, lang: str = "sv") -> dict[str, Any]:
        """The API's answer, worded in ``lang``."""
        body = check_json(self.check, lang)
        body["shade"] = None if self.shade is None else self._shade_json(lang)
        return body

    def _shade_json(self, lang: str) -> dict[str, Any]:
        assert self.shade is not None
        from solar.shade import NOTICEABLE

        roofs = []
        for roof in self.shade.roofs:
            unit_id, designation = self.owners.get(roof.building_id, ("", ""))
            roofs.append(
                {
                    "building_id": roof.building_id,
                    "unit_id": unit_id,
                    "designation": designation,
                    "own": unit_id == self.check.unit_id,
                    "roof_m2": roof.area_m2,
                    "kwh_per_year": roof.kwh_per_year,
                    "kwh_per_year_lost": roof.kwh_per_year_lost,
                    "share_lost": round(roof.share_lost, 4),
                    "noticeable": roof.noticeable,
                    "text": loss_text(
                        roof.kwh_per_year_lost, roof.share_lost, roof.noticeable, NOTICEABLE, lang
                    ),
                }
            )
        return {
            "roofs": roofs,
            "kwh_per_year_lost": self.shade.kwh_per_year_lost,
            "noticeable_share": NOTICEABLE,
            "text": no_loss_text(NOTICEABLE, lang),
            "winter_shadow": shapely.geometry.mapping(self.shade.winter_shadow),
            "summer_shadow": shapely.geometry.mapping(self.shade.summer_shadow),
            "estimate": True,
        }


def check_planned_building(
    sources: ReportSources, unit_id: str, building: PlannedBuilding, shade: bool = True
) -> BuildingCheckReport:
    """Check ``building`` on the property ``unit_id`` and, with ``shade`` and a surface model,
    what it costs the roofs within :data:`REACH_M`."""
    store = sources.store
    site = building_site(store, store.get_property(unit_id))
    result = check_building(site, building)
    if not shade or sources.surface is None:
        return BuildingCheckReport(result, None, site, {})
    from solar.potential import Roof
    from solar.shade import building_shade

    bounds = building.geometry.buffer(REACH_M).bounds
    roofs, owners = [], {}
    for prop in store.properties_in(bounds, limit=store.max_items).items:
        for b in store.buildings_of(prop.unit_id):
            roofs.append(Roof(b.geometry, b.building_id, b.roof_shape))
            owners[b.building_id] = (prop.unit_id, str(prop.designation))
    shaded = building_shade(sources.surface, building.geometry, building.height_m, roofs, REACH_M)
    return BuildingCheckReport(result, shaded, site, owners)
