"""The local SWEREF 99 projection zone of a kommun (SWEREF 99 12 00 … 23 15).

Lantmäteriet assigns each kommun one of the twelve local zones (EPSG:3007–3018) for detailed
work; planners in Sundsvall and Härnösand work in SWEREF 99 17 15 (EPSG:3014). The kommuner of
Västernorrland are listed; elsewhere the zone whose central meridian lies nearest the place is
used, which is the rule the assignment mostly follows.

>>> local_zone("2281")
('EPSG:3014', 'SWEREF 99 17 15')
>>> local_zone("0180", longitude=18.07)  # Stockholm, not listed: nearest meridian
('EPSG:3011', 'SWEREF 99 18 00')
"""

from __future__ import annotations

#: EPSG code → (name, central meridian in degrees).
ZONES = {
    3007: ("SWEREF 99 12 00", 12.0),
    3008: ("SWEREF 99 13 30", 13.5),
    3009: ("SWEREF 99 15 00", 15.0),
    3010: ("SWEREF 99 16 30", 16.5),
    3011: ("SWEREF 99 18 00", 18.0),
    3012: ("SWEREF 99 14 15", 14.25),
    3013: ("SWEREF 99 15 45", 15.75),
    3014: ("SWEREF 99 17 15", 17.25),
    3015: ("SWEREF 99 18 45", 18.75),
    3016: ("SWEREF 99 20 15", 20.25),
    3017: ("SWEREF 99 21 45", 21.75),
    3018: ("SWEREF 99 23 15", 23.25),
}

#: Kommunkod → EPSG code of its local zone (Västernorrlands län).
KOMMUN_ZONES = {
    "2260": 3013,  # Ånge
    "2262": 3014,  # Timrå
    "2280": 3014,  # Härnösand
    "2281": 3014,  # Sundsvall
    "2282": 3011,  # Kramfors
    "2283": 3014,  # Sollefteå
    "2284": 3015,
}  # Örnsköldsvik


def local_zone(kommunkod: str | None, longitude: float | None = None) -> tuple[str, str]:
    """The local zone of a kommun as (``EPSG:nnnn``, name); by ``longitude`` when unlisted."""
    code = KOMMUN_ZONES.get(kommunkod or "")
    if code is None:
        if longitude is None:
            raise ValueError(f"kommun {kommunkod!r} is not listed; give its longitude")
        code = min(ZONES, key=lambda c: abs(ZONES[c][1] - longitude))
    return f"EPSG:{code}", ZONES[code][0]


def proj4_definition(crs: str) -> str:
    """The PROJ string of SWEREF 99 TM or a local zone, for proj4js in the browser.

    (Transverse Mercator on GRS 80; SWEREF 99 coincides with WGS 84 at map accuracy.)

    >>> proj4_definition("EPSG:3014")
    '+proj=tmerc +lat_0=0 +lon_0=17.25 +k=1 +x_0=150000 +y_0=0 +ellps=GRS80 +units=m +no_defs'
    """
    code = int(crs.split(":")[1])
    if code == 3006:
        return "+proj=utm +zone=33 +ellps=GRS80 +units=m +no_defs"
    meridian = ZONES[code][1]
    return (
        f"+proj=tmerc +lat_0=0 +lon_0={meridian:g} +k=1 +x_0=150000 +y_0=0 +ellps=GRS80 "
        "+units=m +no_defs"
    )


__all__ = ["KOMMUN_ZONES", "ZONES", "local_zone", "proj4_definition"]
