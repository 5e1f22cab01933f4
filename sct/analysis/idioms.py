"""Recognise the numerically stable logsumexp a user writes, so its shift gets no derivative.

    m = np.max(a, axis=1, keepdims=True)
    r = np.log(np.sum(np.exp(a - m), axis=1)) + m[:, 0]

equals ``logsumexp(a)`` whatever ``m`` is, so the derivative with respect to ``m`` is exactly zero. A
literal differentiation still computes it — the adjoint of a max (where ``a`` attains it) times a sum of
contributions that cancel to rounding — at the cost of several passes over ``a``. When ``m`` is used only
to shift ``a`` and to be added back, on exactly this chain, sct treats it as a constant.

The identity holds only when the ``m`` added back to each sum is, entry for entry, the shift subtracted
from the entries that sum reduced. That is proved from the spelling alone, for these forms (axes are
compared as sets of literal integers; anything else is not the idiom and is differentiated literally,
which is exact):

* ``max(..., keepdims=True)`` and ``sum(..., keepdims=True)`` over the same axes, ``m`` added back as is;
* ``max(..., keepdims=True)`` and a plain ``sum`` over one axis ``k``, ``m`` added back squeezed over
  exactly that axis: ``np.squeeze(m, axis=k)``, ``m.squeeze(k)``, ``m[:, ..., :, 0]`` (``k`` full slices
  before the ``0``) or, for ``k = -1``, ``m[..., 0]``;
* a plain ``max`` and a plain ``sum`` over all axes or over the leading axes ``0, ..., j - 1`` (then
  ``a - m`` broadcasts ``m`` back along exactly the reduced axes), ``m`` added back as is.
"""
from __future__ import annotations

import ast
from collections import Counter
from typing import Dict, FrozenSet, Optional, Set, Tuple, Union

from ..frontend.calls import operation_of
from ..frontend.source import Resolver
from ..ir.astutil import walk
from ..ir.blocks import all_statements
from ..rules.numpy_rules import MAXIMA, SUM

_MAX = set(MAXIMA)
_SUM = set(SUM)
_SQUEEZE = {"numpy.squeeze", "method.squeeze"}
_ALL = "all"  # axis=None
Axes = Union[str, FrozenSet[int], None]  # None: not a literal axis


def logsumexp_shifts(func: ast.FunctionDef, resolver: Resolver) -> Set[str]:
    """Names of maxima that only shift a stable logsumexp (see the module docstring)."""
    if not any(_is_maximum(stmt, resolver) for stmt in all_statements(func)):
        return set()  # no shift to follow: the chains need not be built
    chain = _Chains(func, resolver)
    return {m for m in chain.definitions if chain.is_shift(m)}


def _is_maximum(stmt: ast.stmt, resolver: Resolver) -> bool:
    """Does ``stmt`` assign a maximum (the head of the idiom's chain)?"""
    if not isinstance(stmt, ast.Assign):
        return False
    operation = operation_of(stmt.value, resolver)
    return operation is not None and operation.qualname in _MAX


class _Chains:
    """Single-assignment facts about a function's variables, to follow the idiom's chain of temporaries."""

    def __init__(self, func: ast.FunctionDef, resolver: Resolver):
        self.resolver = resolver
        self.definitions: Dict[str, ast.expr] = {}
        self.statement: Dict[str, Tuple[int, int]] = {}  # name -> (id of its body, position there)
        self.assigned = Counter()
        self.uses = Counter()
        self.users: Dict[str, list] = {}
        for node in walk(func):
            for body in _bodies(node):
                for position, stmt in enumerate(body):
                    if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 \
                            and isinstance(stmt.targets[0], ast.Name):
                        self.statement[stmt.targets[0].id] = (id(body), position)
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    for name in walk(target):
                        if isinstance(name, ast.Name) and isinstance(name.ctx, ast.Store):
                            self.assigned[name.id] += 1
                            self.definitions[name.id] = node.value
            elif isinstance(node, (ast.AugAssign, ast.AnnAssign, ast.For, ast.With, ast.NamedExpr)):
                for name in walk(getattr(node, "target", node)):
                    if isinstance(name, ast.Name) and isinstance(name.ctx, ast.Store):
                        self.assigned[name.id] += 2  # never a single assignment
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
                self.uses[node.id] += 1
        for name, value in self.definitions.items():
            read = {n.id for n in walk(value) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}
            for used in read:
                self.users.setdefault(used, []).append(name)

    def single(self, name: str) -> Optional[str]:
        """The one variable defined from ``name``, when ``name`` is assigned once and read once."""
        if self.assigned[name] == 1 and self.uses[name] == 1 and len(self.users.get(name, [])) == 1:
            return self.users[name][0]
        return None

    def call(self, name: Optional[str], qualnames: set, argument: Optional[str] = None):
        """The operation defining ``name`` when it is one of ``qualnames`` (applied to ``argument``)."""
        if name is None or name not in self.definitions:
            return None
        operation = operation_of(self.definitions[name], self.resolver)
        if operation is None or operation.qualname not in qualnames:
            return None
        if argument is not None and not _is_name(operation.args[0] if operation.args else None, argument):
            return None
        return operation

    def is_shift(self, m: str) -> bool:
        maximum = self.call(m, _MAX)
        if maximum is None or self.assigned[m] != 1 or self.uses[m] != 2 or len(self.users.get(m, [])) != 2:
            return False
        source = maximum.args[0]
        shifted, added = sorted(self.users[m],
                                key=lambda user: not _is_difference(self.definitions[user], source, m))
        if not _is_difference(self.definitions[shifted], source, m):
            return False
        exp = self.single(shifted)
        total = self.unary(exp, "numpy.exp", shifted) and self.single(exp)
        summed = self.call(total, _SUM, exp)
        log = summed and self.single(total)
        result = self.unary(log, "numpy.log", total) and self.single(log)
        if not result:
            return False
        chain = [m, shifted, exp, total, log, result]
        if added != result:  # m reaches the sum through a squeeze of it, used there only
            if self.single(added) != result:
                return False
            chain.append(added)
        return (_adds(self.definitions[result], {log, m if added == result else added})
                and self._straight_line(source, chain)
                and _cancels(maximum, summed, None if added == result else self.definitions[added], m,
                             self.resolver))

    def unary(self, name: Optional[str], qualname: str, argument: str) -> bool:
        """``name`` is defined as ``qualname(argument)``."""
        operation = self.call(name, {qualname}, argument)
        return operation is not None and len(operation.args) == 1 and not operation.keywords

    def _straight_line(self, source: ast.expr, chain: list) -> bool:
        """The chain is in one body of statements, and ``source`` (a variable) the same value all along it:
        never rebound, or bound once before the max."""
        places = [self.statement.get(name) for name in chain]
        if not isinstance(source, ast.Name) or None in places or len({body for body, _ in places}) != 1:
            return False
        if self.assigned[source.id] == 0:
            return True
        place = self.statement.get(source.id)
        return self.assigned[source.id] == 1 and place is not None and place[0] == places[0][0] \
            and place[1] < places[0][1]


