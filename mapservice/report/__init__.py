"""The property report and its renderings: assembly, folium maps, the PDF's map image and the PDF.

Nothing in this package imports Flask: the web pages, the JSON API, the command line, the batch
and notebooks all open :class:`ReportSources`, build a report with :func:`build_report` and
render it with :mod:`.maps` or :mod:`.pdf`.
"""

from mapservice.report.build import NOTICE, OwnerChoices, PropertyReport, build_report
from mapservice.report.sources import ReportSources, Source

__all__ = ["NOTICE", "OwnerChoices", "PropertyReport", "ReportSources", "Source", "build_report"]
