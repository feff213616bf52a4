"""What each layer of the store holds, and how source schemas map onto it.

``LAYER_SCHEMAS`` lists per layer the required and optional columns and the geometry kind; a
source column outside that list is never stored (this is how owner names and personal identity
numbers in a source are dropped). ``ALIASES`` maps column names of common sources —
Lantmäteriet's fastighetsindelning, belägenhetsadresser and byggnader, Boverket's detaljplan
data (bestämmelsekoder) — onto ours; Shapefile's 10-character truncated names are recognised too.

>>> mapping, dropped = map_columns("parcels", ["Beteckning", "REGISTERENHETSREFERENS", "ägare"])
>>> mapping, dropped
({'Beteckning': 'designation', 'REGISTERENHETSREFERENS': 'unit_id'}, ['ägare'])
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from layers.crs import STORAGE_CRS, parse_crs
from layers.errors import UnknownLayer, UnsupportedCRS
from layers.text import fold

if TYPE_CHECKING:
    import geopandas as gpd


@dataclass(frozen=True)
class LayerSchema:
    """The columns of one layer: ``required`` must be present and non-null."""

    name: str
    geometry: str
    required: tuple[str, ...]
    optional: tuple[str, ...]
    id_column: str

    @property
    def columns(self) -> tuple[str, ...]:
        return self.required + self.optional


LAYER_SCHEMAS = {
    s.name: s
    for s in (
        LayerSchema(
            "parcels",
            "polygon",
            ("designation", "unit_id"),
            (
                "part_id",
                "kommunkod",
                "registry_area",
                "trakt",
                "block",
                "unit",
                "unit_type",
                "part",
                "land_use",
            ),
            "part_id",
        ),
        LayerSchema(
            "addresses",
            "point",
            ("address_id", "unit_id", "street", "number"),
            ("designation", "letter", "postcode", "postal_town", "kommunkod", "label"),
            "address_id",
        ),
        LayerSchema(
            "buildings",
            "polygon",
            ("building_id", "unit_id"),
            (
                "designation",
                "use",
                "floors",
                "roof_shape",
                "roof_pitch",
                "ridge_azimuth",
                "eave_height",
                "height",
                "ground_height",
                "main_building",
                "house_number",
                "unit_shares",
            ),
            "building_id",
        ),
        LayerSchema(
            "plans",
            "polygon",
            ("plan_id", "name", "status"),
            (
                "plan_type",
                "adopted",
                "legal_force",
                "implementation_years",
                "authority",
                "document",
            ),
            "plan_id",
        ),
        LayerSchema(
            "plan_uses",
            "polygon",
            ("plan_id", "code"),
            ("use_id", "wording", "land_form", "catalogue_code"),
            "use_id",
        ),
        LayerSchema(
            "plan_rules",
            "polygon",
            ("plan_id", "code"),
            ("rule_id", "category", "wording", "value", "unit", "catalogue_code"),
            "rule_id",
        ),
    )
}

_COMMON = {
    "kommunkod": "kommunkod",
    "registerenhetsreferens": "unit_id",
    "registerenhet": "unit_id",
    "fastighetsbeteckning": "designation",
    "beteckning": "designation",
}

#: Source column names (folded) → our column, per layer.
ALIASES: dict[str, dict[str, str]] = {
    "parcels": {
        **_COMMON,
        "objektidentitet": "part_id",
        "trakt": "trakt",
        "block": "block",
        "enhet": "unit",
        "registeromrade": "registry_area",
        "kommunnamn": "registry_area",
        "registerenhetstyp": "unit_type",
        "typ": "unit_type",
        "ytnummer": "part",
        "skifte": "part",
    },
    "addresses": {
        **_COMMON,
        "objektidentitet": "address_id",
        "adressomrade": "street",
        "gatunamn": "street",
        "gata": "street",
        "adressplatsnummer": "number",
        "nummer": "number",
        "husnummer": "number",
        "bokstavstillagg": "letter",
        "bokstav": "letter",
        "postnummer": "postcode",
        "postort": "postal_town",
        "adress": "label",
        "adressbeteckning": "label",
    },
    "buildings": {
        **_COMMON,
        "objektidentitet": "building_id",
        "andamal": "use",
        "huvudsakligt_andamal": "use",
        "anvandning": "use",
        "vaningar": "floors",
        "antal_vaningar": "floors",
        "hojd": "height",
        "takform": "roof_shape",
    },
    "plans": {
        "planid": "plan_id",
        "plan_id": "plan_id",
        "planbeteckning": "plan_id",
        "aktbeteckning": "plan_id",
        "akt": "plan_id",
        "plannamn": "name",
        "namn": "name",
        "plantyp": "plan_type",
        "planstatus": "status",
        "status": "status",
        "antagandedatum": "adopted",
        "antagande": "adopted",
        "datum_antagande": "adopted",
        "lagakraftdatum": "legal_force",
        "laga_kraft": "legal_force",
        "lagakraft": "legal_force",
        "datum_laga_kraft": "legal_force",
        "genomforandetid": "implementation_years",
        "myndighet": "authority",
        "beslutande_myndighet": "authority",
        "dokument": "document",
        "planhandling": "document",
        "lank": "document",
    },
    "plan_uses": {
        "planid": "plan_id",
        "plan_id": "plan_id",
        "objektidentitet": "use_id",
        "beteckning": "code",
        "kod": "code",
        "symbol": "code",
        "bestammelsekod": "catalogue_code",
        "formulering": "wording",
        "bestammelseformulering": "wording",
        "lydelse": "wording",
        "anvandningsform": "land_form",
        "markform": "land_form",
    },
    "plan_rules": {
        "planid": "plan_id",
        "plan_id": "plan_id",
        "objektidentitet": "rule_id",
        "beteckning": "code",
        "kod": "code",
        "symbol": "code",
        "bestammelsekod": "catalogue_code",
        "formulering": "wording",
        "bestammelseformulering": "wording",
        "lydelse": "wording",
        "kategori": "category",
        "varde": "value",
        "enhet": "unit",
        "storhet_enhet": "unit",
    },
}

#: Names (folded) that mark owner or personal data; such columns are dropped and reported.
PERSONAL = re.compile(
    r"agare|owner|person|(?<![a-z])pnr(?![a-z])|orgnr|organisationsnummer|fornamn|efternamn|"
    r"lagfart|innehavare|taxerad|co_adress|telefon|e_?post|email"
)


def column_key(name: str) -> str:
    """A column name folded for matching: lower case, no accents, ``_`` for other signs.

    >>> column_key("Huvudsakligt ändamål")
    'huvudsakligt_andamal'
    """
    return re.sub(r"[^0-9a-z]+", "_", fold(str(name))).strip("_")


def map_columns(
    layer: str, columns: Sequence[Any], explicit: dict[str, str] | None = None
) -> tuple[dict[Any, str], list[Any]]:
    """Which source column becomes which of ours, and which source columns are dropped.

    ``explicit`` (source → ours) wins over the aliases. Returns (mapping, dropped).
    """
    schema = LAYER_SCHEMAS[layer]
    ours = set(schema.columns)
    aliases = ALIASES.get(layer, {})
    mapping: dict[str, str] = {}
    for column in columns:
        if column == "geometry":
            continue
        key = column_key(column)
        target = (explicit or {}).get(column)
        if target is None:
            target = key if key in ours else aliases.get(key)
        if target is None and len(str(column)) == 10:  # a Shapefile-truncated name
            fits = [c for c in schema.columns if c.startswith(key)]
            target = fits[0] if len(fits) == 1 else None
        if target in ours and target not in mapping.values():
            mapping[column] = target
    dropped = [c for c in columns if c != "geometry" and c not in mapping]
    return mapping, dropped


def is_personal(column: str) -> bool:
    """True for a column name that looks like owner or personal data.

    >>> is_personal("Lagfaren ägare"), is_personal("postort"), is_personal("PNR")
    (True, False, True)
    >>> is_personal("objekttypnr")  # Lantmäteriet's object type code
    False
    """
    return PERSONAL.search(column_key(column)) is not None


#: What a layer may be called: lower case letters, digits and ``_``, not a reserved prefix.
LAYER_NAME = re.compile(r"(?!(gpkg|rtree|sqlite|layers)_)[a-z][a-z0-9_]{0,62}")


def check_layer(name: str, frame: gpd.GeoDataFrame) -> None:
    """Refuse a layer name or a frame no store may hold (every backend stores SWEREF 99 TM).

    >>> check_layer("rtree_parcels", None)
    Traceback (most recent call last):
    ...
    layers.errors.UnknownLayer: 'rtree_parcels' cannot name a layer: use lower case letters, ...
    """
    if not LAYER_NAME.fullmatch(name):
        raise UnknownLayer(
            f"{name!r} cannot name a layer: use lower case letters, digits and _ "
            "(not gpkg_, rtree_, sqlite_ or layers_ first)"
        )
    if frame.crs is None or parse_crs(frame.crs) != STORAGE_CRS:
        raise UnsupportedCRS(
            f"the {name} to store are in {frame.crs or 'no CRS'}; a store holds "
            f"{STORAGE_CRS} (frame.to_crs({STORAGE_CRS!r}))"
        )
