"""Faster spellings of the same values in derivative statements, by runtime helpers
(``sct.runtime.broadcasting``):

* ``np.zeros_like(x)`` as ``zeros_of(x)``: ``np.zeros`` of ``x``'s shape and dtype takes memory the
  allocator has zeroed already instead of filling new memory, about twice as fast on adjoint-sized arrays;
* ``unbroadcast(a * b, x)`` as ``unbroadcast_product(a, b, x)``: an adjoint product summed over the axes
  ``x`` was broadcast along is one ``np.einsum``, without the product's array (the sum's rounding may
  differ), and just ``a * b`` when nothing is summed.

Only derivative statements are rewritten. Code sct reads again sees the plain spellings
(:mod:`sct.frontend.value_spellings`).
"""
from __future__ import annotations

import ast

from ..ir import annotations as anno
from ..ir.astutil import statements, walk

ZEROS_OF = "zeros_of"
UNBROADCAST_PRODUCT = "unbroadcast_product"


def faster_spellings(func: ast.FunctionDef, numpy: str = "np") -> ast.FunctionDef:
    """Rewrite ``func``'s derivative statements as the module docstring says, in place; returns ``func``."""
    for stmt in statements(func.body):
        if not (isinstance(stmt, ast.stmt) and anno.get(stmt, "derivative", False)) \
                or isinstance(stmt, (ast.For, ast.While, ast.If)):
            continue
        for node in walk(stmt):
            if not isinstance(node, ast.Call) or node.keywords \
                    or any(isinstance(a, ast.Starred) for a in node.args):
                continue
            if len(node.args) == 1 and _is_numpy(node.func, "zeros_like", numpy):
                node.func = ast.copy_location(ast.Name(id=ZEROS_OF, ctx=ast.Load()), node.func)
            elif len(node.args) == 2 and isinstance(node.func, ast.Name) and node.func.id == "unbroadcast" \
                    and isinstance(node.args[0], ast.BinOp) and isinstance(node.args[0].op, ast.Mult):
                product = node.args[0]
                node.func = ast.copy_location(ast.Name(id=UNBROADCAST_PRODUCT, ctx=ast.Load()), node.func)
                node.args = [product.left, product.right, node.args[1]]
    return func


def _is_numpy(func: ast.expr, name: str, numpy: str) -> bool:
    return (isinstance(func, ast.Attribute) and func.attr == name and isinstance(func.value, ast.Name)
            and func.value.id == numpy)
