"""Detaljplaner in the national specification (Nationell informationsspecifikation Detaljplan
4.1, ``application/vnd.lm.detaljplan.v4+json``) → ``plans``, ``plan_uses`` and ``plan_rules``.

A file is a GeoJSON-like ``FeatureCollection`` whose features have ``geometry: null``; each
``properties`` is a ``detaljplan`` or a ``planbestammelse`` (``feature:typ``
``användningsbestämmelse``, ``egenskapsbestämmelse`` or ``administrativ bestämmelse``).
Geometries sit in ``plangeometri``/``bestammelsegeometri`` as ``{geometri: {typ,
koordinatsystemPlan, position}}`` — one part per entry, in SWEREF 99 TM or a local zone, moved
to SWEREF 99 TM here. Dates come from the plan's ``beslutsinformation`` (``datumAntagande``, the
first ``datumLagakraft``, ``genomforandetid`` in months). A bestämmelse names its entry in
Boverket's Planbestämmelsekatalogen by UUID (``planbestammelsekatalogreferens``); with the
catalogue at hand (:func:`catalogue_entries`) it gets its code (``B``, ``e1``), kategori and
bestämmelsekod, without it the reader keeps the reference and says so.

>>> fill("Största byggnadsarea är [utnyttjandegrad:decimaltal] %.", ["25"])
'Största byggnadsarea är 25 %.'
>>> category_of("DP_KM_Eg_Utnytt_StorstaAreaProc_ByggnadsEgen", None), category_of(None, None)
('utnyttjandegrad', None)
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import shapely
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from layers.errors import ImportRefused
from layers.schema import LAYER_SCHEMAS
from layers.text import fold
from sweref import STORAGE_CRS, SWEREF99_ZONES, reproject

MEDIA_TYPE = "application/vnd.lm.detaljplan.v4+json"
#: A plan file larger than this is refused before it is parsed.
MAX_BYTES = 200_000_000
USE, PROPERTY, ADMINISTRATIVE = (
    "användningsbestämmelse",
    "egenskapsbestämmelse",
    "administrativ bestämmelse",
)
#: Catalogue code prefix → användningsform (Planbestämmelsekatalogen's structure).
LAND_FORMS = {"KM": "kvartersmark", "AP": "allmän plats", "VO": "vattenområde"}
#: Words of a catalogue code or kategori (folded) → the service's rule category.
CATEGORIES = (
    ("utnytt", "utnyttjandegrad"),
    ("prickmark", "prickmark"),
    ("ejbyggnad", "prickmark"),
    ("korsmark", "korsmark"),
    ("komplementbyggnad", "korsmark"),
    ("hojd", "höjd"),
)
UNITS = {"procent": "%", "kvadratmeter": "m²", "meter": "m", "kubikmeter": "m³", "grader": "°"}
_VARIABLE = re.compile(r"\[[^\[\]]{1,200}\]")


def fill(wording: str, values: list[str]) -> str:
    """The wording with its ``[name:type]`` variables replaced by the values, in order."""
    it = iter(values)
    return _VARIABLE.sub(lambda m: next(it, m.group(0)), wording)


def category_of(code: str | None, kategori: str | None) -> str | None:
    """The service's category of a rule from its bestämmelsekod or the catalogue's kategori."""
    words = fold(f"{code or ''} {kategori or ''}").replace("_", "").replace(" ", "")
    return next((ours for key, ours in CATEGORIES if key in words), None) if words else None


@dataclass
class PlanFile:
    """The three layers read from plan files, and what the reader noticed."""

    plans: list[dict[str, Any]] = field(default_factory=list)
    uses: list[dict[str, Any]] = field(default_factory=list)
    rules: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def frames(self) -> dict[str, gpd.GeoDataFrame]:
        """``plans``, ``plan_uses`` and ``plan_rules`` as frames in SWEREF 99 TM."""
        return {
            name: gpd.GeoDataFrame(
                rows or None,
                columns=[*LAYER_SCHEMAS[name].columns, "geometry"],
                geometry="geometry",
                crs=STORAGE_CRS,
            )
            for name, rows in (
                ("plans", self.plans),
                ("plan_uses", self.uses),
                ("plan_rules", self.rules),
            )
        }


def read_json(path: Path) -> Any:
    """A JSON file, refused when larger than :data:`MAX_BYTES` or not JSON."""
    if path.stat().st_size > MAX_BYTES:
        raise ImportRefused(f"{path.name} is larger than {MAX_BYTES // 1_000_000} MB")
    try:
        with path.open("rb") as f:
            return json.load(f)
    except (ValueError, UnicodeDecodeError) as err:
        raise ImportRefused(f"{path.name} is not JSON: {err}") from err


def catalogue_entries(document: Any) -> dict[str, dict[str, Any]]:
    """Planbestämmelsekatalogen's entries (Boverket's API, ``release/full/platt``) by ``id``:
    a list of entries, or an object with such a list among its values."""
    entries = (
        document
        if isinstance(document, list)
        else next((v for v in document.values() if isinstance(v, list)), [])
        if isinstance(document, dict)
        else []
    )
    return {str(e["id"]): e for e in entries if isinstance(e, dict) and "id" in e}


def is_plan_document(document: Any) -> bool:
    """True for a FeatureCollection of the national detaljplan specification."""
    return isinstance(document, dict) and document.get("feature:mediatyp") == MEDIA_TYPE


def read_plans(
    documents: list[Any], catalogue: dict[str, dict[str, Any]] | None = None
) -> PlanFile:
    """The plans and bestämmelser of plan documents (parsed JSON), in the service's layers."""
    out = PlanFile()
    catalogue = catalogue or {}
    props = [
        f.get("properties") or {}
        for d in documents
        for f in (d.get("features") or [] if isinstance(d, dict) else [])
        if isinstance(f, dict)
    ]
    plans = {p["objektidentitet"]: p for p in props if p.get("feature:typ") == "detaljplan"}
    plan_ids = {uuid: str(p.get("beteckning") or uuid) for uuid, p in plans.items()}
    for p in plans.values():
        out.plans.append(_plan(p, plan_ids[p["objektidentitet"]], out.warnings))
    counters: Counter[tuple[str, str]] = Counter()
    missing = 0
    for p in props:
        kind = p.get("feature:typ")
        if kind not in (USE, PROPERTY, ADMINISTRATIVE):
            continue
        plan_id = plan_ids.get(str(p.get("detaljplan")))
        geometry = _geometry(p.get("bestammelsegeometri"), out.warnings)
        if plan_id is None or geometry is None:
            out.warnings.append(f"bestämmelse {p.get('objektidentitet')} skipped: no plan or area")
            continue
        entry = catalogue.get(str(p.get("planbestammelsekatalogreferens")))
        missing += entry is None
        row = _bestammelse(p, entry, plan_id, geometry, counters)
        (out.uses if kind == USE else out.rules).append(row)
    if missing:
        out.warnings.append(
            f"{missing} bestämmelser have no entry in Planbestämmelsekatalogen at hand: their "
            "code is their catalogue reference; add the catalogue release to the delivery"
        )
    return out


