"""Coverage-weighted statistics of the roofs on a solar map: mean, deciles, m² per class.

The pixels of every roof of a property or polygon are gathered (value, horizontal m² of the
pixel inside the roof, tilt of the face it lies on) and summarised here, weighted by coverage
as exactextract does.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from solar.suitability import CLASSES, Suitability

__all__ = ["DECILES", "RoofStatistics", "roof_statistics", "rounded", "weighted_quantiles"]

DECILES = tuple(range(10, 100, 10))


@dataclass(frozen=True)
class RoofStatistics:
    """Coverage-weighted statistics of the roofs on the solar map.

    ``footprint_m2`` is the roofs' horizontal area, ``surface_m2`` the tilted surface;
    ``mean``/``deciles`` are kWh/m²·year over pixels with data, weighted by coverage (as
    exactextract); ``class_m2`` per class is horizontal, ``class_surface_m2`` tilted;
    ``nodata_m2`` is the horizontal roof area without data, ``nodata_pixels`` the
    coverage-weighted pixel count.
    """

    footprint_m2: float
    surface_m2: float
    mean: float
    minimum: float
    maximum: float
    deciles: tuple[float, ...]
    class_m2: dict[str, float]
    class_surface_m2: dict[str, float]
    nodata_m2: float
    nodata_pixels: float
    pixels: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "footprint_m2": round(self.footprint_m2, 2),
            "surface_m2": round(self.surface_m2, 2),
            "mean": rounded(self.mean),
            "min": rounded(self.minimum),
            "max": rounded(self.maximum),
            "deciles": {f"p{p}": rounded(v) for p, v in zip(DECILES, self.deciles, strict=True)},
            "class_m2": {k: round(v, 2) for k, v in self.class_m2.items()},
            "class_surface_m2": {k: round(v, 2) for k, v in self.class_surface_m2.items()},
            "nodata_m2": round(self.nodata_m2, 2),
            "nodata_pixels": round(self.nodata_pixels, 3),
            "pixels": round(self.pixels, 3),
        }


def rounded(value: float | None, digits: int = 1) -> float | None:
    """``value`` rounded, or None for none, NaN or infinity.

    >>> rounded(912.345), rounded(float("nan"))
    (912.3, None)
    """
    return None if value is None or not math.isfinite(value) else round(value, digits)


def weighted_quantiles(
    values: NDArray[np.float64], weights: NDArray[np.float64], quantiles: tuple[float, ...]
) -> tuple[float, ...]:
    """Quantiles of ``values`` where each counts with its weight (the coverage).

    The q-quantile is the value where the cumulative weight, taken at each value's middle,
    reaches q of the total (linear between values).

    >>> q = weighted_quantiles(np.array([1.0, 2.0, 3.0]), np.array([1.0, 1.0, 2.0]), (0.5, 0.9))
    >>> [round(x, 2) for x in q]
    [2.33, 3.0]
    """
    if values.size == 0 or weights.sum() <= 0:
        return tuple(math.nan for _ in quantiles)
    order = np.argsort(values, kind="stable")
    v, w = values[order], weights[order]
    middle = (np.cumsum(w) - 0.5 * w) / w.sum()
    return tuple(float(np.interp(q, middle, v)) for q in quantiles)


def roof_statistics(
    values: NDArray[np.float64],
    weights: NDArray[np.float64],
    tilts: NDArray[np.float64],
    suitability: Suitability,
    pixel_area: float,
) -> RoofStatistics:
    """Coverage-weighted statistics of pixel ``values`` (NaN without data) with their
    horizontal ``weights`` (m²) and the ``tilts`` of the faces they lie on."""
    data = np.isfinite(values)
    v, w = values[data], weights[data]
    surface = weights / np.cos(np.radians(tilts))
    classes = np.searchsorted(np.asarray(suitability.edges), v, side="right")
    class_m2 = {k: float(w[classes == i].sum()) for i, k in enumerate(CLASSES)}
    class_surface = {k: float(surface[data][classes == i].sum()) for i, k in enumerate(CLASSES)}
    return RoofStatistics(
        footprint_m2=float(weights.sum()),
        surface_m2=float(surface.sum()),
        mean=float(np.sum(w * v) / w.sum()) if w.sum() > 0 else math.nan,
        minimum=float(v.min()) if v.size else math.nan,
        maximum=float(v.max()) if v.size else math.nan,
        deciles=weighted_quantiles(v, w, tuple(p / 100 for p in DECILES)),
        class_m2=class_m2,
        class_surface_m2=class_surface,
        nodata_m2=float(weights[~data].sum()),
        nodata_pixels=float(weights[~data].sum() / pixel_area),
        pixels=float(w.sum() / pixel_area),
    )