def _bodies(node: ast.AST):
    for field in ("body", "orelse", "finalbody"):
        body = getattr(node, field, None)
        if isinstance(body, list):
            yield body


def _is_name(node: Optional[ast.expr], name: str) -> bool:
    return isinstance(node, ast.Name) and node.id == name


def _is_difference(node: ast.expr, minuend: ast.expr, subtrahend: str) -> bool:
    return (isinstance(node, ast.BinOp) and isinstance(node.op, ast.Sub) and _is_name(node.right, subtrahend)
            and ast.dump(node.left) == ast.dump(minuend))


def _adds(node: ast.expr, names: set) -> bool:
    return (isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add)
            and {getattr(node.left, "id", None), getattr(node.right, "id", None)} == names)


def _reduction(operation) -> Tuple[Axes, Optional[bool]]:
    """The axes and keepdims of a max or sum written ``f(a[, axis][, axis=..][, keepdims=..])``; ``(None,
    None)`` for any other argument (``initial=``, ``where=``, ``dtype=``, ``out=``, a variable axis)."""
    axis_node: Optional[ast.expr] = operation.args[1] if len(operation.args) > 1 else None
    keepdims: Optional[bool] = False
    if len(operation.args) > 2:
        return None, None
    for keyword in operation.keywords:
        if keyword.arg == "axis" and axis_node is None:
            axis_node = keyword.value
        elif keyword.arg == "keepdims" and isinstance(keyword.value, ast.Constant) \
                and isinstance(keyword.value.value, bool):
            keepdims = keyword.value.value
        else:
            return None, None
    return _axes(axis_node), keepdims


def _axes(node: Optional[ast.expr]) -> Axes:
    """Literal axes as a set of integers, ``_ALL`` for none given or ``None``, ``None`` otherwise."""
    if node is None or (isinstance(node, ast.Constant) and node.value is None):
        return _ALL
    items = node.elts if isinstance(node, ast.Tuple) else [node]
    values = [_integer(item) for item in items]
    if None in values or len(set(values)) != len(values):
        return None
    return frozenset(values)


def _integer(node: ast.expr) -> Optional[int]:
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        inner = _integer(node.operand)
        return None if inner is None else -inner
    if isinstance(node, ast.Constant) and type(node.value) is int:
        return node.value
    return None


def _cancels(maximum, total, squeeze: Optional[ast.expr], m: str, resolver: Resolver) -> bool:
    """The ``m`` added back to each sum is the shift subtracted from what it summed (module docstring)."""
    axes, keep_max = _reduction(maximum)
    total_axes, keep_sum = _reduction(total)
    if axes is None or axes != total_axes or keep_max is None or keep_sum is None:
        return False
    if squeeze is None:
        if keep_max:
            return keep_sum
        return not keep_sum and (axes == _ALL or axes == frozenset(range(len(axes))))
    if not keep_max or keep_sum or axes == _ALL or len(axes) != 1:
        return False
    (axis,) = axes
    return _squeezes(squeeze, m, axis, resolver)


def _squeezes(node: ast.expr, m: str, axis: int, resolver: Resolver) -> bool:
    """``node`` removes exactly axis ``axis`` (of length one) from ``m``."""
    if isinstance(node, ast.Subscript) and _is_name(node.value, m):
        index = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
        if not index or _integer(index[-1]) != 0:
            return False
        leading = index[:-1]
        if axis == -1:
            return len(leading) == 1 and isinstance(leading[0], ast.Constant) and leading[0].value is Ellipsis
        return axis >= 0 and len(leading) == axis and all(_full_slice(item) for item in leading)
    operation = operation_of(node, resolver)
    if operation is None or operation.qualname not in _SQUEEZE or not operation.args \
            or not _is_name(operation.args[0], m):
        return False
    axes, _ = _reduction(operation)
    return axes == frozenset([axis])


def _full_slice(node: ast.expr) -> bool:
    return isinstance(node, ast.Slice) and node.lower is None and node.upper is None and node.step is None
