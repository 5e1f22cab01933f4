"""Loop headers the reverse sweep can replay: the same iterations, with the same loop variable.

Python evaluates ``range(n)`` once, before the first iteration, and binds the loop variable afresh from it
on every iteration, whatever the body does. The reverse sweep replays the loop from its header, after the
forward sweep has run, so two rewrites keep the header's meaning there:

* a ``range`` argument the body may change (``n = 1`` in the body), or that calls something whose result
  may differ on a second call, is computed once before the loop into a name (``_n1 = n``);
* a loop variable that the body rebinds (``i = i * 2``), or that is read outside any loop over it (the
  reverse loop would overwrite the value read there), is bound from a fresh loop variable at the top of
  the body (``for _i1 in range(3): i = _i1``), so it is an ordinary variable the reverse sweep saves and
  restores.
"""
from __future__ import annotations

import ast
from typing import List, Set

from ..ir.astutil import loaded_names, walk
from ..rules import registry
from .calls import operation_of
from .names import Namer
from .source import Resolver


def freeze_loop_headers(func: ast.FunctionDef, resolver: Resolver, namer: Namer) -> ast.FunctionDef:
    """Apply both rewrites of the module docstring to ``func`` in place; returns ``func``."""
    exposed: Set[str] = set()
    _reads_outside_own_loops(func.body, frozenset(), exposed)
    _rename_targets(func.body, exposed, frozenset(), namer)
    func.body = _hoist_bounds(func.body, resolver, namer)
    return func


def _changed_in(stmts: List[ast.stmt]) -> Set[str]:
    """Names whose value ``stmts`` may change: assigned, written into, loop targets, method-call receivers."""
    changed: Set[str] = set()
    for node in walk(ast.Module(body=stmts, type_ignores=[])):
        if isinstance(node, (ast.Assign, ast.AugAssign)):
            for target in getattr(node, "targets", None) or [node.target]:
                changed |= {n.id for n in walk(target) if isinstance(n, ast.Name)}
        elif isinstance(node, ast.For):
            changed |= {n.id for n in walk(node.target) if isinstance(n, ast.Name)}
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                and isinstance(node.func.value, ast.Name):
            changed.add(node.func.value.id)
    return changed


def _reads_outside_own_loops(stmts: List[ast.stmt], enclosing: frozenset, found: Set[str]) -> None:
    """Add to ``found`` the names read where no enclosing ``for`` loop has them as its loop variable."""
    for stmt in stmts:
        if isinstance(stmt, ast.For):
            found |= loaded_names(stmt.iter) - enclosing
            inner = enclosing | ({stmt.target.id} if isinstance(stmt.target, ast.Name) else set())
            _reads_outside_own_loops(stmt.body, inner, found)
            _reads_outside_own_loops(stmt.orelse, enclosing, found)
        elif isinstance(stmt, (ast.If, ast.While)):
            found |= loaded_names(stmt.test) - enclosing
            _reads_outside_own_loops(stmt.body, enclosing, found)
            _reads_outside_own_loops(stmt.orelse, enclosing, found)
        else:
            found |= loaded_names(stmt) - enclosing


def _rename_targets(stmts: List[ast.stmt], exposed: Set[str], renamed: frozenset, namer: Namer) -> None:
    """Rename, outermost first, the loop variables that need it (see the module docstring). A loop inside
    a renamed loop over the same name is renamed too: the outer variable is read there as a plain one."""
    for stmt in stmts:
        inner = renamed
        if isinstance(stmt, ast.For) and isinstance(stmt.target, ast.Name):
            name = stmt.target.id
            if name in exposed or name in renamed or name in _changed_in(stmt.body):
                fresh = namer.temp(f"_{name.lstrip('_')}")
                bind = ast.Assign(targets=[ast.Name(id=name, ctx=ast.Store())],
                                  value=ast.Name(id=fresh, ctx=ast.Load()))
                stmt.body.insert(0, ast.copy_location(bind, stmt))
                stmt.target = ast.copy_location(ast.Name(id=fresh, ctx=ast.Store()), stmt.target)
                inner = renamed | {name}
        for field in ("body", "orelse"):
            block = getattr(stmt, field, None)
            if isinstance(block, list) and isinstance(stmt, (ast.If, ast.For, ast.While)):
                _rename_targets(block, exposed, inner if field == "body" else renamed, namer)


def _pure_call(node: ast.Call, resolver: Resolver) -> bool:
    """A call to a function sct knows, whose result a second call reproduces (not a random draw)."""
    operation = operation_of(node, resolver)
    if operation is None or operation.kind != "primitive" or operation.qualname.startswith("numpy.random"):
        return False
    return registry.is_nondiff(operation.qualname) or registry.lookup(operation.qualname) is not None


def _hoist_bounds(stmts: List[ast.stmt], resolver: Resolver, namer: Namer) -> List[ast.stmt]:
    out: List[ast.stmt] = []
    for stmt in stmts:
        if isinstance(stmt, (ast.If, ast.For, ast.While)):
            stmt.body = _hoist_bounds(stmt.body, resolver, namer)
            stmt.orelse = _hoist_bounds(stmt.orelse, resolver, namer)
        if isinstance(stmt, ast.For) and _is_range(stmt.iter):
            changed = _changed_in(stmt.body)
            for i, arg in enumerate(stmt.iter.args):
                calls = [n for n in walk(arg) if isinstance(n, ast.Call)]
                if loaded_names(arg) & changed or not all(_pure_call(c, resolver) for c in calls):
                    name = namer.temp("_n")
                    bound = ast.Assign(targets=[ast.Name(id=name, ctx=ast.Store())], value=arg)
                    out.append(ast.copy_location(bound, stmt))
                    stmt.iter.args[i] = ast.Name(id=name, ctx=ast.Load())
        out.append(stmt)
    return out


def _is_range(node: ast.expr) -> bool:
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "range" \
        and not node.keywords
