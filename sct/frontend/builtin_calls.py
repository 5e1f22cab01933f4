"""Builtins written as the calls sct differentiates: ``max(a, b, c)`` and ``reversed(a)`` read at once.

* ``max(a, b, c)`` (``min``), three values or more -> ``max([a, b, c])``: the largest item of one list;
* ``reversed(a)`` as the argument of ``list``, ``tuple``, ``sorted``, ``sum``, ``max`` or ``min``, which
  read the whole iterator at once -> ``a[::-1]``, the same items in the same order.

(``for u in reversed(a)`` is a loop over an index, see :mod:`sct.frontend.desugar`.)
"""
from __future__ import annotations

import ast

from ..ir.transformer import Transformer

_EXTREMA = {"max", "min"}
_CONSUMERS = {"list", "tuple", "sorted", "sum", "max", "min"}


def _called(node: ast.expr, names) -> bool:
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in names


class BuiltinCalls(Transformer):
    """The rewrites of the module docstring."""

    def visit_Call(self, node: ast.Call) -> ast.Call:
        self.generic_visit(node)
        if _called(node, _EXTREMA) and len(node.args) >= 3 and not any(isinstance(a, ast.Starred)
                                                                        for a in node.args):
            node.args = [ast.copy_location(ast.List(elts=node.args, ctx=ast.Load()), node.args[0])]
        if _called(node, _CONSUMERS) and node.args and _called(node.args[0], {"reversed"}) \
                and len(node.args[0].args) == 1 and not node.args[0].keywords:
            inner = node.args[0]
            backwards = ast.Slice(lower=None, upper=None, step=ast.Constant(-1))
            node.args[0] = ast.copy_location(ast.Subscript(value=inner.args[0], slice=backwards,
                                                           ctx=ast.Load()), inner)
        return node
