"""Layout of the sample neighbourhood: zones, blocks, lots and streets.

Everything here is in local metres, ``0 … SIZE`` east and north of :data:`data.names.ORIGIN`.
Lots are rectangles (a few are cut later), laid out the way a Swedish suburb is: villa blocks two
lots deep between residential streets, a row-house block around a shared courtyard, an
industrial estate, two city kvarter, forest on the northern edge. The street-and-park parcel of
each trakt (``… 1:1``) is whatever the lots leave of the trakt's quadrant, so the parcels tile
the neighbourhood exactly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from data import names

Rect = tuple[float, float, float, float]
#: A stretch along one axis: (start, end) in local metres.
Span = tuple[float, float]

STREET = 12.0
MAIN_ROAD = 16.0
HALF = names.SIZE / 2


@dataclass
class Lot:
    """One parcel part before it gets its designation.

    ``front`` is the side that faces the street the lot is addressed on (``"S"`` or ``"N"``);
    ``group`` joins parts that make one property (a forest property in two parts).
    """

    rect: Rect
    trakt: str
    block: int | None
    kind: str
    front: str | None = None
    street: str | None = None
    built: bool = True
    group: str | None = None
    unit: int | None = None
    cut: Rect | None = None  # a piece taken out of this lot (the transformer plot)


@dataclass
class Area:
    """A planned area that is not a lot: a park, a natural buffer (part of the 1:1 parcel)."""

    rect: Rect
    trakt: str
    kind: str  # "park" or "natur"


@dataclass
class Block:
    """A block as the detaljplan sees it: one use area and the rules drawn over it."""

    rect: Rect
    trakt: str
    kind: str  # villa, radhus, industrial, kvarter_b, kvarter_c, park, natur
    number: int | None = None
    street_edges: tuple[str, ...] = ("S", "N")


@dataclass
class Layout:
    """The whole neighbourhood: lots, blocks (for the plans) and non-lot planned areas."""

    lots: list[Lot] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    areas: list[Area] = field(default_factory=list)


def intervals(
    start: float, end: float, size: float, gap: float, lead: bool, trail: bool
) -> list[Span]:
    """Split ``start … end`` into blocks of about ``size`` separated by streets of ``gap``.

    ``lead`` and ``trail`` put a street before the first and after the last block. Blocks are
    stretched so that they fill the span exactly.

    >>> intervals(0, 100, 40, 10, lead=False, trail=False)
    [(0.0, 45.0), (55.0, 100.0)]
    >>> intervals(0, 100, 40, 10, lead=True, trail=True)
    [(10.0, 45.0), (55.0, 90.0)]
    """
    first = start + (gap if lead else 0.0)
    last = end - (gap if trail else 0.0)
    length = last - first
    n = max(1, round((length + gap) / (size + gap)))
    width = (length - (n - 1) * gap) / n
    spans = [(first + i * (width + gap), first + i * (width + gap) + width) for i in range(n)]
    # Centimetre coordinates, so that neighbours share exactly the same edges.
    return [(round(a, 2), round(b, 2)) for a, b in spans]


def split_widths(
    total: float, mean: float, rng: np.random.Generator, spread: Span = (0.8, 1.25)
) -> list[float]:
    """Cut ``total`` into pieces of about ``mean`` that vary within ``spread``, summing exactly.

    >>> import numpy as np
    >>> w = split_widths(100.0, 25.0, np.random.default_rng(1))
    >>> len(w), round(float(sum(w)), 9)
    (4, 100.0)
    """
    n = max(1, round(total / mean))
    raw = rng.uniform(*spread, n)
    edges = np.concatenate([[0.0], np.cumsum(raw) / raw.sum() * total])
    edges = np.round(edges, 2)
    edges[-1] = total
    return list(np.diff(edges))  # np.float64 is a float


class _Numbering:
    """Hands out block numbers per trakt; block 1 is the municipal street-and-park parcel's."""

    def __init__(self) -> None:
        self._next: dict[str, int] = {}

    def block(self, trakt: str) -> int:
        number = self._next.get(trakt, 2)
        self._next[trakt] = number + 1
        return number


def _lots_along(
    x0: float, x1: float, y0: float, y1: float, mean: float, rng: np.random.Generator, **kw: Any
) -> list[Lot]:
    lots = []
    x = x0
    for w in split_widths(x1 - x0, mean, rng):
        right = x1 if abs(x + w - x1) < 0.005 else round(x + w, 2)
        lots.append(Lot(rect=(x, y0, right, y1), **kw))
        x = right
    return lots


