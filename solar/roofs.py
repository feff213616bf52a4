"""Building footprints as a raster mask: the pixels a solar map computes when given buildings."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import shapely
from affine import Affine
from numpy.typing import NDArray
from rasterio import features
from rasterio.transform import array_bounds

from solar.errors import InvalidBuildings

if TYPE_CHECKING:
    from solar.catalog import CRSLike

__all__ = ["RoofMask"]


@dataclass(frozen=True)
class RoofMask:
    """Footprint polygons in the surface model's CRS, with a spatial index."""

    geometries: NDArray[np.object_]
    tree: shapely.STRtree

    @classmethod
    def from_geometries(cls, geometries: Iterable[Any]) -> RoofMask:
        """Keep the polygons of ``geometries`` (anything shapely takes)."""
        geoms = np.asarray(list(geometries), dtype=object)
        if geoms.size:
            kinds = shapely.get_type_id(geoms)
            geoms = geoms[np.isin(kinds, (3, 6)) & ~shapely.is_empty(geoms)]
        if geoms.size == 0:
            raise InvalidBuildings("the building footprints hold no polygons")
        return cls(geometries=geoms, tree=shapely.STRtree(geoms))

    @classmethod
    def open(cls, path: str | os.PathLike[str], crs: CRSLike, layer: str | None = None) -> RoofMask:
        """Read footprints from any vector file OGR reads, reprojected to ``crs``.

        Without ``layer`` the layer named ``buildings`` is used when there is one, else the first.
        """
        import geopandas as gpd
        import pyogrio
        import pyogrio.errors

        path = Path(path)
        try:
            names = [row[0] for row in pyogrio.list_layers(path)]
            if layer is None:
                layer = "buildings" if "buildings" in names else names[0]
            elif layer not in names:
                raise InvalidBuildings(
                    f"{path.name} has no layer {layer!r} (it has {', '.join(names)})"
                )
            frame = gpd.read_file(path, layer=layer, engine="pyogrio", columns=[])
        except InvalidBuildings:
            raise
        except (
            pyogrio.errors.DataSourceError,
            pyogrio.errors.DataLayerError,
            OSError,
            IndexError,
        ) as err:
            raise InvalidBuildings(f"cannot read building footprints from {path}: {err}") from err
        if frame.crs is None:
            raise InvalidBuildings(f"{path.name} has no CRS; give the footprints a CRS")
        return cls.from_geometries(frame.to_crs(crs).geometry.values)

    def _query(self, transform: Affine, shape: tuple[int, int]) -> NDArray[np.intp]:
        box = shapely.box(*array_bounds(shape[0], shape[1], transform))
        return self.tree.query(box, predicate="intersects")

    def touches(self, transform: Affine, shape: tuple[int, int]) -> bool:
        """Whether any footprint reaches into the grid."""
        return self._query(transform, shape).size > 0

    def mask(self, transform: Affine, shape: tuple[int, int]) -> NDArray[np.bool_]:
        """True on pixels whose centre lies in a footprint."""
        hits = self._query(transform, shape)
        if hits.size == 0:
            return np.zeros(shape, bool)
        burned = features.rasterize(
            ((g, 1) for g in self.geometries[hits]),
            out_shape=shape,
            transform=transform,
            fill=0,
            dtype="uint8",
        )
        return np.asarray(burned, dtype=bool)
