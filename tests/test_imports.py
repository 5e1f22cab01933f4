"""The import graph of sct/: no cycles, and no imports inside functions (the command line's lazy imports
aside). Read from the source with ``ast``, without importing anything.

``from . import x`` is an edge to the module ``sct.x`` when ``x`` is one, not to the package: a package is
always initialising by the time any of its modules runs, so that edge would put every module in a cycle.
"""
from __future__ import annotations

import ast
from pathlib import Path
from typing import Dict, List, Set, Tuple

ROOT = Path(__file__).resolve().parents[1] / "sct"
LAZY = ("sct.cli.main",)  # the command line imports `sct check`'s modules when that command runs
# Exceptions, each with its reason; there are none today.
ALLOWED_CYCLES: List[List[str]] = []
ALLOWED_INNER: List[Tuple[str, str]] = []


def _modules() -> Dict[str, Path]:
    found = {}
    for path in ROOT.rglob("*.py"):
        parts = path.relative_to(ROOT.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def _targets(node: ast.AST, module: str, is_package: bool, modules: Dict[str, Path]) -> List[str]:
    """The sct modules an import statement loads."""
    if isinstance(node, ast.Import):
        return [a.name for a in node.names if a.name in modules]
    base = node.module or ""
    if node.level:
        package = module.split(".") if is_package else module.split(".")[:-1]
        package = package[:len(package) - node.level + 1]
        base = ".".join(package + ([node.module] if node.module else []))
    submodules = [f"{base}.{a.name}" for a in node.names if f"{base}.{a.name}" in modules]
    if submodules and len(submodules) == len(node.names):
        return submodules
    return ([base] if base in modules else []) + submodules


def import_graph() -> Tuple[Dict[str, Set[str]], List[Tuple[str, int, str]]]:
    """(module -> the sct modules it imports, [(module, line, imported) for imports inside functions])."""
    modules = _modules()
    edges: Dict[str, Set[str]] = {name: set() for name in modules}
    inner = []
    for name, path in modules.items():
        tree = ast.parse(path.read_text())
        nested = {id(n) for f in ast.walk(tree) if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef))
                  for n in ast.walk(f)}
        for node in ast.walk(tree):
            if not isinstance(node, (ast.Import, ast.ImportFrom)):
                continue
            targets = [t for t in _targets(node, name, path.name == "__init__.py", modules) if t != name]
            edges[name].update(targets)
            if id(node) in nested:
                inner.extend((name, node.lineno, t) for t in targets)
    return edges, inner


def cycles(edges: Dict[str, Set[str]]) -> List[List[str]]:
    """Strongly connected components of more than one module (Tarjan), each sorted."""
    index: Dict[str, int] = {}
    low: Dict[str, int] = {}
    stack: List[str] = []
    found = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in sorted(edges[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return found


def test_no_import_cycles():
    found = cycles(import_graph()[0])
    assert [c for c in found if c not in ALLOWED_CYCLES] == []


def test_no_imports_inside_functions():
    _, inner = import_graph()
    unexpected = [(m, line, t) for m, line, t in inner
                  if not m.startswith(LAZY) and (m, t) not in ALLOWED_INNER]
    assert unexpected == []


def test_the_checks_can_fail():
    edges = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(edges) == [["a", "b", "c"]]
    tree = ast.parse("def f():\n    from . import errors\n")
    node = tree.body[0].body[0]
    assert _targets(node, "sct.api", False, _modules()) == ["sct.errors"]
    found = _targets(ast.parse("from .rules import registry").body[0], "sct.pipeline", False, _modules())
    assert found == ["sct.rules.registry"]
