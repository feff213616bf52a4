"""The layer store: one abstract base for every backend (GeoPackage, PostGIS).

A backend implements the small set of abstract queries below, each answered from the spatial
index (bounding-box candidates, then an exact test) or an attribute index; the base builds the
user-facing lookups on top of them: parsing designations and inferring the kommun, address
search, coordinates in any supported CRS. Stores are context managers and close what they open.
Writes go through the same interface: :meth:`LayerStore.replace_layer` swaps a layer in
atomically (a reader sees the old layer or the new one, never a part) with its import report,
and :meth:`LayerStore.build_indexes` builds what the queries need besides the layers; the
importer, the sample's build steps and the benchmarks all write this way. Opening never writes.
"""

from __future__ import annotations

import abc
import os
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any, Self

from shapely import Point
from shapely.geometry.base import BaseGeometry

from layers.address import address_prefixes, exact_key, parse_address_query
from layers.crs import STORAGE_CRS, bounds_to_storage, to_storage
from layers.designation import Designation, designation_prefixes, parse_designation
from layers.errors import (
    AddressNotFound,
    AmbiguousDesignation,
    InvalidCoordinates,
    InvalidDesignation,
    ParcelNotFound,
)
from layers.features import (
    FeaturePage,
    FeatureQuery,
    FeatureRecord,
    LayerInfo,
    counts,
    feature_query,
)
from layers.import_report import ImportReport, Progress, import_record, no_progress
from layers.models import Address, Building, Property, PropertyPage, Suggestion
from layers.plan import Plan, PlanRule, PlanUse
from layers.schema import check_layer

if TYPE_CHECKING:
    import geopandas as gpd

#: Layer names of a store.
LAYERS = ("parcels", "addresses", "buildings", "plans", "plan_uses", "plan_rules")


