"""The stages of ``kommun build``, resumable, into a work folder swapped in at the end.

Stages (:data:`STAGES`): ``layers`` (register units, buildings linked to them, addresses),
``plans`` (national detaljplan JSON and older digitised plans with their PDFs), ``index`` (the
search table), ``surface`` (DSM and DTM from laser tiles or grids, :func:`solar.delivery.
surface_from_delivery`), ``solar`` (the solar map on the roofs, catalogued), ``roof_faces``
and ``manifest``. Each stage's inputs are fingerprinted (:meth:`Delivery.fingerprint`) and
recorded in the work folder's ``stages.json`` when it completes, so a build that stopped
resumes at the first stage not done, and a stage whose inputs changed runs again with every
stage after it. Nothing is written into the data directory until every stage is done: the
finished work folder replaces it by renames (``--update`` replaces an existing one, atomically).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import time
from pathlib import Path
from typing import Any

from layers.errors import ImportRefused, LayerError
from mapservice.kommun import stages
from mapservice.kommun.delivery import find_delivery
from mapservice.kommun.work import REPORT_HTML, STATE, Build, BuildRefused, Say

STAGES = ("layers", "plans", "index", "surface", "solar", "roof_faces", "manifest")


def build_kommun(
    delivery_dir: Path,
    out: Path,
    kommunkod: str,
    update: bool = False,
    say: Say = lambda m: None,
    scan_date: str | None = None,
) -> Build:
    """Build the data directory ``out`` of kommun ``kommunkod`` from ``delivery_dir``."""
    out = out.resolve()
    if (out / "dataset.json").exists() and not update:
        raise BuildRefused(f"{out} already holds a data set; give --update to replace it")
    if not re.fullmatch(r"\d{4}", kommunkod):
        raise BuildRefused(f"--kommun must be a kommunkod of four digits, not {kommunkod!r}")
    build = Build(find_delivery(delivery_dir), out, kommunkod, say, scan_date)
    say("delivery: " + ", ".join(f"{k} {v}" for k, v in build.delivery.summary().items()))
    if build.delivery.unknown:
        build.notes.append("files not recognised: " + ", ".join(build.delivery.unknown[:20]))
    build.work.mkdir(parents=True, exist_ok=True)
    state = _read_state(build.work)
    fresh = False
    for stage in STAGES:
        key = _fingerprint(build, stage)
        if not fresh and state.get(stage, {}).get("key") == key:
            build.skipped.append(stage)
            build.reports += state[stage].get("reports", [])
            build.notes += state[stage].get("notes", [])
            say(f"[{stage}] done before, inputs unchanged: skipped")
            continue
        fresh = True
        before = (len(build.reports), len(build.notes))
        start = time.perf_counter()
        say(f"[{stage}] running")
        try:
            getattr(stages, f"{stage}_stage")(build)
        except ImportRefused as err:
            if err.report is not None:
                build.reports.append(err.report.to_dict() | {"ok": False})
            _write_report(build, ok=False, error=str(err))
            raise BuildRefused(f"{stage}: {err} (report: {build.work / REPORT_HTML})") from err
        except LayerError as err:
            _write_report(build, ok=False, error=str(err))
            raise BuildRefused(f"{stage}: {err}") from err
        build.timings[stage] = round(time.perf_counter() - start, 2)
        state[stage] = {
            "key": key,
            "seconds": build.timings[stage],
            "reports": build.reports[before[0] :],
            "notes": build.notes[before[1] :],
        }
        _write_state(build.work, state)
        say(f"[{stage}] done in {build.timings[stage]:.1f} s")
    _write_report(build, ok=True)
    _swap_in(build.work, out)
    return build


def _fingerprint(build: Build, stage: str) -> str:
    inputs = {
        "layers": ("vectors",),
        "plans": ("plans",),
        "surface": ("surface",),
    }.get(stage, ())
    files = build.delivery.fingerprint(*inputs) if inputs else ""
    return f"{build.kommunkod}:{build.scan_date}:{files}"


def _read_state(work: Path) -> dict[str, Any]:
    try:
        state = json.loads((work / STATE).read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return {}
    return state if isinstance(state, dict) else {}


def _write_state(work: Path, state: dict[str, Any]) -> None:
    temporary = work / f".{STATE}.tmp"
    temporary.write_text(json.dumps(state, ensure_ascii=False, indent=2), encoding="utf-8")
    temporary.replace(work / STATE)


def _write_report(build: Build, ok: bool, error: str | None = None) -> None:
    from mapservice.kommun.report import write_report

    write_report(
        build.work,
        {
            "ok": ok,
            "error": error,
            "kommunkod": build.kommunkod,
            "delivery": str(build.delivery.folder.name),
            "found": build.delivery.summary(),
            "imports": build.reports,
            "notes": build.notes,
            "seconds": build.timings,
            "skipped": build.skipped,
            "written": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        },
    )


def _swap_in(work: Path, out: Path) -> None:
    (work / STATE).unlink(missing_ok=True)
    shutil.rmtree(work / "merged", ignore_errors=True)
    old = None
    if out.exists():
        old = out.with_name(f".{out.name}.old")
        shutil.rmtree(old, ignore_errors=True)
        out.rename(old)
    work.rename(out)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


__all__ = ["STAGES", "BuildRefused", "build_kommun"]
