"""Scale a spread adjoint before it is spread: ``a = unreduce(g, x, axis=2); b = a * (2 * u)`` becomes
``a = unreduce(2 * g, x, axis=2); b = a * u``.

``unreduce`` broadcasts the adjoint of a reduction back over the reduced array's shape without copying,
so ``2 * u`` is a pass over the full array while ``2 * g`` is one over the reduced one. ``unreduce`` is
linear in ``g``, so the product is the same up to rounding (exactly the same for a power of two or -1).
The constant moves only when ``a`` is a derivative temporary of the function's own block read once,
later, in that product, with nothing in between rebinding what the call reads or writing in place.
"""
from __future__ import annotations

import ast
from typing import List, Optional

from ..ir import annotations as anno
from .scales import (
    BlockNames,
    constant_factor,
    multiplied,
    names_by_context,
    readers_and_writers,
    writes_in_place,
)

_SPREADING = "unreduce"  # the runtime helper; linear in its first argument


def scale_before_spreading(body: List[ast.stmt], names: Optional[BlockNames] = None) -> List[ast.stmt]:
    """Apply the rewrite to the statements of one block (loops and branches are left as they are);
    ``names``: the block's names as an earlier pass left them."""
    body = list(body)
    spread = {i: _spread_target(stmt) for i, stmt in enumerate(body)}
    if not any(spread.values()):
        return body
    info = [(names or BlockNames()).of(stmt) for stmt in body]
    readers, writers = readers_and_writers(info)
    for i, target in spread.items():
        if target is None:
            continue
        later = [j for j in readers.get(target, []) if j > i]
        if len(later) != 1 or info[later[0]][0].get(target) != 1:
            continue
        use = later[0]
        if not isinstance(body[use], ast.Assign) or not anno.get(body[use], "derivative", False):
            continue
        call = body[i].value
        read = set(names_by_context(call)[0]) | {target}
        if any(i < w < use for name in read for w in writers.get(name, [])):
            continue
        if any(writes_in_place(body[w]) for w in range(i + 1, use)):
            continue
        product = _scaled_product(body[use], target)
        if product is None:
            continue
        node, side, k, inner = product
        setattr(node, side, inner)
        call.args[0] = multiplied(*_times(k, call.args[0]))
    return body


def _times(k: float, node: ast.expr):
    """``(k', u)`` with ``k * node == k' * u``: the constants multiplied out."""
    factor, inner = constant_factor(node)
    return k * factor, inner


def _spread_target(stmt: ast.stmt) -> Optional[str]:
    """The target of a derivative assignment ``a = unreduce(g, ...)`` that does not read ``a``."""
    if not (anno.get(stmt, "derivative", False) and isinstance(stmt, ast.Assign) and len(stmt.targets) == 1
            and isinstance(stmt.targets[0], ast.Name)):
        return None
    call = stmt.value
    if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id == _SPREADING
            and call.args and not isinstance(call.args[0], ast.Starred)):
        return None
    target = stmt.targets[0].id
    return None if target in names_by_context(call)[0] else target


def _scaled_product(stmt: ast.stmt, name: str):
    """``(node, side, k, u)`` for the product ``name * (k * u)`` (either way round) in ``stmt``, with
    ``k`` other than 1; None when ``name`` is read otherwise."""
    for node in ast.walk(stmt.value):
        if not (isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mult)):
            continue
        for mine, side in ((node.left, "right"), (node.right, "left")):
            if isinstance(mine, ast.Name) and mine.id == name:
                k, inner = constant_factor(getattr(node, side))
                return (node, side, k, inner) if k != 1 else None
    return None
