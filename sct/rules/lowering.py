"""Composite numpy functions written over the primitives sct has rules for, one line each.

``np.hstack([a, b])`` is differentiated as what numpy computes, ``np.concatenate`` of the arrays made at
least 1-d, along axis 0 for 1-d arrays and 1 otherwise: every mode (forward, reverse, batched, higher
order) then follows from the rules of the primitives. An entry reads ``"qualname(params)": expression``;
in the expression ``np`` is numpy, ``[f(a) for a in seq]``, ``seq[i]`` and ``seq[i:j]`` read a sequence
argument written in the call (a list or tuple literal, item by item), ``reduce(f, items)`` is ``f`` applied
left to right (``f(f(a, b), c)``, two items at least), and inactive pieces (``np.ndim(a)``) are computed
once from the values. Each entry is exact for every input numpy accepts (inputs numpy refuses
raise an error in the lowered form too). ``np.atleast_1d/2d/3d`` of one array are reshapes (rules of
their own); with several arrays they are refused, as are arguments an entry does not list.
"""
from __future__ import annotations

import ast
import copy
import inspect
from dataclasses import dataclass
from typing import Callable, Dict, FrozenSet, Optional

from ..ir.astutil import Substitute
from .call_forms import rewrite
from .core import RuleError

_ENTRIES = {
    "numpy.hstack(tup)": "np.concatenate([np.atleast_1d(a) for a in tup], axis=int(np.ndim(tup[0]) > 1))",
    "numpy.vstack(tup)": "np.concatenate([np.atleast_2d(a) for a in tup], axis=0)",
    "numpy.row_stack(tup)": "np.concatenate([np.atleast_2d(a) for a in tup], axis=0)",
    "numpy.dstack(tup)": "np.concatenate([np.atleast_3d(a) for a in tup], axis=2)",
    "numpy.column_stack(tup)":
        "np.concatenate([np.reshape(a, np.shape(a) if np.ndim(a) >= 2 else (-1, 1)) for a in tup], axis=1)",
    "numpy.fliplr(m)": "np.flip(m, axis=1)",
    "numpy.flipud(m)": "np.flip(m, axis=0)",
    "numpy.deg2rad(x)": "np.multiply(x, np.pi / 180)",
    "numpy.radians(x)": "np.multiply(x, np.pi / 180)",
    "numpy.rad2deg(x)": "np.multiply(x, 180 / np.pi)",
    "numpy.degrees(x)": "np.multiply(x, 180 / np.pi)",
    "numpy.matrix_transpose(x)": "np.swapaxes(x, -1, -2)",
    "numpy.permute_dims(a, axes=None)": "np.transpose(a, axes)",
    # arrays and elementwise functions of sct/rules/manipulation_rules.py's group
    "numpy.append(arr, values, axis=None)":
        "np.concatenate([np.reshape(arr, (-1,) if axis is None else np.shape(arr)), "
        "np.reshape(values, (-1,) if axis is None else np.shape(values))], axis=0 if axis is None else axis)",
    "numpy.inner(a, b)":
        "np.multiply(a, b) if np.ndim(a) == 0 or np.ndim(b) == 0 else "
        "np.reshape(np.reshape(a, (-1, np.shape(a)[-1])) @ np.swapaxes(np.reshape(b, (-1, np.shape(b)[-1])), "
        "0, 1), np.shape(a)[:-1] + np.shape(b)[:-1])",
    # sample points x as one vector only (an x of several axes fails to reshape: two unknown dimensions)
    "numpy.trapezoid(y, x=None, dx=1.0, axis=-1)":
        "np.sum((dx if x is None else np.reshape(np.diff(np.reshape(x, (-1,) if np.ndim(x) == 1 else "
        "(-1, -1))), (-1,) + (1,) * (np.ndim(y) - 1))) * (np.moveaxis(y, axis, 0)[1:] "
        "+ np.moveaxis(y, axis, 0)[:-1]) / 2.0, axis=0)",
    # the kept positions are computed once from the shape: a gather, whose adjoint scatters back
    "numpy.delete(arr, obj, axis=None)":
        "np.reshape(arr, (-1,))[np.delete(np.arange(np.size(arr)), obj)] if axis is None else "
        "np.moveaxis(np.moveaxis(arr, axis, 0)[np.delete(np.arange(np.shape(arr)[axis]), obj)], 0, axis)",
    # np.split's group (sct/rules/splitting_rules.py); an axis past the last refuses what numpy refuses
    "numpy.hsplit(ary, indices_or_sections)":
        "np.split(ary, indices_or_sections, axis=int(np.ndim(ary) > 1))",
    "numpy.vsplit(ary, indices_or_sections)":
        "np.split(ary, indices_or_sections, axis=0 if np.ndim(ary) > 1 else np.ndim(ary))",
    "numpy.dsplit(ary, indices_or_sections)": "np.split(ary, indices_or_sections, axis=2)",
    # the products of np.kron(a, b) laid out as numpy does: a's axes interleaved with b's, then merged
    "numpy.kron(a, b)":
        "np.reshape(np.expand_dims(np.reshape(a, (1,) * (np.ndim(b) - np.ndim(a)) + np.shape(a)), "
        "tuple(range(1, 2 * max(np.ndim(a), np.ndim(b)), 2))) * np.expand_dims(np.reshape(b, "
        "(1,) * (np.ndim(a) - np.ndim(b)) + np.shape(b)), "
        "tuple(range(0, 2 * max(np.ndim(a), np.ndim(b)), 2))), "
        "tuple(np.multiply((1,) * (np.ndim(b) - np.ndim(a)) + np.shape(a), "
        "(1,) * (np.ndim(a) - np.ndim(b)) + np.shape(b))))",
    # gathers: the positions are read from the values, the adjoint scatters back (repeats add up); an
    # index array, even 0-d, makes the result a copy as numpy's take is; a 0-d a has axis 0 (or -1) as
    # numpy reads it, of a seen as 1-d
    "numpy.take(a, indices, axis=None)":
        "np.reshape(a, (-1,))[indices] if axis is None else "
        "np.moveaxis(np.moveaxis(np.atleast_1d(a), axis, 0)[np.asarray(indices)], "
        "tuple(range(np.ndim(indices))), "
        "tuple(range(axis % max(np.ndim(a), 1), axis % max(np.ndim(a), 1) + np.ndim(indices))))",
    "numpy.take_along_axis(arr, indices, axis)":
        "np.reshape(arr, (-1,))[indices] if axis is None else np.reshape(arr, np.shape(arr))[tuple("
        "indices if i == axis % np.ndim(arr) else np.reshape(np.arange(np.shape(arr)[i]), "
        "(-1,) + (1,) * (np.ndim(arr) - 1 - i)) for i in range(np.ndim(arr)))]",
    # weights of a's shape, or 1-d along axis (numpy refuses others)
    "numpy.average(a, axis=None, weights=None)":
        "np.mean(a, axis=axis) if weights is None else "
        "np.sum(a * (weights if np.ndim(weights) == np.ndim(a) else np.reshape(weights, "
        "(-1,) + (1,) * (np.ndim(a) - 1 - axis % np.ndim(a)))), axis=axis) / "
        "np.sum(np.broadcast_to(weights if np.ndim(weights) == np.ndim(a) else np.reshape(weights, "
        "(-1,) + (1,) * (np.ndim(a) - 1 - axis % np.ndim(a))), np.shape(a)), axis=axis)",
    # two coordinate vectors (copies, as numpy's: writable); other counts and keywords are refused
    "numpy.meshgrid(x, y, indexing='xy')":
        "(np.copy(np.broadcast_to(np.reshape(x, (1, -1) if indexing == 'xy' else (-1, 1)), "
        "(np.size(y), np.size(x)) if indexing == 'xy' else (np.size(x), np.size(y)))), "
        "np.copy(np.broadcast_to(np.reshape(y, (-1, 1) if indexing == 'xy' else (1, -1)), "
        "(np.size(y), np.size(x)) if indexing == 'xy' else (np.size(x), np.size(y)))))",
    # the middle of the sorted values (the mean of the two middle ones); NaN wherever a value is NaN
    "numpy.median(a, axis=None)":
        "np.where(np.any(np.isnan(a), axis=axis), np.nan, "
        "(np.sort(np.reshape(a, (-1,)))[(np.size(a) - 1) // 2] "
        "+ np.sort(np.reshape(a, (-1,)))[np.size(a) // 2]) / 2) if axis is None else "
        "np.where(np.any(np.isnan(a), axis=axis), np.nan, "
        "(np.moveaxis(np.sort(a, axis=axis), axis, 0)[(np.shape(a)[axis] - 1) // 2] "
        "+ np.moveaxis(np.sort(a, axis=axis), axis, 0)[np.shape(a)[axis] // 2]) / 2)",
    # numpy 2's names of the functions above and of rules
    "numpy.pow(x1, x2)": "np.power(x1, x2)",
    "numpy.acos(x)": "np.arccos(x)",
    "numpy.asin(x)": "np.arcsin(x)",
    "numpy.atan(x)": "np.arctan(x)",
    "numpy.acosh(x)": "np.arccosh(x)",
    "numpy.asinh(x)": "np.arcsinh(x)",
    "numpy.atanh(x)": "np.arctanh(x)",
    "numpy.atan2(x1, x2)": "np.arctan2(x1, x2)",
    "numpy.concat(arrays, axis=0)": "np.concatenate([a for a in arrays], axis=axis)",
    "math.degrees(x)": "np.multiply(x, 180 / np.pi)",
    "math.radians(x)": "np.multiply(x, np.pi / 180)",
    "math.exp2(x)": "np.exp2(x)",
    "math.cbrt(x)": "np.cbrt(x)",
    "math.prod(iterable, start=1)": "np.prod(np.array([a for a in iterable])) * start",
    "math.dist(p, q)": "np.linalg.norm(np.array([a for a in p]) - np.array([b for b in q]))",
    "numpy.vdot(a, b)": "np.sum(np.conj(np.reshape(a, (-1,))) * np.reshape(b, (-1,)))",
    "numpy.ptp(a, axis=None)": "np.max(a, axis=axis) - np.min(a, axis=axis)",
    # the chain of products, left to right (numpy's order of products differs by rounding only); each
    # array reshaped to its own shape, or to (-1, -1), which fails where numpy refuses its number of axes:
    # a vector or matrix first and last, matrices between
    "numpy.linalg.multi_dot(arrays)":
        "reduce(np.matmul, [np.reshape(arrays[0], np.shape(arrays[0]) if 1 <= np.ndim(arrays[0]) <= 2 "
        "else (-1, -1))] + [np.reshape(a, np.shape(a) if np.ndim(a) == 2 else (-1, -1)) "
        "for a in arrays[1:-1]] + [np.reshape(arrays[-1], np.shape(arrays[-1]) "
        "if 1 <= np.ndim(arrays[-1]) <= 2 else (-1, -1))])",
    # windows of the full convolution (sct/runtime/convolution.py), of v reversed (and conjugated) for
    # np.correlate; operands of more than one axis fail to reshape, as numpy refuses them
    "numpy.convolve(a, v, mode='full')":
        "convolve_along(np.reshape(a, (-1,) if np.ndim(a) <= 1 else (-1, -1)), "
        "np.reshape(v, (-1,) if np.ndim(v) <= 1 else (-1, -1)), "
        "convolve_window(a, v, mode)[0], convolve_window(a, v, mode)[1])",
    "numpy.correlate(a, v, mode='valid')":
        "convolve_along(np.reshape(a, (-1,) if np.ndim(a) <= 1 else (-1, -1)), "
        "np.conj(np.flip(np.reshape(v, (-1,) if np.ndim(v) <= 1 else (-1, -1)))), "
        "convolve_window(a, v, mode, True)[0], convolve_window(a, v, mode, True)[1])",
    # numpy's value (order_quantile), differentiated through the two order statistics of each quantile;
    # the levels are refused where they vary (quantile_levels: sct/runtime/quantiles.py)
    "numpy.quantile(a, q, axis=None, method='linear')": "order_quantile(a, quantile_levels(q), axis)",
    "numpy.percentile(a, q, axis=None, method='linear')":
        "order_quantile(a, quantile_levels(q, 100.0), axis)",
    "operator.add(a, b)": "a + b",
    "operator.sub(a, b)": "a - b",
    "operator.mul(a, b)": "a * b",
    "operator.truediv(a, b)": "a / b",
    "operator.pow(a, b)": "a ** b",
    "operator.matmul(a, b)": "a @ b",
    "operator.neg(a)": "-a",
    "operator.pos(a)": "+a",
}


