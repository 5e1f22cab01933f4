"""Refuse calls through a local name: sct knows a callee only by the global name it is written with.

``f = x.sum; f()`` or ``np_ = np; np_.sum(x)`` would be read as a call of an unknown local value (a
constant) or a method of one, and lose the derivative. A local name bound to a module (``m = math``)
and a call of a local name (``f()`` after ``f = x.sum`` or ``f = np.sin``) are refused; a parameter
bound to a function passed in is resolved by :class:`~sct.frontend.resolver.ScopedResolver`.
"""
from __future__ import annotations

import ast

from ..errors import SourceContext
from ..ir.astutil import breadth_first
from .resolver import Resolver, local_names


def check_callees(func: ast.FunctionDef, resolver: Resolver, context: SourceContext) -> None:
    """Raise SCTError at the first call through a local name, or a local name bound to a callable."""
    params = {a.arg for a in func.args.args + func.args.kwonlyargs}
    local = local_names(func) - params - set(resolver.bound_parameters())
    for node in breadth_first(func):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in local:
            name = node.func.id
            raise context.error(node, f"a call through the local name `{name}` is not supported by sct: it "
                                "cannot tell what it calls", construct="a call of a local name",
                                hint="call the function or method itself where it is used "
                                     "(np.sum(x), x.sum()), or pass it in as a parameter")
        if isinstance(node, ast.Assign) and _module_value(node.value, resolver):
            written = ast.unparse(node.value)
            raise context.error(node, f"binding the module `{written}` to a local name "
                                "is not supported by sct", construct="a local name for a module",
                                hint=f"use `{written}` itself where it is called")


def _module_value(value: ast.expr, resolver: Resolver) -> bool:
    found = resolver.qualname_of(value) if isinstance(value, (ast.Name, ast.Attribute)) else None
    return found is not None and found.kind == "module"
