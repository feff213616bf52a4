"""The results of zonal statistics: one polygon (:class:`ZonalStats`) or many (:class:`ZonalTable`).

Counts are coverage-weighted pixels (see :mod:`solar.zonal`); areas are on the map (horizontal).

>>> stats = ZonalStats(count=2.0, sum=1800.0, min=850.0, max=950.0, nodata=0.5, pixel_area=0.25)
>>> stats.mean, stats.area_m2, stats.nodata_m2
(900.0, 0.5, 0.125)
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["ZonalStats", "ZonalTable"]


@dataclass(frozen=True)
class ZonalStats:
    """Coverage-weighted statistics of one polygon on a raster.

    ``count`` and ``nodata`` are coverage-weighted pixels; the ``*_m2`` fields are areas on the
    map (horizontal), ``class_m2[i]`` the area with values in ``[edges[i-1], edges[i])``.
    """

    count: float
    sum: float
    min: float
    max: float
    nodata: float
    pixel_area: float
    edges: tuple[float, ...] = ()
    class_pixels: tuple[float, ...] = (0.0,)

    @property
    def mean(self) -> float:
        """Mean value of the covered pixels with data (NaN when there are none)."""
        return self.sum / self.count if self.count > 0 else math.nan

    @property
    def area_m2(self) -> float:
        """Covered area with data."""
        return self.count * self.pixel_area

    @property
    def nodata_m2(self) -> float:
        """Covered area without data (or outside the map)."""
        return self.nodata * self.pixel_area

    @property
    def class_m2(self) -> tuple[float, ...]:
        """Covered area per class between :attr:`edges`."""
        return tuple(p * self.pixel_area for p in self.class_pixels)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready values, with ``None`` for a mean, min or max that does not exist."""
        return {
            "count": self.count,
            "sum": self.sum,
            "mean": _none(self.mean),
            "min": _none(self.min),
            "max": _none(self.max),
            "nodata": self.nodata,
            "area_m2": self.area_m2,
            "nodata_m2": self.nodata_m2,
            "edges": list(self.edges),
            "class_m2": list(self.class_m2),
        }

    def _repr_html_(self) -> str:
        return (
            f"<b>Zonal statistics</b>: mean {self.mean:.1f} over {self.area_m2:.1f} m² "
            f"({self.nodata_m2:.1f} m² without data), min {self.min:.1f}, "
            f"max {self.max:.1f}"
        )


@dataclass(frozen=True)
class ZonalTable:
    """Statistics of many polygons, one row each, in the order they were given."""

    count: NDArray[np.float64]
    sum: NDArray[np.float64]
    min: NDArray[np.float64]
    max: NDArray[np.float64]
    nodata: NDArray[np.float64]
    class_pixels: NDArray[np.float64]
    pixel_area: float
    edges: tuple[float, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def mean(self) -> NDArray[np.float64]:
        """Mean value per polygon (NaN where no pixel with data is covered)."""
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(self.count > 0, self.sum / self.count, np.nan)

    def __len__(self) -> int:
        return int(self.count.size)

    def __getitem__(self, i: int) -> ZonalStats:
        return ZonalStats(
            count=float(self.count[i]),
            sum=float(self.sum[i]),
            min=float(self.min[i]),
            max=float(self.max[i]),
            nodata=float(self.nodata[i]),
            pixel_area=self.pixel_area,
            edges=self.edges,
            class_pixels=tuple(self.class_pixels[i].tolist()),
        )

    def to_frame(self) -> pd.DataFrame:
        """A pandas DataFrame: count, sum, mean, min, max, nodata and ``class_<i>_m2``."""
        import pandas as pd

        columns: dict[str, NDArray[np.float64]] = {
            "count": self.count,
            "sum": self.sum,
            "mean": self.mean,
            "min": self.min,
            "max": self.max,
            "nodata": self.nodata,
        }
        for i in range(self.class_pixels.shape[1]):
            columns[f"class_{i}_m2"] = self.class_pixels[:, i] * self.pixel_area
        return pd.DataFrame(columns)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready values: the edges, the pixel area and one row per polygon."""
        return {
            "edges": list(self.edges),
            "pixel_area": self.pixel_area,
            "rows": [self[i].to_dict() for i in range(len(self))],
        }

    def _repr_html_(self) -> str:
        frame: Any = self.to_frame()  # pandas-stubs do not declare DataFrame._repr_html_
        return str(frame._repr_html_())


def _none(value: float) -> float | None:
    return None if not math.isfinite(value) else value
