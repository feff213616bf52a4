"""A data directory's layout and its manifest, ``dataset.json``: one typed model, read once.

The sample builder (:mod:`data.build`) writes the manifest; the service, the command line and
the analysts' API read it back into the same :class:`Dataset`. This module imports nothing of
the builder, so reading a data set never loads the generators of the sample.

>>> d = Dataset("Exempel", "2281", "Sundsvall", "EPSG:3006", (0.0, 0.0, 10.0, 10.0))
>>> Dataset.from_dict(d.to_dict()) == d
True
>>> d.to_dict()["bounds"]
[0.0, 0.0, 10.0, 10.0]
"""

from __future__ import annotations

import dataclasses
import json
import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from data.errors import IncompleteSample

__all__ = [
    "DSM_NAME",
    "DTM_NAME",
    "FORMAT_VERSION",
    "GPKG_NAME",
    "MANIFEST_NAME",
    "SOLAR_CATALOG",
    "SOLAR_MAP",
    "Dataset",
]

#: Version of the manifest's format; a directory of another version is not read.
FORMAT_VERSION = 1
#: The manifest, in the data directory.
MANIFEST_NAME = "dataset.json"
#: The GeoPackage of the vector layer store, in the data directory.
GPKG_NAME = "minfastighet.gpkg"
#: The surface model (ground, roofs and trees) and the ground model, in the data directory.
DSM_NAME = "dsm.tif"
DTM_NAME = "dtm.tif"
#: The STAC catalog of the solar maps, and the sample's own solar map, in the data directory.
SOLAR_CATALOG = "stac/catalog.json"
SOLAR_MAP = "solar/solkarta.tif"


