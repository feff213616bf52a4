"""Search that forgives: letters without diacritics, a postnummer, a street alone, a misspelling.

What :func:`layers.lookup.find` tries when a text is no exact designation or address:

- :func:`by_folded_designation`: ``Lovsattra 2:6`` is ``LÖVSÄTTRA 2:6``, as ``Bjorkasgrand 2``
  already is ``Björkåsgränd 2`` (the search keys are folded; the designation index is not);
- :func:`postcode` and :func:`street`: the properties with an address in a postnummer
  (``856 41``) or on a street named in full (``Björkåsgränd``);
- :func:`did_you_mean`: for a trakt or street that does not exist (``Björkåsn 2:1``), the
  designations or addresses of the nearest names, matched with RapidFuzz over the store's
  search keys (its ``fuzz.ratio``, an indel distance: linear in the bounded text per name).

Everything here runs on any backend through the store's interface, so both stores answer alike.

>>> postnummer("856 41"), postnummer("85641"), postnummer("856 4"), postnummer("Storgatan 1")
('856 41', '856 41', None, None)
"""

from __future__ import annotations

import re

from rapidfuzz import fuzz, process

from layers.address import parse_address_query, street_key
from layers.designation import parse_designation
from layers.errors import InvalidDesignation, LayerError, NotFound
from layers.features import FeatureQuery
from layers.models import FindResult, Property, Suggestion
from layers.store import LayerStore
from layers.text import fold

__all__ = [
    "MOST_PROPERTIES",
    "beyond_exact",
    "by_folded_designation",
    "did_you_mean",
    "postcode",
    "postnummer",
    "street",
    "suggestions",
]

#: Most properties a postnummer or a street lists (the page says when there are more).
MOST_PROPERTIES = 200
#: How alike (0–100, RapidFuzz's normalised indel similarity) a name must be to be offered.
CUTOFF = 75.0
#: How many nearest names are offered at the most.
NEAREST = 3
_POSTNUMMER = re.compile(r"(\d{3}) ?(\d{2})")


def postnummer(text: str) -> str | None:
    """``text`` as a Swedish postnummer in its written form (``856 41``), or None."""
    match = _POSTNUMMER.fullmatch(text.strip())
    return f"{match[1]} {match[2]}" if match else None


def by_folded_designation(store: LayerStore, text: str) -> Property | None:
    """The one property whose designation equals ``text`` but for case and diacritics."""
    try:
        designation = parse_designation(text, store.registry_areas())
    except InvalidDesignation:
        return None
    areas = (
        (designation.registry_area,)
        if designation.registry_area
        else store.trakt_areas(designation.trakt)
    )
    found = set()
    for area in areas:
        key = designation.with_registry_area(area).key()
        for s in store.suggest("designation", [key], 5):
            if _designation_key(s.label) == key and s.unit_id:
                found.add(s.unit_id)
    return store.get_property(found.pop()) if len(found) == 1 else None


def _designation_key(label: str) -> str | None:
    try:
        return parse_designation(label).key()
    except LayerError:
        return None


def postcode(store: LayerStore, text: str) -> tuple[Property, ...]:
    """The properties with an address in the postnummer ``text`` (none if it is not one)."""
    code = postnummer(text)
    if code is None or "addresses" not in store.layer_names():
        return ()
    page = store.feature_page(
        FeatureQuery("addresses", filters=(("postcode", code),), limit=MOST_PROPERTIES * 4)
    )
    return _properties(store, [str(f.properties.get("unit_id") or "") for f in page.features])


def street(store: LayerStore, text: str) -> tuple[Property, ...]:
    """The properties with an address on the street ``text`` names in full (no number)."""
    query = parse_address_query(text)
    if query is None or query.number or len(query.street) < 2:
        return ()
    matches = store.suggest("address", [query.street], MOST_PROPERTIES * 4, query.town)
    units = [s.unit_id or "" for s in matches if _street_of(s) == query.street]
    return _properties(store, units)


def _street_of(suggestion: Suggestion) -> str | None:
    parsed = parse_address_query(suggestion.label.split(",")[0])
    return parsed.street if parsed else None


