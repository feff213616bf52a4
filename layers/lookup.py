"""One entry point for "find my property": a designation, an address or a search text.

>>> callable(find)
True
"""

from __future__ import annotations

from layers import forgiving
from layers.errors import AddressNotFound, InvalidDesignation, NotFound, ParcelNotFound
from layers.models import FindResult
from layers.store import LayerStore


def find(store: LayerStore, query: str, limit: int = 10) -> FindResult:
    """Find properties from what a person typed.

    A designation (kommun optional; case and diacritics as the person types them) gives that
    property; a full address (street and number, postort optional) gives its property; a
    postnummer (``856 41``) or a street named in full gives the properties with an address
    there (kind ``postcode`` or ``street``); anything else gives ranked suggestions, or when
    nothing starts like it those of the nearest trakt or street names (kind ``did_you_mean``,
    see :mod:`layers.forgiving`).

    Raises
    ------
    ParcelNotFound
        A well-formed designation that is not in the store.
    AmbiguousDesignation
        A designation without kommun whose trakt exists in several kommuner.
    NotFound
        Nothing matches at all.
    """
    query = (query or "").strip()
    if len(query) < 2:
        raise InvalidDesignation("type at least 2 characters of a designation or an address")
    missing: ParcelNotFound | None = None
    try:
        return FindResult(query, "designation", (store.find_property(query),))
    except InvalidDesignation:
        pass
    except ParcelNotFound as err:
        missing = err
        folded = forgiving.by_folded_designation(store, query)
        if folded is not None:
            return FindResult(query, "designation", (folded,))
    try:
        address = store.find_address(query)
    except AddressNotFound:
        found = forgiving.beyond_exact(store, query, limit)
        if found is not None:
            return found
        if missing is not None:
            raise missing from None
        raise NotFound(
            f"nothing matches {query!r}: no designation, address or street starts like that"
        ) from None
    return FindResult(query, "address", (store.get_property(address.unit_id),), address)
