"""The solar map's colour ramp: annual irradiation in kWh/m²·year to colours, and its legend.

The ramp runs from blue (little sun: north-facing or shaded roofs) through pale yellow to red
(the sunniest roofs), over 400–1100 kWh/m²·year — the range a roof in Västernorrland spans
(an unshaded south-facing roof at 35–45° gets about 1 050–1 100 with the Sundsvall climate; see
docs/SOLAR.md). Values are scaled linearly to 0–255 and truncated, as rio-tiler's ``rescale``
does, and looked up in a 256-entry table, so tiles match rio-tiler's rendering of the same ramp.

>>> ramp = DEFAULT_RAMP
>>> ramp.colorize(np.array([[400.0, 1100.0, np.nan]]))[0].tolist()
[[44, 123, 182, 255], [215, 25, 28, 255], [0, 0, 0, 0]]
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

#: One colour stop: position 0–1 along the ramp and its RGB colour.
Stop = tuple[float, tuple[int, int, int]]

#: Colour stops of the default ramp: (position 0–1, RGB), ColorBrewer's RdYlBu reversed.
STOPS: tuple[Stop, ...] = (
    (0.0, (44, 123, 182)),
    (0.25, (171, 217, 233)),
    (0.5, (255, 255, 191)),
    (0.75, (253, 174, 97)),
    (1.0, (215, 25, 28)),
)


def _table(stops: tuple[Stop, ...]) -> NDArray[np.uint8]:
    positions = np.array([p for p, _ in stops])
    colours = np.array([c for _, c in stops], dtype=float)
    at = np.arange(256) / 255
    rgb = np.column_stack([np.interp(at, positions, colours[:, i]) for i in range(3)])
    return np.column_stack([np.round(rgb), np.full(256, 255)]).astype(np.uint8)


@dataclass(frozen=True)
class ColorRamp:
    """A linear colour ramp from ``vmin`` to ``vmax`` (kWh/m²·year) over a 256-entry table."""

    vmin: float = 400.0
    vmax: float = 1100.0
    stops: tuple[Stop, ...] = STOPS
    table: NDArray[np.uint8] = field(init=False, repr=False, compare=False)
    #: The table as one uint32 per entry, plus a transparent entry 256 for no data.
    _packed: NDArray[np.uint32] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        table = _table(self.stops)
        object.__setattr__(self, "table", table)
        packed = np.concatenate([table, np.zeros((1, 4), np.uint8)]).view(np.uint32).ravel()
        object.__setattr__(self, "_packed", packed)

    def indices(self, values: NDArray[np.floating[Any]]) -> NDArray[np.uint8]:
        """Ramp index 0–255 of each value (NaN gives 0; mask it separately)."""
        scaled = (np.nan_to_num(values, nan=self.vmin) - self.vmin) / (self.vmax - self.vmin)
        index: NDArray[np.uint8] = (np.clip(scaled, 0.0, 1.0) * 255).astype(np.uint8)
        return index

    def colorize(self, values: NDArray[np.floating[Any]]) -> NDArray[np.uint8]:
        """RGBA (rows, cols, 4) uint8 for float values; NaN is fully transparent."""
        index = np.empty(values.shape, dtype=np.intp)
        # The same operations, in the same order and precision, as rio-tiler's linear_rescale.
        scaled = (values - self.vmin) / (self.vmax - self.vmin) * 255
        missing = np.isnan(values)
        scaled[missing] = 0
        np.clip(scaled, 0, 255, out=scaled)
        np.copyto(index, scaled, casting="unsafe")  # truncates, as rio-tiler's uint8 cast does
        index[missing] = 256  # the transparent entry
        return self._packed[index].view(np.uint8).reshape(*values.shape, 4)

    def as_dict(self) -> dict[int, tuple[int, int, int, int]]:
        """The table as rio-tiler's colormap dict (index → RGBA)."""
        return {i: (r, g, b, a) for i, (r, g, b, a) in enumerate(self.table.tolist())}

    def legend(self, steps: int = 8) -> list[dict[str, Any]]:
        """Legend entries from low to high: value (kWh/m²·year) and CSS colour.

        >>> DEFAULT_RAMP.legend(2)
        [{'value': 400.0, 'color': '#2c7bb6'}, {'value': 1100.0, 'color': '#d7191c'}]
        """
        values = np.linspace(self.vmin, self.vmax, steps)
        out = []
        for value, index in zip(values, self.indices(values), strict=True):
            r, g, b, _ = (int(c) for c in self.table[index])
            out.append({"value": float(value), "color": f"#{r:02x}{g:02x}{b:02x}"})
        return out


DEFAULT_RAMP = ColorRamp()