def _villa_block(
    layout: Layout,
    numbering: _Numbering,
    rect: Rect,
    trakt: str,
    south: str | None,
    north: str | None,
    rng: np.random.Generator,
    lot_area: float = 950.0,
) -> None:
    """A block two villa lots deep; lot widths chosen so that lots are about ``lot_area``."""
    x0, y0, x1, y1 = rect
    block = numbering.block(trakt)
    layout.blocks.append(Block(rect, trakt, "villa", block))
    ym = round((y0 + y1) / 2, 2)
    mean = lot_area / (ym - y0)
    for lo, hi, front, street in ((y0, ym, "S", south), (ym, y1, "N", north)):
        for lot in _lots_along(
            x0,
            x1,
            lo,
            hi,
            mean,
            rng,
            trakt=trakt,
            block=block,
            kind="villa",
            front=front,
            street=street,
        ):
            lot.built = bool(rng.random() > 0.04)
            layout.lots.append(lot)


def _villa_zone(
    layout: Layout,
    numbering: _Numbering,
    rng: np.random.Generator,
    trakt: str,
    x_span: Span,
    y_span: Span,
    lead: bool,
    trail: bool,
    below: str | None,
    above: str | None,
    park_at: tuple[int, int] | None = None,
) -> None:
    """Villa blocks on a grid of residential streets named from the trakt's street list."""
    columns = intervals(*x_span, 190, STREET, lead=x_span[0] == 0, trail=False)
    rows = intervals(*y_span, 70, STREET, lead=lead, trail=trail)
    street_names = iter(names.STREETS[trakt])
    south = next(street_names) if lead else below
    for i, (r0, r1) in enumerate(rows):
        north = above if (i == len(rows) - 1 and not trail) else next(street_names)
        for j, (c0, c1) in enumerate(columns):
            rect = (c0, r0, c1, r1)
            if park_at == (i, j):
                layout.areas.append(Area(rect, trakt, "park"))
                layout.blocks.append(Block(rect, trakt, "park"))
                continue
            _villa_block(layout, numbering, rect, trakt, south, north, rng)
        south = north


def _southwest(layout: Layout, numbering: _Numbering, rng: np.random.Generator) -> None:
    _villa_zone(
        layout,
        numbering,
        rng,
        names.TRAKT_SW,
        (0.0, HALF - MAIN_ROAD / 2),
        (0.0, HALF - MAIN_ROAD / 2),
        lead=True,
        trail=False,
        below=None,
        above=names.MAIN_ROAD_EW,
        park_at=(3, 1),
    )


def _northwest(layout: Layout, numbering: _Numbering, rng: np.random.Generator) -> None:
    trakt = names.TRAKT_NW
    top = 920.0
    _villa_zone(
        layout,
        numbering,
        rng,
        trakt,
        (0.0, HALF - MAIN_ROAD / 2),
        (HALF + MAIN_ROAD / 2, top),
        lead=False,
        trail=True,
        below=names.MAIN_ROAD_EW,
        above=None,
    )
    # A jointly owned green strip between the villas and the forest: LÖVSÄTTRA S:1.
    layout.lots.append(
        Lot((0.0, top, HALF - MAIN_ROAD / 2, 950.0), trakt, None, "samfallighet", built=False)
    )
    _forest(layout, rng, trakt, (0.0, HALF - MAIN_ROAD / 2), (950.0, names.SIZE), parts=4)


def _forest(
    layout: Layout,
    rng: np.random.Generator,
    trakt: str,
    x_span: Span,
    y_span: Span,
    parts: int,
    joined: tuple[int, ...] = (),
) -> None:
    """Forest parcels of several hectares in block 1 (``TRAKT 1:2`` …)."""
    widths = split_widths(
        x_span[1] - x_span[0], (x_span[1] - x_span[0]) / parts, rng, spread=(0.85, 1.15)
    )
    x = x_span[0]
    for k, w in enumerate(widths):
        right = x_span[1] if k == len(widths) - 1 else round(x + w, 2)
        group = f"{trakt}-forest-joined" if k in joined else None
        layout.lots.append(
            Lot((x, y_span[0], right, y_span[1]), trakt, 1, "forest", built=False, group=group)
        )
        x = right


