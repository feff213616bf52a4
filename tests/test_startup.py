"""Start-up guards: the command line answers at once, and nothing loads numba before it is needed.

The times are measured in a fresh interpreter, the best of three runs so that a busy machine
does not fail them: they guard against an import creeping back into the start, they are not
benchmarks.
"""

from __future__ import annotations

import importlib
import inspect
import subprocess
import sys
import time
from pathlib import Path

import click
import pytest

from mapservice.commands.main import COMMANDS, main

LAZY_PACKAGES = ("solar", "layers", "data")
LIMIT_S = 0.5


def _command_line() -> list[str]:
    script = Path(sys.executable).with_name("minfastighet")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "mapservice.commands.main"]


def _best_of_three(args: list[str]) -> float:
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        subprocess.run(args, check=True, capture_output=True, timeout=60)
        best = min(best, time.perf_counter() - start)
    return best


@pytest.mark.parametrize("args", [["--help"], ["find", "--help"]], ids=" ".join)
def test_the_command_line_starts_at_once(args):
    seconds = _best_of_three([*_command_line(), *args])
    assert seconds < LIMIT_S, f"minfastighet {' '.join(args)} took {seconds:.2f} s"


def _loaded_after(code: str) -> set[str]:
    """The top-level modules loaded in a fresh interpreter after running ``code``."""
    probe = f"import sys\n{code}\nprint(' '.join(sorted({{m.split('.')[0] for m in sys.modules}})))"
    done = subprocess.run(
        [sys.executable, "-c", probe], check=True, capture_output=True, text=True, timeout=120
    )
    return set(done.stdout.split())


def test_solar_errors_load_no_numba():
    assert "numba" not in _loaded_after("import solar.errors")


@pytest.mark.parametrize("module", ["layers.errors", "data.errors"])
def test_error_families_load_no_heavy_library(module):
    heavy = _loaded_after(f"import {module}") & {"numba", "numpy", "pandas", "rasterio", "flask"}
    assert not heavy


def test_create_app_loads_no_numba(tmp_path):
    code = f"from mapservice import create_app\ncreate_app({{'data_dir': {str(tmp_path)!r}}})"
    loaded = _loaded_after(code)
    assert "flask" in loaded  # the app was made
    assert "numba" not in loaded


def test_each_summary_is_its_commands_own():
    ctx = click.Context(main)
    for name, info in COMMANDS.items():
        command = main.get_command(ctx, name)
        first = inspect.cleandoc(command.help or "").split("\n\n")[0]
        assert info.summary == " ".join(first.split()), name
    assert main.list_commands(ctx) == sorted(COMMANDS)


@pytest.mark.parametrize("package", LAZY_PACKAGES)
def test_lazy_package_exports_every_name(package):
    module = importlib.import_module(package)
    assert sorted(module._HOMES) == sorted(module.__all__)
    for name in module.__all__:
        assert getattr(module, name) is getattr(importlib.import_module(module._HOMES[name]), name)
    with pytest.raises(AttributeError):
        module.no_such_name  # noqa: B018 — the lookup itself is the test


@pytest.mark.parametrize("package", LAZY_PACKAGES)
def test_no_export_is_named_like_a_module(package):
    """A submodule, once imported, would replace the package attribute of the same name."""
    folder = Path(importlib.import_module(package).__file__).parent
    modules = {p.stem for p in folder.glob("*.py")} | {
        p.name for p in folder.iterdir() if p.is_dir()
    }
    assert not modules & set(importlib.import_module(package).__all__)
