"""The site's climate: monthly global and diffuse irradiation the clear-sky model is scaled to.

The solar map's time series come from a clear-sky model (:mod:`solar.sun`); a :class:`Climate`
says how much of that the site really gets, month by month, as r.sun's real-sky coefficients
do. The default is :data:`SUNDSVALL`, shipped with the project (sources in docs/SOLAR.md);
:func:`read_climate` reads the same monthly sums from a PVGIS typical meteorological year
(JSON or CSV) or an EnergyPlus weather file (EPW) with :mod:`pvlib.iotools`, or from a UMEP/SUEWS
forcing file (:mod:`solar.umep`).

>>> round(sum(SUNDSVALL.ghi))
910
>>> SUNDSVALL.diffuse_fraction[6]
0.47
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    import pandas as pd

from solar.errors import ClimateError
from solar.umep import Forcing, is_umep_forcing, read_forcing

__all__ = ["CLEAR_SKY", "SUNDSVALL", "Climate", "read_climate"]

#: How far (degrees of latitude or longitude) a climate file may be from the surface model.
MAX_DISTANCE_DEG = 2.0

#: Share of the annual global horizontal irradiation falling in each month at 62–63° N, and the
#: monthly diffuse fraction. Estimates for the Sundsvall coast, see docs/SOLAR.md.
_SHARE = (0.006, 0.022, 0.068, 0.122, 0.170, 0.180, 0.170, 0.126, 0.082, 0.039, 0.011, 0.004)
_DIFFUSE = (0.70, 0.55, 0.45, 0.42, 0.42, 0.45, 0.47, 0.48, 0.50, 0.58, 0.70, 0.75)
_ANNUAL_GHI = 910.0


@dataclass(frozen=True)
class Climate:
    """Monthly global (``ghi``) and diffuse (``dhi``) horizontal irradiation, kWh/m², Jan–Dec.

    ``ghi`` of ``None`` means no scaling: the clear-sky model as it is (for comparing models).
    """

    name: str
    source: str
    ghi: tuple[float, ...] | None = None
    dhi: tuple[float, ...] | None = None
    latitude: float | None = None
    longitude: float | None = None
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        for values in (self.ghi, self.dhi):
            if values is not None and (
                len(values) != 12 or not all(math.isfinite(v) and v >= 0 for v in values)
            ):
                raise ClimateError(f"climate {self.name!r} needs 12 monthly values ≥ 0")
        if (self.ghi is None) != (self.dhi is None):
            raise ClimateError(f"climate {self.name!r} needs both global and diffuse values")
        if any(d > g + 1e-6 for g, d in self._months()):
            raise ClimateError(f"climate {self.name!r} has more diffuse than global irradiation")

    @property
    def diffuse_fraction(self) -> tuple[float, ...] | None:
        """Diffuse share of the global irradiation per month."""
        if self.ghi is None:
            return None
        return tuple(round(d / g, 3) if g else 0.0 for g, d in self._months())

    def _months(self) -> list[tuple[float, float]]:
        """``(ghi, dhi)`` per month, empty without scaling (both or neither are set)."""
        if self.ghi is None or self.dhi is None:
            return []
        return list(zip(self.ghi, self.dhi, strict=True))

    def check_site(self, latitude: float, longitude: float) -> None:
        """Raise :class:`ClimateError` when the climate was measured far from the site."""
        if self.latitude is None or self.longitude is None:
            return
        if (
            abs(self.latitude - latitude) > MAX_DISTANCE_DEG
            or abs(self.longitude - longitude) > MAX_DISTANCE_DEG
        ):
            raise ClimateError(
                f"the climate {self.name!r} is for {self.latitude:.2f} N {self.longitude:.2f} E, "
                f"but the surface model lies at {latitude:.2f} N {longitude:.2f} E"
            )

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready description, as recorded in the solar map's metadata."""
        body: dict[str, Any] = {"name": self.name, "source": self.source}
        if self.ghi is not None and self.dhi is not None:
            body["ghi_kwh_m2"] = [round(v, 2) for v in self.ghi]
            body["dhi_kwh_m2"] = [round(v, 2) for v in self.dhi]
            body["annual_ghi_kwh_m2"] = round(sum(self.ghi), 1)
        if self.latitude is not None and self.longitude is not None:
            body["latitude"] = round(self.latitude, 4)
            body["longitude"] = round(self.longitude, 4)
        return body