class LayerStore(abc.ABC):
    """The vector layers of Min fastighet, in SWEREF 99 TM: lookups, features and writes.

    Use as a context manager (``with open_store(...) as store:``) or call :meth:`close`.

    Parameters
    ----------
    location
        Where the store is (a GeoPackage's path; a database's connection string).
    max_items
        Largest page :meth:`properties_in` and :meth:`features` hand out.
    writable
        Open for :meth:`replace_layer` and :meth:`build_indexes`: the store may then be empty
        or not exist yet, and is read once it has what the queries need. A store opened
        without it refuses to write. Opening never writes, either way.
    """

    max_items: int = 10_000

    def __init__(
        self, location: str | os.PathLike[str], max_items: int = 10_000, writable: bool = False
    ) -> None:
        self.location = location
        self.max_items = max_items
        self.writable = writable

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
    def search_keys(self, kind: str) -> tuple[str, ...]:
        """The distinct search keys of ``kind`` (``trakt_area``, ``address`` …), sorted."""

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

    @abc.abstractmethod
    def build_indexes(self) -> None:
        """Build what the queries need besides the layers (attribute indexes, the search
        table), atomically; what is current is kept. :meth:`replace_layer` does it by itself.

        Raises
        ------
        StoreUnavailable
            The store is read-only or cannot be written.
        """

    @abc.abstractmethod
    def _replace_layer(
        self,
        name: str,
        frame: gpd.GeoDataFrame,
        record: dict[str, Any] | None,
        progress: Progress,
    ) -> None:
        """Swap in the checked layer with its indexes and ``record`` (JSON-ready; None forgets
        the layer's previous record), atomically; see :meth:`replace_layer`."""

    # -- built on top ------------------------------------------------------------------------

    def replace_layer(
        self,
        name: str,
        frame: gpd.GeoDataFrame,
        report: ImportReport | None = None,
        licence: str | None = None,
        progress: Progress = no_progress,
    ) -> None:
        """Replace the layer ``name`` (or add it) by ``frame``, atomically.

        A reader sees the old layer or the new one, never a part (each backend says how; a
        GeoPackage opened before keeps the old file until it closes), and the store that
        writes reads the new layer afterwards. The
        layer's indexes and the search table are rebuilt in the same swap, and ``report`` (the
        validation report; ``licence`` recorded with it) is kept with the layer, where
        :meth:`layer_info` shows it as ``last_import``.

        Parameters
        ----------
        name
            The layer (``parcels`` … ``plan_rules``, ``roof_faces`` or another plain name).
        frame
            The features in SWEREF 99 TM with the layer's columns (the importer validates).
        report, licence
            What to keep with the layer; neither forgets the previous layer's record.
        progress
            Called with a line per stage.

        Raises
        ------
        UnknownLayer, UnsupportedCRS
            The name cannot be a layer's, or the frame is not in SWEREF 99 TM.
        StoreUnavailable
            The store is read-only or the write failed; the store is unchanged.
        """
        check_layer(name, frame)
        self._replace_layer(name, frame, import_record(name, len(frame), report, licence), progress)

    def features(
        self,
        layer: str,
        bounds: Iterable[float] | None = None,
        crs: str | int = STORAGE_CRS,
        filters: dict[str, str] | None = None,
        limit: int = 10,
        offset: int = 0,
        q: str | None = None,
    ) -> FeaturePage:
        """A page of ``layer``: features intersecting ``bounds`` (in ``crs``) whose attributes
        equal ``filters`` (text values, converted to each attribute's type) and whose text
        holds a term of ``q`` (:func:`~layers.text_search.text_terms`).

        Raises
        ------
        UnknownLayer, InvalidQuery, InvalidCoordinates, UnsupportedCRS
        """
        info = self.page_description(layer)
        if any(name not in info.queryables for name in filters or {}):
            info = self.layer_info(layer)  # read afresh before a filter is refused
        box = None if bounds is None else bounds_to_storage(bounds, crs)
        query = feature_query(info, box, filters or {}, limit, offset, q, self.max_items)
        return self.feature_page(query)

    def page_description(self, layer: str) -> LayerInfo:
        """What :meth:`features` checks filters with: :meth:`layer_info`, or a backend's copy
        that its page query checks (PostGIS: the generation, read afresh after a swap)."""
        return self.layer_info(layer)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def parse(self, text: str) -> Designation:
        """Parse a designation, recognising the kommuner of this store, and infer the kommun
        when the text leaves it out and the trakt, or else the property, is in one kommun only.

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
        if len(areas) == 1:
            return designation.with_registry_area(areas[0])
        named = [designation.with_registry_area(a) for a in areas]
        existing = [d for d in named if self.property_by_designation(str(d)) is not None]
        if len(existing) == 1:
            return existing[0]
        if not existing:
            raise ParcelNotFound("; ".join(f"no property {d}" for d in named) + " in the store")
        both = tuple(str(d) for d in existing)
        raise AmbiguousDesignation(f"{designation} is in several kommuner: {', '.join(both)}", both)

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
        self,
        bounds: Iterable[float],
        crs: str | int = STORAGE_CRS,
        limit: int = 100,
        offset: int = 0,
    ) -> PropertyPage:
        """The properties intersecting a box (minx, miny, maxx, maxy) in ``crs``, one page."""
        if not counts(limit, 1, self.max_items):
            raise InvalidCoordinates(f"limit must be between 1 and {self.max_items}, got {limit}")
        if not counts(offset, 0):
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
        exact = exact_key(query) or ""
        matches = self.suggest("address", [exact], 50, query.town)
        exact_matches = [
            s for s in matches if exact_key(parse_address_query(s.label.split(",")[0])) == exact
        ]
        chosen = exact_matches if exact_matches else matches
        if len(chosen) == 1 or (
            chosen and len({s.unit_id for s in chosen}) == 1 and not exact_matches
        ):
            return self.address(chosen[0].address_id or "")
        if not chosen:
            raise AddressNotFound(f"no address {text.strip()!r} in the store")
        labels = ", ".join(s.label for s in chosen[:5])
        raise AddressNotFound(
            f"{text.strip()!r} matches several addresses ({labels}); add the letter or the postort"
        )

    def iter_pages(
        self, bounds: Iterable[float], crs: str | int = STORAGE_CRS, limit: int = 500
    ) -> Iterator[Property]:
        """Every property in a box, page by page."""
        offset = 0
        while True:
            page = self.properties_in(bounds, crs, limit, offset)
            yield from page.items
            if not page.has_more:
                return
            offset += limit


__all__ = ["LAYERS", "InvalidDesignation", "LayerStore"]
