"""The validation report of ``kommun build``: JSON for machines, HTML for the GIS officer.

Each import's report (what was read, mapped, dropped, repaired, linked, refused) and the build's
notes, with what to do about each kind of finding. Every value is escaped where it lands.
"""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

#: What a finding in the report asks of the officer.
ACTIONS = {
    "errors": "Refused: correct the delivery (or order it again) and run the build again.",
    "overlaps": "Register units overlapping: report them to Lantmäteriet; the build goes on.",
    "duplicates": "Features with the same geometry: check the delivery for doubled rows.",
    "warnings": "How the files were read and linked; features left out are listed by id.",
    "personal_columns": "Personal fields in the file: dropped, never stored.",
    "dropped_columns": "Columns the service does not use: dropped.",
}


def write_report(folder: Path, report: dict[str, Any]) -> None:
    """``validation/report.json`` and ``validation/report.html`` in ``folder``."""
    target = folder / "validation"
    target.mkdir(parents=True, exist_ok=True)
    (target / "report.json").write_text(
        json.dumps(report, ensure_ascii=False, indent=2, default=str) + "\n", encoding="utf-8"
    )
    (target / "report.html").write_text(render_html(report), encoding="utf-8")


def render_html(report: dict[str, Any]) -> str:
    """The report as one self-contained HTML page.

    >>> "&lt;script&gt;" in render_html({"ok": False, "error": "<script>", "imports": []})
    True
    """
    e = html.escape
    verdict = "Klar – data directory written" if report.get("ok") else "Stopped – nothing swapped"
    parts = [
        '<!doctype html><html lang="en"><meta charset="utf-8">',
        f"<title>Validation report {e(str(report.get('kommunkod', '')))}</title>",
        "<style>body{font-family:sans-serif;max-width:60rem;margin:2rem auto}"
        "td,th{border:1px solid #999;padding:.3rem;vertical-align:top}"
        "table{border-collapse:collapse}</style>",
        f"<h1>kommun build {e(str(report.get('kommunkod', '')))}: {e(verdict)}</h1>",
    ]
    if report.get("error"):
        parts.append(f"<p><strong>Error:</strong> {e(str(report['error']))}</p>")
    found = report.get("found") or {}
    parts.append(
        "<h2>Files found</h2><ul>"
        + "".join(f"<li>{e(str(k))}: {e(str(v))}</li>" for k, v in found.items())
        + "</ul>"
    )
    for item in report.get("imports") or []:
        parts.append(
            f"<h2>{e(str(item.get('layer')))} from {e(str(item.get('source')))}</h2>"
            f"<p>Read {e(str(item.get('features')))}, imported {e(str(item.get('imported')))}, "
            f"repaired {e(str(item.get('repaired')))}; CRS {e(str(item.get('source_crs')))}.</p>"
        )
        rows = [(k, item.get(k) or []) for k in ACTIONS]
        parts.append("<table><tr><th>finding</th><th>what to do</th><th>items</th></tr>")
        for key, items in rows:
            if items:
                listed = "".join(f"<li>{e(str(i))}</li>" for i in items[:50])
                parts.append(
                    f"<tr><td>{e(key)} ({len(items)})</td><td>{e(ACTIONS[key])}</td>"
                    f"<td><ul>{listed}</ul></td></tr>"
                )
        parts.append("</table>")
    notes = report.get("notes") or []
    if notes:
        parts.append("<h2>Notes</h2><ul>" + "".join(f"<li>{e(str(n))}</li>" for n in notes))
        parts.append("</ul>")
    seconds = report.get("seconds") or {}
    parts.append(
        "<h2>Stages</h2><ul>"
        + "".join(f"<li>{e(str(k))}: {e(str(v))} s</li>" for k, v in seconds.items())
        + "".join(
            f"<li>{e(str(k))}: skipped (done before)</li>" for k in report.get("skipped") or []
        )
        + "</ul></html>\n"
    )
    return "".join(parts)


__all__ = ["ACTIONS", "render_html", "write_report"]
