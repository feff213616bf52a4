"""The north arrow the service's PDFs draw beside a north-up map (ReportLab, vectors)."""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

__all__ = ["north_arrow"]


def north_arrow(c: Canvas, x: float, y: float) -> None:
    """Draw a north arrow with its "N" on a white disc; ``(x, y)`` is the arrow's foot.

    >>> import io
    >>> canvas = Canvas(io.BytesIO())
    >>> north_arrow(canvas, 100.0, 100.0)
    """
    c.saveState()
    c.setFillColor(colors.white)
    c.circle(x, y + 3 * mm, 8.5 * mm, stroke=0, fill=1)
    c.setFillColor(colors.black)
    path = c.beginPath()
    path.moveTo(x, y + 10 * mm)
    path.lineTo(x - 3 * mm, y)
    path.lineTo(x, y + 2.5 * mm)
    path.lineTo(x + 3 * mm, y)
    path.close()
    c.drawPath(path, stroke=0, fill=1)
    c.setFont("Helvetica-Bold", 9)
    c.drawCentredString(x, y - 4 * mm, "N")
    c.restoreState()
