"""Backend-neutral access to the features of any layer: what a layer holds, and pages of it.

This is what OGC API Features (and any other feature service) is built on. A store describes
each layer as a :class:`LayerInfo` (geometry type, feature count, extent, attributes, which of
them may be filtered on, its last import) and answers a :class:`FeatureQuery` — an optional box
in SWEREF 99 TM, equality filters on declared queryables, free-text terms for the layers that
have text fields (:mod:`layers.text_search`: plans, by id and name), ``limit`` and ``offset``
— with one :class:`FeaturePage` in a stable order and the number of features that match in
all. Features keep their geometry in SWEREF 99 TM; the caller moves them to the CRS it serves.

>>> q = FeatureQuery("parcels", bounds=(616400, 6917400, 616500, 6917500), limit=10)
>>> q.filters, q.offset
((), 0)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry

from layers.errors import InvalidQuery
from layers.text_search import search_terms
from sweref import STORAGE_CRS

#: Each layer's stable feature id (kept across re-imports, unlike a row number).
ID_COLUMNS = {
    "parcels": "part_id",
    "addresses": "address_id",
    "buildings": "building_id",
    "plans": "plan_id",
    "plan_uses": "use_id",
    "plan_rules": "rule_id",
    "roof_faces": "face_id",
}

#: The attributes a layer may be filtered on (each has an index in the store).
QUERYABLES = {
    "parcels": (
        "unit_id",
        "designation",
        "registry_area",
        "trakt",
        "kommunkod",
        "unit_type",
        "land_use",
    ),
    "addresses": ("unit_id", "designation", "street", "postcode", "postal_town", "kommunkod"),
    "buildings": ("unit_id", "designation", "use", "roof_shape"),
    "plans": ("plan_id", "status", "plan_type"),
    "plan_uses": ("plan_id", "code", "land_form"),
    "plan_rules": ("plan_id", "code", "category"),
    "roof_faces": ("building_id", "suitability"),
}


def _l(message: str) -> str:
    """Mark ``message`` for extraction (pybabel ``-k _l``): the service words a layer's
    description in the page's language."""
    return message


#: Titles and descriptions of the layers, for catalogues and viewers (descriptions in English,
#: their message ids).
TITLES = {
    "parcels": (
        "Fastigheter",
        _l(
            "Cadastral parcels: one feature per part (skifte) of a register unit, with its "
            "fastighetsbeteckning."
        ),
    ),
    "addresses": ("Adresser", _l("Belägenhetsadresser at the entrances.")),
    "buildings": ("Byggnader", _l("Building footprints with use, floors and roof.")),
    "plans": ("Detaljplaner", _l("Detaljplaner: plan id, name, status and dates.")),
    "plan_uses": (
        "Användningsbestämmelser",
        _l(
            "Användningsbestämmelser (land use) of the detaljplaner, per Boverket's "
            "planbestämmelsekatalog."
        ),
    ),
    "plan_rules": (
        "Egenskapsbestämmelser",
        _l(
            "Egenskapsbestämmelser (building area, heights, prickmark, korsmark, protection) "
            "with their full wording."
        ),
    ),
    "roof_faces": (
        "Takytor",
        _l(
            "Roof faces segmented from the surface model, with tilt, orientation and annual "
            "solar irradiation (kWh/m²·year)."
        ),
    ),
}


@dataclass(frozen=True)
class Attribute:
    """One attribute of a layer: its name and JSON type (string, integer, number)."""

    name: str
    type: str


@dataclass(frozen=True)
class LayerInfo:
    """What a layer holds: the basis of a collection's metadata."""

    id: str
    title: str
    description: str
    geometry_type: str
    count: int
    #: SWEREF 99 TM, from the spatial index (may reach a few cm beyond the data).
    bounds: tuple[float, float, float, float] | None
    attributes: tuple[Attribute, ...]
    queryables: tuple[str, ...]
    id_column: str
    last_change: str | None
    last_import: dict[str, Any] | None = None
    crs: str = STORAGE_CRS

    def attribute(self, name: str) -> Attribute:
        for a in self.attributes:
            if a.name == name:
                return a
        raise KeyError(name)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "description": self.description,
            "geometry_type": self.geometry_type,
            "count": self.count,
            "bounds": list(self.bounds) if self.bounds else None,
            "crs": self.crs,
            "attributes": {a.name: a.type for a in self.attributes},
            "queryables": list(self.queryables),
            "id_column": self.id_column,
            "last_change": self.last_change,
            "last_import": self.last_import,
        }


@dataclass(frozen=True)
class FeatureQuery:
    """One page of a layer: optional box (SWEREF 99 TM), equality filters, free-text terms
    (:func:`~layers.text_search.text_terms`, searched in the layer's text fields), limit,
    offset."""

    layer: str
    bounds: tuple[float, float, float, float] | None = None
    filters: tuple[tuple[str, Any], ...] = ()
    limit: int = 10
    offset: int = 0
    text: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not _whole_in(self.limit, 1, 2**31):
            raise InvalidQuery(f"limit must be 1 or more, got {self.limit!r}")
        if not _whole_in(self.offset, 0, 2**62):
            raise InvalidQuery(f"offset must be between 0 and 2**62, got {self.offset!r}")


