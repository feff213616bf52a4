"""The layer store: one abstract base for every backend (GeoPackage now, PostGIS later).

A backend implements the small set of abstract queries below, each answered from the spatial
index (bounding-box candidates, then an exact test) or an attribute index; the base builds the
user-facing lookups on top of them: parsing designations and inferring the kommun, address
search, coordinates in any supported CRS. Stores are context managers and close what they open.
"""

from __future__ import annotations

import abc
from collections.abc import Iterator

from shapely import Point
from shapely.geometry.base import BaseGeometry

from layers.address import AddressQuery, address_prefixes, parse_address_query
from layers.crs import STORAGE_CRS, bounds_to_storage, to_storage
from layers.designation import Designation, designation_prefixes, parse_designation
from layers.errors import (
    AddressNotFound,
    AmbiguousDesignation,
    InvalidCoordinates,
    InvalidDesignation,
    InvalidQuery,
    ParcelNotFound,
)
from layers.features import FeaturePage, FeatureQuery, FeatureRecord, LayerInfo, coerce
from layers.models import Address, Building, Property, PropertyPage, Suggestion
from layers.plan import Plan, PlanRule, PlanUse

#: Layer names of a store.
LAYERS = ("parcels", "addresses", "buildings", "plans", "plan_uses", "plan_rules")


