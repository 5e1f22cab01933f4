"""The storage a value may share: numpy view semantics followed through a function, in statement order.

A :class:`Storage` maps each variable to the set of storage *roots* its value may share memory with: a
parameter (``param:x``), a module-level value (``global:W``), or the expression that allocated a new
array (``new@...``; the same expression evaluated again in a loop makes a new array, and what was held
before becomes ``new@...~``, an older one). :mod:`sct.analysis.views` says which operations return views and
which return new storage; a list reaches the items it holds. :mod:`sct.analysis.aliasing` walks the
statements and checks every write against it.
"""
from __future__ import annotations

import ast
from typing import Callable, Dict, FrozenSet, Optional, Set, Tuple

import numpy as np

from ..frontend.calls import operation_of
from ..frontend.source import Resolver
from ..ir import annotations as anno
from ..ir.astutil import breadth_first, walk
from .shapes import ScalarInference
from .views import sharing

Roots = FrozenSet[str]
EMPTY: Roots = frozenset()
Summary = Tuple[Dict[str, Roots], Set[str]]


class Storage:
    """What each variable's value may share (see the module docstring); ``summary`` gives a helper's
    (returned storage by expression, "" for all; parameters it writes into)."""

    def __init__(self, func: ast.FunctionDef, resolver: Resolver, summary: Callable[..., Summary]):
        self.resolver = resolver
        self.summary = summary
        self.params = [a.arg for a in func.args.args + func.args.kwonlyargs]
        self.locals = set(self.params) | {n.id for n in walk(func)
                                          if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
        self.lists = list_names(func)
        self.scalars = ScalarInference(func, resolver)
        self.state: Dict[str, Roots] = {p: frozenset({"param:" + p}) for p in self.params}
        self.bound: Dict[str, ast.stmt] = {}
        self.item_sites: Set[str] = set()
        self.sites: Set[str] = set()  # allocation sites evaluated so far

    def call_effects(self, call: ast.Call) -> None:
        """What a call does besides returning a value (overridden by the checks)."""

    def roots(self, node: ast.expr) -> Roots:
        """The storage ``node``'s value may share; new storage is named by the node that allocates it."""
        if isinstance(node, ast.Name):
            if node.id in self.locals:
                return self.state.get(node.id, EMPTY)
            binding = self.resolver.qualname_of(node)
            if binding is not None and binding.kind != "value" or _immutable_global(self.resolver, node.id):
                return EMPTY
            return frozenset({"global:" + node.id})
        if isinstance(node, ast.Call):
            self.call_effects(node)
            operation = operation_of(node, self.resolver)
            if operation is not None and operation.kind == "helper":
                return self.helper_result(node, operation)
        found = sharing(node, self.resolver)
        result: Set[str] = set()
        for operand in found.operands:
            result |= self.roots(operand)
        for child in ast.iter_child_nodes(node):  # effects of nested calls
            child = child.value if isinstance(child, ast.keyword) else child
            if isinstance(child, ast.expr) and child not in found.operands:
                self.visit_calls(child)
        if self.scalars.is_scalar(node) and not result:
            return EMPTY
        converted = isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
            and node.func.id in ("list", "tuple")
        if isinstance(node, (ast.List, ast.Tuple, ast.Dict)) or converted:
            self.item_sites |= result  # what the container holds, not itself
        if found.fresh:
            site = f"new@{id(node)}"
            self.renew(site)
            result.add(site)
        return frozenset(result)

    def helper_result(self, node: ast.Call, operation) -> Roots:
        """A helper's result shares what it returns of its arguments (``def same(a): return a``)."""
        shared = self.summary(operation)[0].get("", EMPTY)
        result = {r for r in shared if r.startswith("global:")}
        for param, arg in bound_arguments(operation).items():
            if "param:" + param in shared:
                result |= self.roots(arg)
            else:
                self.visit_calls(arg)
        site = f"new@{id(node)}"
        self.renew(site)
        return frozenset(result | {site})

    def visit_calls(self, node: ast.expr) -> None:
        for sub in breadth_first(node):
            if isinstance(sub, ast.Call):
                self.call_effects(sub)

    def renew(self, site: str) -> None:
        """A site allocating again (in a loop): what names held before is an older array, not this one."""
        if site not in self.sites:
            self.sites.add(site)
            return
        older = site + "~"
        if site in self.item_sites:  # the items held are older arrays; the new one is held by nothing yet
            self.item_sites = (self.item_sites - {site}) | {older}
        for name, roots in self.state.items():
            if site in roots:
                self.state[name] = (roots - {site}) | {older}

    def bind(self, name: str, roots: Roots, stmt: ast.stmt) -> None:
        self.state[name] = roots
        self.bound[name] = stmt

    def own(self, roots: Roots) -> Roots:
        """The storage of a container itself, without the items it holds (if that leaves anything)."""
        return frozenset(r for r in roots if r not in self.item_sites) or roots

    def hold(self, container: Roots, items: Roots) -> None:
        self.item_sites |= items
        for name, roots in self.state.items():
            if roots & container:
                self.state[name] = roots | items


_IMMUTABLE = (int, float, complex, bool, str, bytes, type(None), np.generic)


def _immutable_global(resolver: Resolver, name: str) -> bool:
    """Is the module-level ``name`` a number or a string (so ``t = SCALE; t += 1`` rebinds ``t``)?"""
    namespace = getattr(resolver, "globals", None)
    if isinstance(namespace, dict) and name in namespace:
        return isinstance(namespace[name], _IMMUTABLE)
    module = getattr(resolver, "module", None)
    if not isinstance(module, ast.Module):
        return False
    values = [s.value for s in module.body if isinstance(s, ast.Assign)
              and any(isinstance(t, ast.Name) and t.id == name for t in s.targets)]
    return bool(values) and all(isinstance(v, ast.Constant) or (isinstance(v, ast.UnaryOp)
                                                                and isinstance(v.operand, ast.Constant))
                                for v in values)


def merge(a: Dict[str, Roots], b: Dict[str, Roots]) -> Dict[str, Roots]:
    return {n: a.get(n, EMPTY) | b.get(n, EMPTY) for n in set(a) | set(b)}


def base_name(target: ast.expr) -> Optional[str]:
    while isinstance(target, (ast.Subscript, ast.Attribute)):
        target = target.value
    return target.id if isinstance(target, ast.Name) else None


def is_range(node: ast.expr) -> bool:
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "range"


def list_names(func: ast.FunctionDef) -> Set[str]:
    """Names that may hold a list (or a dict): bound to a display or ``list(...)``, or appended to."""
    names = set()
    for node in walk(func):
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
            value = node.value
            listed = isinstance(value, ast.BinOp) and isinstance(value.left, ast.List)
            called = isinstance(value, ast.Call) and isinstance(value.func, ast.Name) \
                and value.func.id == "list"
            if isinstance(value, (ast.List, ast.Dict)) or listed or called:
                names.add(node.targets[0].id)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                and node.func.attr in ("append", "pop") and isinstance(node.func.value, ast.Name):
            names.add(node.func.value.id)
    return names | {n.arg for n in func.args.args + func.args.kwonlyargs}


def bound_arguments(operation) -> Dict[str, ast.expr]:
    node = operation.helper().node
    params = [a.arg for a in node.args.args + node.args.kwonlyargs]
    bound = dict(zip(params, operation.args))
    bound.update({k.arg: k.value for k in operation.keywords if k.arg})
    return bound


def may_write(func: ast.FunctionDef, resolver: Resolver) -> bool:
    """Has ``func`` what the flow counts as a write: an index or augmented assignment, ``append``, ``pop``,
    a helper's call (it may write into its arguments)?"""
    for node in walk(func):
        if isinstance(node, ast.AugAssign) or (isinstance(node, ast.Assign) and anno.get(node, "augmented")) \
                or (isinstance(node, ast.Subscript) and not isinstance(node.ctx, ast.Load)):
            return True
        if isinstance(node, ast.Call) and (isinstance(node.func, ast.Attribute) and node.func.attr in (
                "append", "pop") or getattr(operation_of(node, resolver), "kind", None) == "helper"):
            return True
    return False
