"""Exponentials that cannot overflow: ``np.exp(a - np.max(a))``, at most 1 where ``a`` is finite.

The shift a numerically careful softmax or logsumexp writes makes every entry of ``a - m`` at most 0, when
``m`` is the maximum of the same ``a`` broadcast back along the axes it reduced: over every axis, over the
leading ones (a maximum without ``keepdims`` broadcasts back along exactly those), or over any with
``keepdims=True``. :func:`sct.analysis.exact_zeros.unbounded_values` then counts the exponential as finite,
and a quotient by its sum needs no guard (:mod:`sct.modes.guards`).
"""
from __future__ import annotations

import ast
from typing import Callable, Dict, List, Optional, Set

from .positive_values import written_otherwise

_SHIFTED_CALLS = {"numpy.exp", "numpy.exp2", "math.exp"}
_MAXIMUM_CALLS = {"numpy.max", "numpy.amax", "method.max"}


def shifted_source(operation, func: ast.FunctionDef, assignments: List[ast.Assign],
                   operation_of: Callable, facts: Dict[str, object]) -> Optional[str]:
    """Of an exponential's ``operation``, the name ``a`` of ``np.exp(d)`` where ``d = a - m`` and ``m =
    np.max(a)`` (over every axis, the leading ones, or any with ``keepdims=True``), each bound once and
    never changed: every entry of ``d`` is at most 0 where ``a`` is finite, so the exponential is at most
    1. ``facts``: a dict this fills on first use with what it reads of ``func`` (pass the same one for every
    exponential of ``func``)."""
    if operation.qualname not in _SHIFTED_CALLS or len(operation.args) != 1 or operation.keywords:
        return None
    if not facts:
        facts["written"] = written_otherwise(func)
        facts["once"] = _bound_once(func, assignments, facts["written"])
    once = facts["once"]
    difference = once.get(getattr(operation.args[0], "id", None))
    if not (isinstance(difference, ast.BinOp) and isinstance(difference.op, ast.Sub)
            and isinstance(difference.left, ast.Name) and isinstance(difference.right, ast.Name)):
        return None
    source = difference.left.id
    maximum = once.get(difference.right.id)
    reduction = operation_of(maximum) if maximum is not None else None
    if reduction is None or reduction.qualname not in _MAXIMUM_CALLS or len(reduction.args) != 1 \
            or not (isinstance(reduction.args[0], ast.Name) and reduction.args[0].id == source):
        return None
    keywords = {k.arg: k.value for k in reduction.keywords}
    axis, keepdims = keywords.pop("axis", None), keywords.pop("keepdims", None)
    every = axis is None or isinstance(axis, ast.Constant) and axis.value is None or _leading(axis)
    if keywords or not (every or isinstance(keepdims, ast.Constant) and keepdims.value is True):
        return None
    parameters = {a.arg for a in ast.walk(func.args) if isinstance(a, ast.arg)}
    fixed = source in once or source in parameters and not any(
        source in _stored_names(t) for stmt in assignments for t in stmt.targets)
    return source if fixed and source not in facts["written"] else None


def _leading(axis: ast.expr) -> bool:
    """Is ``axis`` the literal leading axes ``0, ..., j - 1`` (in any order)? Without ``keepdims`` the
    maximum over them broadcasts back along exactly those axes."""
    items = axis.elts if isinstance(axis, ast.Tuple) else [axis]
    values = [i.value for i in items if isinstance(i, ast.Constant) and type(i.value) is int]
    return len(values) == len(items) and sorted(values) == list(range(len(values)))


def _bound_once(func: ast.FunctionDef, assignments: List[ast.Assign],
                written: Set[str]) -> Dict[str, ast.expr]:
    """Names bound by exactly one plain ``name = value`` and by nothing else -> that value."""
    counts: Dict[str, int] = {}
    values: Dict[str, ast.expr] = {}
    for stmt in assignments:
        for target in stmt.targets:
            for name in _stored_names(target):
                counts[name] = counts.get(name, 0) + 1
                if len(stmt.targets) == 1 and isinstance(target, ast.Name):
                    values[name] = stmt.value
    parameters = {a.arg for a in ast.walk(func.args) if isinstance(a, ast.arg)}
    changed = written | parameters
    return {name: value for name, value in values.items() if counts[name] == 1 and name not in changed}



def _stored_names(target: ast.expr) -> Set[str]:
    """Names a target binds (``a``, ``a, b``, ``*a``); not an index or attribute write's root."""
    if isinstance(target, ast.Name):
        return {target.id}
    if isinstance(target, (ast.Tuple, ast.List)):
        return set().union(*(_stored_names(e) for e in target.elts)) if target.elts else set()
    if isinstance(target, ast.Starred):
        return _stored_names(target.value)
    return set()
