"""Clean emitted code: drop derivative statements whose results nobody reads."""
from __future__ import annotations

import ast
from typing import List, Set

from ..ir import annotations as anno
from ..ir.astutil import loaded_names, statements
from .scales import fold_scales


def _reads(node: ast.AST) -> Set[str]:
    names = loaded_names(node)
    if isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name):
        names.add(node.target.id)  # ``a += b`` reads ``a``
    return names


def _is_derivative_assign(stmt: ast.stmt, protected: Set[str]) -> bool:
    """A derivative statement that only sets a name (``a = ...`` or ``a += ...``)."""
    if isinstance(stmt, ast.AugAssign):
        target = stmt.target
    elif isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
        target = stmt.targets[0]
    else:
        return False
    if not isinstance(target, ast.Name):
        return False
    return anno.get(stmt, "derivative", False) and target.id not in protected


def _target(stmt: ast.stmt) -> str:
    return stmt.target.id if isinstance(stmt, ast.AugAssign) else stmt.targets[0].id


def dead_code(body: List[ast.stmt], live_after: Set[str], protected: Set[str]) -> List[ast.stmt]:
    """Remove derivative assignments whose target is not read later (loops: read anywhere in the loop)."""
    return _dead_code(body, live_after, protected)[0]


def _dead_code(body: List[ast.stmt], live_after: Set[str], protected: Set[str]):
    """(kept statements, names the kept statements read)."""
    out: List[ast.stmt] = []
    live = set(live_after)
    read_here: Set[str] = set()
    for stmt in reversed(body):
        if isinstance(stmt, (ast.For, ast.While)):
            header = _reads(stmt.iter if isinstance(stmt, ast.For) else stmt.test)
            inside = _reads_all(stmt.body)
            stmt.body, _ = _dead_code(stmt.body, live | header | inside, protected)
            stmt.body = stmt.body or [ast.Pass()]
            reads = header | _reads_all(stmt.body)
        elif isinstance(stmt, ast.If):
            stmt.body, body_reads = _dead_code(stmt.body, live, protected)
            stmt.body = stmt.body or [ast.Pass()]
            stmt.orelse, else_reads = _dead_code(stmt.orelse, live, protected)
            reads = _reads(stmt.test) | body_reads | else_reads
        elif _is_derivative_assign(stmt, protected) and _target(stmt) not in live:
            continue
        else:
            reads = _reads(stmt)
        live |= reads
        read_here |= reads
        out.append(stmt)
    return out[::-1], read_here


def _reads_all(body: List[ast.stmt]) -> Set[str]:
    """Names read anywhere in ``body``: simple statements whole, compound ones by their test or range."""
    found: Set[str] = set()
    for stmt in statements(body):
        if isinstance(stmt, (ast.If, ast.While)):
            found |= _reads(stmt.test)
        elif isinstance(stmt, ast.For):
            found |= _reads(stmt.iter)
        else:
            found |= _reads(stmt)
    return found


def optimize(func: ast.FunctionDef, program) -> ast.FunctionDef:
    """Apply the clean-ups; ``program`` tells which names the caller sees."""
    func.body = fold_scales(dead_code(func.body, set(), set()))
    return func
