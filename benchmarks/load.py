"""Load: many concurrent clients against ``minfastighet serve`` on the loopback interface.

The service runs as a subprocess (``--workers`` processes of ``--threads`` threads each) over a
data directory (the built sample by default). Each level of ``--clients`` runs for
``--seconds``: every client keeps one HTTP/1.1 connection and sends a seeded mix of report
JSON, report page, report PDF, search, OGC API Features items and solar tiles, drawn from the
data's own ids, names and extent. Per kind it prints requests per second and the
50th/95th/99th percentile latency; an error is a status of 500 or more, a refused or broken
connection or a time-out (30 s). The server's resident memory (``/proc/PID/status``, its
worker processes included) is printed at start, after the first minute of load and at the
end. Nothing but 127.0.0.1 is contacted; the run ends after ``len(clients) * seconds`` plus
the server's start.

    python benchmarks/load.py --clients 16 --seconds 60 --workers 2 --threads 4
    python benchmarks/load.py                # 8, 16 and 64 clients, 60 s each, one process
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import socket
import subprocess
import sys
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
SERVE_CODE = "from mapservice.commands.main import main; main()"
#: How often each kind of request comes in the mix (weights).
MIX = {"report": 30, "page": 15, "pdf": 5, "search": 20, "ogc": 15, "tile": 15}
TIMEOUT = 30.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def rss_mb(pid: int) -> float:
    """The resident memory of process ``pid`` and all its descendants in MB (Linux): with
    ``--workers`` the server is a gunicorn master and its worker processes."""
    total, stack = 0.0, [pid]
    while stack:
        current = stack.pop()
        try:
            for line in Path(f"/proc/{current}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) / 1024
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except FileNotFoundError:  # ended meanwhile
            continue
        stack.extend(int(child) for child in children)
    return total


def get(con: http.client.HTTPConnection, target: str) -> tuple[int, bytes]:
    con.request("GET", target, headers={"Host": "localhost"})
    response = con.getresponse()
    return response.status, response.read()


@dataclass
class Targets:
    """What the clients ask for, taken from the served data."""

    units: list[str]
    names: list[str]
    boxes: list[str]
    tiles: list[tuple[int, int, int]]

    def pick(self, kind: str, rng: random.Random) -> str:
        unit = rng.choice(self.units)
        if kind == "report":
            return f"/api/v1/properties/{unit}"
        if kind == "page":
            return f"/fastighet/{unit}"
        if kind == "pdf":
            return f"/fastighet/{unit}.pdf"
        if kind == "search":
            name = rng.choice(self.names)
            return "/api/v1/search?q=" + quote(name[: rng.randint(3, len(name))])
        if kind == "ogc":
            return f"/ogc/collections/parcels/items?f=json&limit=50&bbox={rng.choice(self.boxes)}"
        z, x, y = rng.choice(self.tiles)
        return f"/tiles/solar/{z}/{x}/{y}.png"


def discover(port: int) -> Targets:
    """Units, names, boxes and tiles from the running service itself."""
    import math

    con = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    _, body = get(con, "/ogc/collections/parcels/items?f=json&limit=1000")
    features = json.loads(body)["features"]
    units = [str(f["properties"].get("unit_id") or f["id"]) for f in features]
    names = sorted({str(f["properties"]["designation"]).split(" ", 1)[1] for f in features})
    _, body = get(con, "/tiles/solar/tilejson.json")
    west, south, east, north = json.loads(body)["bounds"]
    con.close()
    rng = random.Random(1)
    boxes = []
    for _ in range(200):
        lon, lat = rng.uniform(west, east), rng.uniform(south, north)
        boxes.append(f"{lon:.5f},{lat:.5f},{lon + 0.004:.5f},{lat + 0.002:.5f}")
    tiles = []
    for z in (15, 16, 17):
        n = 2**z
        x0, x1 = int((west + 180) / 360 * n), int((east + 180) / 360 * n)
        ys = [
            int((1 - math.asinh(math.tan(math.radians(v))) / math.pi) / 2 * n)
            for v in (north, south)
        ]
        tiles += [(z, x, y) for x in range(x0, x1 + 1) for y in range(ys[0], ys[1] + 1)]
    return Targets(units, names, boxes, tiles)


@dataclass
class Tally:
    """Latencies (s) per kind, statuses and errors of one level."""

    times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: dict[tuple[str, int], int] = field(default_factory=lambda: defaultdict(int))
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def client(port: int, targets: Targets, seed: int, until: float, tally: Tally) -> None:
    rng = random.Random(seed)
    kinds, weights = list(MIX), list(MIX.values())
    con = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
    while time.monotonic() < until:
        kind = rng.choices(kinds, weights)[0]
        target = targets.pick(kind, rng)
        started = time.perf_counter()
        try:
            status, _ = get(con, target)
        except (OSError, http.client.HTTPException) as err:
            con.close()
            con = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
            with tally.lock:
                tally.errors.append(f"{kind} {target}: {type(err).__name__}")
            continue
        elapsed = time.perf_counter() - started
        with tally.lock:
            tally.times[kind].append(elapsed)
            tally.statuses[kind, status] += 1
            if status >= 500:
                tally.errors.append(f"{kind} {target}: {status}")
    con.close()


def percentile(values: list[float], q: float) -> float:
    """The ``q``-th percentile (nearest rank) of ``values``.

    >>> percentile([1.0, 2.0, 3.0, 4.0], 50)
    2.0
    """
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(q / 100 * len(ordered) + 0.5) - 1))]


def report(clients: int, seconds: float, tally: Tally) -> None:
    total = sum(len(v) for v in tally.times.values())
    print(
        f"\n{clients} clients, {seconds:.0f} s: {total / seconds:.1f} req/s, "
        f"{len(tally.errors)} errors"
    )
    print(f"  {'kind':8} {'req/s':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}  statuses")
    for kind in MIX:
        times = tally.times.get(kind, [])
        if not times:
            continue
        codes = ", ".join(f"{s}: {n}" for (k, s), n in sorted(tally.statuses.items()) if k == kind)
        print(
            f"  {kind:8} {len(times) / seconds:7.1f} "
            + " ".join(f"{percentile(times, q) * 1000:8.0f}" for q in (50, 95, 99))
            + f"  {codes}"
        )
    for line in tally.errors[:10]:
        print(f"  error: {line}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", default="8,16,64", help="comma-separated levels")
    parser.add_argument("--seconds", type=float, default=60.0, help="length of each level")
    parser.add_argument(
        "--threads", type=int, default=8, help="the server's worker threads (per process)"
    )
    parser.add_argument(
        "--workers", type=int, default=1, help="the server's processes (serve --workers)"
    )
    parser.add_argument("--data-dir", type=Path, default=ROOT / "data" / "sample")
    args = parser.parse_args()
    levels = [int(v) for v in args.clients.split(",")]
    port = free_port()
    env = {
        **os.environ,
        "MINFASTIGHET_DATA_DIR": str(args.data_dir.resolve()),
        "MINFASTIGHET_LOG_LEVEL": "WARNING",
    }
    command = [
        sys.executable,
        "-c",
        SERVE_CODE,
        "serve",
        "--port",
        str(port),
        "--threads",
        str(args.threads),
        "--workers",
        str(args.workers),
    ]
    server = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        for _ in range(600):
            try:
                targets = discover(port)
                break
            except OSError:
                if server.poll() is not None:
                    raise SystemExit("the server did not start") from None
                time.sleep(0.2)
        else:
            raise SystemExit("the server did not answer in 120 s")
        load = os.getloadavg()
        print(
            f"{len(targets.units)} units, {len(targets.tiles)} tiles; server processes "
            f"{args.workers} x threads {args.threads}; {os.cpu_count()} cores, "
            f"load {load[0]:.1f} {load[1]:.1f}"
        )
        rss = {"start": rss_mb(server.pid)}
        print(f"RSS at start: {rss['start']:.0f} MB")
        began = time.monotonic()
        sampler_stop = threading.Event()

        def sample() -> None:
            if not sampler_stop.wait(max(0.0, began + 60 - time.monotonic())):
                rss["first minute"] = rss_mb(server.pid)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        for level in levels:
            tally = Tally()
            until = time.monotonic() + args.seconds
            threads = [
                threading.Thread(
                    target=client, args=(port, targets, 1000 * level + i, until, tally)
                )
                for i in range(level)
            ]
            started = time.monotonic()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            report(level, time.monotonic() - started, tally)
        sampler_stop.set()
        rss["end"] = rss_mb(server.pid)
        load = os.getloadavg()
        print("\nRSS (MB): " + ", ".join(f"{k} {v:.0f}" for k, v in rss.items()))
        if "first minute" in rss:
            growth = (rss["end"] - rss["first minute"]) / rss["first minute"] * 100
            print(f"RSS growth after the first minute: {growth:+.1f} %")
        print(f"load average at the end: {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
