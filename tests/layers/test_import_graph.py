"""The modules of :mod:`layers` import each other without a cycle.

The graph is read from the source with ``ast``: every ``import`` that runs (at module level or
inside a function; ``if TYPE_CHECKING:`` blocks never run), each with the packages that Python
imports first (``layers.gpkg`` before ``layers.gpkg.search``).
"""

import ast
from pathlib import Path

import layers

ROOT = Path(layers.__file__).resolve().parent


def module_names():
    names = {}
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        names[name] = path
    return names


def is_type_checking(node):
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def imported(tree):
    """The absolute module names a module imports when it runs."""
    found = []

    def visit(node):
        if isinstance(node, ast.If) and is_type_checking(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append(node.module)
            found.extend(f"{node.module}.{alias.name}" for alias in node.names)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def import_graph():
    names = module_names()
    graph = {}
    for name, path in names.items():
        edges = set()
        for target in imported(ast.parse(path.read_text(encoding="utf-8"))):
            parts = target.split(".")
            for end in range(1, len(parts) + 1):  # the packages first, then the module
                prefix = ".".join(parts[:end])
                if prefix in names and prefix != name:
                    edges.add(prefix)
        graph[name] = edges
    return graph


def find_cycle(graph):
    state, stack = {}, []

    def walk(node):
        state[node] = "open"
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == "open":
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state and (cycle := walk(nxt)):
                return cycle
        state[node] = "done"
        stack.pop()
        return None

    for node in sorted(graph):
        if node not in state and (cycle := walk(node)):
            return cycle
    return None


def test_the_graph_sees_the_modules_and_their_imports():
    graph = import_graph()
    assert {"layers.geopackage", "layers.gpkg.connection", "layers.gpkg.write"} <= set(graph)
    assert {"layers.gpkg", "layers.gpkg.connection", "layers.store"} <= graph["layers.geopackage"]
    assert "layers.gpkg.search" in graph["layers.gpkg.write"]  # 'from layers.gpkg import search'


def test_finding_a_cycle():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_layers_has_no_import_cycle():
    assert find_cycle(import_graph()) is None