def _properties(store: LayerStore, unit_ids: list[str]) -> tuple[Property, ...]:
    found: list[Property] = []
    for unit_id in dict.fromkeys(u for u in unit_ids if u):
        if len(found) >= MOST_PROPERTIES:
            break
        try:
            found.append(store.get_property(unit_id))
        except NotFound:  # an address whose property is not (or no longer) in the store
            continue
    return tuple(sorted(found, key=lambda p: p.designation.key()))


def did_you_mean(store: LayerStore, text: str, limit: int = 10) -> list[Suggestion]:
    """Designations or addresses of the names nearest a trakt or street that does not exist.

    ``Björkåsn 2:1`` gives ``BJÖRKÅSEN 2:1`` (its exact number first, then the trakt's
    others); ``Björkåsgrnd 4`` gives ``Björkåsgränd 4``. Empty when nothing is near.
    """
    near: list[tuple[float, str, str]] = []  # (how alike, kind, the nearer text)
    try:
        designation = parse_designation(text, store.registry_areas())
    except InvalidDesignation:
        designation = None
    if designation is not None and designation.kind == "fastighet":
        number = (
            f"{designation.block}:{designation.unit}"
            if designation.block is not None
            else str(designation.unit)
        )
        for name, score in _nearest(fold(designation.trakt), store.search_keys("trakt_area")):
            near.append((score, "designation", f"{name} {number}"))
    query = parse_address_query(text)
    if query is not None and len(query.street) >= 3:
        streets = sorted({key.split(" ")[0] for key in store.search_keys("address")})
        tail = " ".join(v for v in (query.number, query.letter) if v)
        for name, score in _nearest(street_key(query.street), streets):
            near.append((score, "address", f"{name} {tail}".strip()))
    found: list[Suggestion] = []
    for _score, kind, nearer in sorted(near, key=lambda n: -n[0]):
        if kind == "designation":
            found += store.suggest_designations(nearer, limit)
        else:
            found += store.suggest_addresses(nearer, limit)
    return _unique(found)[:limit]


def _nearest(name: str, names: tuple[str, ...] | list[str]) -> list[tuple[str, float]]:
    """The names most like ``name`` (at least :data:`CUTOFF` alike) and how alike, most first.

    >>> [n for n, _ in _nearest("bjorkasn", ["bjorkasen", "granmyra", "bjorkas"])]
    ['bjorkasen', 'bjorkas']
    """
    hits = process.extract(name, names, scorer=fuzz.ratio, score_cutoff=CUTOFF, limit=NEAREST)
    return [(hit[0], hit[1]) for hit in hits if hit[0] != name]


def beyond_exact(store: LayerStore, text: str, limit: int = 10) -> FindResult | None:
    """What :func:`~layers.lookup.find` gives for a text that names no property or address
    exactly: a postnummer's or a street's properties, the suggestions that start like it, or
    those of the nearest names; None when nothing is near."""
    for kind, found in (("postcode", postcode(store, text)), ("street", street(store, text))):
        if found:
            return FindResult(text, kind, found)
    starting = store.search(text, limit)
    if starting:
        return FindResult(text, "suggestions", suggestions=tuple(starting))
    nearest = did_you_mean(store, text, limit)
    return FindResult(text, "did_you_mean", suggestions=tuple(nearest)) if nearest else None


def suggestions(store: LayerStore, text: str, limit: int = 10) -> tuple[list[Suggestion], bool]:
    """A search box's suggestions, and whether they are "did you mean" ones.

    What starts like ``text`` first (:meth:`~layers.store.LayerStore.search`); else a
    postnummer's properties; else the designations and addresses of the nearest names.
    """
    found = store.search(text, limit)
    if found:
        return found, False
    if postnummer(text):
        return [
            Suggestion("designation", str(p.designation), p.unit_id, str(p.designation))
            for p in postcode(store, text)[:limit]
        ], False
    nearest = did_you_mean(store, text, limit)
    return nearest, bool(nearest)


def _unique(found: list[Suggestion]) -> list[Suggestion]:
    seen: set[str] = set()
    out = []
    for s in found:
        ident = s.address_id or s.unit_id or s.label
        if ident not in seen:
            seen.add(ident)
            out.append(s)
    return out
