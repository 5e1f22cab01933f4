"""Scale a summed adjoint after the sum: ``unbroadcast(2 * g, x)`` becomes ``2 * unbroadcast(g, x)``.

``unbroadcast`` and ``matmul_adjoint`` are linear in the adjoint they take and give an array no larger
than it (``unbroadcast`` sums over broadcast axes, ``matmul_adjoint`` contracts ``g`` with the other
factor), so a constant factor of that adjoint — also seen through ``.T`` — costs a pass over the smaller
array when it multiplies the result instead. The value is the same up to rounding (exactly the same for a
power of two or -1); ``scales`` then multiplies out the constants that meet. The opposite move, for
``unreduce`` which spreads, is :mod:`sct.optimize.broadcast_scales`.
"""
from __future__ import annotations

import ast
from typing import List

from ..ir import annotations as anno
from .scales import constant_factor, multiplied

_SUMMING = {"unbroadcast": 0, "matmul_adjoint": 0}  # runtime helper: position of the adjoint it is linear in


_VALUED = (ast.Assign, ast.AugAssign, ast.Expr, ast.Return)


class _ScaleOut(ast.NodeTransformer):
    def visit_Call(self, node: ast.Call) -> ast.expr:
        self.generic_visit(node)
        position = _SUMMING.get(node.func.id) if isinstance(node.func, ast.Name) else None
        if position is None or len(node.args) <= position or node.keywords:
            return node
        transposes, adjoint = 0, node.args[position]
        while isinstance(adjoint, ast.Attribute) and adjoint.attr == "T":
            transposes, adjoint = transposes + 1, adjoint.value
        k, inner = constant_factor(adjoint)
        if k == 1:
            return node
        for _ in range(transposes):
            inner = ast.Attribute(value=inner, attr="T", ctx=ast.Load())
        node.args[position] = inner
        return multiplied(k, node)


def scale_after_summing(body: List[ast.stmt]) -> List[ast.stmt]:
    """Apply the rewrite to the expressions of the derivative statements of ``body`` (nested blocks too)."""
    for stmt in body:
        if isinstance(stmt, (ast.For, ast.While, ast.If)):
            stmt.body = scale_after_summing(stmt.body)
            stmt.orelse = scale_after_summing(stmt.orelse)
        elif anno.get(stmt, "derivative", False) and isinstance(stmt, _VALUED) and stmt.value is not None:
            stmt.value = _ScaleOut().visit(stmt.value)
    return body
