"""Typed results of :mod:`layers`: properties, addresses, buildings, suggestions and pages.

Every model is a frozen dataclass with ``to_dict()`` (plain JSON-ready values), and those with
a geometry also have ``__geo_interface__`` (a GeoJSON Feature), ``to_crs()`` and ``crs``
(geometries are in SWEREF 99 TM, EPSG:3006, unless moved with ``to_crs``). ``_repr_html_`` makes
them read well in a notebook. Areas are square metres, always computed in SWEREF 99 TM.

>>> from shapely import box
>>> part = ParcelPart("p1", 1, box(0, 0, 10, 20), 200.0)
>>> part.to_dict()["geometry"]["type"], part.__geo_interface__["type"]
('Polygon', 'Feature')
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
from dataclasses import dataclass, field
from typing import Any, ClassVar, Self

import shapely
from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry

from layers.crs import STORAGE_CRS, parse_crs, transform_geometry
from layers.designation import Designation


def plain(value: Any) -> Any:
    """A value as JSON-ready Python: models to dicts, geometries to GeoJSON, dates to ISO text.

    >>> plain((dt.date(2021, 3, 15), 2.5, None))
    ['2021-03-15', 2.5, None]
    """
    if isinstance(value, Model):
        return value.to_dict()
    if isinstance(value, BaseGeometry):
        return _listify(mapping(value))
    if isinstance(value, Designation):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    return value


def _listify(value: Any) -> Any:
    if isinstance(value, tuple | list):
        return [_listify(v) for v in value]
    if isinstance(value, dict):
        return {k: _listify(v) for k, v in value.items()}
    return value


class Model:
    """Base of the result models: ``to_dict`` and an HTML table for notebooks."""

    #: Set by ``@dataclass`` on every concrete model; declared so that type checkers know a
    #: model is a dataclass instance (``dataclasses.fields`` and ``replace`` accept it).
    __dataclass_fields__: ClassVar[dict[str, dataclasses.Field[Any]]]

    def to_dict(self) -> dict[str, Any]:
        """The model as JSON-ready values (geometries as GeoJSON, dates as ISO text)."""
        return {f.name: plain(getattr(self, f.name)) for f in dataclasses.fields(self)}

    def _summary(self) -> dict[str, Any]:
        return {
            f.name: getattr(self, f.name)
            for f in dataclasses.fields(self)
            if f.name != "geometry" and not isinstance(getattr(self, f.name), tuple)
        }

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><th style='text-align:left'>{html.escape(k)}</th>"
            f"<td>{html.escape(_text(v))}</td></tr>"
            for k, v in self._summary().items()
        )
        return f"<table><caption>{html.escape(type(self).__name__)}</caption>{rows}</table>"


def _text(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:g}"
    return str(plain(value))


class Feature(Model):
    """A model with a geometry: GeoJSON Feature and reprojection."""

    geometry: BaseGeometry
    crs: str
    #: The field that identifies a feature in GeoJSON.
    id_field: ClassVar[str | None] = None

    @property
    def feature_id(self) -> str | None:
        return getattr(self, self.id_field) if self.id_field else None

    @property
    def __geo_interface__(self) -> dict[str, Any]:
        props = {k: v for k, v in self.to_dict().items() if k != "geometry"}
        return {
            "type": "Feature",
            "id": self.feature_id,
            "geometry": plain(self.geometry),
            "properties": props,
        }

    def to_crs(self, crs: str | int) -> Self:
        """A copy with the geometry (and any nested geometries) in ``crs``."""
        crs = parse_crs(crs)
        changes: dict[str, Any] = {
            "geometry": transform_geometry(self.geometry, self.crs, crs),
            "crs": crs,
        }
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if isinstance(value, tuple) and value and isinstance(value[0], Feature):
                changes[f.name] = tuple(v.to_crs(crs) for v in value)
            elif isinstance(value, Feature) and f.name != "geometry":
                changes[f.name] = value.to_crs(crs)
        return dataclasses.replace(self, **changes)


@dataclass(frozen=True)
class ParcelPart(Feature):
    """One part (skifte) of a register unit."""

    part_id: str
    part: int
    geometry: BaseGeometry
    area: float
    crs: str = STORAGE_CRS

    id_field: ClassVar[str] = "part_id"


@dataclass(frozen=True)
class Property(Feature):
    """A register unit (fastighet, samfällighet or gemensamhetsanläggning) with all its parts.

    ``geometry`` is the union of the parts; ``area`` their total area in m² (0.1 m²).
    """

    unit_id: str
    designation: Designation
    unit_type: str
    kommunkod: str | None
    parts: tuple[ParcelPart, ...]
    geometry: BaseGeometry
    area: float
    crs: str = STORAGE_CRS

    id_field: ClassVar[str] = "unit_id"

    @classmethod
    def from_parts(
        cls,
        unit_id: str,
        designation: Designation,
        unit_type: str,
        kommunkod: str | None,
        parts: list[ParcelPart],
    ) -> Property:
        """A property from its parts, in SWEREF 99 TM."""
        parts = sorted(parts, key=lambda p: p.part)
        geometry = shapely.union_all([p.geometry for p in parts])
        return cls(
            unit_id,
            designation,
            unit_type,
            kommunkod,
            tuple(parts),
            geometry,
            round(sum(p.area for p in parts), 1),
        )

    def _summary(self) -> dict[str, Any]:
        return {
            "designation": str(self.designation),
            "unit_type": self.unit_type,
            "area (m²)": self.area,
            "parts": len(self.parts),
            "unit_id": self.unit_id,
        }


@dataclass(frozen=True)
class Address(Feature):
    """A belägenhetsadress: a point at an entrance."""

    address_id: str
    unit_id: str
    designation: str
    street: str
    number: int | None
    letter: str | None
    postcode: str | None
    postal_town: str | None
    label: str
    geometry: BaseGeometry
    crs: str = STORAGE_CRS

    id_field: ClassVar[str] = "address_id"

    @property
    def full_label(self) -> str:
        """``Storvägen 14A, 856 41 SUNDSVALL``."""
        town = " ".join(v for v in (self.postcode, self.postal_town) if v)
        return f"{self.label}, {town}" if town else self.label


@dataclass(frozen=True)
class Building(Feature):
    """A building footprint; heights in metres above ground, ``ground_height`` in RH 2000."""

    building_id: str
    unit_id: str
    use: str | None
    floors: int | None
    roof_shape: str | None
    height: float | None
    ground_height: float | None
    area: float
    geometry: BaseGeometry
    crs: str = STORAGE_CRS

    id_field: ClassVar[str] = "building_id"


@dataclass(frozen=True)
class Suggestion(Model):
    """A search suggestion: a property by designation, or an address and its property."""

    kind: str
    label: str
    unit_id: str
    designation: str
    address_id: str | None = None


@dataclass(frozen=True)
class PropertyPage(Model):
    """One page of properties within a bounding box."""

    items: tuple[Property, ...]
    offset: int
    limit: int
    has_more: bool
    crs: str = STORAGE_CRS

    @property
    def __geo_interface__(self) -> dict[str, Any]:
        return {
            "type": "FeatureCollection",
            "features": [item.__geo_interface__ for item in self.items],
        }


@dataclass(frozen=True)
class FindResult(Model):
    """What ``find`` made of a query: matching properties, or suggestions to choose from."""

    query: str
    kind: str
    properties: tuple[Property, ...] = ()
    address: Address | None = None
    suggestions: tuple[Suggestion, ...] = field(default=())

    @property
    def __geo_interface__(self) -> dict[str, Any]:
        return {
            "type": "FeatureCollection",
            "features": [item.__geo_interface__ for item in self.properties],
        }