@dataclass(frozen=True)
class Dataset:
    """The manifest of a data directory: what the data is, and where its files are.

    ``directory`` is where the manifest was read from or will be written to; it is not part of
    the manifest itself (:meth:`to_dict` leaves it out, so the directory can be moved).

    Parameters
    ----------
    name, kommunkod, kommun
        The data set's name and the municipality it covers.
    crs, bounds
        The CRS of the data and its extent in that CRS (minx, miny, maxx, maxy).
    fictitious, notice
        Whether the data is invented, and the notice (by language) that then goes with it.
    vertical_datum
        The height system of the surface models.
    seed
        The random seed a generated sample was built with, or None.
    vector
        The vector store's file, relative to the directory.
    layers
        Feature count of each vector layer.
    files
        Further files (relative path: description) that a complete data set holds.
    trakter
        The trakter of the data set.
    kommuner
        Every kommun whose properties the data set holds (kommunkod: name); ``kommunkod``,
        ``kommun`` and ``bounds`` describe the first, where maps open.
    format_version
        The manifest's format (:data:`FORMAT_VERSION`).
    directory
        The data directory, or None for a manifest not (yet) on disk.
    """

    name: str
    kommunkod: str
    kommun: str
    crs: str
    bounds: tuple[float, float, float, float]
    fictitious: bool = False
    notice: Mapping[str, str] = field(default_factory=dict)
    vertical_datum: str = "RH 2000"
    seed: int | None = None
    vector: str = GPKG_NAME
    layers: Mapping[str, int] = field(default_factory=dict)
    files: Mapping[str, str] = field(default_factory=dict)
    trakter: tuple[str, ...] = ()
    kommuner: Mapping[str, str] = field(default_factory=dict)
    format_version: int = FORMAT_VERSION
    directory: Path | None = None

    def to_dict(self) -> dict[str, Any]:
        """The manifest as JSON-ready values, in the order ``dataset.json`` lists them."""
        return {
            "format_version": self.format_version,
            "name": self.name,
            "fictitious": self.fictitious,
            "notice": dict(self.notice),
            "kommunkod": self.kommunkod,
            "kommun": self.kommun,
            "crs": self.crs,
            "vertical_datum": self.vertical_datum,
            "bounds": list(self.bounds),
            "seed": self.seed,
            "vector": self.vector,
            "layers": dict(self.layers),
            "files": dict(self.files),
            "trakter": list(self.trakter),
            "kommuner": dict(self.kommuner),
        }

    @classmethod
    def from_dict(cls, values: Mapping[str, Any], directory: Path | None = None) -> Dataset:
        """The manifest ``values`` (as :meth:`to_dict` gives them), located in ``directory``.

        Raises
        ------
        ValueError
            A required key is missing or a key is not part of the manifest.

        >>> Dataset.from_dict({"name": "x"})
        Traceback (most recent call last):
        ...
        ValueError: the manifest lacks bounds, crs, kommun, kommunkod
        """
        names = {f.name for f in dataclasses.fields(cls)} - {"directory"}
        required = {"name", "kommunkod", "kommun", "crs", "bounds"}
        missing, unknown = sorted(required - set(values)), sorted(set(values) - names)
        if missing:
            raise ValueError(f"the manifest lacks {', '.join(missing)}")
        if unknown:
            raise ValueError(f"the manifest has unknown keys {', '.join(unknown)}")
        given = dict(values)
        minx, miny, maxx, maxy = (float(v) for v in given["bounds"])
        given.update(
            bounds=(minx, miny, maxx, maxy),
            notice=dict(given.get("notice", {})),
            layers=dict(given.get("layers", {})),
            files=dict(given.get("files", {})),
            trakter=tuple(given.get("trakter", ())),
            kommuner=dict(given.get("kommuner", {})),
        )
        return cls(**given, directory=directory)

    @classmethod
    def read(cls, directory: str | os.PathLike[str]) -> Dataset:
        """The manifest of the complete data set in ``directory``.

        Raises
        ------
        data.errors.IncompleteSample
            The directory has no readable manifest of this format version, or lacks a file
            the manifest lists.
        """
        directory = Path(directory)
        path = directory / MANIFEST_NAME
        try:
            values = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError as err:
            raise IncompleteSample(
                f"{directory} holds no sample data ({MANIFEST_NAME} is "
                "missing); build it with 'minfastighet sample-data'"
            ) from err
        except json.JSONDecodeError as err:
            raise IncompleteSample(f"{path} is not valid JSON") from err
        if not isinstance(values, dict) or values.get("format_version") != FORMAT_VERSION:
            raise IncompleteSample(f"{directory} holds sample data of another format version")
        try:
            dataset = cls.from_dict(values, directory)
        except (ValueError, TypeError) as err:
            raise IncompleteSample(f"{path} is not a manifest of this version: {err}") from err
        for name in [dataset.vector, *dataset.files]:
            if not (directory / name).is_file():
                raise IncompleteSample(f"{directory} lacks {name}")
        return dataset

    def write(self, directory: str | os.PathLike[str] | None = None) -> Dataset:
        """Write the manifest into ``directory`` (default: :attr:`directory`) atomically.

        Returns the data set located there.
        """
        target = Path(directory) if directory is not None else self._directory()
        text = json.dumps(self.to_dict(), ensure_ascii=False, indent=2) + "\n"
        fd, temporary = tempfile.mkstemp(prefix=f".{MANIFEST_NAME}.", dir=target)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                out.write(text)
            os.replace(temporary, target / MANIFEST_NAME)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return dataclasses.replace(self, directory=target)

    @property
    def manifest(self) -> dict[str, Any]:
        """The manifest as ``dataset.json`` holds it (the same as :meth:`to_dict`)."""
        return self.to_dict()

    @property
    def manifest_path(self) -> Path:
        """``dataset.json`` in the data directory."""
        return self._directory() / MANIFEST_NAME

    @property
    def vector_path(self) -> Path:
        """The GeoPackage of the vector layer store."""
        return self._directory() / self.vector

    @property
    def dsm_path(self) -> Path:
        """The surface model (ground, roofs and trees), a COG."""
        return self._directory() / DSM_NAME

    @property
    def dtm_path(self) -> Path:
        """The ground model, a COG."""
        return self._directory() / DTM_NAME

    @property
    def solar_catalog_path(self) -> Path:
        """The root ``catalog.json`` of the solar maps' STAC catalog."""
        return self._directory() / SOLAR_CATALOG

    def _directory(self) -> Path:
        if self.directory is None:
            raise ValueError(f"the data set {self.name!r} has no directory")
        return self.directory
