"""Reading a vector file to import: GeoPackage, GeoJSON, Shapefile (pyogrio/GDAL) or
GeoParquet (pyarrow), in batches with progress for large files."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import pyogrio.errors

from layers.errors import ImportRefused
from layers.import_report import Progress, no_progress

#: Features read per batch; progress is reported after each.
BATCH = 50_000


def read_source(
    path: Path, source_layer: str | None = None, progress: Progress = no_progress
) -> gpd.GeoDataFrame:
    """Read a vector file into a GeoDataFrame, in batches with progress for large files."""
    if not path.exists():
        raise ImportRefused(f"{path} does not exist")
    if path.suffix.lower() in (".parquet", ".geoparquet"):
        try:
            frame = gpd.read_parquet(path)
        except (ValueError, OSError) as err:
            raise ImportRefused(f"{path} is not a readable GeoParquet file: {err}") from err
        progress(f"read {len(frame)} features")
        return frame
    try:
        info = pyogrio.read_info(path, layer=source_layer)
    except pyogrio.errors.DataSourceError as err:
        raise ImportRefused(f"{path} is not a readable vector file: {err}") from err
    except pyogrio.errors.DataLayerError as err:
        raise ImportRefused(f"{path} has no layer {source_layer!r}: {err}") from err
    total = int(info.get("features") or 0)
    frames = []
    for start in range(0, max(total, 1), BATCH):
        frames.append(
            pyogrio.read_dataframe(
                path, layer=source_layer, skip_features=start, max_features=BATCH
            )
        )
        if total > BATCH:
            progress(f"read {min(start + BATCH, total)} of {total} features")
    frame = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    return gpd.GeoDataFrame(frame, geometry="geometry", crs=frames[0].crs)


__all__ = ["BATCH", "read_source"]
