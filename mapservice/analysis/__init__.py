"""The analysts' side: the Python API for notebooks (:mod:`.api`) and the batch (:mod:`.batch`).

Nothing in this package imports Flask; Dask is imported only when a batch runs on it.
"""

from mapservice.analysis.api import Analysis, figures_frame, report_frame

__all__ = ["Analysis", "figures_frame", "report_frame"]