def _whole_in(value: object, low: int, high: int) -> bool:
    """Whether ``value`` is an int in ``[low, high)`` (a dataclass does not check its types).

    >>> _whole_in(3, 1, 10), _whole_in(10, 1, 10), _whole_in("3", 1, 10)
    (True, False, False)
    """
    return isinstance(value, int) and low <= value < high


@dataclass(frozen=True)
class FeatureRecord:
    """One feature of any layer: id, attributes and geometry (SWEREF 99 TM)."""

    id: str
    properties: dict[str, Any]
    geometry: BaseGeometry | None

    @property
    def __geo_interface__(self) -> dict[str, Any]:
        return {
            "type": "Feature",
            "id": self.id,
            "geometry": None if self.geometry is None else mapping(self.geometry),
            "properties": self.properties,
        }


@dataclass(frozen=True)
class FeaturePage:
    """A page of features and how many match the query in all."""

    features: tuple[FeatureRecord, ...]
    number_matched: int
    query: FeatureQuery = field(repr=False)

    @property
    def has_next(self) -> bool:
        return self.query.offset + len(self.features) < self.number_matched

    @property
    def __geo_interface__(self) -> dict[str, Any]:
        return {
            "type": "FeatureCollection",
            "features": [f.__geo_interface__ for f in self.features],
        }


def feature_key(id_column: str, feature_id: str) -> object | None:
    """The value to look ``feature_id`` up by in ``id_column``, or None when none can match.

    A layer keyed by its ``fid`` takes whole numbers only; other id columns take the text.

    >>> feature_key("fid", "12"), feature_key("fid", "x"), feature_key("unit_id", "x")
    (12, None, 'x')
    """
    if id_column != "fid":
        return feature_id
    try:
        return int(feature_id)
    except ValueError:
        return None


def json_type(declared: str) -> str:
    """The JSON type of a GeoPackage column type.

    >>> json_type("MEDIUMINT"), json_type("REAL"), json_type("TEXT(20)"), json_type("DATE")
    ('integer', 'number', 'string', 'string')
    """
    text = declared.upper()
    if "INT" in text or text == "BOOLEAN":
        return "integer"
    if text in ("REAL", "FLOAT", "DOUBLE"):
        return "number"
    return "string"


def counts(value: object, low: int, high: float = float("inf")) -> bool:
    """True for an integer from ``low`` to ``high`` (a caller may pass anything).

    >>> counts(10, 1, 100), counts(0, 1, 100), counts(2.0, 1, 100), counts(5, 0)
    (True, False, False, True)
    """
    return isinstance(value, int) and low <= value <= high


def feature_query(
    info: LayerInfo,
    box: tuple[float, float, float, float] | None,
    filters: dict[str, str],
    limit: int,
    offset: int,
    q: str | None,
    max_items: int,
) -> FeatureQuery:
    """A page of ``info``'s layer as asked for (text values), checked: ``limit`` within
    ``max_items``, ``filters`` on queryables as their attributes' types, ``q``'s terms."""
    if not counts(limit, 1, max_items):
        raise InvalidQuery(f"limit must be between 1 and {max_items}, got {limit}")
    terms = search_terms(info.id, q)
    return FeatureQuery(info.id, box, typed_filters(info, filters), limit, offset, terms)


def check_queryable(info: LayerInfo, name: str) -> None:
    """:class:`InvalidQuery` unless ``name`` is a queryable of ``info``'s layer."""
    if name not in info.queryables:
        raise InvalidQuery(
            f"{name!r} is not a queryable of {info.id}; use {', '.join(info.queryables) or 'none'}"
        )


def typed_filters(info: LayerInfo, filters: dict[str, str]) -> tuple[tuple[str, Any], ...]:
    """Equality ``filters`` (text values) on queryables, each as its attribute's type."""
    for name in filters:
        check_queryable(info, name)
    return tuple((name, coerce(info.attribute(name), text)) for name, text in filters.items())


def coerce(attribute: Attribute, text: str) -> Any:
    """A filter value from a query string, as the attribute's type.

    >>> coerce(Attribute("floors", "integer"), "2")
    2
    >>> coerce(Attribute("floors", "integer"), "two")
    Traceback (most recent call last):
    ...
    layers.errors.InvalidQuery: floors must be an integer, got 'two'
    """
    try:
        if attribute.type == "integer":
            value = int(text)
            if not -(2**63) <= value < 2**63:
                raise ValueError(text)
            return value
        if attribute.type == "number":
            number = float(text)
            if number != number or number in (float("inf"), float("-inf")):
                raise ValueError(text)
            return number
    except ValueError as err:
        article = "an" if attribute.type == "integer" else "a"
        raise InvalidQuery(
            f"{attribute.name} must be {article} {attribute.type}, got {text!r}"
        ) from err
    return text


__all__ = [
    "ID_COLUMNS",
    "QUERYABLES",
    "TITLES",
    "Attribute",
    "FeaturePage",
    "FeatureQuery",
    "FeatureRecord",
    "LayerInfo",
    "check_queryable",
    "coerce",
    "counts",
    "feature_query",
    "json_type",
    "typed_filters",
]
