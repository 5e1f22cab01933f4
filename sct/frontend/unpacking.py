"""Tuple assignment written out, ``a, b = b, a + b * x``, as single assignments in Python's order.

Python evaluates the whole right side before it binds any target, then binds the targets left to right. The
rewrite keeps that order: when a right-hand element reads a name that an earlier target rebinds, or an
earlier target writes into an array (which any later element may alias), every element is first computed
into a temporary (``_t1 = b``, ``_t2 = a + b * x``; then ``a = _t1``, ``b = _t2``). Otherwise the targets are
bound one by one directly. Nested targets matched by nested tuples on the right are paired element by
element; a nested target matched by anything else (``(a, b), c = f(x), a``) unpacks into temporaries
(``_t1, _t2 = f(x)``) when the order requires them, else stays a tuple assignment. Every tuple target left
is a tuple of names: others (``a, y[0] = f(x)``) are bound through temporaries, left to right.
"""
from __future__ import annotations

import ast
from typing import List, Tuple

from ..ir.astutil import loaded_names, walk
from ..ir.blocks import StatementTransformer
from .names import Namer

_SEQUENCES = (ast.Tuple, ast.List)


def _pairs(target: ast.expr, value: ast.expr) -> List[Tuple[ast.expr, ast.expr]]:
    """(target, value) leaves of a tuple assignment, in the order Python binds them."""
    sequences = isinstance(target, _SEQUENCES) and isinstance(value, _SEQUENCES)
    if sequences and len(target.elts) == len(value.elts):
        return [pair for t, v in zip(target.elts, value.elts) for pair in _pairs(t, v)]
    return [(target, value)]


def _bound(target: ast.expr) -> set:
    return {n.id for n in walk(target) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}


def _writes_into(target: ast.expr) -> bool:
    """Does binding ``target`` change an existing object (``y[0] = ...``), not only rebind names?"""
    return any(isinstance(n, (ast.Subscript, ast.Attribute)) for n in walk(target))


def _needs_temporaries(pairs: List[Tuple[ast.expr, ast.expr]]) -> bool:
    rebound: set = set()
    written = False
    for target, value in pairs:
        if not isinstance(value, ast.Constant) and (written or loaded_names(value) & rebound):
            return True
        rebound |= _bound(target)
        written = written or _writes_into(target)
    return False


class SplitTupleAssignments(StatementTransformer):
    """Rewrite every ``targets = e1, e2, ...`` into single assignments (see the module docstring)."""

    def __init__(self, namer: Namer):
        self.namer = namer

    def visit_Assign(self, node: ast.Assign):
        if len(node.targets) != 1 or not isinstance(node.targets[0], _SEQUENCES):
            return node
        pairs = [(node.targets[0], node.value)]
        if isinstance(node.value, _SEQUENCES):
            pairs = _pairs(node.targets[0], node.value)
            if len(pairs) == 1:
                return node  # lengths differ: Python raises, and so does the rewritten code
        out: List[ast.stmt] = []
        if _needs_temporaries(pairs):
            held: List[Tuple[ast.expr, ast.expr]] = []
            for target, value in pairs:
                held += self._hold(target, value, out)
            pairs = held
        for target, value in pairs:
            out += self._bind(target, value)
        return [ast.copy_location(stmt, node) for stmt in out]

    def _bind(self, target: ast.expr, value: ast.expr) -> List[ast.stmt]:
        """``target = value``. A tuple target is a tuple of names; one holding anything else
        (``a, y[0] = f(x)``) is bound through one temporary per element, then element by element."""
        if not isinstance(target, _SEQUENCES):
            return [ast.Assign(targets=[target], value=value)]
        if all(isinstance(e, ast.Name) for e in target.elts):
            return [ast.Assign(targets=[ast.Tuple(elts=target.elts, ctx=ast.Store())], value=value)]
        temps = [self.namer.temp() for _ in target.elts]
        stores = ast.Tuple(elts=[ast.Name(id=t, ctx=ast.Store()) for t in temps], ctx=ast.Store())
        out: List[ast.stmt] = [ast.Assign(targets=[stores], value=value)]
        for element, temp in zip(target.elts, temps):
            out += self._bind(element, ast.Name(id=temp, ctx=ast.Load()))
        return out

    def _hold(self, target: ast.expr, value: ast.expr, out: List[ast.stmt]) -> List[tuple]:
        """Compute ``value`` into temporaries now; return the (target, temporary) pairs to bind later."""
        if isinstance(value, ast.Constant):
            return [(target, value)]
        flat = isinstance(target, _SEQUENCES) and not any(isinstance(e, _SEQUENCES) for e in target.elts)
        temps = [self.namer.temp() for _ in (target.elts if flat else [target])]
        stores = [ast.Name(id=t, ctx=ast.Store()) for t in temps]
        out.append(ast.Assign(targets=[ast.Tuple(elts=stores, ctx=ast.Store()) if flat else stores[0]],
                              value=value))
        loads = [ast.Name(id=t, ctx=ast.Load()) for t in temps]
        return list(zip(target.elts, loads)) if flat else [(target, loads[0])]
