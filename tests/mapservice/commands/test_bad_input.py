"""Every command answers a bad path, a bad id and a bad option with a message and exit status 1
or 2, never a traceback (issue 16, point 16)."""

from __future__ import annotations

import click
import pytest
from click.testing import CliRunner

from mapservice.commands.main import COMMANDS, main

#: A path no one can write or read, not even root: its parent is a file.
BAD = "{tmp}/file/x"

#: Per leaf command: arguments naming a path that cannot be read or written.
BAD_PATHS: dict[str, list[list[str]]] = {
    "batch": [["--kommun", "2281", "--single-process", "-o", BAD + ".csv"]],
    "check-building": [
        ["SUNDSVALL BJÖRKÅSEN 2:1", "--geometry", BAD, "--height", "4", "--kind", "friggebod"]
    ],
    "check-buildings": [[BAD + ".csv", "-o", "{tmp}/r.csv"], ["{tmp}/b.csv", "-o", BAD + ".csv"]],
    "catalog add": [["--scan-date", "2024-01-01", BAD + ".tif"]],
    "catalog list": [["--catalog", BAD + ".json"]],
    "catalog validate": [["--catalog", BAD + ".json"]],
    "db copy-from": [[BAD + ".gpkg"]],
    "db init": [],  # no path: the database is named by a setting
    "db upgrade": [],
    "find": [],  # no path
    "import": [["parcels", BAD + ".gpkg"]],
    "kommun build": [
        ["--kommun", "2281", "--from", BAD, "--out", "{tmp}/out"],
        ["--kommun", "2281", "--from", "{tmp}", "--out", BAD],
    ],
    "report": [["SUNDSVALL BJÖRKÅSEN 2:1", "-o", BAD + ".json"]],
    "sample-data": [["--out", BAD]],
    "serve": [],  # no path
    "solar-map": [
        ["--dsm", BAD + ".tif", "--out", "{tmp}/x.tif"],
        ["--dsm", "{data}/dsm.tif", "--out", BAD + ".tif"],
    ],
    "surface": [["--laz", BAD, "--out", "{tmp}/s"], ["--laz", "{tmp}", "--out", BAD]],
}

#: Commands that take an id (a designation, a register unit's id or a kommunkod).
BAD_IDS: list[list[str]] = [
    ["report", "SUNDSVALL NOPE 1:1"],
    ["report", "00000000-0000-0000-0000-000000000000"],
    ["report", "!!!"],
    [
        *["check-building", "SUNDSVALL NOPE 1:1", "--rect", "5", "5", "0", "0", "0"],
        *["--height", "4", "--kind", "friggebod"],
    ],
    ["find", "SUNDSVALL NOPE 1:1"],
    ["find", "--at", "1", "2"],
    ["find", "Björkåsen 2:1", "--format", "json", "--out-crs", "EPSG:9"],
    ["batch", "--kommun", "9999", "--single-process", "-o", "{tmp}/k.csv"],
    ["batch", "--kommun", "abc", "-o", "{tmp}/k.csv"],
    ["kommun", "build", "--kommun", "99", "--from", "{tmp}", "--out", "{tmp}/o"],
]


def _leaves(group: click.Group, ctx: click.Context, prefix: str = "") -> list[str]:
    names = []
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        path = f"{prefix}{name}"
        if isinstance(command, click.Group):
            names += _leaves(command, ctx, path + " ")
        else:
            names.append(path)
    return names


LEAVES = _leaves(main, click.Context(main))


@pytest.fixture
def run(sample, tmp_path, monkeypatch):
    monkeypatch.setenv("MINFASTIGHET_DATA_DIR", str(sample.directory))
    (tmp_path / "file").write_text("a file, not a folder")
    (tmp_path / "b.csv").write_text(
        'wkt,height,kind\n"POLYGON ((0 0, 1 0, 1 1, 0 0))",3,friggebod\n'
    )

    def invoke(args: list[str]):
        args = [a.format(tmp=tmp_path, data=sample.directory) for a in args]
        return CliRunner().invoke(main, args)

    return invoke


def _is_a_message(result) -> None:
    assert result.exit_code in (1, 2), result.output
    assert "Error:" in result.output
    assert "Traceback" not in result.output
    assert not isinstance(result.exception, Exception) or isinstance(
        result.exception, SystemExit
    ), repr(result.exception)


def test_every_command_is_in_the_table():
    assert sorted(BAD_PATHS) == sorted(LEAVES)
    assert {c.split()[0] for c in LEAVES} == set(COMMANDS)


@pytest.mark.parametrize("command", LEAVES)
def test_a_bad_option(run, command):
    result = run([*command.split(), "--no-such-option"])
    _is_a_message(result)
    assert result.exit_code == 2
    assert "No such option" in result.output


@pytest.mark.parametrize(
    "args", [[*c.split(), *a] for c, cases in BAD_PATHS.items() for a in cases], ids=str
)
def test_a_bad_path(run, args):
    _is_a_message(run(args))


@pytest.mark.parametrize("args", BAD_IDS, ids=str)
def test_a_bad_id(run, args):
    _is_a_message(run(args))
