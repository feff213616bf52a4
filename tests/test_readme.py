"""README.md's promises: a Quick start of exactly two blocks, and CI runs the second one."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).parents[1]


def quick_start_blocks() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = re.search(r"^## Quick start\s*$(.*?)(?=^## |\Z)", text, re.M | re.S).group(1)
    return re.findall(r"```(?:sh|bash|shell|console)?\n(.*?)```", section, re.S)


def test_quick_start_has_two_blocks_serve_then_test():
    serve, test = quick_start_blocks()
    assert "minfastighet serve" in serve
    assert "sample-data" in serve
    assert "pytest" in test


def test_ci_runs_exactly_the_second_block(tmp_path):
    # Run .ci/run in a copy whose README's second block only echoes, to see what CI executes.
    (tmp_path / ".ci").mkdir()
    (tmp_path / ".ci" / "run").write_bytes((ROOT / ".ci" / "run").read_bytes())
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    readme = readme.replace(quick_start_blocks()[1], "echo second-block-ran\n")
    (tmp_path / "README.md").write_text(readme, encoding="utf-8")
    result = subprocess.run(
        ["bash", str(tmp_path / ".ci" / "run")], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip().splitlines()[-1] == "second-block-ran"