def _literal(node: ast.expr) -> Optional[tuple]:
    """``(value,)`` of a literal argument (``-1``, ``(0, 1)``, ``None``), None for anything else."""
    try:
        return (ast.literal_eval(node),)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return None


@dataclass(frozen=True)
class Lowering:
    """One composite: its signature, the expression it stands for, and its sequence parameters."""

    qualname: str
    signature: inspect.Signature
    expression: ast.expr
    sequences: FrozenSet[str]


def _parse(spec: str, text: str) -> Lowering:
    head = ast.parse(spec, mode="eval").body
    assert isinstance(head, ast.Call), spec
    params = [inspect.Parameter(a.id, inspect.Parameter.POSITIONAL_OR_KEYWORD) for a in head.args]
    params += [inspect.Parameter(k.arg, inspect.Parameter.POSITIONAL_OR_KEYWORD,
                                 default=ast.literal_eval(k.value)) for k in head.keywords]
    expression = ast.parse(text, mode="eval").body
    sequences = {n.value.id for n in ast.walk(expression)
                 if isinstance(n, ast.Subscript) and isinstance(n.value, ast.Name)}
    sequences |= {g.iter.id for n in ast.walk(expression) if isinstance(n, ast.ListComp) for g in n.generators
                  if isinstance(g.iter, ast.Name)}
    return Lowering(ast.unparse(head.func), inspect.Signature(params), expression, frozenset(sequences))


