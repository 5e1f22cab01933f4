"""The AST builders of emitted code: names, attribute chains, calls and assignments, for every pass."""
from __future__ import annotations

import ast
from typing import Optional, Union

from . import annotations as anno

Expr = Union[str, ast.expr]


def name(identifier: str, store: bool = False) -> ast.Name:
    """The name ``identifier``, read (or written with ``store``)."""
    return ast.Name(id=identifier, ctx=ast.Store() if store else ast.Load())


def load(identifier: str) -> ast.Name:
    """The name ``identifier``, read."""
    return name(identifier)


def store(identifier: str) -> ast.Name:
    """The name ``identifier``, written."""
    return name(identifier, store=True)


def _expr(node: Expr) -> ast.expr:
    return load(node) if isinstance(node, str) else node


def attribute(base: Expr, *path: str) -> ast.expr:
    """``base.a.b``: ``attribute("np", "linalg", "inv")`` (``base`` a name or an expression)."""
    node = _expr(base)
    for part in path:
        node = ast.Attribute(value=node, attr=part, ctx=ast.Load())
    return node


def call(func: Expr, *args: ast.expr, **keywords: ast.expr) -> ast.Call:
    """``func(*args, **keywords)`` (``func`` a name or an expression)."""
    return ast.Call(func=_expr(func), args=list(args),
                    keywords=[ast.keyword(arg=k, value=v) for k, v in keywords.items()])


def method_call(obj: Expr, method: str, *args: ast.expr) -> ast.Call:
    """``obj.method(*args)``: ``method_call("stack", "pop")``."""
    return call(attribute(obj, method), *args)


def assign(target: Expr, value: ast.expr, like: Optional[ast.AST] = None) -> ast.Assign:
    """``target = value`` (``target`` a name or a target expression), at the location of ``like``, else at
    line 0 (no line of the user's)."""
    targets = [store(target) if isinstance(target, str) else target]
    if like is None:
        return ast.Assign(targets=targets, value=value, lineno=0)
    return ast.copy_location(ast.Assign(targets=targets, value=value), like)


def derivative(stmt: ast.stmt) -> ast.stmt:
    """Mark an emitted statement as derivative code (the optimizer may drop it when unused)."""
    return anno.mark(stmt, "derivative")


def derivative_assign(target: Expr, value: ast.expr, like: Optional[ast.AST] = None) -> ast.Assign:
    """:func:`assign`, marked as derivative code."""
    return derivative(assign(target, value, like))
