"""Suitability classes for roofs, calibrated to the solar map's own site and climate.

Southern Sweden's solar maps class roofs as > 1000, 950–1000 and < 950 kWh/m²·year. Those
numbers are about 85 % and 80 % of what an unshaded, optimally tilted south-facing roof receives
there (≈ 1 150–1 200 kWh/m²·year). In Västernorrland (global horizontal ≈ 910 kWh/m²·year at
62.4° N) the same optimal roof receives ≈ 1 160 with the project's default climate, but an
absolute 1000 would put good east/west roofs and many shaded-but-useful roofs in the bottom
class. So the classes here are **relative to a reference roof at the site**: an unshaded
south-facing plane at the best of 40°, 45° and 50° tilt, computed with the solar map's own
model and climate (:func:`reference_irradiation`). The default bounds, as shares of it:

========== ================ =========================================================
class      share            meaning
========== ================ =========================================================
very good  ≥ 85 %           south-east to south-west, little shade: panels pay best
good       75–85 %          east/west roofs, flat roofs, light shade: worth it
moderate   60–75 %          steep east/west, shaded: pays slowly, check the face
poor       < 60 %           north-facing or heavily shaded: not recommended
========== ================ =========================================================

Everything is configurable (:class:`Suitability`), and the reference and bounds in kWh travel
with every result.

>>> s = Suitability(reference=1160.0)
>>> [round(x) for x in s.edges]
[696, 870, 986]
>>> s.classify(1000.0), s.classify(700.0), s.classify(100.0)
('very_good', 'moderate', 'poor')
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
from affine import Affine

from solar.errors import InvalidAssumption
from sweref import STORAGE_CRS, WGS84, transformer

if TYPE_CHECKING:
    from solar.model import SolarModel

__all__ = ["CLASSES", "LABELS", "Suitability", "model_from_parameters", "reference_irradiation"]

#: Class keys from worst to best.
CLASSES = ("poor", "moderate", "good", "very_good")
LABELS = {
    "sv": {"poor": "olämplig", "moderate": "måttlig", "good": "god", "very_good": "mycket god"},
    "en": {"poor": "poor", "moderate": "moderate", "good": "good", "very_good": "very good"},
}
#: Default reference when no model can be evaluated: Sundsvall climate, 45° south (see above).
SUNDSVALL_REFERENCE = 1160.0


@dataclass(frozen=True)
class Suitability:
    """Classes as shares of a reference irradiation (kWh/m²·year).

    Parameters
    ----------
    reference
        Irradiation on an unshaded, optimally tilted south-facing roof at the site.
    shares
        Lower bounds of ``moderate``, ``good`` and ``very_good`` as shares of ``reference``.
    source
        How the reference was found.
    """

    reference: float = SUNDSVALL_REFERENCE
    shares: tuple[float, float, float] = (0.60, 0.75, 0.85)
    source: str = field(default="default for Sundsvall: 45° south, project climate")

    def __post_init__(self) -> None:
        if not 100 <= self.reference <= 3000:
            raise InvalidAssumption(
                f"reference irradiation must lie in [100, 3000] kWh/m²·year, not {self.reference}"
            )
        shares = tuple(float(s) for s in self.shares)
        if len(shares) != 3 or not 0 < shares[0] < shares[1] < shares[2] <= 1.5:
            raise InvalidAssumption(
                f"shares must be three increasing numbers in (0, 1.5], not {self.shares}"
            )
        object.__setattr__(self, "shares", shares)

    @property
    def edges(self) -> tuple[float, ...]:
        """Lower bounds (kWh/m²·year) of moderate, good and very good."""
        return tuple(self.reference * s for s in self.shares)

    def classify(self, value: float) -> str:
        """The class key of one irradiation value (``poor`` for NaN)."""
        if not np.isfinite(value):
            return "poor"
        return CLASSES[int(np.searchsorted(self.edges, value, side="right"))]

    def to_dict(self) -> dict[str, Any]:
        """The reference, the shares and each class's lower bound, JSON-ready."""
        bounds = (0.0, *self.edges)
        return {
            "reference_kwh_m2": round(self.reference, 1),
            "shares": list(self.shares),
            "source": self.source,
            "classes": [
                {"key": key, "label_sv": LABELS["sv"][key], "min_kwh_m2": round(low, 1)}
                for key, low in zip(CLASSES, bounds, strict=True)
            ],
        }

    @classmethod
    def for_map(
        cls,
        parameters: dict[str, Any] | None,
        latitude: float,
        longitude: float,
        shares: tuple[float, float, float] | None = None,
    ) -> Suitability:
        """Classes for a solar map from its recorded model ``parameters`` and its site."""
        model = model_from_parameters(parameters or {})
        reference = reference_irradiation(model, round(latitude, 2), round(longitude, 2))
        source = (
            f"unshaded south-facing roof at {reference[1]}° tilt, "
            f"{latitude:.2f} N {longitude:.2f} E, the map's model and climate "
            f"({model.climate.name})"
        )
        return cls(reference=reference[0], shares=shares or cls.shares, source=source)


def model_from_parameters(parameters: dict[str, Any]) -> SolarModel:
    """The :class:`~solar.model.SolarModel` a map records in its metadata (defaults if absent)."""
    from solar.climate import SUNDSVALL, Climate
    from solar.model import SolarModel

    known = {
        k: parameters[k]
        for k in ("step_minutes", "directions", "albedo", "sky_diffuse", "year")
        if k in parameters
    }
    climate = SUNDSVALL
    recorded = parameters.get("climate")
    if isinstance(recorded, dict) and recorded.get("name") != SUNDSVALL.name:
        climate = Climate(
            name=recorded.get("name", "recorded"),
            source=recorded.get("source", ""),
            ghi=_tuple(recorded.get("ghi_kwh_m2")),
            dhi=_tuple(recorded.get("dhi_kwh_m2")),
            latitude=recorded.get("latitude"),
            longitude=recorded.get("longitude"),
        )
    return SolarModel(climate=climate, **known)


def _tuple(values: Iterable[float] | None) -> tuple[float, ...] | None:
    return tuple(float(v) for v in values) if values else None


def reference_irradiation(
    model: SolarModel, latitude: float, longitude: float
) -> tuple[float, int]:
    """Irradiation on an unshaded south-facing plane: the best of 40°, 45°, 50° and its tilt.

    Computed with the solar map's own model on a small synthetic roof plane near the site
    (cached: it takes about a second). Callers in several threads at once (a service's first
    requests) wait for one computation instead of each making its own.
    """
    with _REFERENCE_LOCK:
        return _reference_irradiation(model, latitude, longitude)


_REFERENCE_LOCK = threading.Lock()


@functools.lru_cache(maxsize=16)
def _reference_irradiation(
    model: SolarModel, latitude: float, longitude: float
) -> tuple[float, int]:
    """:func:`reference_irradiation`, computed once per model and site."""
    from dataclasses import replace

    from solar.engine import irradiation

    x, y = transformer(WGS84, STORAGE_CRS).transform(longitude, latitude)
    plane_model = replace(model, margin_m=2.0)
    n, res = 9, 0.5
    best = (0.0, 0)
    for tilt in (40, 45, 50):
        north = (n - 1 - np.arange(n))[:, None] * res  # metres from the southern edge
        surface = np.broadcast_to(100.0 + np.tan(np.radians(tilt)) * north, (n, n))
        transform = Affine(res, 0, x, 0, -res, y)
        value = float(
            irradiation(surface.astype(np.float32), transform, STORAGE_CRS, model=plane_model)[
                n // 2, n // 2
            ]
        )
        best = max(best, (round(value, 1), tilt))
    return best
