"""Names used by the fictitious sample municipality.

All trakt, kvarter and street names are invented. They sound Swedish on purpose (some with
å, ä, ö) and are not meant to match any real place in Sundsvall.
"""

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
