"""Calls of a parameter whose default is a function: ``def f(x, act=np.tanh): return act(x)``.

sct differentiates the call it can see, the default's: each ``act(...)`` is read as ``np.tanh(...)``, and
the derivative first checks that ``act`` is that function (a derivative called with another ``act``
raises ``TypeError`` rather than differentiate the wrong function)::

    if act is not np.tanh:
        raise TypeError("...")
    return np.tanh(x)

Only a parameter that the body calls and reads nowhere else, and never rebinds, is rewritten; the default
must be a function sct knows (numpy, math, scipy.special, a ``sct.primitive``) or one defined with ``def``.
A parameter bound to the function a caller passes (see :mod:`sct.specialise`) calls that one instead.
"""
from __future__ import annotations

import ast
from typing import Dict, List, Tuple

from ..ir.astutil import clone
from ..ir.builders import call
from .source import Resolver


def _defaults(func: ast.FunctionDef) -> List[Tuple[str, ast.expr]]:
    args = func.args
    positional = args.args[len(args.args) - len(args.defaults):]
    pairs = [(a.arg, d) for a, d in zip(positional, args.defaults)]
    return pairs + [(a.arg, d) for a, d in zip(args.kwonlyargs, args.kw_defaults) if d is not None]


def _only_called(func: ast.FunctionDef, name: str) -> bool:
    """Is ``name`` read only as the function of calls (and read at all)?"""
    callees = {id(n.func) for n in ast.walk(func) if isinstance(n, ast.Call)}
    uses = [n for stmt in func.body for n in ast.walk(stmt) if isinstance(n, ast.Name) and n.id == name]
    return bool(uses) and all(isinstance(n.ctx, ast.Load) and id(n) in callees for n in uses)


class _Substitute(ast.NodeTransformer):
    def __init__(self, defaults: Dict[str, ast.expr]):
        self.defaults = defaults

    def visit_Call(self, node: ast.Call) -> ast.Call:
        self.generic_visit(node)
        if isinstance(node.func, ast.Name) and node.func.id in self.defaults:
            node.func = ast.copy_location(clone(self.defaults[node.func.id]), node.func)
        return node


def inline_default_callables(func: ast.FunctionDef, resolver: Resolver) -> ast.FunctionDef:
    """A copy of ``func`` whose calls of function-valued defaults call the default (module docstring)."""
    found: Dict[str, ast.expr] = {}
    passed = resolver.bound_parameters()  # bound to the function a caller passes (sct.specialise)
    for name, default in _defaults(func):
        if name in passed:
            continue
        binding = resolver.qualname_of(default) if isinstance(default, (ast.Name, ast.Attribute)) else None
        if binding is not None and binding.kind in ("function", "helper") and _only_called(func, name):
            found[name] = default
    if not found:
        return func
    func = clone(func)
    body = [_Substitute(found).visit(stmt) for stmt in func.body]
    guards = []
    for name, default in found.items():
        written = ast.unparse(default)
        message = (f"{func.name} was differentiated calling {written} for '{name}' (its default); "
                   f"pass {name}={written} or leave it out")
        test = ast.Compare(left=ast.Name(id=name, ctx=ast.Load()), ops=[ast.IsNot()],
                           comparators=[clone(default)])
        guard = ast.If(test=test, body=[ast.Raise(exc=call("TypeError", ast.Constant(message)), cause=None)],
                       orelse=[])
        guards.append(ast.fix_missing_locations(ast.copy_location(guard, func.body[0])))
    func.body = guards + body
    return func
