"""Which national product a file is, and its rows in a layer's columns.

Each reader of :mod:`layers.national` turns the product's rows into the columns of one of the
store's layers; the importer's validation (:mod:`layers.validate`) then checks them like any
other file. :func:`adapt` is what the importer calls: it recognises a product by its columns,
so ``minfastighet import buildings byggnad.gpkg`` needs no ``--map``.

>>> product_of({"objektidentitet", "objekttypnr", "objekttyp", "skapad"})
'byggnad'
>>> product_of({"name", "kind"}) is None
True
"""

from __future__ import annotations

import os

import geopandas as gpd
import shapely

from layers.import_report import ImportReport
from layers.national import adress, byggnad, fastighetsindelning
from layers.national.link import store_units
from layers.read import read_source, source_columns
from layers.store import LayerStore
from sweref import STORAGE_CRS

#: Product → (the layer of the store it fills, the columns that identify it).
PRODUCTS = {
    "fastighetsindelning": ("parcels", fastighetsindelning.SIGNATURE),
    "byggnad": ("buildings", byggnad.SIGNATURE),
    "belagenhetsadress": ("addresses", adress.SIGNATURE),
}


def product_of(columns: set[str] | frozenset[str]) -> str | None:
    """The national product a table with these (lower-case) columns comes from, or None."""
    return next((name for name, (_, sig) in PRODUCTS.items() if sig <= columns), None)


def adapt(
    layer: str,
    frame: gpd.GeoDataFrame,
    report: ImportReport,
    store: LayerStore | str | os.PathLike[str] | None,
) -> gpd.GeoDataFrame:
    """``frame`` in the columns of ``layer`` when it is a national product meant for that
    layer (buildings and addresses linked to the register units of ``store``); otherwise
    ``frame`` unchanged. What was recognised and linked goes into ``report.warnings``; a
    building or address file with no register units to link to gives ``report.errors``."""
    columns = {str(c).lower() for c in frame.columns if c != "geometry"}
    product = product_of(columns)
    if product is None or PRODUCTS[product][0] != layer or frame.crs is None:
        return frame
    report.warnings.append(f"read as Lantmäteriet's {product} product (its published schema)")
    if product == "fastighetsindelning":
        return fastighetsindelning.parcels_from_fastighetsindelning(frame)
    units = _units(store, frame)
    if len(units) == 0 and not (product == "belagenhetsadress" and adress.BY_REFERENCE in columns):
        report.errors.append(
            f"the store has no register units (parcels) to link the {layer} to: import the "
            "parcels (Fastighetsindelning) first"
        )
        return frame
    if product == "byggnad":
        out, links = byggnad.buildings_from_byggnad(frame, units)
        report.warnings.append(
            f"linked {links.linked} buildings to register units by overlay (largest share); "
            f"{links.across_boundaries} stand on more than one unit (shares in unit_shares)"
        )
        unlinked = links.unlinked
    else:
        out, address_links = adress.addresses_from_belagenhetsadress(frame, units)
        report.warnings.append(
            f"linked {address_links.linked} addresses to register units by "
            f"{address_links.method}; {address_links.not_in_force} not gällande left out"
        )
        unlinked = address_links.unlinked
    if unlinked:
        report.warnings.append(
            f"{len(unlinked)} {layer} lie on no register unit and are left out: "
            + ", ".join(unlinked[:10])
            + (" …" if len(unlinked) > 10 else "")
        )
    return out


def _units(
    store: LayerStore | str | os.PathLike[str] | None, frame: gpd.GeoDataFrame
) -> gpd.GeoDataFrame:
    minx, miny, maxx, maxy = shapely.bounds(
        shapely.union_all(frame.to_crs(STORAGE_CRS).geometry.envelope.to_numpy())
    ).tolist()
    bounds = (minx - 1, miny - 1, maxx + 1, maxy + 1)
    if isinstance(store, LayerStore):
        return store_units(store, bounds)
    if store is None or not os.path.isfile(store) or "parcels" not in source_columns(store):
        return store_units_empty()
    # A store being filled layer by layer cannot be opened as a store yet: read its parcels.
    units = read_source(store, "parcels")
    units = units[units.intersects(shapely.box(*bounds))]
    return units[["unit_id", "designation", "geometry"]].to_crs(STORAGE_CRS)


def store_units_empty() -> gpd.GeoDataFrame:
    """No register units."""
    return gpd.GeoDataFrame({"unit_id": [], "designation": []}, geometry=[], crs=STORAGE_CRS)


__all__ = ["PRODUCTS", "adapt", "product_of", "store_units_empty"]