def _plan(p: dict[str, Any], plan_id: str, warnings: list[str]) -> dict[str, Any]:
    decisions = [b for b in p.get("beslutsinformation") or [] if isinstance(b, dict)]
    adopted = [b["datumAntagande"] for b in decisions if b.get("datumAntagande")]
    legal = sorted(d for b in decisions for d in b.get("datumLagakraft") or [] if d)
    months = [b["genomforandetid"] for b in decisions if isinstance(b.get("genomforandetid"), int)]
    authority = next(
        (b["instansInomKommunen"] for b in decisions if b.get("instansInomKommunen")), None
    )
    return {
        "plan_id": plan_id,
        "name": p.get("namn"),
        "status": p.get("status"),
        "plan_type": p.get("typ"),
        "adopted": min(adopted) if adopted else None,
        "legal_force": legal[0] if legal else None,
        "implementation_years": round(months[0] / 12) if months else None,
        "authority": authority,
        "document": None,
        "geometry": _geometry(p.get("plangeometri"), warnings),
    }


def _bestammelse(
    p: dict[str, Any],
    entry: dict[str, Any] | None,
    plan_id: str,
    geometry: BaseGeometry,
    counters: Counter[tuple[str, str]],
) -> dict[str, Any]:
    values = [v for v in p.get("bestammelsevarde") or [] if isinstance(v, dict)]
    wording = fill(
        str(p.get("bestammelseformulering") or ""),
        [str(v.get("variabelvarde", "")) for v in values],
    )
    code_text = (entry or {}).get("bestammelsekod")
    symbol = str((entry or {}).get("beteckning") or p.get("planbestammelsekatalogreferens"))
    if "#" in symbol:
        counters[(plan_id, symbol)] += 1
        symbol = symbol.replace("#", str(counters[(plan_id, symbol)]))
    prefix = str(code_text or "").split("_")[1:2]
    row: dict[str, Any] = {
        "plan_id": plan_id,
        "code": symbol,
        "wording": wording,
        "catalogue_code": code_text,
        "geometry": geometry,
    }
    if p.get("feature:typ") == USE:
        form = (entry or {}).get("anvandningsform") or LAND_FORMS.get(prefix[0] if prefix else "")
        return {
            "use_id": p.get("objektidentitet"),
            **row,
            "land_form": str(form).lower() if form else None,
        }
    number = next((v for v in values if v.get("datatyp") == "decimaltal"), None)
    value = None
    if number is not None:
        try:
            value = float(str(number.get("variabelvarde")).replace(",", "."))
        except ValueError:
            value = None
    return {
        "rule_id": p.get("objektidentitet"),
        **row,
        "category": category_of(code_text, (entry or {}).get("kategori")),
        "value": value,
        "unit": UNITS.get(str((number or {}).get("enhet")), (number or {}).get("enhet")),
    }


def _geometry(parts: Any, warnings: list[str]) -> BaseGeometry | None:
    """The union of the polygon parts of a geometry array, in SWEREF 99 TM."""
    shapes = []
    for part in parts or []:
        g = part.get("geometri") if isinstance(part, dict) else None
        if not isinstance(g, dict) or not isinstance(g.get("position"), dict):
            continue
        crs = g.get("koordinatsystemPlan")
        if crs not in (STORAGE_CRS, *SWEREF99_ZONES):
            warnings.append(f"a geometry in {crs!r} skipped: not SWEREF 99")
            continue
        try:
            found = shape(g["position"])
        except (ValueError, TypeError, KeyError, AttributeError):
            warnings.append("an unreadable geometry skipped")
            continue
        found = shapely.force_2d(found)
        if found.geom_type in ("Polygon", "MultiPolygon"):
            shapes.append(reproject(found, crs, STORAGE_CRS))
    return shapely.union_all(shapes) if shapes else None


__all__ = [
    "MEDIA_TYPE",
    "PlanFile",
    "catalogue_entries",
    "category_of",
    "fill",
    "is_plan_document",
    "read_json",
    "read_plans",
]
