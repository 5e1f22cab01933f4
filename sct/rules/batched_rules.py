"""Batched rules for vector mode: tangents and adjoints carry a leading axis of K directions.

A vector-mode tangent of ``z`` has shape ``(K,) + np.shape(z)`` (a list/tuple of such for lists/tuples).
Most rules need no batched form of their own: elementwise rules align operands that broadcast (``lift``),
rules declared ``batch=SAFE`` broadcast over a leading axis as written, rules declared ``batch=Axes(...)``
get theirs derived (their axis arguments shifted past the batch axis), and runtime helpers declared
``linear`` derive theirs (see :mod:`sct.rules.core`). The templates here are for the rest, where the batch
axis changes the code: aligning the operands of arithmetic, reshapes and transposes, joins, products of a
batch with a plain array, solves, einsum. A rule with none falls back to a loop over the K directions (see
:mod:`sct.modes.batch_forward`), or, in reverse mode, to one sweep per output.

Templates here use the parameter names of the scalar rule they replace.
"""
# ruff: noqa: F821, F841  (template bodies use names bound when they are spliced, and runtime helpers)
from __future__ import annotations

import ast
import copy
from typing import Callable

import numpy as np  # noqa: F401

from ..ir.builders import call as _call
from ..ir.builders import load as _name
from ..runtime.names import RUNTIME_SET
from . import einsum_subscripts
from .core import HELPERS, batched_adjoint, batched_tangent, generator
from .numpy_rules import RESHAPES
from .runtime_rules import HIGHER, RUNTIME, add_at_tangent, position_of
from .scipy_rules import LOGSUMEXP
from .structural_rules import EINSUM, _parse_subscripts
from .templates import Contribution, is_zero, zero
from .templates import tangent_assignment as _assign


def unbatched_helpers(nodes: list) -> list:
    """Runtime helpers called in emitted ``nodes`` that would mistake a batch axis for a value axis."""
    found = []
    for node in nodes:
        tree = getattr(node, "value", node) if not isinstance(node, ast.AST) else node
        for call in ast.walk(tree):
            name = call.func.id if isinstance(call, ast.Call) and isinstance(call.func, ast.Name) else None
            if name in RUNTIME_SET and not (name in HELPERS and HELPERS[name].aware):
                found.append(name)
    return found


def vgenerator(*qualnames: str) -> Callable:
    """Register a batched tangent rule built by code: ``(site) -> statements``."""
    return generator(*qualnames, mode="batched_tangent")


def _add(terms: list, op: ast.operator = None) -> ast.expr:
    total = zero()
    for term in terms:
        if is_zero(term):
            continue
        total = term if is_zero(total) else ast.BinOp(left=total, op=op or ast.Add(), right=term)
    return total


def lifted(site, param: str) -> ast.expr:
    """The batched tangent of argument ``param``, aligned with the output (unless nothing broadcasts)."""
    node = site.bound.get(param)
    dot = site.dot(node) if node is not None else zero()
    if is_zero(dot):
        return dot
    others = [v for k, v in site.bound.items() if k != param]
    if all(isinstance(v, ast.Constant) for v in others):
        return dot
    return _call("lift", dot, _name(site.targets[0]))


@vgenerator("op.Add", "numpy.add")
def _add_tangent(site) -> list:
    return _assign(site, _add([lifted(site, "x"), lifted(site, "y")]))


@vgenerator("op.Sub", "numpy.subtract")
def _sub_tangent(site) -> list:
    x, y = lifted(site, "x"), lifted(site, "y")
    if is_zero(x):
        return _assign(site, zero() if is_zero(y) else ast.UnaryOp(op=ast.USub(), operand=y))
    return _assign(site, x if is_zero(y) else ast.BinOp(left=x, op=ast.Sub(), right=y))


@vgenerator("op.Mult", "numpy.multiply")
def _mul_tangent(site) -> list:
    x, y = lifted(site, "x"), lifted(site, "y")
    terms = [zero() if is_zero(x) else ast.BinOp(left=x, op=ast.Mult(), right=site.arg("y")),
             zero() if is_zero(y) else ast.BinOp(left=site.arg("x"), op=ast.Mult(), right=y)]
    return _assign(site, _add(terms))


@batched_tangent("op.Div", "numpy.divide", "numpy.true_divide")
def _div(z, x, y):
    z_dot = (lift(x_dot, z) - z * lift(y_dot, z)) / y


@batched_tangent("numpy.where")
def _where(z, condition, x, y):
    z_dot = np.where(condition, lift(x_dot, z), lift(y_dot, z))


@batched_tangent(*RESHAPES)
def _reshape(z, x, shape=None):
    z_dot = batch_reshape(x_dot, z)


