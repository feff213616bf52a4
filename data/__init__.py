"""Sample data for Min fastighet: a realistic, clearly fictitious neighbourhood in Sundsvall.

The builder (:func:`data.build.build_sample`) writes the vector layers to one GeoPackage, the
surface models as Cloud-Optimized GeoTIFFs and the manifest, a :class:`~data.dataset.Dataset`
that the service reads back. Everything is deterministic for a given seed.
The names below are imported from their modules on first use (PEP 562), so that the service
can read what it needs of :mod:`data` without loading the builder.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from data.build import build_sample
    from data.dataset import Dataset
    from data.errors import IncompleteSample, SampleDataError

__all__ = ["Dataset", "IncompleteSample", "SampleDataError", "build_sample"]

#: The module each public name lives in.
_HOMES = {
    "Dataset": "data.dataset",
    "build_sample": "data.build",
    "IncompleteSample": "data.errors",
    "SampleDataError": "data.errors",
}


def __getattr__(name: str) -> object:
    """Import a public name from its module when it is first asked for (PEP 562)."""
    if name not in _HOMES:
        raise AttributeError(f"module 'data' has no attribute {name!r}")
    return getattr(importlib.import_module(_HOMES[name]), name)
