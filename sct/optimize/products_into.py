"""An adjoint product written straight into the zeros it fills: ``_t_bar = unbroadcast_product(a, b, x)``
then ``v[1:] = _t_bar`` becomes ``product_into(v[1:], a, b, x)`` (``sct.runtime.broadcasting``), which
multiplies into the view of ``v`` with ``np.multiply(..., out=)`` when nothing is summed or cast, and
assigns ``unbroadcast(a * b, x)`` into it otherwise: the product's own array and the copy go.

It applies within one block, to a temporary bound and read once in the function, read as the whole value of
an assignment into a slice of ``v`` (slices only: always a view) where ``v`` is an array of zeros bound
earlier in the block (``np.zeros_like``, or ``np.empty_like`` when the zeros are all overwritten: always a
new array). The product moves later, so the statements in
between bind none of the names it reads and write in place only into arrays they bound themselves (new, so
nothing the product reads). Code sct reads again sees ``v[1:] = unbroadcast(a * b, x)``.
"""
from __future__ import annotations

import ast
import re
from collections import Counter
from typing import List, Optional, Set

from ..ir import annotations as anno
from ..ir.astutil import walk
from ..ir.blocks import all_statements

PRODUCT_INTO = "product_into"
_TEMPORARY = re.compile(r"_t\d+_bar$")


def products_into_zeros(func: ast.FunctionDef, numpy: str = "np") -> ast.FunctionDef:
    """Apply the rewrite throughout ``func`` (before the other run-time spellings), in place."""
    if not any(_product_form(stmt) for stmt in all_statements(func)):
        return func  # no product to move: no need to count the names of the whole function
    counts = Counter((n.id, type(n.ctx)) for n in walk(func) if isinstance(n, ast.Name))
    _blocks(func.body, counts, numpy)
    return func


def _blocks(body: List[ast.stmt], counts: Counter, numpy: str) -> None:
    for stmt in body:
        for field in ("body", "orelse"):
            inner = getattr(stmt, field, None)
            if isinstance(inner, list) and not isinstance(stmt, ast.FunctionDef):
                _blocks(inner, counts, numpy)
    for i in reversed(range(len(body))):  # the later products first: they may stand between
        _rewrite(body, i, counts, numpy)


def _product(stmt: ast.stmt, counts: Counter) -> Optional[str]:
    """The temporary ``stmt`` binds to ``unbroadcast(a * b, x)``, bound and read once in the function."""
    name = _product_form(stmt)
    if name is None or counts[(name, ast.Store)] != 1 or counts[(name, ast.Load)] != 1:
        return None
    return name


def _product_form(stmt: ast.stmt) -> Optional[str]:
    """The temporary ``stmt`` binds to ``unbroadcast(a * b, x)``, if it is such a derivative statement."""
    if not (anno.get(stmt, "derivative", False) and isinstance(stmt, ast.Assign) and len(stmt.targets) == 1
            and isinstance(stmt.targets[0], ast.Name) and _TEMPORARY.match(stmt.targets[0].id)):
        return None
    value = stmt.value
    if not (_named_call(value, "unbroadcast") and len(value.args) == 2 and not value.keywords
            and isinstance(value.args[0], ast.BinOp) and isinstance(value.args[0].op, ast.Mult)):
        return None
    return stmt.targets[0].id


def _rewrite(body: List[ast.stmt], i: int, counts: Counter, numpy: str) -> bool:
    name = _product(body[i], counts)
    if name is None:
        return False
    product = body[i].value
    read = {n.id for n in walk(product) if isinstance(n, ast.Name)}
    fresh: Set[str] = set()  # arrays of zeros bound after the product (new: nothing it reads)
    for j in range(i + 1, len(body)):
        stmt = body[j]
        target = _slice_target(stmt, name)
        if target is not None:
            if target.value.id not in fresh or target.value.id in read:
                return False
            body[j] = ast.copy_location(ast.Expr(value=ast.Call(
                func=ast.Name(id=PRODUCT_INTO, ctx=ast.Load()),
                args=[_loaded(target), product.args[0].left, product.args[0].right, product.args[1]],
                keywords=[])), stmt)
            anno.mark(body[j], "derivative")
            del body[i]
            return True
        if any(isinstance(n, ast.Name) and n.id == name for n in walk(stmt)):
            return False
        if isinstance(stmt, ast.Expr) and _named_call(stmt.value, PRODUCT_INTO) \
                and isinstance(stmt.value.args[0], ast.Subscript) \
                and isinstance(stmt.value.args[0].value, ast.Name) and stmt.value.args[0].value.id in fresh:
            continue  # writes into new zeros only
        if not isinstance(stmt, (ast.Assign, ast.AugAssign)):
            return False
        zeros = isinstance(stmt, ast.Assign) and _zeros(stmt.value, numpy)
        if not zeros and any(isinstance(n, ast.Call) for n in walk(stmt)):
            return False  # a call may write into what the product reads
        for t in (stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]):
            if isinstance(t, ast.Name) and t.id not in read:
                fresh.discard(t.id)
                if zeros:
                    fresh.add(t.id)
            elif not (isinstance(t, ast.Subscript) and isinstance(t.value, ast.Name) and t.value.id in fresh):
                return False  # binds a name the product reads, or writes into what it may read
    return False


def _slice_target(stmt: ast.stmt, name: str) -> Optional[ast.Subscript]:
    """``v`` of ``v[s] = name`` with ``s`` slices only."""
    if not (isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.value, ast.Name)
            and stmt.value.id == name):
        return None
    target = stmt.targets[0]
    if not (isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name)):
        return None
    index = target.slice.elts if isinstance(target.slice, ast.Tuple) else [target.slice]
    return target if index and all(isinstance(s, ast.Slice) for s in index) else None


def _zeros(value: ast.expr, numpy: str) -> bool:
    return (isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute)
            and value.func.attr in ("zeros_like", "empty_like") and isinstance(value.func.value, ast.Name)
            and value.func.value.id == numpy)


def _named_call(node: ast.AST, name: str) -> bool:
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == name


def _loaded(target: ast.Subscript) -> ast.Subscript:
    base = ast.Name(id=target.value.id, ctx=ast.Load())
    return ast.Subscript(value=base, slice=target.slice, ctx=ast.Load())
