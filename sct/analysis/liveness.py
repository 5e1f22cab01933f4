"""Which variables may still be read after each statement (backward liveness over structured code)."""
from __future__ import annotations

import ast
from typing import Dict, List, Set

from ..ir.astutil import loaded_names as reads


def live_after(func: ast.FunctionDef) -> Dict[int, Set[str]]:
    """``id(statement) -> names that may be read after it`` (loops: also by a later iteration)."""
    out: Dict[int, Set[str]] = {}
    _block(func.body, set(), out)
    return out


def _block(stmts: List[ast.stmt], live: Set[str], out: Dict[int, Set[str]]) -> Set[str]:
    for stmt in reversed(stmts):
        out[id(stmt)] = out.get(id(stmt), set()) | live
        live = _statement(stmt, live, out)
    return live


def _statement(stmt: ast.stmt, live: Set[str], out: Dict[int, Set[str]]) -> Set[str]:
    if isinstance(stmt, ast.Assign):
        target = stmt.targets[0]
        killed = set()
        if isinstance(target, (ast.Name, ast.Tuple, ast.List)):
            killed = {n.id for n in ast.walk(target) if isinstance(n, ast.Name)}
        return (live - killed) | reads(stmt.value) | (set() if killed else reads(target))
    if isinstance(stmt, ast.If):
        return _block(stmt.body, live, out) | _block(stmt.orelse, live, out) | reads(stmt.test)
    if isinstance(stmt, (ast.For, ast.While)):
        head = live | reads(stmt.iter if isinstance(stmt, ast.For) else stmt.test)
        while True:  # the body may run again: what its start reads is live at its end
            start = _block(stmt.body, head, out)
            if start <= head:
                return head
            head = head | start
    if isinstance(stmt, ast.Return):
        return reads(stmt.value) if stmt.value is not None else set()
    return live | reads(stmt)
