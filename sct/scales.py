"""Fold chains of constant factors in derivative code: ``b = -a; c = 0.5 * b; d = 2 * c`` -> ``d = -a``.

Adjoints of ``-``, ``0.5 *`` and ``2 *`` each cost a pass over an array. When a derivative temporary is
a constant multiple of an expression and is read exactly once, later in the same block, with nothing in
between rebinding what it reads, the multiple moves into that one use, where constants multiply out.
"""
from __future__ import annotations

import ast
from typing import List, Optional, Tuple

from .astutil import walk


def _number(node: ast.AST) -> Optional[float]:
    if isinstance(node, ast.Constant) and type(node.value) in (int, float):
        return node.value
    return None


def _scaled(node: ast.expr) -> Tuple[float, ast.expr]:
    """``(k, u)`` with ``node == k * u``; ``k`` is 1 when no constant factor shows."""
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        k, inner = _scaled(node.operand)
        return -k, inner
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mult):
        for constant, other in ((node.left, node.right), (node.right, node.left)):
            value = _number(constant)
            if value is not None:
                k, inner = _scaled(other)
                return value * k, inner
    return 1, node


def _build(k: float, inner: ast.expr) -> ast.expr:
    if k == 1:
        return inner
    if k == -1:
        return ast.UnaryOp(op=ast.USub(), operand=inner)
    return ast.BinOp(left=ast.Constant(value=k), op=ast.Mult(), right=inner)


class _Replace(ast.NodeTransformer):
    """Put ``k * u`` in place of the one read of ``name`` and multiply out constant factors around it."""

    def __init__(self, name: str, k: float, inner: ast.expr):
        self.name, self.k, self.inner = name, k, inner

    def visit_Name(self, node: ast.Name) -> ast.expr:
        if node.id == self.name and isinstance(node.ctx, ast.Load):
            return _build(self.k, self.inner)
        return node

    def visit_BinOp(self, node: ast.BinOp) -> ast.expr:
        self.generic_visit(node)
        constant = _number(node.left) is not None or _number(node.right) is not None
        if isinstance(node.op, ast.Mult) and constant:
            return _build(*_scaled(node))
        return node

    def visit_UnaryOp(self, node: ast.UnaryOp) -> ast.expr:
        self.generic_visit(node)
        return _build(*_scaled(node)) if isinstance(node.op, ast.USub) else node


def _loads(node: ast.AST, name: str) -> int:
    return sum(1 for n in walk(node)
               if isinstance(n, ast.Name) and n.id == name and isinstance(n.ctx, ast.Load))


def _stores(node: ast.AST) -> set:
    return {n.id for n in walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}


def fold_scales(body: List[ast.stmt]) -> List[ast.stmt]:
    """Apply the folding to one block (loops and branches are left as they are)."""
    body = list(body)
    i = 0
    while i < len(body):
        stmt = body[i]
        target = _folding_candidate(stmt)
        if target is not None:
            k, inner = _scaled(stmt.value)
            use = _single_later_use(body, i, target, _names(inner))
            if use is not None and k != 1 and not isinstance(body[use], ast.Return):  # keep named gradients
                body[use] = _Replace(target, k, inner).visit(body[use])
                del body[i]
                continue
        i += 1
    return body


def _folding_candidate(stmt: ast.stmt) -> Optional[str]:
    if not (getattr(stmt, "sct_derivative", False) and isinstance(stmt, ast.Assign)
            and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name)):
        return None
    target = stmt.targets[0].id
    return None if _loads(stmt.value, target) else target


def _names(node: ast.expr) -> set:
    return {n.id for n in walk(node) if isinstance(n, ast.Name)}


def _single_later_use(body: List[ast.stmt], i: int, target: str, reads: set) -> Optional[int]:
    """Index of the one simple statement after ``i`` that reads ``target``, provided nothing before it
    rebinds ``target`` or a name the folded expression reads, and nothing else reads this ``target``."""
    found = None
    for j in range(i + 1, len(body)):
        stmt = body[j]
        count = _loads(stmt, target)
        if count:
            if found is not None or count > 1 or isinstance(stmt, (ast.If, ast.For, ast.While)):
                return None
            found = j
        stores = _stores(stmt)
        if found is None and stores & (reads | {target}):
            return None
        if found is not None and target in stores:
            break  # later reads see a new value of the name
    return found
