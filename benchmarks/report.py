"""The owner's report, server-side: property page, JSON report and PDF on the sample.

Data: the sample municipality with its solar map (``benchmarks/.data/sample``, built with
``minfastighet sample-data`` when missing). Then ``python benchmarks/report.py``.

Requests go through Flask's test client to the app as the service runs it (sources opened
once per worker thread, warm): for ``--properties`` properties spread over the sample, each of
``/fastighet/<id>`` (report, folium map, template), ``/api/v1/properties/<id>`` and
``/fastighet/<id>.pdf`` is timed ``--repeat`` times; the table shows the median and 95th
percentile in milliseconds against the issue's budgets (150 ms, 50 ms, 2 s).

Side by side, the PDF is compared with the usual way of making one: Chromium printing the
same report page to PDF (Playwright, Debian's /usr/bin/chromium, the page served from a
loopback server, warm browser) — the ratio is Chromium's median over ours. The split of the
page's time (report assembly, map, template) is shown too. Figures go to
``benchmarks/.data/report.json``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SAMPLE = HERE / ".data" / "sample"
BUDGET_MS = {"page": 150.0, "json": 50.0, "pdf": 2000.0}


def _sample() -> Path:
    if not (SAMPLE / "stac" / "catalog.json").exists():
        subprocess.run(["minfastighet", "sample-data", "--out", str(SAMPLE)], check=True)
    return SAMPLE


def _units(client, count: int) -> list[str]:
    from mapservice.web.resources import get_sources

    with client.application.app_context():
        store = get_sources().store
        bounds = get_sources().dataset.bounds
        units = [p.unit_id for p in store.iter_pages(bounds) if store.buildings_of(p.unit_id)]
    step = max(1, len(units) // count)
    return units[::step][:count]


def _times(call, urls: list[str], repeat: int) -> list[float]:
    out = []
    for url in urls:
        for _ in range(repeat):
            start = time.perf_counter()
            response = call(url)
            out.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (url, response.status_code)
    return out


def _summary(times: list[float]) -> dict:
    ordered = sorted(times)
    return {
        "median_ms": round(statistics.median(ordered), 1),
        "p95_ms": round(ordered[int(0.95 * (len(ordered) - 1))], 1),
        "n": len(ordered),
    }


def _split(app, units: list[str]) -> dict:
    """Where a page's time goes: report assembly, folium map, the whole page."""
    from mapservice.report import build_report
    from mapservice.report.maps import embed, report_map
    from mapservice.web.resources import get_sources
    from mapservice.web.templating import layer_names, map_urls

    parts = {"report": [], "map": []}
    with app.test_request_context("/"):
        for unit in units:
            start = time.perf_counter()
            result = build_report(get_sources(), unit)
            middle = time.perf_counter()
            names = layer_names()
            embed(report_map(result, map_urls(), names), names)
            end = time.perf_counter()
            parts["report"].append((middle - start) * 1000)
            parts["map"].append((end - middle) * 1000)
    return {k: round(statistics.median(v), 1) for k, v in parts.items()}


def _chromium_pdf(app, units: list[str], repeat: int) -> list[float]:
    from playwright.sync_api import sync_playwright
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_port}"
    times = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium", args=["--headless", "--no-sandbox"]
            )
            page = browser.new_page()
            page.goto(f"{base}/fastighet/{units[0]}")
            for unit in units:
                for _ in range(repeat):
                    start = time.perf_counter()
                    page.goto(f"{base}/fastighet/{unit}", wait_until="networkidle")
                    page.pdf(format="A4")
                    times.append((time.perf_counter() - start) * 1000)
            browser.close()
    finally:
        server.shutdown()
        thread.join(timeout=5)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--properties", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-chromium", action="store_true", help="skip the PDF peer")
    args = parser.parse_args()
    from mapservice import create_app

    app = create_app({"data_dir": str(_sample())})
    client = app.test_client()
    units = _units(client, args.properties)
    for unit in units[:3]:  # warm: sources opened, classes calibrated, templates compiled
        client.get(f"/fastighet/{unit}")
        client.get(f"/fastighet/{unit}.pdf")
    results = {
        "page": _summary(_times(client.get, [f"/fastighet/{u}" for u in units], args.repeat)),
        "json": _summary(
            _times(client.get, [f"/api/v1/properties/{u}" for u in units], args.repeat)
        ),
        "pdf": _summary(_times(client.get, [f"/fastighet/{u}.pdf" for u in units], args.repeat)),
    }
    results["page_split_ms"] = _split(app, units)
    if not args.no_chromium:
        peer = _summary(_chromium_pdf(app, units, 1))
        results["pdf_chromium"] = peer
        results["pdf_ratio_chromium_over_ours"] = round(
            peer["median_ms"] / results["pdf"]["median_ms"], 2
        )
    print(f"{len(units)} properties × {args.repeat} requests, Flask test client, warm")
    print(f"{'':8}{'median ms':>12}{'p95 ms':>10}{'budget ms':>12}")
    for key, budget in BUDGET_MS.items():
        r = results[key]
        print(f"{key:8}{r['median_ms']:>12}{r['p95_ms']:>10}{budget:>12.0f}")
    print(f"page split (median ms): {results['page_split_ms']}")
    if "pdf_chromium" in results:
        print(
            f"PDF by Chromium printing the page: median {results['pdf_chromium']['median_ms']}"
            f" ms, {results['pdf_ratio_chromium_over_ours']}× ours"
        )
    out = HERE / ".data" / "report.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
