"""The sample's second, smaller kommun: a fictitious neighbourhood in Härnösand (2280).

Two trakter side by side, 480 × 176 m west of Härnösand's centre: BJÖRKÅSEN, whose name
Sundsvall's sample also has, and KLOCKMYRA, found only here. Each is two villa blocks between
three east-west streets. BJÖRKÅSEN's blocks are numbered 20 and 21, as two of Sundsvall's are,
so ``BJÖRKÅSEN 20:1`` without its kommun names two properties, while ``BJÖRKÅSEN 1:1`` (a
street parcel only Sundsvall's BJÖRKÅSEN has) names one. The streets and verges of the whole
neighbourhood are ``KLOCKMYRA 1:1``. One detaljplan (2280K-DP52) covers it all. The
sample's surface models and solar map cover Sundsvall's neighbourhood only, so these
properties have no solar figures: the report says so, as it would for any property outside
the solar map.

>>> frames = make_harnosand(np.random.default_rng(2280))
>>> sorted(set(frames["parcels"].trakt))
['BJÖRKÅSEN', 'KLOCKMYRA']
>>> bool(frames["parcels"].designation.str.startswith("HÄRNÖSAND ").all())
True
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np

from data.addresses import make_addresses
from data.buildings import buildings_frame, make_buildings
from data.cadastre import make_parcels
from data.layout import Layout, _number_units, _Numbering, _villa_block
from data.names import HARNOSAND, HARNOSAND_STREETS, HARNOSAND_TRAKT_E, HARNOSAND_TRAKT_W
from data.plans import HARNOSAND_PLANS, make_plans
from data.surface import terrain

#: Street width and the blocks' rows (south, north) in local metres of this neighbourhood.
_STREET = 12.0
_ROWS = ((12.0, 82.0), (94.0, 164.0))
WIDTH, HEIGHT = HARNOSAND.size
#: The first block number per trakt: Härnösand's BJÖRKÅSEN 20 and 21 share their designations
#: (less the kommun) with Sundsvall's BJÖRKÅSEN 20 and 21; its 1:1 is Sundsvall's alone.
FIRST_BLOCK = {HARNOSAND_TRAKT_W: 20}
#: Where each trakt lies (west and east half), and the street parcel's trakt, which holds what
#: the lots leave of the whole neighbourhood.
TRAKTER = {
    HARNOSAND_TRAKT_W: (0.0, 0.0, WIDTH / 2, HEIGHT),
    HARNOSAND_TRAKT_E: (WIDTH / 2, 0.0, WIDTH, HEIGHT),
}
QUADRANTS = {HARNOSAND_TRAKT_E: (0.0, 0.0, WIDTH, HEIGHT)}


def make_layout(rng: np.random.Generator) -> Layout:
    """Lots and blocks of the Härnösand neighbourhood, deterministically for ``rng``'s state."""
    layout = Layout()
    numbering = _Numbering()
    numbering._next.update(FIRST_BLOCK)
    for trakt, (x0, _, x1, _) in TRAKTER.items():
        for k, (y0, y1) in enumerate(_ROWS):
            rect = (x0 + _STREET, y0, x1 - _STREET, y1)
            south, north = HARNOSAND_STREETS[k], HARNOSAND_STREETS[k + 1]
            _villa_block(layout, numbering, rect, trakt, south, north, rng)
    _number_units(layout)
    return layout


def make_harnosand(rng: np.random.Generator) -> dict[str, gpd.GeoDataFrame]:
    """The six layers of the Härnösand neighbourhood in its local metres, by layer name."""
    layout = make_layout(rng)
    buildings = make_buildings(layout, rng)
    x = np.array([b.cx for b in buildings])
    y = np.array([b.cy for b in buildings])
    plans, uses, rules = make_plans(layout, HARNOSAND_PLANS, HARNOSAND.authority)
    return {
        "parcels": make_parcels(layout, HARNOSAND, QUADRANTS),
        "addresses": make_addresses(buildings, HARNOSAND),
        "buildings": buildings_frame(buildings, terrain(x, y) - 15.0, HARNOSAND),
        "plans": plans,
        "plan_uses": uses,
        "plan_rules": rules,
    }


__all__ = ["QUADRANTS", "TRAKTER", "make_harnosand", "make_layout"]
