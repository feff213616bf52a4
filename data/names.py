"""Names used by the fictitious sample municipality.

All trakt, kvarter and street names are invented. They sound Swedish on purpose (some with
å, ä, ö) and are not meant to match any real place in Sundsvall or Härnösand.

The sample holds two kommuner: the neighbourhood in Sundsvall (2281) and a smaller one in
Härnösand (2280), whose trakt BJÖRKÅSEN also exists in Sundsvall, so that a designation without
its kommun is ambiguous there.

>>> SUNDSVALL.kommunkod, HARNOSAND.kommunkod, HARNOSAND.name
('2281', '2280', 'HÄRNÖSAND')
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

KOMMUNKOD = "2281"
KOMMUN = "SUNDSVALL"
POSTORT = "SUNDSVALL"

#: Lower-left corner of the 1.2 × 1.2 km neighbourhood in SWEREF 99 TM (EPSG:3006), metres.
ORIGIN = (616_400.0, 6_917_400.0)
SIZE = 1200.0

TRAKT_SW = "BJÖRKÅSEN"
TRAKT_NW = "LÖVSÄTTRA"
TRAKT_SE = "STENHÄLLA"
TRAKT_NE = "GRANMYRA"
KVARTER_B = "LÄRKAN"
KVARTER_C = "SVALAN"

POSTNUMMER = {
    TRAKT_SW: "856 41",
    TRAKT_NW: "856 42",
    TRAKT_SE: "856 43",
    TRAKT_NE: "856 44",
    KVARTER_B: "856 43",
    KVARTER_C: "856 43",
}

MAIN_ROAD_EW = "Storvägen"
MAIN_ROAD_NS = "Tvärvägen"

#: Street names per trakt, handed out to the horizontal streets of each zone from south to north.
STREETS = {
    TRAKT_SW: [
        "Björkåsgränd",
        "Hägervägen",
        "Lingonstigen",
        "Rönnbärsvägen",
        "Blåbärsvägen",
        "Ekorrvägen",
        "Mjölonvägen",
    ],
    TRAKT_NW: ["Lövsättravägen", "Gökvägen", "Tallmätarvägen", "Hällebäcksvägen"],
    TRAKT_SE: ["Stenhällagatan", "Verkstadsgatan", "Smedjegatan"],
    TRAKT_NE: ["Granmyravägen", "Myrstigen", "Tjäderstigen", "Orrvägen"],
}


@dataclass(frozen=True)
class Kommun:
    """One kommun of the sample: its code, registerområde, postal town and where it lies.

    ``origin`` is the lower-left corner of its neighbourhood in SWEREF 99 TM (EPSG:3006) and
    ``size`` its width and height in metres; ``postnummer`` maps its trakter to postal codes.
    """

    kommunkod: str
    name: str
    title: str
    postort: str
    origin: tuple[float, float]
    size: tuple[float, float]
    postnummer: Mapping[str, str] = field(default_factory=dict)
    authority: str = ""


SUNDSVALL = Kommun(
    KOMMUNKOD,
    KOMMUN,
    "Sundsvall",
    POSTORT,
    ORIGIN,
    (SIZE, SIZE),
    POSTNUMMER,
    "Sundsvalls kommun (fiktiv exempelplan)",
)

#: The second, smaller neighbourhood: two trakter side by side, west of Härnösand's centre.
HARNOSAND_TRAKT_W = TRAKT_SW  # BJÖRKÅSEN, as in Sundsvall
HARNOSAND_TRAKT_E = "KLOCKMYRA"
#: Its three east-west streets, south to north (names found in neither kommun's sample).
HARNOSAND_STREETS = ("Fjärdvägen", "Ankarvägen", "Roddarvägen")

HARNOSAND = Kommun(
    "2280",
    "HÄRNÖSAND",
    "Härnösand",
    "HÄRNÖSAND",
    (648_000.0, 6_948_400.0),
    (480.0, 176.0),
    {HARNOSAND_TRAKT_W: "871 41", HARNOSAND_TRAKT_E: "871 42"},
    "Härnösands kommun (fiktiv exempelplan)",
)
