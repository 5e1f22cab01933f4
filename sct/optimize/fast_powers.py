"""Powers by a vector of ``np.arange`` exponents computed by products (``sct.runtime.powers.power_term``).

``e ** k`` becomes ``power_term(e, k, 0)``, and the derivative rule of ``**``'s partial
``k * np.power(np.where(k == 0, 1.0, e), k - 1)`` becomes ``power_term(e, k, 1)``, where ``k`` is a call
of ``np.arange`` or a name bound once, to such a call, and read only as an operand (never passed on, indexed
or bound to another name, so nothing writes into it): ``k`` then carries no derivative, in this
derivative and in any derivative of it. ``power_term`` falls back to the operator where its products do
not apply, so the rewrite never changes what a call computes beyond its documented rounding.
"""
from __future__ import annotations

import ast
from typing import Optional, Set

import numpy as np

from ..ir.astutil import walk

HELPER = "power_term"


def fast_powers(func: ast.FunctionDef, numpy: str, text: Optional[str] = None) -> ast.FunctionDef:
    """Rewrite ``func``'s powers by ``np.arange`` exponents in place (see the module docstring); ``text``,
    the source it was made from, if known, spares the walk when it never says ``arange``."""
    if text is not None and "arange" not in text:
        return func
    _Rewrite(numpy, _arange_names(func, numpy)).visit(func)
    return func


def _is_arange(node: ast.AST, numpy: str) -> bool:
    return (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "arange"
            and isinstance(node.func.value, ast.Name) and node.func.value.id == numpy)


def _arange_names(func: ast.FunctionDef, numpy: str) -> Set[str]:
    """Names bound exactly once, by ``name = np.arange(...)``, and read only as operands."""
    bindings: dict = {}
    for node in walk(func):
        if isinstance(node, ast.arg):
            bindings[node.arg] = bindings.get(node.arg, 0) + 2
        elif isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            bindings[node.id] = bindings.get(node.id, 0) + 1
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            for name in node.names:
                bindings[name] = bindings.get(name, 0) + 2
    candidates = {stmt.targets[0].id for stmt in walk(func)
                  if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1
                  and isinstance(stmt.targets[0], ast.Name) and _is_arange(stmt.value, numpy)}
    names = {name for name in candidates if bindings.get(name) == 1}
    for node in walk(func):  # a read anywhere but as an operand could let something write into it
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Name) and child.id in names and isinstance(child.ctx, ast.Load) \
                    and not _operand(node, child, numpy):
                names.discard(child.id)
    return names


def _operand(parent: ast.AST, child: ast.Name, numpy: str) -> bool:
    """Is ``child`` read where a new array is made from it: an operator, a numpy ufunc, ``power_term``?"""
    if isinstance(parent, (ast.BinOp, ast.Compare, ast.UnaryOp)):
        return True
    if not isinstance(parent, ast.Call) or parent.keywords or child not in parent.args:
        return False
    func = parent.func
    if isinstance(func, ast.Name):
        return func.id == HELPER and len(parent.args) == 3 and parent.args[1] is child
    ufunc = getattr(np, func.attr, None) if isinstance(func, ast.Attribute) else None
    return (isinstance(func.value, ast.Name) and func.value.id == numpy and isinstance(ufunc, np.ufunc)
            and len(parent.args) == ufunc.nin)


class _Rewrite(ast.NodeTransformer):
    def __init__(self, numpy: str, names: Set[str]):
        self.numpy, self.names = numpy, names

    def exponent(self, node: ast.AST) -> bool:
        return _is_arange(node, self.numpy) or (isinstance(node, ast.Name) and node.id in self.names)

    def visit_BinOp(self, node: ast.BinOp) -> ast.expr:
        self.generic_visit(node)
        if isinstance(node.op, ast.Pow) and self.exponent(node.right):
            return _term(node.left, node.right, 0, node)
        if isinstance(node.op, ast.Mult) and isinstance(node.left, ast.Name) and node.left.id in self.names:
            base = self.partial_base(node.right, node.left.id)
            if base is not None:
                return _term(base, node.left, 1, node)
        return node

    def partial_base(self, node: ast.AST, k: str) -> Optional[ast.expr]:
        """``e`` when ``node`` is ``np.power(np.where(k == 0, 1.0, e), k - 1)``."""
        if not (self.numpy_call(node, "power") and len(node.args) == 2
                and self.numpy_call(node.args[0], "where") and len(node.args[0].args) == 3):
            return None
        test, one, base = node.args[0].args
        lowered = node.args[1]
        if (isinstance(test, ast.Compare) and _is_name(test.left, k) and len(test.ops) == 1
                and isinstance(test.ops[0], ast.Eq) and _is_constant(test.comparators[0], 0)
                and _is_constant(one, 1.0) and isinstance(lowered, ast.BinOp)
                and isinstance(lowered.op, ast.Sub)
                and _is_name(lowered.left, k) and _is_constant(lowered.right, 1)):
            return base
        return None

    def numpy_call(self, node: ast.AST, name: str) -> bool:
        return (isinstance(node, ast.Call) and not node.keywords and isinstance(node.func, ast.Attribute)
                and node.func.attr == name and isinstance(node.func.value, ast.Name)
                and node.func.value.id == self.numpy)


def _is_name(node: ast.AST, name: str) -> bool:
    return isinstance(node, ast.Name) and node.id == name


def _is_constant(node: ast.AST, value) -> bool:
    return isinstance(node, ast.Constant) and type(node.value) in (int, float) and node.value == value


def _term(base: ast.expr, exponent: ast.expr, order: int, like: ast.AST) -> ast.expr:
    call = ast.Call(func=ast.Name(id=HELPER, ctx=ast.Load()),
                    args=[base, exponent, ast.Constant(value=order)], keywords=[])
    return ast.copy_location(call, like)
