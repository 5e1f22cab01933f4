"""Fold chains of constant factors in derivative code: ``b = -a; c = 0.5 * b; d = 2 * c`` -> ``d = -a``.

Adjoints of ``-``, ``0.5 *`` and ``2 *`` each cost a pass over an array. When a derivative temporary is
a constant multiple of an expression and is read exactly once, later in the same block, with nothing in
between rebinding what it reads, the multiple moves into that one use, where constants multiply out.
"""
from __future__ import annotations

import ast
from typing import Dict, List, Optional, Tuple

from ..ir import annotations as anno
from ..ir.astutil import walk


def _number(node: ast.AST) -> Optional[float]:
    """The value of a literal int or float (not a bool), or of its negation (``-2.0``), or None."""
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        value = _number(node.operand)
        return None if value is None else -value
    if isinstance(node, ast.Constant) and type(node.value) in (int, float):
        return node.value
    return None


def constant_factor(node: ast.expr) -> Tuple[float, ast.expr]:
    """``(k, u)`` with ``node == k * u``; ``k`` is 1 when no constant factor shows."""
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        k, inner = constant_factor(node.operand)
        return -k, inner
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mult):
        for constant, other in ((node.left, node.right), (node.right, node.left)):
            value = _number(constant)
            if value is not None:
                k, inner = constant_factor(other)
                return value * k, inner
    return 1, node


def multiplied(k: float, inner: ast.expr) -> ast.expr:
    """The expression ``k * inner`` (``inner`` or ``-inner`` for 1 and -1)."""
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
            return multiplied(self.k, self.inner)
        return node

    def visit_BinOp(self, node: ast.BinOp) -> ast.expr:
        self.generic_visit(node)
        constant = _number(node.left) is not None or _number(node.right) is not None
        if isinstance(node.op, ast.Mult) and constant:
            return multiplied(*constant_factor(node))
        return node

    def visit_UnaryOp(self, node: ast.UnaryOp) -> ast.expr:
        self.generic_visit(node)
        return multiplied(*constant_factor(node)) if isinstance(node.op, ast.USub) else node


def names_by_context(node: ast.AST) -> Tuple[Dict[str, int], set]:
    """(how often each name is read, the names assigned) in ``node``."""
    loads: Dict[str, int] = {}
    stores = set()
    for n in walk(node):
        if isinstance(n, ast.Name):
            if isinstance(n.ctx, ast.Load):
                loads[n.id] = loads.get(n.id, 0) + 1
            else:
                stores.add(n.id)
    return loads, stores


class BlockNames:
    """:func:`names_by_context` of a block's statements, found once and again only for a statement a pass
    rewrote (:meth:`renew`): the passes that rewrite one block in turn share it."""

    def __init__(self) -> None:
        self._found: Dict[int, tuple] = {}

    def of(self, stmt: ast.stmt) -> Tuple[Dict[str, int], set]:
        entry = self._found.get(id(stmt))
        if entry is None or entry[0] is not stmt:
            entry = self._found[id(stmt)] = (stmt, names_by_context(stmt))
        return entry[1]

    def renew(self, stmt: ast.stmt) -> Tuple[Dict[str, int], set]:
        """The names of ``stmt``, which has just changed."""
        self._found.pop(id(stmt), None)
        return self.of(stmt)


def readers_and_writers(info: List[tuple]) -> Tuple[Dict[str, List[int]], Dict[str, List[int]]]:
    """Name -> the positions of the statements that read it, and of those that bind it, from each
    statement's ``names_by_context``."""
    readers: Dict[str, List[int]] = {}
    writers: Dict[str, List[int]] = {}
    for j, (loads, stores) in enumerate(info):
        for name in loads:
            readers.setdefault(name, []).append(j)
        for name in stores:
            writers.setdefault(name, []).append(j)
    return readers, writers


def fold_scales(body: List[ast.stmt], names: Optional[BlockNames] = None) -> List[ast.stmt]:
    """Apply the folding to one block (loops and branches are left as they are); ``names``: the block's
    names, kept up to date for the next pass."""
    body = list(body)
    candidates = [_folding_candidate(stmt) for stmt in body]
    if not any(candidates):
        return body
    names = names or BlockNames()
    info = [names.of(stmt) for stmt in body]
    readers, writers = readers_and_writers(info)
    removed, rewritten = set(), set()
    for i, stmt in enumerate(body):
        target = _folding_candidate(stmt) if i in rewritten else candidates[i]
        if target is None:
            continue
        k, inner = constant_factor(stmt.value)
        later = [j for j in readers.get(target, []) if j > i and j not in removed]
        if k == 1 or len(later) != 1:
            continue
        use = later[0]
        if info[use][0].get(target) != 1 or isinstance(body[use], (ast.If, ast.For, ast.While, ast.Return)):
            continue
        inner_names = set(names_by_context(inner)[0])
        if any(i < w < use for name in inner_names | {target} for w in writers.get(name, [])):
            continue
        # an index write or call in between may write into what the expression reads, by any name
        if any(writes_in_place(body[w]) for w in range(i + 1, use)):
            continue
        body[use] = _Replace(target, k, inner).visit(body[use])
        removed.add(i)
        rewritten.add(use)
        for name in inner_names:  # the use now reads what the folded expression read
            readers.setdefault(name, []).append(use)
            readers[name].sort()
        info[use] = names.renew(body[use])
    return [stmt for i, stmt in enumerate(body) if i not in removed]


def writes_in_place(stmt: ast.stmt) -> bool:
    """Does ``stmt`` hold an index write (``t[i] = v``) or a call statement (``batch_setitem(t, i, v)``)?
    Arrays change in place there, and another name may hold the same array."""
    for node in walk(stmt):
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
            return True
        if isinstance(node, (ast.Subscript, ast.Attribute)) and isinstance(node.ctx, ast.Store):
            return True
    return False


def _folding_candidate(stmt: ast.stmt) -> Optional[str]:
    """The target of a derivative assignment ``t = k * u`` with a constant ``k`` other than 1."""
    if not (anno.get(stmt, "derivative", False) and isinstance(stmt, ast.Assign)
            and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name)):
        return None
    if constant_factor(stmt.value)[0] == 1:
        return None
    target = stmt.targets[0].id
    loads, _ = names_by_context(stmt.value)
    return None if target in loads else target
