"""What an import refuses however the columns are mapped: data no service should hold.

An imported file comes from outside. Besides its schema (:mod:`layers.validate`), every import is
checked feature by feature, and each finding is an error in the
:class:`~layers.import_report.ImportReport` (the import is refused, the store unchanged):

- coordinates that are not finite numbers (NaN, ±Inf), which GEOS cannot compute with;
- more than :data:`MAX_VERTICES` vertices in one feature (a property's page draws it);
- a text longer than :data:`MAX_TEXT` characters in one attribute;
- a feature that does not lie wholly in Sweden: every corner of its bounding box must, so a
  polygon over half of Europe is refused even when its centre is in Sweden;
- owner or personal data in a column that is stored: a source column whose name looks personal
  (:func:`layers.schema.is_personal`) even when ``--map`` maps it onto one of ours, and values
  that are Swedish personal identity numbers (personnummer, samordningsnummer) in any stored
  column, whatever its name.

>>> is_identity_number("19121212-1212"), is_identity_number("121212-1212")
(True, True)
>>> is_identity_number("121212-1213"), is_identity_number("2281K-DP199")  # check digit; a plan
(False, False)
"""

from __future__ import annotations

import re

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from layers.import_report import ImportReport
from layers.schema import is_personal
from sweref import STORAGE_CRS, SWEDEN_LONLAT, WGS84, transformer

#: Most vertices one feature may have (a real property or plan area has hundreds, a few
#: thousand at most; a million would make its page weigh tens of megabytes).
MAX_VERTICES = 50_000
#: Most characters of one attribute's text (a plan rule's wording is a few hundred).
MAX_TEXT = 4_000
#: How many features each finding lists in the report.
LISTED = 20

#: A personnummer or samordningsnummer: [century] YYMMDD, [- or +], four digits.
_IDENTITY = re.compile(r"(?:19|20)?(\d{2})(\d{2})(\d{2})[-+]?(\d{4})")


def _luhn(digits: str) -> bool:
    total = 0
    for i, char in enumerate(digits):
        value = int(char) * (2 - i % 2)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def is_identity_number(text: str) -> bool:
    """True when ``text`` is a Swedish personal identity number or coordination number: a
    date (day + 60 for a samordningsnummer), four digits and a valid check digit."""
    found = _IDENTITY.fullmatch(text.strip())
    if found is None:
        return False
    yy, month, day, tail = found.groups()
    return (
        1 <= int(month) <= 12 and int(day) % 60 in range(1, 32) and _luhn(yy + month + day + tail)
    )


def _rows(mask: np.ndarray) -> str:
    rows = np.flatnonzero(mask)
    listed = ", ".join(str(r + 1) for r in rows[:LISTED])
    return listed + (f" and {len(rows) - LISTED} more" if len(rows) > LISTED else "")


def check_coordinates(frame: gpd.GeoDataFrame, report: ImportReport) -> bool:
    """Errors for non-finite coordinates and too many vertices; True when the geometries can
    be computed with."""
    geoms = frame.geometry.values
    coords, index = shapely.get_coordinates(geoms, return_index=True)
    bad = np.bincount(index, ~np.isfinite(coords).all(axis=1), minlength=len(geoms)) > 0
    if bad.any():
        report.errors.append(f"features {_rows(bad)} have coordinates that are not numbers")
    counts = shapely.get_num_coordinates(geoms)
    many = counts > MAX_VERTICES
    if many.any():
        report.errors.append(
            f"features {_rows(many)} have more than {MAX_VERTICES} vertices (the most has "
            f"{int(counts.max())}); simplify them before importing"
        )
    return not bad.any()


def check_texts(frame: pd.DataFrame, report: ImportReport) -> None:
    """An error per column with a text longer than :data:`MAX_TEXT` characters."""
    for column in frame.columns:
        if column == "geometry" or pd.api.types.is_numeric_dtype(frame[column]):
            continue
        long = frame[column].map(lambda v: isinstance(v, str) and len(v) > MAX_TEXT).to_numpy()
        if long.any():
            report.errors.append(
                f"{column!r} has texts longer than {MAX_TEXT} characters (features "
                f"{_rows(long.astype(bool))})"
            )


def _as_text(values: pd.Series) -> pd.Series:
    if pd.api.types.is_float_dtype(values):  # 198001011234.0 is a number read as a float
        values = values[np.isfinite(values) & (values == values.round())].astype("int64")
    return values.dropna().astype(str)  # (an empty int64 series stays int64 under map)


def check_personal(frame: pd.DataFrame, columns: dict[str, str], report: ImportReport) -> None:
    """Errors for personal data in what would be stored: a mapped source column with a personal
    name (``columns`` maps source → ours) and personal identity numbers in any column."""
    for source, ours in columns.items():
        if is_personal(source):
            report.errors.append(
                f"the column {source!r} looks like owner or personal data and is never stored, "
                f"not even mapped onto {ours!r}"
            )
    for column in frame.columns:
        if column == "geometry" or pd.api.types.is_bool_dtype(frame[column]):
            continue
        text = _as_text(frame[column])
        hits = text[text.str.len().between(10, 13)].map(is_identity_number)
        if hits.any():
            report.errors.append(
                f"{column!r} holds personal identity numbers (personnummer) in {int(hits.sum())}"
                " features; they are never stored"
            )


def outside_sweden(frame: gpd.GeoDataFrame, report: ImportReport) -> None:
    """An error for each feature (in SWEREF 99 TM) not wholly in Sweden: every corner of its
    bounding box must lie within Sweden's bounds."""
    bounds = shapely.bounds(frame.geometry.values)
    to_lonlat = transformer(STORAGE_CRS, WGS84)
    minx, miny, maxx, maxy = SWEDEN_LONLAT
    outside = np.zeros(len(bounds), dtype=bool)
    for xi, yi in ((0, 1), (0, 3), (2, 1), (2, 3)):
        lon, lat = to_lonlat.transform(bounds[:, xi], bounds[:, yi])
        inside = (lon >= minx) & (lon <= maxx) & (lat >= miny) & (lat <= maxy)
        outside |= ~inside  # NaN compares False: a corner that is not a number is outside
    for row in np.flatnonzero(outside)[:LISTED]:
        report.errors.append(f"feature {row + 1} lies outside Sweden (check the CRS)")


__all__ = [
    "MAX_TEXT",
    "MAX_VERTICES",
    "check_coordinates",
    "check_personal",
    "check_texts",
    "is_identity_number",
    "outside_sweden",
]
