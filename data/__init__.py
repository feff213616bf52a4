"""Sample data for Min fastighet: a realistic, clearly fictitious neighbourhood in Sundsvall.

The builder (:func:`data.build.build_sample`) writes the vector layers to one GeoPackage and the
surface models as Cloud-Optimized GeoTIFFs. Everything is deterministic for a given seed.
"""

from data.build import SampleData, build_sample
from data.errors import IncompleteSample, SampleDataError

__all__ = ["IncompleteSample", "SampleData", "SampleDataError", "build_sample"]