# Arguments an entry decides on while lowering: one of these constants, written in the call.
_CHOICES = {"numpy.meshgrid": {"indexing": ("xy", "ij")}, "numpy.quantile": {"method": ("linear",)},
            "numpy.percentile": {"method": ("linear",)}}
# Sequence arguments with a least number of items (numpy refuses fewer).
_LEAST_ITEMS = {"numpy.linalg.multi_dot": 2}

LOWERINGS: Dict[str, Lowering] = {e.qualname: e for e in (_parse(k, v) for k, v in _ENTRIES.items())}


# Composites refused where their argument is differentiated: what to write instead.
_NAN_HINT = ("replace the missing values of the data before computing with them, "
             "clean = np.where(np.isnan(d), 0.0, d), and sum with a mask of the data: "
             "np.sum(np.where(np.isnan(d), 0.0, f(clean)))")
_REFUSED = {
    name: (f"np.{name.split('.')[1]} skips NaN entries, but a NaN entry's derivative is NaN times zero in "
           "reverse mode (a NaN made from the data poisons every derivative through it)", _NAN_HINT)
    for name in ("numpy.nansum", "numpy.nanmean", "numpy.nanprod")}


def lower(qualname: str, args: list, keywords: list, numpy: Optional[str],
          flatten: Callable[[ast.expr], ast.expr], func: Optional[ast.expr] = None) -> Optional[ast.expr]:
    """The primitive expression a call of the composite ``qualname`` stands for (None: not a composite).
    ``flatten`` names each argument (or item of a sequence argument) once, as the expression may read it
    several times; ``numpy`` is the name the code calls numpy by. Raises RuleError for calls it cannot
    lower exactly; ``func`` is the called expression."""
    if qualname in _REFUSED:
        raise RuleError(_REFUSED[qualname][0], hint=_REFUSED[qualname][1])
    entry = LOWERINGS.get(qualname)
    if entry is None:
        return rewrite(qualname, args, keywords, numpy, flatten, func)
    short = "np." + qualname.split(".", 1)[1]
    if numpy is None:
        raise RuleError(f"{short} is differentiated as numpy primitives, called through numpy imported as a "
                        "module", hint="write `import numpy as np` and call np." + qualname.split(".", 1)[1])
    try:
        bound = entry.signature.bind(*args, **{k.arg: k.value for k in keywords})
    except TypeError as exc:
        raise RuleError(f"unsupported arguments to '{short}': {exc}",
                        hint=f"sct differentiates {short}({', '.join(entry.signature.parameters)})") from None
    for name, allowed in _CHOICES.get(qualname, {}).items():
        value = bound.arguments.get(name, ast.Constant(value=entry.signature.parameters[name].default))
        if not (isinstance(value, ast.Constant) and value.value in allowed):
            raise RuleError(f"{short} is differentiated with {name} written in the call as one of "
                            f"{', '.join(map(repr, allowed))}", hint=f"write {name}={allowed[0]!r}")
    values: Dict[str, ast.expr] = {}
    for name, param in entry.signature.parameters.items():
        value = bound.arguments.get(name)
        if name in entry.sequences:
            if not isinstance(value, (ast.List, ast.Tuple)) or not value.elts \
                    or any(isinstance(e, ast.Starred) for e in value.elts):
                raise RuleError(f"{short} needs its arrays as a non-empty list or tuple written in the call",
                                hint=f"write {short}([a, b])")
            if len(value.elts) < _LEAST_ITEMS.get(qualname, 1):
                raise RuleError(f"{short} needs {_LEAST_ITEMS[qualname]} arrays at least, as numpy does",
                                hint=f"write {short}([a, b])")
            value = ast.List(elts=[flatten(e) for e in value.elts], ctx=ast.Load())
        elif value is None:
            value = ast.Constant(value=param.default)
        else:
            value = flatten(value)
        values[name] = value
    return _Expand(values, numpy).visit(copy.deepcopy(entry.expression))