def _northeast(layout: Layout, numbering: _Numbering, rng: np.random.Generator) -> None:
    trakt = names.TRAKT_NE
    x0 = y0 = HALF + MAIN_ROAD / 2
    # Row houses around a shared courtyard and parking (GRANMYRA GA:1).
    block = numbering.block(trakt)
    rect = (x0, y0, 860.0, 704.0)
    layout.blocks.append(Block(rect, trakt, "radhus", block))
    rows = ((y0, 640.0, "S", names.MAIN_ROAD_EW), (672.0, 704.0, "N", "Granmyravägen"))
    for lo, hi, front, street in rows:
        for lot in _lots_along(
            x0,
            860.0,
            lo,
            hi,
            10.5,
            rng,
            trakt=trakt,
            block=block,
            kind="radhus",
            front=front,
            street=street,
        ):
            layout.lots.append(lot)
    layout.lots.append(Lot((x0, 640.0, 860.0, 672.0), trakt, None, "ga", built=False))
    _villa_block(
        layout,
        numbering,
        (872.0, y0, names.SIZE, 704.0),
        trakt,
        names.MAIN_ROAD_EW,
        "Granmyravägen",
        rng,
    )
    columns = intervals(x0, names.SIZE, 190, STREET, lead=False, trail=False)
    rows2 = intervals(716.0, 962.0, 70, STREET, lead=False, trail=True)
    row_streets = ["Granmyravägen", "Myrstigen", "Tjäderstigen", "Orrvägen"]
    for i, (r0, r1) in enumerate(rows2):
        for c0, c1 in columns:
            _villa_block(
                layout, numbering, (c0, r0, c1, r1), trakt, row_streets[i], row_streets[i + 1], rng
            )
    _forest(layout, rng, trakt, (x0, names.SIZE), (962.0, names.SIZE), parts=4, joined=(0, 2))


def _industrial(layout: Layout, numbering: _Numbering, rng: np.random.Generator) -> None:
    trakt = names.TRAKT_SE
    x0, x1 = HALF + MAIN_ROAD / 2, 1170.0
    layout.areas.append(Area((x1, 0.0, names.SIZE, 380.0), trakt, "natur"))
    layout.blocks.append(Block((x1, 0.0, names.SIZE, 380.0), trakt, "natur"))
    streets = [("Stenhällagatan", "N"), ("Verkstadsgatan", "S")]
    for k, (r0, r1) in enumerate(intervals(0.0, 380.0, 170, STREET, lead=True, trail=False)):
        block = numbering.block(trakt)
        layout.blocks.append(Block((x0, r0, x1, r1), trakt, "industrial", block))
        street, front = streets[k]
        lots = []
        x = x0
        for w in split_widths(x1 - x0, 56.0, rng, spread=(0.6, 1.4)):
            right = x1 if abs(x + w - x1) < 0.005 else round(x + w, 2)
            lots.append(
                Lot((x, r0, right, r1), trakt, block, "industrial", front=front, street=street)
            )
            x = right
        if k == 0:
            # A transformer plot cut from the first lot's street corner (use E in the plan).
            first = lots[0]
            fx0, _, _, fy1 = first.rect
            first.cut = (fx0, fy1 - 20.0, fx0 + 20.0, fy1)
            lots.append(Lot(first.cut, trakt, block, "transformer", front="N", street=street))
        layout.lots.extend(lots)


def _kvarter(layout: Layout, rng: np.random.Generator) -> None:
    y0, y1 = 392.0, HALF - MAIN_ROAD / 2
    layout.areas.append(Area((852.0, y0, 948.0, y1), names.TRAKT_SE, "park"))
    layout.blocks.append(Block((852.0, y0, 948.0, y1), names.TRAKT_SE, "park"))
    for name, kind, (x0, x1) in (
        (names.KVARTER_B, "kvarter_b", (HALF + MAIN_ROAD / 2, 840.0)),
        (names.KVARTER_C, "kvarter_c", (960.0, names.SIZE)),
    ):
        layout.blocks.append(Block((x0, y0, x1, y1), name, kind))
        ym = round((y0 + y1) / 2, 2)
        for lo, hi, front, street in (
            (y0, ym, "S", "Smedjegatan"),
            (ym, y1, "N", names.MAIN_ROAD_EW),
        ):
            for lot in _lots_along(
                x0,
                x1,
                lo,
                hi,
                (x1 - x0) / 3,
                rng,
                trakt=name,
                block=None,
                kind="apartment" if kind == "kvarter_b" else "centre",
                front=front,
                street=street,
            ):
                layout.lots.append(lot)


def make_layout(rng: np.random.Generator) -> Layout:
    """Lay out the whole neighbourhood, deterministically for a given generator state."""
    layout = Layout()
    numbering = _Numbering()
    _southwest(layout, numbering, rng)
    _northwest(layout, numbering, rng)
    _industrial(layout, numbering, rng)
    _kvarter(layout, rng)
    _northeast(layout, numbering, rng)
    _number_units(layout)
    return layout


def _number_units(layout: Layout) -> None:
    """Number the units: enhet 1… per block (west to east, south row first), per kvarter."""
    counters: dict[tuple[str, int | None, str], int] = {}
    groups: dict[str, int] = {}
    for lot in layout.lots:
        if lot.kind == "samfallighet" or lot.kind == "ga":
            lot.unit = 1
            continue
        key = (lot.trakt, lot.block, "")
        if lot.group and lot.group in groups:
            lot.unit = groups[lot.group]
            continue
        start = 2 if lot.block == 1 else 1  # 1:1 is the street-and-park parcel
        counters[key] = counters.get(key, start - 1) + 1
        lot.unit = counters[key]
        if lot.group:
            groups[lot.group] = lot.unit
