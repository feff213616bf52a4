"""The shape of the code: small modules, the rooms' import rules, no import cycle.

The import graph is read from the source with :mod:`ast`, so a rule holds for every import
statement, including those inside functions and under ``TYPE_CHECKING``: ``layers``, ``solar``
and ``data`` import none of each other, nor ``mapservice`` or Flask; ``sweref`` (the shared
geographic vocabulary) imports none of the project's packages; the report, the analysts' side
and the command line (but for ``serve``, which starts the web app) import neither Flask nor
``mapservice.web``, not even through a module they load at import time.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("mapservice", "layers", "solar", "data", "sweref")
MAX_LINES = 400
WEB = ("flask", "flask_babel", "werkzeug", "mapservice.web")
#: What each domain package must not import (besides Flask and the service).
FORBIDDEN = {
    "layers": ("solar", "data", "mapservice", *WEB),
    "solar": ("layers", "data", "mapservice", *WEB),
    "data": ("layers", "solar", "mapservice", *WEB),
    "sweref": ("layers", "solar", "data", "mapservice", *WEB),
}
#: The rooms of mapservice that work without the web app.
NO_WEB_ROOMS = ("mapservice.report", "mapservice.analysis", "mapservice.commands")
#: Modules of those rooms allowed to reach the web app (it starts the server).
WEB_ALLOWED = ("mapservice.commands.serve",)


@dataclass
class Module:
    """One source module: its dotted name, file and the modules it imports."""

    name: str
    path: Path
    imports: dict[str, int] = field(default_factory=dict)  # imported name -> first line
    runtime: set[str] = field(default_factory=set)  # all but TYPE_CHECKING imports
    eager: set[str] = field(default_factory=set)  # imported when this module is imported


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _sources() -> Iterator[Path]:
    for package in PACKAGES:
        yield from sorted((ROOT / package).rglob("*.py"))


def _is_type_checking(node: ast.AST) -> bool:
    """An ``if TYPE_CHECKING:`` block: its imports are for the type checker and never run."""
    if not isinstance(node, ast.If):
        return False
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _absolute(module: Module, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    package = module.name.split(".")
    if module.path.name != "__init__.py":
        package = package[:-1]
    base = package[: len(package) - node.level + 1]
    return ".".join([*base, *([node.module] if node.module else [])])


def _imported(module: Module, node: ast.Import | ast.ImportFrom, known: set[str]) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    base = _absolute(module, node)
    names = [f"{base}.{alias.name}" for alias in node.names]
    return [name if name in known else base for name in names]


def _visit(module: Module, node: ast.AST, known: set[str], runs: bool, eager: bool) -> None:
    """Record the imports under ``node``; ``runs``: they run at all, ``eager``: on import."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.Import | ast.ImportFrom):
            for name in _imported(module, child, known):
                module.imports.setdefault(name, child.lineno)
                if runs:
                    module.runtime.add(name)
                if eager:
                    module.eager.add(name)
        elif _is_type_checking(child):
            _visit(module, child, known, runs=False, eager=False)
        elif isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            _visit(module, child, known, runs, eager=False)
        else:
            _visit(module, child, known, runs, eager)


def _graph() -> dict[str, Module]:
    modules = {_module_name(p): Module(_module_name(p), p) for p in _sources()}
    known = set(modules)
    for module in modules.values():
        tree = ast.parse(module.path.read_text(encoding="utf-8"), str(module.path))
        _visit(module, tree, known, runs=True, eager=True)
    return modules


GRAPH = _graph()


def _within(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def _owner(name: str, modules: dict[str, Module]) -> str | None:
    """The project module ``name`` is, or lies in (``pkg.mod.attr`` -> ``pkg.mod``)."""
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name or None


def _eager_closure(start: str) -> dict[str, list[str]]:
    """Every module imported, directly or not, when ``start`` is imported: name -> the path."""
    seen: dict[str, list[str]] = {start: [start]}
    todo = [start]
    while todo:
        current = todo.pop()
        for name in sorted(GRAPH[current].eager):
            target = _owner(name, GRAPH) or name
            if target not in seen:
                seen[target] = [*seen[current], target]
                if target in GRAPH:
                    todo.append(target)
    return seen


def test_the_graph_sees_every_package():
    assert {name.split(".")[0] for name in GRAPH} == set(PACKAGES)
    assert "flask" in GRAPH["mapservice.web.api"].imports  # the walk sees third-party imports
    assert "solar.model" in GRAPH["solar.engine"].eager


@pytest.mark.parametrize("path", list(_sources()), ids=lambda p: str(p.relative_to(ROOT)))
def test_module_is_small(path):
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{path.relative_to(ROOT)} has {lines} lines (limit {MAX_LINES})"


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_domain_packages_stay_apart(package):
    found = [
        f"{module.name}:{line} imports {name}"
        for module in GRAPH.values()
        if _within(module.name, (package,))
        for name, line in module.imports.items()
        if _within(name, FORBIDDEN[package])
    ]
    assert not found, "\n".join(found)


@pytest.mark.parametrize("room", NO_WEB_ROOMS)
def test_rooms_without_the_web_app_do_not_import_it(room):
    found = []
    for module in GRAPH.values():
        if not _within(module.name, (room,)) or _within(module.name, WEB_ALLOWED):
            continue
        found += [
            f"{module.name}:{line} imports {name}"
            for name, line in module.imports.items()
            if _within(name, WEB)
        ]
        found += [
            f"{module.name} loads {name} at import: {' -> '.join(path)}"
            for name, path in _eager_closure(module.name).items()
            if _within(name, WEB)
        ]
    assert not found, "\n".join(found)


def _reach(edges: dict[str, set[str]], start: str) -> set[str]:
    seen: set[str] = set()
    todo = [start]
    while todo:
        for target in edges[todo.pop()] - seen:
            seen.add(target)
            todo.append(target)
    return seen


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The groups of modules that reach each other through their imports."""
    reach = {node: _reach(edges, node) for node in edges}
    groups = {
        frozenset(other for other in reach[node] if node in reach[other])
        for node in edges
        if node in reach[node]
    }
    return sorted(sorted(group) for group in groups)


def test_cycles_are_found():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycle():
    """No two modules import each other, directly or through others.

    Imports inside functions count (a cycle broken by importing late is still a cycle); those
    under ``TYPE_CHECKING`` do not, as they never run. A package's ``__init__`` is left out:
    Python runs it before any of its modules, whatever they import.
    """
    edges = {
        name: {
            target
            for imported in module.runtime
            if (target := _owner(imported, GRAPH)) and target != name
        }
        for name, module in GRAPH.items()
        if module.path.name != "__init__.py"
    }
    edges = {name: targets & edges.keys() for name, targets in edges.items()}
    assert not _cycles(edges), _cycles(edges)
