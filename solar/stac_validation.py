"""STAC validation that works offline: pystac's schemas, plus field checks of our extensions."""

from __future__ import annotations

import re
from typing import Any

import pystac
from pystac.stac_object import STACObjectType
from pystac.validation import JsonSchemaSTACValidator, RegisteredValidator, set_validator

__all__ = ["validate"]

_EPSG = re.compile(r"^EPSG:\d+$")


class _OfflineValidator(JsonSchemaSTACValidator):
    """Validates core schemas (shipped with pystac); extension schemas only when reachable."""

    def __init__(self, fetch: bool) -> None:
        super().__init__()
        self.fetch = fetch
        self.unreachable: set[str] = set()

    def validate_extension(
        self,
        stac_dict: dict[str, Any],
        stac_object_type: STACObjectType,
        stac_version: str,
        extension_id: str,
        href: str | None = None,
    ) -> str | None:
        if extension_id in self.unreachable:
            return None
        try:
            self._get_schema(extension_id)
        except pystac.validation.GetSchemaError:
            self.unreachable.add(extension_id)
            return None
        return super().validate_extension(
            stac_dict, stac_object_type, stac_version, extension_id, href
        )

    def _get_schema(self, schema_uri: str) -> dict[str, Any]:
        if schema_uri in self.unreachable:
            raise pystac.validation.GetSchemaError(schema_uri, OSError("offline"))
        if not self.fetch and schema_uri not in self.schema_cache:
            self.unreachable.add(schema_uri)
            raise pystac.validation.GetSchemaError(schema_uri, OSError("not fetched"))
        return super()._get_schema(schema_uri)


def _check_fields(item: pystac.Item) -> None:
    props = item.properties
    problems = []
    if not _EPSG.match(str(props.get("proj:code", ""))):
        problems.append("proj:code must be 'EPSG:<code>'")
    shape = props.get("proj:shape")
    if not (
        isinstance(shape, list)
        and len(shape) == 2
        and all(isinstance(v, int) and v > 0 for v in shape)
    ):
        problems.append("proj:shape must be two positive integers")
    transform = props.get("proj:transform")
    if not (isinstance(transform, list) and len(transform) in (6, 9)):
        problems.append("proj:transform must have 6 or 9 numbers")
    for key, asset in item.assets.items():
        bands = asset.extra_fields.get("raster:bands")
        if not (isinstance(bands, list) and bands and all(isinstance(b, dict) for b in bands)):
            problems.append(f"asset {key} lacks raster:bands")
            continue
        for band in bands:
            if band.get("data_type") not in {t.value for t in pystac.extensions.raster.DataType}:
                problems.append(f"asset {key} has an unknown raster data_type")
    if problems:
        raise pystac.STACValidationError(f"item {item.id}: " + "; ".join(problems))


def validate(catalog: pystac.Catalog, fetch: bool = False) -> list[str]:
    """Validate ``catalog`` and everything in it; return the extension schemas not checked.

    Without ``fetch`` nothing is fetched: the core schemas ship with pystac, and the extension
    fields are checked here. With ``fetch`` pystac downloads the extension schemas too.
    """
    validator = _OfflineValidator(fetch)
    previous = RegisteredValidator.get_validator()
    set_validator(validator)
    try:
        catalog.validate_all()
        catalog.validate()
        for child in catalog.get_children():
            child.validate()
        for item in catalog.get_items(recursive=True):
            _check_fields(item)
    finally:
        set_validator(previous)
    return sorted(validator.unreachable)