@batched_tangent("numpy.array", "numpy.asarray")
def _array(z, x, dtype=None):
    z_dot = if_inexact(batch_array(x_dot), z)


@batched_tangent("builtins.sum")
def _builtin_sum(z, x, start=0):
    z_dot = batch_sum_items(x_dot) + lift(start_dot, z)


@batched_tangent("numpy.tril")
def _tril(z, x, k=0):
    z_dot = np.tril(lift(x_dot, z), k=k)  # a 1-d x is every row: its batch broadcast first


@batched_tangent("numpy.triu")
def _triu(z, x, k=0):
    z_dot = np.triu(lift(x_dot, z), k=k)


@batched_tangent("numpy.broadcast_to")
def _broadcast_to(z, x, shape):
    z_dot = lift(x_dot, z)


@batched_tangent("attr.T")
def _dot_t(z, x):
    z_dot = batch_transpose(x_dot)


@batched_tangent("numpy.transpose", "method.transpose")
def _transpose(z, x, axes=None):
    z_dot = batch_transpose(x_dot, axes=axes)


@batched_tangent("numpy.cumsum", "method.cumsum")
def _cumsum(z, x, axis=None):
    z_dot = batch_cumsum(x_dot, axis=axis)


@batched_tangent("op.MatMult", "numpy.matmul")
def _matmul(z, a, b):
    z_dot = batch_matmul(a_dot, b, 0) + batch_matmul(a, b_dot, 1)


@batched_tangent("numpy.dot", "method.dot")
def _dot(z, a, b):
    z_dot = batch_dot(a_dot, b, 0) + batch_dot(a, b_dot, 1)


@batched_tangent("numpy.outer")
def _outer(z, a, b):
    z_dot = batch_outer(a_dot, b, 0) + batch_outer(a, b_dot, 1)


@batched_tangent("numpy.linalg.solve")
def _solve(z, a, b):
    z_dot = from_columns(np.linalg.solve(a, as_columns(lift(b_dot, z), z, a)
                                         - batch_matmul(a_dot, as_columns(z, z, a), 0)), z, a)


@batched_tangent(*LOGSUMEXP)
def _logsumexp(z, a, axis=None, b=None, keepdims=False):
    z_dot = np.sum(lse_weights(a, z, b=b, axis=axis, keepdims=keepdims) * lift(a_dot, a)
                   + lse_weights(a, z, axis=axis, keepdims=keepdims) * lift(b_dot, a),
                   axis=batch_axis(a, axis=axis), keepdims=keepdims)


@vgenerator(*EINSUM)
def _einsum(site) -> list:
    """Each operand's batch gets a fresh index letter, which leads the output."""
    terms, output = _parse_subscripts(site)
    spec = ",".join(terms) + "->" + output
    free = next(c for c in "zyxwvutsrqponmlkjihgfedcba" if c not in spec)
    products = []
    for i, operand in enumerate(site.varargs):
        tangent = site.dot(operand)
        if is_zero(tangent):
            continue
        operands = [copy.deepcopy(o) for o in site.varargs]
        operands[i] = tangent
        batched = list(terms)
        batched[i] = free + batched[i]
        products.append(_call("contract", ast.Constant(value=",".join(batched) + "->" + free + output),
                              *operands))
    return _assign(site, _add(products))


def _join(site, helper: str) -> list:
    arrays = site.bound["arrays"]
    if isinstance(arrays, (ast.List, ast.Tuple)):
        parts = []
        for part in arrays.elts:
            dot = site.dot(part)
            parts.append(_call("batch_zeros", copy.deepcopy(part), _name(site.batch))
                         if is_zero(dot) else dot)
        tangents: ast.expr = ast.List(elts=parts, ctx=ast.Load())
    else:
        tangents = site.dot(arrays)
    keywords = {"axis": copy.deepcopy(site.bound["axis"])} if "axis" in site.bound else {}
    return _assign(site, _call(helper, tangents, **keywords))


@vgenerator("numpy.concatenate")
def _concatenate(site) -> list:
    return _join(site, "batch_concatenate")


@vgenerator("numpy.stack")
def _stack(site) -> list:
    return _join(site, "batch_stack")


@batched_tangent(RUNTIME + "prod_partials")
def _prod_partials(z, x, axis=None):
    z_dot = batch_prod_partials_tangent(x, x_dot, axis=axis)


@batched_tangent(RUNTIME + "lse_weights")
def _lse_weights(w, a, z, b=None, axis=None, keepdims=False):
    w_dot = w * (lift(a_dot, w) - batch_unreduce(z_dot, a, axis=axis, keepdims=keepdims)) \
        + lse_weights(a, z, axis=axis, keepdims=keepdims) * lift(b_dot, w)


