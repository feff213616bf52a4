"""``minfastighet sample-data``: build the fictitious sample municipality."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import click

from data.build import DEFAULT_SEED, build_sample
from data.dataset import DSM_NAME, GPKG_NAME, SOLAR_CATALOG, SOLAR_MAP, Dataset
from data.errors import IncompleteSample
from mapservice.settings import DEFAULT_DATA_DIR
from solar import SolarError

#: The (fictitious) date of the sample's laser scan.
SAMPLE_SCAN_DATE = "2025-05-20"


def search_step(work: Path, say: Callable[[str], None]) -> dict[str, str]:
    """Build step: the layer store's search table, so the sample works on a read-only disk."""
    from layers import GeoPackageStore

    say("indexing designations and addresses for search")
    with GeoPackageStore(work / GPKG_NAME, writable=True) as store:
        store.build_indexes()
    return {}


def solar_step(work: Path, say: Callable[[str], None]) -> dict[str, str]:
    """Build step: compute the sample's solar map on its roofs and catalogue it."""
    from solar import compute_solar_map
    from solar.catalog import add_to_catalog

    say("computing the solar map of the roofs (annual irradiation)")
    try:
        result = compute_solar_map(
            work / DSM_NAME,
            work / SOLAR_MAP,
            buildings=work / GPKG_NAME,
            scan_date=SAMPLE_SCAN_DATE,
        )
        add_to_catalog(
            work / SOLAR_CATALOG,
            result.path,
            SAMPLE_SCAN_DATE,
            source="computed from the sample's surface model (fictitious)",
            item_id="solkarta",
            parameters=result.parameters,
        )
    except SolarError as err:
        raise click.ClickException(f"could not compute the sample's solar map: {err}") from err
    say(
        f"solar map: {result.pixels:,} roof pixels, mean {result.mean:.0f} kWh/m²·year, "
        f"{result.seconds:.1f} s"
    )
    return {
        SOLAR_MAP: "solar map: annual irradiation on roofs, kWh/m²·year, 0.5 m",
        SOLAR_CATALOG: "STAC catalog of the solar maps",
    }


def roof_faces_step(work: Path, say: Callable[[str], None]) -> dict[str, str]:
    """Build step (after :func:`solar_step`): segment every roof into faces and store them as
    the ``roof_faces`` layer, so maps and OGC API Features serve them without recomputing."""
    import pyogrio

    from layers import GeoPackageStore
    from solar.face_layer import roof_face_table
    from solar.raster import CogMosaic, open_solar_map

    say("segmenting roof faces for the roof_faces layer")
    path = work / GPKG_NAME
    buildings = pyogrio.read_dataframe(
        path, layer="buildings", columns=["building_id", "roof_shape", "roof_pitch"]
    )
    try:
        with (
            open_solar_map(work / SOLAR_CATALOG) as solar_map,
            CogMosaic([work / DSM_NAME]) as surface,
        ):
            faces = roof_face_table(buildings, solar_map, surface)
    except SolarError as err:
        raise click.ClickException(f"could not segment the sample's roof faces: {err}") from err
    # A fixed timestamp keeps the GeoPackage byte-for-byte reproducible.
    pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": "2026-01-01T00:00:00.000Z"})
    try:
        with GeoPackageStore(path, writable=True) as store:
            store.replace_layer("roof_faces", faces)
    finally:
        pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": None})
    store.lock_path.unlink(missing_ok=True)  # no other writer in a build's own directory
    say(f"roof faces: {len(faces):,} faces on {faces['building_id'].nunique():,} buildings")
    return {}


@click.command("sample-data")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=DEFAULT_DATA_DIR,
    show_default=True,
    help="Directory to write the sample into (replaced on success).",
)
@click.option(
    "--seed",
    type=int,
    default=DEFAULT_SEED,
    show_default=True,
    help="Random seed; the same seed gives byte-identical output.",
)
@click.option(
    "--if-missing",
    is_flag=True,
    help="Do nothing if OUT already holds a complete sample of this version.",
)
def sample_data(out: Path, seed: int, if_missing: bool) -> None:
    """Build a realistic, fictitious neighbourhood in Sundsvall into OUT."""
    if if_missing:
        try:
            Dataset.read(out)
        except IncompleteSample:
            pass
        else:
            click.echo(f"{out} already holds the sample data; nothing to do.")
            return
    start = time.perf_counter()
    try:
        sample = build_sample(
            out,
            seed=seed,
            progress=lambda m: click.echo(f"  {m}", err=True),
            steps=(search_step, solar_step, roof_faces_step),
        )
    except OSError as err:
        raise click.ClickException(f"could not write the sample to {out}: {err}") from err
    counts = ", ".join(f"{n} {name}" for name, n in sample.layers.items())
    click.echo(
        f"Wrote the sample municipality to {sample.directory} in "
        f"{time.perf_counter() - start:.1f} s: {counts}."
    )
    for kommunkod, title in sample.kommuner.items():
        per_kommun = _counts_in(sample.vector_path, kommunkod)
        click.echo(f"  {title} ({kommunkod}): " + ", ".join(f"{n} {k}" for k, n in per_kommun))


def _counts_in(gpkg: Path, kommunkod: str) -> list[tuple[str, int]]:
    """How many features of each layer with a ``kommunkod`` column belong to ``kommunkod``."""
    import pyogrio

    counts = []
    for name, _geometry in pyogrio.list_layers(gpkg):
        info = pyogrio.read_info(gpkg, layer=name)
        if "kommunkod" in list(info["fields"]):
            column = pyogrio.read_dataframe(
                gpkg, layer=name, columns=["kommunkod"], read_geometry=False
            )["kommunkod"]
            counts.append((str(name), int((column.astype(str) == kommunkod).sum())))
    return counts