class _Expand(Substitute):
    """Substitute the arguments; unroll comprehensions over, and indexes into, sequence arguments."""

    def visit_ListComp(self, node: ast.ListComp) -> ast.expr:
        generator = node.generators[0]
        items = []
        for item in self._items(generator.iter):
            inner = _Expand({**self.values, generator.target.id: item}, self.numpy)
            items.append(inner.visit(copy.deepcopy(node.elt)))
        return ast.List(elts=items, ctx=ast.Load())

    def _items(self, node: ast.expr) -> list:
        """The items of a sequence argument (``seq``) or of a slice of it (``seq[1:-1]``)."""
        if isinstance(node, ast.Name):
            return self.values[node.id].elts
        bounds = [None if b is None else ast.literal_eval(b) for b in (node.slice.lower, node.slice.upper)]
        return self.values[node.value.id].elts[bounds[0]:bounds[1]]

    def visit_Subscript(self, node: ast.Subscript) -> ast.expr:
        if isinstance(node.value, ast.Name) and node.value.id in self.values:
            if isinstance(node.slice, ast.Slice):
                return ast.List(elts=[copy.deepcopy(e) for e in self._items(node)], ctx=ast.Load())
            return copy.deepcopy(self.values[node.value.id].elts[ast.literal_eval(node.slice)])
        return self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> ast.expr:
        """``reduce(f, items)``, unrolled: ``f(f(a, b), c)``."""
        self.generic_visit(node)
        if not (isinstance(node.func, ast.Name) and node.func.id == "reduce"):
            return node
        items = _joined(node.args[1])  # two at least (_LEAST_ITEMS)
        total = items[0]
        for item in items[1:]:
            total = ast.Call(func=copy.deepcopy(node.args[0]), args=[total, item], keywords=[])
        return total

    def visit_IfExp(self, node: ast.IfExp) -> ast.expr:
        """A test on arguments the call writes as constants (``axis is None``) is decided here."""
        self.generic_visit(node)
        test = node.test
        if (isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], ast.Eq)
                and isinstance(test.left, ast.Constant) and isinstance(test.comparators[0], ast.Constant)):
            return node.body if test.left.value == test.comparators[0].value else node.orelse
        if (isinstance(test, ast.Compare) and len(test.ops) == 1
                and isinstance(test.ops[0], (ast.Is, ast.IsNot))):
            sides = [_literal(test.left), _literal(test.comparators[0])]
            if None not in sides and any(side[0] is None for side in sides):  # `-1 is None`, `None is None`
                same = sides[0][0] is sides[1][0]
                return node.body if same == isinstance(test.ops[0], ast.Is) else node.orelse
        return node


def _joined(node: ast.expr) -> list:
    """The items of a list display, or of lists joined by ``+``."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _joined(node.left) + _joined(node.right)
    return list(node.elts)