@vgenerator(RUNTIME + "matmul_adjoint")
def _matmul_adjoint(site) -> list:
    position = position_of(site)
    terms = []
    for batched, param in enumerate(("g", "a", "b")):
        if param != "g" and batched != 2 - position:
            continue
        dot = site.dot(site.bound[param])
        if is_zero(dot):
            continue
        args = [site.arg("g"), site.arg("a"), site.arg("b")]
        args[batched] = dot
        terms.append(_call("batch_matmul_adjoint", *args, ast.Constant(position), ast.Constant(batched)))
    return _assign(site, _add(terms))


@vgenerator(HIGHER + "add_at", HIGHER + "added_at")
def _add_at(site) -> list:
    return add_at_tangent(site, scatter="batch_scatter", add_at="batch_added_at")


# ----------------------------------------------------------------------------- batched adjoints
@batched_adjoint(*RESHAPES)
def _reshape(z, x, shape=None):
    x_bar = batch_reshape(z_bar, x)


@batched_adjoint("numpy.array", "numpy.asarray")
def _array(z, x, dtype=None):  # a nested list's adjoint keeps its structure, each item a batch
    x_bar = batch_unstack_like(if_inexact(z_bar, z), x)


@batched_adjoint("attr.T")
def _dot_t(z, x):
    x_bar = batch_transpose(z_bar)


@batched_adjoint("numpy.trace", "method.trace")
def _trace(z, x, offset=0, axis1=0, axis2=1):
    diagonal = np.diagonal(x, offset=offset, axis1=axis1, axis2=axis2)
    spread = np.broadcast_to(np.expand_dims(z_bar, -1), np.shape(z_bar) + np.shape(diagonal)[-1:])
    x_bar = batch_diagonal_adjoint(spread, x, offset=offset, axis1=axis1, axis2=axis2)


@batched_adjoint("op.MatMult", "numpy.matmul")
def _matmul(z, a, b):
    a_bar = batch_matmul_adjoint(z_bar, a, b, 0, 0)
    b_bar = batch_matmul_adjoint(z_bar, a, b, 1, 0)


@batched_adjoint("numpy.dot", "method.dot")
def _dot(z, a, b):
    a_bar = batch_unbroadcast(z_bar * b, a) if np.ndim(a) == 0 or np.ndim(b) == 0 else \
        dot_adjoint(z_bar, a, b, 0, 1)
    b_bar = batch_unbroadcast(a * z_bar, b) if np.ndim(a) == 0 or np.ndim(b) == 0 else \
        dot_adjoint(z_bar, a, b, 1, 1)


@batched_adjoint("numpy.outer")
def _outer(z, a, b):
    a_bar = batch_reshape(z_bar @ np.ravel(b), a)
    b_bar = batch_reshape(np.ravel(a) @ z_bar, b)


@batched_adjoint("numpy.linalg.solve")
def _solve(z, a, b):
    g = np.linalg.solve(np.swapaxes(a, -1, -2), as_columns(z_bar, z, a))
    a_bar = batch_unbroadcast(-g @ np.swapaxes(as_columns(z, z, a), -1, -2), a)
    b_bar = batch_unbroadcast(from_columns(g, z, a), b)


def _einsum_adjoint(site) -> list:
    """Like the scalar rule, with a fresh index letter for the batch leading the adjoint and the result."""
    terms, output = _parse_subscripts(site)
    free = next(c for c in "zyxwvutsrqponmlkjihgfedcba" if c not in "".join(terms) + output)
    z_bar = ast.Name(id=site.bar(site.targets[0]), ctx=ast.Load())
    result = []
    for i, operand in enumerate(site.varargs):
        if not einsum_subscripts.is_plain(terms, output, i):
            value = einsum_subscripts.adjoint_value(site.np_attr, terms, output, i, z_bar, site.varargs,
                                                    batch=free)
        else:
            others = [t for j, t in enumerate(terms) if j != i]
            other_ops = [copy.deepcopy(o) for j, o in enumerate(site.varargs) if j != i]
            present = set(output).union(*others)
            kept = "".join(c for c in terms[i] if c in present)
            value = _call("contract", ast.Constant(",".join([free + output] + others) + "->" + free + kept),
                          z_bar, *other_ops)
            if kept != terms[i]:
                axes = tuple(k + 1 for k, c in enumerate(terms[i]) if c not in present)
                value = _call(site.np_attr("expand_dims"), value, ast.Constant(axes))
        result.append(Contribution(operand, _call("batch_einsum_fit", value, copy.deepcopy(operand))))
    return result


generator(*EINSUM, mode="batched_adjoint")(_einsum_adjoint)
