"""Clean emitted code: drop derivative statements whose results nobody reads."""
from __future__ import annotations

import ast
from typing import List, Set

from .astutil import loaded_names


def _reads(node: ast.AST) -> Set[str]:
    return loaded_names(node)


def _is_derivative_assign(stmt: ast.stmt, protected: Set[str]) -> bool:
    single = isinstance(stmt, ast.Assign) and len(stmt.targets) == 1
    if not (single and isinstance(stmt.targets[0], ast.Name)):
        return False
    return getattr(stmt, "sct_derivative", False) and stmt.targets[0].id not in protected


def dead_code(body: List[ast.stmt], live_after: Set[str], protected: Set[str]) -> List[ast.stmt]:
    """Remove derivative assignments whose target is not read later (loops: read anywhere in the loop)."""
    out: List[ast.stmt] = []
    live = set(live_after)
    for stmt in reversed(body):
        if isinstance(stmt, (ast.For, ast.While)):
            loop_live = live | _reads(stmt)
            stmt.body = dead_code(stmt.body, loop_live, protected) or [ast.Pass()]
            live |= _reads(stmt)
        elif isinstance(stmt, ast.If):
            stmt.body = dead_code(stmt.body, live, protected) or [ast.Pass()]
            stmt.orelse = dead_code(stmt.orelse, live, protected)
            live |= _reads(stmt)
        elif _is_derivative_assign(stmt, protected) and stmt.targets[0].id not in live:
            continue
        else:
            live |= _reads(stmt)
        out.append(stmt)
    return out[::-1]


def optimize(func: ast.FunctionDef, program) -> ast.FunctionDef:
    """Apply the clean-ups; ``program`` tells which names the caller sees."""
    func.body = dead_code(func.body, set(), set())
    return func
