"""The service from a plain install of its wheel: ``/karta`` has its map and proj4, no asset is
missing; and an install that lacks an asset does not start (issue 16, point 15).

The wheel is built from a copy of this checkout's files (what git tracks or would track) with
``pip wheel``, so its build step installs proj4 from the npm registry as any build would; it is
installed without dependencies into a fresh virtual environment that sees no system site
packages and no checkout; the dependencies are the running interpreter's site-packages, added
after the venv's own by a ``.pth`` file (the point is the package's own files, and a full
install from the index would take minutes). The service is started with the wheel's own
``minfastighet`` console script.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import sysconfig
import time
import urllib.request
from pathlib import Path

import pytest

from tests.browser.conftest import ROOT, screenshot

pytestmark = pytest.mark.slow


def _run(*command: str | Path, **kwargs) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [str(c) for c in command], capture_output=True, text=True, timeout=600, **kwargs
    )
    assert result.returncode == 0, f"{command} failed:\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A fresh venv holding only the wheel built from this checkout; returns its ``bin``."""
    work = tmp_path_factory.mktemp("wheel")
    files = _run("git", "ls-files", "-z", "--cached", "--others", "--exclude-standard", cwd=ROOT)
    for name in filter(None, files.stdout.split("\0")):
        if (ROOT / name).is_file():
            (work / "src" / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, work / "src" / name)
    assert not (work / "src" / "node_modules").exists()
    _run(sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", work / "dist", work / "src")
    (wheel,) = (work / "dist").glob("minfastighet-*.whl")
    _run(sys.executable, "-m", "venv", work / "venv")
    venv = work / "venv" / "bin"
    _run(venv / "pip", "install", "--no-deps", "--no-index", wheel)
    purelib = _run(venv / "python", "-c", "import sysconfig; print(sysconfig.get_path('purelib'))")
    site = Path(purelib.stdout.strip())
    (site / "zz_dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    where = _run(venv / "python", "-c", "import mapservice; print(mapservice.__file__)", cwd=work)
    assert Path(where.stdout.strip()).is_relative_to(site), where.stdout
    return venv


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _environment(sample) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MINFASTIGHET_")}
    env.pop("PYTHONPATH", None)
    env["MINFASTIGHET_DATA_DIR"] = str(sample.directory)
    return env


@pytest.fixture
def served(installed, sample, tmp_path):
    """``minfastighet serve`` of the installed package on the sample; yields its base URL."""
    port = _free_port()
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        server = subprocess.Popen(
            [installed / "minfastighet", "serve", "--port", str(port)],
            cwd=tmp_path,
            env=_environment(sample),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            assert server.poll() is None, log.read_text()
            try:
                urllib.request.urlopen(f"{url}/healthz", timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_the_viewer_of_an_installed_wheel_has_its_map_and_proj4(browser, served):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    failed: list[str] = []
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else 0)
    errors: list[str] = []
    page.on("pageerror", lambda err: errors.append(str(err)))
    try:
        page.goto(f"{served}/karta?lang=en")
        page.wait_for_function("() => window.minfastighetViewer !== undefined")
        page.wait_for_load_state("networkidle")
        assert not failed, failed
        assert not errors, errors
        page.wait_for_function("() => document.querySelectorAll('#viewer-map path').length > 50")
        assert page.evaluate("() => typeof proj4") == "function"
        screenshot(page, "installed-wheel-karta-en-1280")
    finally:
        context.close()
    assert not failed, failed
    assert not errors, errors


def test_an_installed_wheel_without_proj4_does_not_start(installed, sample, tmp_path):
    site = Path(
        _run(
            installed / "python", "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"
        ).stdout.strip()
    )
    vendored = site / "mapservice" / "web" / "vendor" / "proj4" / "proj4.js"
    assert vendored.is_file()
    kept = vendored.read_bytes()
    vendored.unlink()
    try:
        result = subprocess.run(
            [installed / "minfastighet", "serve", "--port", str(_free_port())],
            cwd=tmp_path,
            env=_environment(sample),
            capture_output=True,
            text=True,
            timeout=120,
        )
    finally:
        vendored.write_bytes(kept)
    assert result.returncode != 0
    assert "proj4 is not installed" in result.stderr
    assert "npm ci" in result.stderr
    assert "Traceback" not in result.stderr
