"""A small delivery in the national products' own schemas (layer names, attribute names, types,
code lists as docs/ONBOARDING.md lists them with their sources), written by the tests: no
provider file is copied. Register units in a local zone (SWEREF 99 17 15), a unit in two parts,
a kvarter-form unit and a samfällighet; a building across two units, a building in two parts and
one on no unit; an address on no unit and a reserved one; a plan in the national JSON with
overlapping bestämmelser and the catalogue entries they name; DSM and DTM grids."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import geopandas as gpd
import numpy as np
import rasterio
import shapely
from shapely import box

X0, Y0 = 620_000.0, 6_920_000.0
NS = uuid.UUID("5d7b3c52-6a1e-4c59-9d1f-2f0b7a1e0c11")


def uid(name: str) -> str:
    return str(uuid.uuid5(NS, name))


def at(geometry):
    return shapely.transform(geometry, lambda xy: xy + np.array([X0, Y0]))


UNITS = [  # designation parts, område number, geometry (metres from the origin)
    ("A", "TESTBY", "1", 1, 1, box(0, 0, 40, 30)),
    ("A", "TESTBY", "1", 1, 2, box(0, 40, 20, 60)),
    ("B", "TESTBY", "1", 2, 1, box(40, 0, 80, 30)),
    ("C", "LÄRKAN", None, 3, 1, box(20, 30, 80, 60)),
    ("S", "TESTBY", "S", 1, 1, box(0, 30, 20, 40)),
]
BUILDINGS = [  # id, objekttypnr, objekttyp, huvudbyggnad, andamal1, husnummer, geometry
    ("b1", 2061, "Bostad", "Ja", "Bostad; Småhus friliggande", 1, box(5, 5, 20, 15)),
    ("b2", 2066, "Komplementbyggnad", "Nej", None, 2, box(30, 10, 45, 20)),
    ("b3", 2064, "Verksamhet", "Ja", "Verksamhet; Kontor", 1, box(30, 40, 40, 50)),
    ("b3", 2064, "Verksamhet", "Ja", "Verksamhet; Kontor", 1, box(50, 40, 60, 50)),
    ("b4", 2067, "Övrig byggnad", "Nej", None, None, box(100, 100, 110, 110)),
]
ADDRESSES = [  # id, street, number, letter, postnummer, status, point
    ("a1", "Testvägen", "1", None, 85641, "Gällande", (10, 10)),
    ("a2", "Testvägen", "3", "B", 85641, "Gällande", (60, 20)),
    ("a3", "Testvägen", "9", None, 85641, "Gällande", (200, 200)),
    ("a4", "Lärkgatan", "2", None, 85641, "Reserverad", (45, 45)),
]


def write_fastighetsindelning(path: Path) -> None:
    rows = {
        "objektidentitet": [uid(f"omr{i}") for i in range(len(UNITS))],
        "registerenhetsreferens": [uid(f"unit{u[0]}") for u in UNITS],
        "objekttyp": ["fastighetsområde"] * len(UNITS),
        "lanskod": ["22"] * len(UNITS),
        "kommunkod": ["2281"] * len(UNITS),
        "kommunnamn": ["Sundsvall"] * len(UNITS),
        "trakt": [u[1].title() for u in UNITS],
        "block": [u[2] for u in UNITS],
        "enhet": np.array([u[3] for u in UNITS], dtype="int64"),
        "omradesnummer": np.array([u[4] for u in UNITS], dtype="int16"),
        "etikett": [f"{u[2]}:{u[3]}" if u[2] else str(u[3]) for u in UNITS],
    }
    frame = gpd.GeoDataFrame(
        rows, geometry=[shapely.MultiPolygon([at(u[5])]) for u in UNITS], crs="EPSG:3006"
    )
    frame.to_crs("EPSG:3014").to_file(path, layer="registerenhetsomradesyta", driver="GPKG")


def building_frame() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "objektidentitet": [uid(b[0]) for b in BUILDINGS],
            "versiongiltigfran": ["2024-05-01T00:00:00"] * len(BUILDINGS),
            "objektversion": [1] * len(BUILDINGS),
            "objekttypnr": np.array([b[1] for b in BUILDINGS], dtype="int32"),
            "objekttyp": [b[2] for b in BUILDINGS],
            "insamlingslage": ["Fasad"] * len(BUILDINGS),
            "huvudbyggnad": [b[3] for b in BUILDINGS],
            "andamal1": [b[4] for b in BUILDINGS],
            "husnummer": [b[5] for b in BUILDINGS],
        },
        geometry=[shapely.MultiPolygon([at(b[6])]) for b in BUILDINGS],
        crs="EPSG:3006",
    )


def write_addresses(path: Path) -> None:
    frame = gpd.GeoDataFrame(
        {
            "belagenhetsadress_objektidentitet": [uid(a[0]) for a in ADDRESSES],
            "adressplatstyp": ["Gatuadressplats"] * len(ADDRESSES),
            "adressomrade_faststalltnamn": [a[1] for a in ADDRESSES],
            "adressplatsnummer": [a[2] for a in ADDRESSES],
            "bokstavstillagg": [a[3] for a in ADDRESSES],
            "postnummer": np.array([a[4] for a in ADDRESSES], dtype="int32"),
            "postort": ["Sundsvall"] * len(ADDRESSES),
            "kommunkod": ["2281"] * len(ADDRESSES),
            "statusforbelagenhetsadress": [a[5] for a in ADDRESSES],
        },
        geometry=[at(shapely.Point(*a[6])) for a in ADDRESSES],
        crs="EPSG:3006",
    ).rename_geometry("adressplatspunkt")
    frame.to_file(path, layer="belagenhetsadress", driver="GPKG")


CATALOGUE = [
    {
        "id": uid("cat-B"),
        "bestammelsekod": "DP_KM_B2",
        "beteckning": "B",
        "bestammelsetyp": "Användningsbestämmelse",
        "anvandningsform": "Kvartersmark",
        "kategori": "Bostäder",
    },
    {
        "id": uid("cat-e"),
        "bestammelsekod": "DP_KM_Eg_Utnytt_StorstaAreaProc_ByggnadsEgen",
        "beteckning": "e#",
        "bestammelsetyp": "Egenskapsbestämmelse",
        "anvandningsform": "Kvartersmark",
        "kategori": "Utnyttjandegrad",
    },
    {
        "id": uid("cat-prick"),
        "bestammelsekod": "DP_KM_Eg_BegransningAvMarkensUtnyttjande_EjByggnadsverk_Prickmark_Aldre",
        "beteckning": "prickmark",
        "bestammelsetyp": "Egenskapsbestämmelse",
        "anvandningsform": "Kvartersmark",
        "kategori": "Begränsning av markens utnyttjande",
    },
]


def _yta(geometry) -> dict:
    local = gpd.GeoSeries([at(geometry)], crs="EPSG:3006").to_crs("EPSG:3014").iloc[0]
    return {
        "geometri": {
            "typ": "yta",
            "koordinatsystemPlan": "EPSG:3014",
            "dimension": 2,
            "position": shapely.geometry.mapping(local),
        },
        "geometrimetadata": {},
    }


def plan_document() -> dict:
    plan = uid("plan")

    def bestammelse(name, kind, catalogue, wording, geometry, values=()):
        return {
            "type": "Feature",
            "geometry": None,
            "properties": {
                "feature:typ": kind,
                "objektidentitet": uid(name),
                "detaljplan": plan,
                "versionGiltigFran": "2023-06-01T00:00:00",
                "planbestammelsekatalogreferens": uid(catalogue),
                "bestammelseformulering": wording,
                "bestammelsevarde": list(values),
                "bestammelsegeometri": [_yta(geometry)],
            },
        }

    return {
        "type": "FeatureCollection",
        "feature:mediatyp": "application/vnd.lm.detaljplan.v4+json",
        "features": [
            {
                "type": "Feature",
                "geometry": None,
                "properties": {
                    "feature:typ": "detaljplan",
                    "objektidentitet": plan,
                    "objektversion": 1,
                    "versionGiltigFran": "2023-06-01T00:00:00",
                    "kommun": "2281",
                    "beteckning": "2281K-DP900",
                    "namn": "Detaljplan för Testby",
                    "syfte": "Bostäder",
                    "status": "laga kraft",
                    "typ": "detaljplan",
                    "plangeometri": [_yta(box(0, 0, 80, 60))],
                    "beslutsinformation": [
                        {
                            "instansInomKommunen": "kommunfullmäktige",
                            "beslutstyp": "antagande av ny detaljplan",
                            "datumAntagande": "2023-05-10",
                            "datumLagakraft": ["2023-06-01"],
                            "genomforandetid": 120,
                            "genomforandetidStartar": "2023-06-01",
                        }
                    ],
                },
            },
            bestammelse("B", "användningsbestämmelse", "cat-B", "Bostäder", box(0, 0, 80, 60)),
            bestammelse(
                "e1",
                "egenskapsbestämmelse",
                "cat-e",
                "Största byggnadsarea är [utnyttjandegrad:decimaltal] % av "
                "fastighetsarean inom egenskapsområdet.",
                box(0, 0, 80, 30),
                [
                    {
                        "datatyp": "decimaltal",
                        "variabelvarde": "25",
                        "beskrivning": "utnyttjandegrad",
                        "vardetyp": "max",
                        "enhet": "procent",
                    }
                ],
            ),
            bestammelse(
                "prick",
                "egenskapsbestämmelse",
                "cat-prick",
                "Marken får inte förses med byggnad.",
                box(0, 0, 80, 4),
            ),
        ],
    }


def write_surface(folder: Path) -> None:
    size = 0.5
    width = height = int(130 / size)
    transform = rasterio.Affine(size, 0, X0 - 10, 0, -size, Y0 + 120)
    dtm = np.full((height, width), 10.0, dtype="float32")
    dsm = dtm.copy()
    for _, *_, geometry in BUILDINGS:
        minx, miny, maxx, maxy = geometry.bounds
        rows = slice(int((120 - maxy) / size), int((120 - miny) / size))
        cols = slice(int((minx + 10) / size), int((maxx + 10) / size))
        ramp = np.linspace(4.0, 7.0, rows.stop - rows.start, dtype="float32")[:, None]
        dsm[rows, cols] = 10.0 + ramp
    for name, array in (("dsm_testby.tif", dsm), ("dtm_testby.tif", dtm)):
        with rasterio.open(
            folder / name,
            "w",
            driver="GTiff",
            width=width,
            height=height,
            count=1,
            dtype="float32",
            crs="EPSG:3006",
            transform=transform,
        ) as dst:
            dst.write(array, 1)


def write_delivery(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    write_fastighetsindelning(folder / "fastighetsindelning_kn2281.gpkg")
    building_frame().to_file(folder / "byggnad_kn2281.gpkg", layer="byggnad", driver="GPKG")
    write_addresses(folder / "belagenhetsadress_kn2281.gpkg")
    (folder / "detaljplan_2281K-DP900.json").write_text(
        json.dumps(plan_document(), ensure_ascii=False), encoding="utf-8"
    )
    (folder / "planbestammelsekatalogen.json").write_text(
        json.dumps(CATALOGUE, ensure_ascii=False), encoding="utf-8"
    )
    write_surface(folder)
    return folder