SUNDSVALL = Climate(
    name="Sundsvall (default)",
    source=(
        "annual 910 kWh/m² global horizontal irradiation for Västernorrland (SMHI STRÅNG "
        "2017, via Vattenfall Solindex 2018) split over the months and into diffuse by the "
        "project's estimates for 62–63° N; see docs/SOLAR.md"
    ),
    ghi=tuple(round(_ANNUAL_GHI * s, 2) for s in _SHARE),
    dhi=tuple(round(_ANNUAL_GHI * s * f, 2) for s, f in zip(_SHARE, _DIFFUSE, strict=True)),
    latitude=62.39,
    longitude=17.31,
)

#: No scaling: the clear-sky model with pvlib's Linke turbidity, as r.sun computes it.
CLEAR_SKY = Climate(name="clear sky", source="Ineichen–Perez clear-sky model, no scaling")


def read_climate(
    path: str | os.PathLike[str], latitude: float | None = None, longitude: float | None = None
) -> Climate:
    """Monthly irradiation sums from a PVGIS TMY (``.json``/``.csv``), an EPW file or a UMEP/SUEWS
    forcing file (:func:`solar.umep.read_forcing`, recognised by its header).

    A forcing file has no position: ``latitude`` and ``longitude`` say where it was measured (the
    site is then checked against the surface model), and are needed when it lacks ``kdiff``.

    Raises
    ------
    ClimateError
        When the file cannot be read as one of those formats or lacks irradiation columns.
    """
    import pvlib

    path = Path(path)
    suffix = path.suffix.lower()
    try:
        if suffix == ".epw":
            data, meta = pvlib.iotools.read_epw(path)
        elif suffix in (".json", ".csv"):
            data, meta = pvlib.iotools.read_pvgis_tmy(path)
        elif is_umep_forcing(path):
            return _from_forcing(read_forcing(path, latitude, longitude), latitude, longitude)
        else:
            raise ClimateError(
                f"{path.name}: give a PVGIS TMY (.json, .csv), an EPW (.epw) or a UMEP/SUEWS "
                "forcing file"
            )
    except ClimateError:
        raise
    except FileNotFoundError as err:
        raise ClimateError(f"{path} does not exist") from err
    except Exception as err:  # pvlib raises many kinds for a malformed file
        raise ClimateError(f"{path.name} is not a readable climate file: {err}") from err
    return _monthly(path.name, data, meta)


def _from_forcing(forcing: Forcing, latitude: float | None, longitude: float | None) -> Climate:
    return Climate(
        name=forcing.name,
        source=forcing.source,
        ghi=forcing.ghi,
        dhi=forcing.dhi,
        latitude=latitude,
        longitude=longitude,
        extra={"format": "UMEP/SUEWS forcing", "diffuse": forcing.diffuse},
    )


def _location(meta: object) -> tuple[float | None, float | None]:
    where = meta.get("inputs", {}).get("location", meta) if isinstance(meta, dict) else {}
    try:
        return float(where["latitude"]), float(where["longitude"])
    except (KeyError, TypeError, ValueError):
        return None, None


def _monthly(name: str, data: pd.DataFrame, meta: object) -> Climate:
    if not {"ghi", "dhi"} <= set(data.columns):
        raise ClimateError(f"{name} has no global and diffuse horizontal irradiance columns")
    frame = data[["ghi", "dhi"]].astype(float)
    if frame.isna().any().any() or (frame < 0).any().any() or len(frame) < 8000:
        raise ClimateError(f"{name} is not a complete hourly year of irradiation")
    hours = 8760.0 / len(frame) if len(frame) in (8760, 8784) else 1.0
    import pandas as pd

    if not isinstance(frame.index, pd.DatetimeIndex):
        raise ClimateError(f"{name} has no hourly time stamps")
    months = frame.index.month
    ghi = tuple(float(frame.ghi[months == m].sum()) * hours / 1000.0 for m in range(1, 13))
    dhi = tuple(
        float(np.minimum(frame.dhi, frame.ghi)[months == m].sum()) * hours / 1000.0
        for m in range(1, 13)
    )
    latitude, longitude = _location(meta)
    return Climate(
        name=name,
        source=f"typical meteorological year from {name}",
        ghi=ghi,
        dhi=dhi,
        latitude=latitude,
        longitude=longitude,
    )
