"""Recognise the numerically stable logsumexp a user writes, so its shift gets no derivative.

    m = np.max(a, axis=1, keepdims=True)
    r = np.log(np.sum(np.exp(a - m), axis=1)) + m[:, 0]

equals ``logsumexp(a)`` whatever ``m`` is, so the derivative with respect to ``m`` is exactly zero. A
literal differentiation still computes it — the adjoint of a max (where ``a`` attains it) times a sum of
contributions that cancel to rounding — at the cost of several passes over ``a``. When ``m`` is used only
to shift ``a`` and to be added back, on exactly this chain, sct treats it as a constant.
"""
from __future__ import annotations

import ast
from collections import Counter
from typing import Dict, Optional, Set

from ..frontend.calls import operation_of
from ..frontend.source import Resolver
from ..ir.astutil import walk
from ..rules.numpy_rules import MAXIMA, SQUEEZES, SUM

_MAX = set(MAXIMA)
_SUM = set(SUM)
_RESHAPES = {"op.Subscript", *SQUEEZES}


def logsumexp_shifts(func: ast.FunctionDef, resolver: Resolver) -> Set[str]:
    """Names of maxima that only shift a stable logsumexp (see the module docstring)."""
    definitions: Dict[str, ast.expr] = {}
    assigned = Counter()
    uses = Counter()
    users: Dict[str, list] = {}
    for node in walk(func):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                for name in walk(target):
                    if isinstance(name, ast.Name) and isinstance(name.ctx, ast.Store):
                        assigned[name.id] += 1
                        definitions[name.id] = node.value
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
            uses[node.id] += 1
    for name, value in definitions.items():
        for used in {n.id for n in walk(value) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}:
            users.setdefault(used, []).append(name)

    def single(name: str) -> Optional[str]:
        """The one variable defined from ``name``, when ``name`` is assigned once and read once."""
        if assigned[name] == 1 and uses[name] == 1 and len(users.get(name, [])) == 1:
            return users[name][0]
        return None

    def call(name: str, qualnames: set):
        operation = operation_of(definitions.get(name), resolver) if name in definitions else None
        return operation if operation is not None and operation.qualname in qualnames else None

    shifts = set()
    for m in definitions:
        maximum = call(m, _MAX)
        if maximum is None or assigned[m] != 1 or uses[m] != 2 or len(users.get(m, [])) != 2:
            continue
        shifted, added = sorted(users[m],
                                key=lambda u: not _is_difference(definitions[u], maximum.args[0], m))
        if not _is_difference(definitions[shifted], maximum.args[0], m):
            continue
        exp = single(shifted)
        total = exp and call(exp, {"numpy.exp"}) and single(exp)
        summed = total and call(total, _SUM)
        log = summed and single(total)
        if not (log and call(log, {"numpy.log"}) and _same_axis(summed, maximum)):
            continue
        result = single(log)
        if result is None:
            continue
        if added != result:  # m reaches the sum through a reshape of it, used there only
            if not (call(added, _RESHAPES) and single(added) == result):
                continue
        if _adds(definitions[result], {log, m if added == result else added}):
            shifts.add(m)
    return shifts


def _is_difference(node: ast.expr, minuend: ast.expr, subtrahend: str) -> bool:
    return (isinstance(node, ast.BinOp) and isinstance(node.op, ast.Sub) and isinstance(node.right, ast.Name)
            and node.right.id == subtrahend and ast.dump(node.left) == ast.dump(minuend))


def _adds(node: ast.expr, names: set) -> bool:
    return (isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add)
            and {getattr(node.left, "id", None), getattr(node.right, "id", None)} == names)


def _axis(operation) -> str:
    """The ``axis`` argument of a reduction (keyword or second positional), as comparable text."""
    for keyword in operation.keywords:
        if keyword.arg == "axis":
            return ast.dump(keyword.value)
    return ast.dump(operation.args[1]) if len(operation.args) > 1 else "None"


def _same_axis(total, maximum) -> bool:
    return _axis(total) == _axis(maximum)