class LayerStore(abc.ABC):
    """Read access to the vector layers of Min fastighet, in SWEREF 99 TM.

    Use as a context manager (``with open_store(...) as store:``) or call :meth:`close`.
    """

    max_items: int = 10_000

    # -- what a backend implements ---------------------------------------------------------

    @abc.abstractmethod
    def close(self) -> None:
        """Release every handle the store holds."""

    @abc.abstractmethod
    def registry_areas(self) -> tuple[str, ...]:
        """The registerområden (kommuner) that have properties in the store, upper case."""

    @abc.abstractmethod
    def trakt_areas(self, trakt: str) -> tuple[str, ...]:
        """The registerområden in which a trakt (upper case) exists."""

    @abc.abstractmethod
    def get_property(self, unit_id: str) -> Property:
        """A property by its register unit id, with all its parts; :class:`ParcelNotFound`."""

    @abc.abstractmethod
    def property_by_designation(self, designation: str) -> Property | None:
        """A property by its exact, canonical designation text, or None."""

    @abc.abstractmethod
    def properties_at_point(self, point: Point) -> list[Property]:
        """The properties covering a point in SWEREF 99 TM (two on a shared boundary)."""

    @abc.abstractmethod
    def properties_in_bounds(
        self, bounds: tuple[float, float, float, float], limit: int, offset: int
    ) -> PropertyPage:
        """The properties intersecting a SWEREF 99 TM box, in a stable order, one page."""

    @abc.abstractmethod
    def suggest(
        self, kind: str, prefixes: list[str], limit: int, town: str = ""
    ) -> list[Suggestion]:
        """Search-key matches of ``kind`` (``designation``, ``trakt`` or ``address``), the
        first prefix first, each in key order; ``town`` filters addresses by postort."""

    @abc.abstractmethod
    def addresses_of(self, unit_id: str) -> list[Address]:
        """The addresses of a property, by label."""

    @abc.abstractmethod
    def address(self, address_id: str) -> Address:
        """An address by id; :class:`AddressNotFound`."""

    @abc.abstractmethod
    def buildings_of(self, unit_id: str) -> list[Building]:
        """The buildings of a property."""

    @abc.abstractmethod
    def plans_over(self, geometry: BaseGeometry) -> list[Plan]:
        """The plans intersecting a SWEREF 99 TM geometry."""

    @abc.abstractmethod
    def plan_uses_over(self, geometry: BaseGeometry) -> list[PlanUse]:
        """The användningsbestämmelser intersecting a geometry."""

    @abc.abstractmethod
    def plan_rules_over(self, geometry: BaseGeometry) -> list[PlanRule]:
        """The egenskapsbestämmelser intersecting a geometry."""

    @abc.abstractmethod
    def layer_names(self) -> tuple[str, ...]:
        """Every layer of the store, the known ones first (``roof_faces`` when built)."""

    @abc.abstractmethod
    def layer_info(self, layer: str) -> LayerInfo:
        """What a layer holds (count, extent, attributes, queryables, last import);
        :class:`UnknownLayer`."""

    @abc.abstractmethod
    def feature_page(self, query: FeatureQuery) -> FeaturePage:
        """One page of a layer's features in a stable order, from the indexes."""

    @abc.abstractmethod
    def feature(self, layer: str, feature_id: str) -> FeatureRecord:
        """One feature by its id; :class:`NotFound`."""

    # -- built on top ------------------------------------------------------------------------

    def features(
        self,
        layer: str,
        bounds=None,
        crs: str | int = STORAGE_CRS,
        filters: dict[str, str] | None = None,
        limit: int = 10,
        offset: int = 0,
    ) -> FeaturePage:
        """A page of ``layer``: features intersecting ``bounds`` (in ``crs``) whose attributes
        equal ``filters`` (text values, converted to each attribute's type).

        Raises
        ------
        UnknownLayer, InvalidQuery, InvalidCoordinates, UnsupportedCRS
        """
        info = self.layer_info(layer)
        if not (isinstance(limit, int) and 1 <= limit <= self.max_items):
            raise InvalidQuery(f"limit must be between 1 and {self.max_items}, got {limit}")
        typed = []
        for name, text in (filters or {}).items():
            if name not in info.queryables:
                raise InvalidQuery(
                    f"{name!r} is not a queryable of {layer}; use "
                    f"{', '.join(info.queryables) or 'none'}"
                )
            typed.append((name, coerce(info.attribute(name), text)))
        box = None if bounds is None else bounds_to_storage(bounds, crs)
        return self.feature_page(FeatureQuery(layer, box, tuple(typed), limit, offset))

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def parse(self, text: str) -> Designation:
        """Parse a designation, recognising the kommuner of this store, and infer the kommun
        when the text leaves it out and the trakt exists in one kommun only.

        Raises
        ------
        InvalidDesignation, AmbiguousDesignation, ParcelNotFound
        """
        designation = parse_designation(text, self.registry_areas())
        if designation.registry_area is not None:
            return designation
        areas = self.trakt_areas(designation.trakt)
        if not areas:
            raise ParcelNotFound(
                f"no trakt or kvarter {designation.trakt} in the store "
                f"(kommuner: {', '.join(self.registry_areas()) or 'none'})"
            )
        if len(areas) > 1:
            candidates = tuple(str(designation.with_registry_area(a)) for a in areas)
            raise AmbiguousDesignation(
                f"{designation} exists in several kommuner; say which: {', '.join(candidates)}",
                candidates,
            )
        return designation.with_registry_area(areas[0])

    def find_property(self, text: str) -> Property:
        """A property by designation, as a person types it (kommun optional).

        Raises
        ------
        InvalidDesignation
            The text is not a designation.
        AmbiguousDesignation
            The kommun is left out and the trakt exists in several.
        ParcelNotFound
            No such property.
        """
        designation = self.parse(text)
        found = self.property_by_designation(str(designation))
        if found is None:
            raise ParcelNotFound(f"no property {designation} in the store")
        return found

    def properties_at(self, x: float, y: float, crs: str | int = STORAGE_CRS) -> list[Property]:
        """The properties at a point; x is easting or longitude, y northing or latitude."""
        sx, sy = to_storage(x, y, crs)
        return self.properties_at_point(Point(sx, sy))

    def properties_in(
        self, bounds, crs: str | int = STORAGE_CRS, limit: int = 100, offset: int = 0
    ) -> PropertyPage:
        """The properties intersecting a box (minx, miny, maxx, maxy) in ``crs``, one page."""
        if not (isinstance(limit, int) and 1 <= limit <= self.max_items):
            raise InvalidCoordinates(f"limit must be between 1 and {self.max_items}, got {limit}")
        if not (isinstance(offset, int) and offset >= 0):
            raise InvalidCoordinates(f"offset must be 0 or more, got {offset}")
        return self.properties_in_bounds(bounds_to_storage(bounds, crs), limit, offset)

    def suggest_designations(self, text: str, limit: int = 10) -> list[Suggestion]:
        """Properties whose designation starts like ``text`` (from 2 characters; kommun
        optional; case, accents and spacing ignored), exact numbers first."""
        prefixes = designation_prefixes(text)
        if len("".join(prefixes[:1]).replace(" ", "")) < 2:
            return []
        found = self.suggest("designation", prefixes, limit)
        if len(found) < limit:
            seen = {s.unit_id for s in found}
            more = self.suggest("trakt", prefixes, limit)
            found += [s for s in more if s.unit_id not in seen][: limit - len(found)]
        return found

    def suggest_addresses(self, text: str, limit: int = 10) -> list[Suggestion]:
        """Addresses that start like ``text``: street and number, with or without postort."""
        query = parse_address_query(text)
        if query is None or len(query.street) < 2:
            return []
        return self.suggest("address", address_prefixes(query), limit, query.town)

    def search(self, text: str, limit: int = 10) -> list[Suggestion]:
        """Ranked suggestions for a search box: designations, then addresses."""
        found = self.suggest_designations(text, limit)
        if len(found) < limit:
            found += self.suggest_addresses(text, limit - len(found))
        return found

    def find_address(self, text: str) -> Address:
        """The one address a text names exactly (``Storvägen 14A``, postort optional).

        A number without its letter names the first entrance (``Storvägen 39`` →
        ``Storvägen 39A``) when every entrance with that number belongs to one property.

        Raises
        ------
        AddressNotFound
            No address, or only partial matches (the message lists a few).
        """
        query = parse_address_query(text)
        if query is None or not query.number:
            raise AddressNotFound(f"{text!r} is not a full address (street and number)")
        exact = _exact_key(query)
        matches = self.suggest("address", [exact], 50, query.town)
        exact_matches = [
            s for s in matches if _exact_key(parse_address_query(s.label.split(",")[0])) == exact
        ]
        chosen = exact_matches if exact_matches else matches
        if len(chosen) == 1 or (
            chosen and len({s.unit_id for s in chosen}) == 1 and not exact_matches
        ):
            return self.address(chosen[0].address_id)
        if not chosen:
            raise AddressNotFound(f"no address {text.strip()!r} in the store")
        labels = ", ".join(s.label for s in chosen[:5])
        raise AddressNotFound(
            f"{text.strip()!r} matches several addresses ({labels}); add the letter or the postort"
        )

    def iter_pages(
        self, bounds, crs: str | int = STORAGE_CRS, limit: int = 500
    ) -> Iterator[Property]:
        """Every property in a box, page by page."""
        offset = 0
        while True:
            page = self.properties_in(bounds, crs, limit, offset)
            yield from page.items
            if not page.has_more:
                return
            offset += limit


def _exact_key(query: AddressQuery) -> str:
    from layers.text import pad

    return f"{query.street} {pad(query.number)}{query.letter}"


__all__ = ["LAYERS", "InvalidDesignation", "LayerStore"]
