"""What a delivery folder holds: the national products' files, found by their content.

A file is recognised by what it is, not by its name: a vector file by its layers' columns
(:func:`layers.national.products.product_of`), a JSON file as a detaljplan document of the
national specification or as Boverket's Planbestämmelsekatalogen, point clouds and grids by
their suffix (the surface reader checks them). Older plans delivered as digitised boundaries are
a vector file with the ``plans`` layer's columns (plan id, name, status), their PDFs
``<plan id>.pdf`` beside it. Symbolic links are not followed: only the folder's own files count.

>>> Delivery(Path("d")).summary()
{'parcels': 0, 'buildings': 0, 'addresses': 0, 'plan_json': 0, 'old_plans': 0, 'surface': 0}
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from layers.errors import LayerError
from layers.national.detaljplan import catalogue_entries, is_plan_document, read_json
from layers.national.products import PRODUCTS, product_of
from layers.read import source_columns
from layers.schema import map_columns

VECTOR_SUFFIXES = (".gpkg", ".geojson", ".json", ".shp", ".parquet")
SURFACE_SUFFIXES = (".laz", ".las", ".tif", ".tiff")


@dataclass
class Delivery:
    """The recognised files of one delivery folder."""

    folder: Path
    #: layer → [(file, source layer)]
    vectors: dict[str, list[tuple[Path, str]]] = field(default_factory=dict)
    plan_json: list[Path] = field(default_factory=list)
    catalogue: list[Path] = field(default_factory=list)
    old_plans: list[tuple[Path, str]] = field(default_factory=list)
    documents: dict[str, Path] = field(default_factory=dict)
    surface: list[Path] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)

    def summary(self) -> dict[str, int]:
        """How many files of each kind were found."""
        return {
            "parcels": len(self.vectors.get("parcels", [])),
            "buildings": len(self.vectors.get("buildings", [])),
            "addresses": len(self.vectors.get("addresses", [])),
            "plan_json": len(self.plan_json),
            "old_plans": len(self.old_plans),
            "surface": len(self.surface),
        }

    def fingerprint(self, *kinds: str) -> str:
        """A digest of the names, sizes and times of the files of ``kinds`` (all by default):
        a stage whose inputs have the same fingerprint need not run again."""
        files: list[Path] = []
        for kind in kinds or ("vectors", "plans", "surface"):
            if kind == "vectors":
                files += [f for found in self.vectors.values() for f, _ in found]
            elif kind == "plans":
                files += [*self.plan_json, *self.catalogue, *(f for f, _ in self.old_plans)]
            elif kind == "surface":
                files += self.surface
        digest = hashlib.sha256()
        for f in sorted(set(files)):
            stat = f.stat()
            digest.update(f"{f.name}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
        return digest.hexdigest()[:16]


def find_delivery(folder: Path) -> Delivery:
    """The files of ``folder`` (and its subfolders) that :func:`kommun build` knows."""
    found = Delivery(folder)
    for path in sorted(folder.rglob("*")):
        if path.is_symlink() or not path.is_file() or path.name.startswith("."):
            continue
        suffix = path.suffix.lower()
        if suffix in SURFACE_SUFFIXES:
            found.surface.append(path)
        elif suffix == ".pdf":
            found.documents[path.stem] = path
        elif suffix == ".json" and _json_kind(path, found):
            continue
        elif suffix in VECTOR_SUFFIXES:
            _vector(path, found)
        elif suffix not in (".shx", ".dbf", ".prj", ".cpg", ".qix", ".sbn", ".sbx"):
            found.unknown.append(path.name)
    return found


def _json_kind(path: Path, found: Delivery) -> bool:
    try:
        document = read_json(path)
    except LayerError:
        return False
    if is_plan_document(document):
        found.plan_json.append(path)
        return True
    if catalogue_entries(document):
        found.catalogue.append(path)
        return True
    return False


def _vector(path: Path, found: Delivery) -> None:
    try:
        layers = source_columns(path)
    except LayerError:
        found.unknown.append(path.name)
        return
    known = False
    for name, columns in layers.items():
        product = product_of(set(columns))
        if product is not None:
            found.vectors.setdefault(PRODUCTS[product][0], []).append((path, name))
            known = True
        elif {"plan_id", "name", "status"} <= set(map_columns("plans", list(columns))[0].values()):
            found.old_plans.append((path, name))
            known = True
    if not known:
        found.unknown.append(path.name)


__all__ = ["Delivery", "find_delivery"]
