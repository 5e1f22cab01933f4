"""Which names of emitted code may share storage, for the clean-up passes that drop statements.

``v += x`` writes into the array ``v`` holds; when ``v`` is a view of ``y`` (``v = y[0:2]``), another
name for it (``v = y``), or an array the caller passed, the write changes what ``y`` or the caller reads,
though ``v`` itself is never read again. :class:`SharedStorage` follows every binding of the function at
once (not statement by statement: a name may share what any of its bindings share) with the rules of
:mod:`sct.analysis.views` for which operations return views and which new arrays: each name gets the
storage roots it may share, a parameter (``param:x``), a global (``global:W``) or an allocating expression
(``new@...``). A container holds what is written into it or appended to it.
"""
from __future__ import annotations

import ast
from typing import Dict, FrozenSet, Iterable, Optional, Set

from ..frontend.resolver import Binding, Resolver
from .storage import list_names
from .views import sharing

Roots = FrozenSet[str]

# Runtime helpers whose result is their first argument, a view of it, or new storage, never a view of
# another argument (``unbroadcast(g, x)`` reads only the shape of ``x``).
_SHARES_FIRST = frozenset({"unbroadcast", "unreduce"})


class _NumpyOnly(Resolver):
    """Emitted code sees numpy under ``alias`` and sct's runtime helpers; every other global is a value."""

    def __init__(self, alias: str):
        self.alias = alias

    def global_binding(self, name: str) -> Optional[Binding]:
        return Binding("module", "numpy") if name == self.alias else None

    def numpy_alias(self) -> Optional[str]:
        return self.alias


class SharedStorage:
    """The storage each name of ``func`` may share (see the module docstring); numpy is ``numpy``."""

    def __init__(self, func: ast.FunctionDef, numpy: str = "np"):
        self.resolver = _NumpyOnly(numpy)
        args = func.args
        params = [a.arg for a in args.posonlyargs + args.args + args.kwonlyargs]
        params += [a.arg for a in (args.vararg, args.kwarg) if a is not None]
        self.locals = set(params) | {n.id for n in ast.walk(func)
                                     if isinstance(n, ast.Name) and not isinstance(n.ctx, ast.Load)}
        self.roots: Dict[str, Set[str]] = {p: {"param:" + p} for p in params}
        bindings = list(_bindings(func))
        changed = True
        while changed:  # to the fixed point: a binding may read a name bound further down (loops)
            changed = False
            for names, value in bindings:
                found = self.expression_roots(value)
                for name in names:
                    held = self.roots.setdefault(name, set())
                    if not found <= held:
                        held |= found
                        changed = True

    def expression_roots(self, node: ast.expr) -> Set[str]:
        """The storage the value of ``node`` may share."""
        if isinstance(node, ast.Name):
            if node.id in self.locals:
                return set(self.roots.get(node.id, ()))
            return set() if self.resolver.binding(node.id) is not None else {"global:" + node.id}
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in _SHARES_FIRST \
                and node.args and node.func.id not in self.locals:
            return self.expression_roots(node.args[0]) | {f"new@{id(node)}"}
        found = sharing(node, self.resolver)
        result: Set[str] = {f"new@{id(node)}"} if found.fresh else set()
        for operand in found.operands:
            result |= self.expression_roots(operand)
        return result

    def shared_with(self, name: str) -> Set[str]:
        """The other names whose storage may overlap ``name``'s."""
        own = self.roots.get(name, set())
        return {other for other, roots in self.roots.items() if other != name and roots & own}

    def outlives_the_function(self, name: str) -> bool:
        """May ``name`` hold storage the caller or the module sees (a parameter's or a global's)?"""
        return any(root.startswith(("param:", "global:")) for root in self.roots.get(name, ()))


def _bindings(func: ast.FunctionDef) -> Iterable[tuple]:
    """(names, expression) for each way a name comes to hold (part of) an expression's storage."""
    lists = list_names(func)
    for node in ast.walk(func):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                yield from _target_bindings(target, node.value)
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            yield from _target_bindings(node.target, node.value)
        elif isinstance(node, ast.AugAssign) and _may_extend(node, lists):
            yield from _target_bindings(node.target, node.value)
        elif isinstance(node, (ast.For, ast.comprehension)):
            yield from _target_bindings(node.target, node.iter)
        elif isinstance(node, ast.withitem) and node.optional_vars is not None:
            yield from _target_bindings(node.optional_vars, node.context_expr)
        elif isinstance(node, ast.NamedExpr):
            yield [node.target.id], node.value
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                and isinstance(node.func.value, ast.Name):  # lst.append(v): the list holds v
            for arg in list(node.args) + [k.value for k in node.keywords]:
                yield [node.func.value.id], arg


def _may_extend(node: ast.AugAssign, lists: Set[str]) -> bool:
    """``lst += items`` makes a list hold the items (a name that may hold a list, or a display added);
    an array's ``a += b`` writes into ``a``'s own storage."""
    if not isinstance(node.op, (ast.Add, ast.Mult)):
        return False
    target = node.target.id if isinstance(node.target, ast.Name) else None
    return target in lists or isinstance(node.value, (ast.List, ast.Tuple, ast.ListComp))


def _target_bindings(target: ast.expr, value: ast.expr) -> Iterable[tuple]:
    """A name target holds the value; an unpacked one each may hold any part of it (so, all of it); an
    element or attribute written makes its container hold the value."""
    names = [n.id for n in ast.walk(target) if isinstance(n, ast.Name)]
    if isinstance(target, (ast.Subscript, ast.Attribute)):
        names = names[:1] if isinstance(target.value, ast.Name) else _base(target)
    if names:
        yield names, value


def _base(target: ast.expr) -> list:
    while isinstance(target, (ast.Subscript, ast.Attribute)):
        target = target.value
    return [target.id] if isinstance(target, ast.Name) else []
