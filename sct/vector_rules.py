"""Batched tangent rules for vector mode: tangents carry a leading axis of K directions.

A vector-mode tangent of ``z`` has shape ``(K,) + np.shape(z)`` (a list/tuple of such for lists/tuples).
Elementwise rules need no change beyond aligning operands that broadcast (``lift``); the rules here are the
ones where the batch axis matters: reductions and axes (shifted by one), reshapes and transposes, indexing,
joins, products of a batch with a plain array, solves, and the runtime helpers of reverse-mode code (for
vector forward over reverse). Rules listed in :data:`BATCH_SAFE` broadcast over a leading axis as they are.
A rule with neither falls back to a loop over the K directions (see :mod:`sct.vector_mode`).

Templates here use the parameter names of the scalar rule they replace.
"""
# ruff: noqa: F821, F841  (template bodies use names bound when they are spliced, and runtime helpers)
from __future__ import annotations

import ast
import copy
from typing import Callable, Dict

import numpy as np  # noqa: F401

from . import runtime
from .builders import call as _call
from .builders import load as _name
from .rules.numpy_rules import EXTREMA, MEAN, PROD, RESHAPES, SUM
from .rules.registry import Rule, _parse_template
from .rules.runtime_rules import HIGHER, RUNTIME, position_of
from .rules.scipy_rules import LOGSUMEXP
from .rules.structural_rules import _parse_subscripts
from .runtime_names import RUNTIME_NAMES
from .splice import is_zero, zero
from .splice import tangent_assignment as _assign

VECTOR: Dict[str, Rule] = {}

BATCH_SAFE = {
    "op.USub", "numpy.negative", "op.UAdd", "numpy.positive", "builtins.float", "method.astype",
    "method.copy", "numpy.copy",
    "numpy.triu", "numpy.tril", "numpy.linalg.inv", "numpy.linalg.det", "numpy.linalg.slogdet",
    "numpy.linalg.cholesky", RUNTIME + "cholesky_adjoint", RUNTIME + "as_columns", RUNTIME + "from_columns",
}


# Runtime helpers that only read primal values, or that broadcast over a leading batch axis as they are.
BATCH_AWARE_HELPERS = {"extremum_mask", "reduced_size", "lse_weights", "norm_weights", "prod_partials",
                       "cholesky_adjoint", "cholesky_tangent", "unreduce_like", "if_inexact",
                       "as_columns", "from_columns", "written_tangent", "float_copy"}


def unbatched_helpers(nodes: list) -> list:
    """Runtime helpers called in emitted ``nodes`` that would mistake a batch axis for a value axis."""
    found = []
    for node in nodes:
        tree = getattr(node, "value", node) if not isinstance(node, ast.AST) else node
        for call in ast.walk(tree):
            name = call.func.id if isinstance(call, ast.Call) and isinstance(call.func, ast.Name) else None
            if name in RUNTIME_NAMES and name not in BATCH_AWARE_HELPERS:
                found.append(name)
    return found


def vtangent(*qualnames: str, outputs: int = 1) -> Callable:
    """Register a batched tangent template (the body assigns ``<output>_dot``)."""
    def decorate(fn: Callable) -> Callable:
        fn._n_outputs = outputs
        template = _parse_template(fn)
        for qualname in qualnames:
            VECTOR[qualname] = Rule(qualname, signature=template.params, outputs=template.outputs,
                                    tangent=template)
        return fn
    return decorate


def vgenerator(*qualnames: str) -> Callable:
    """Register a batched tangent rule built by code: ``(site) -> statements``."""
    def decorate(fn: Callable) -> Callable:
        for qualname in qualnames:
            VECTOR[qualname] = Rule(qualname, tangent_generator=fn)
        return fn
    return decorate


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


def _binary_signature(x, y):
    pass


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


@vtangent("op.Div", "numpy.divide", "numpy.true_divide")
def _div(z, x, y):
    z_dot = (lift(x_dot, z) - z * lift(y_dot, z)) / y


@vtangent("numpy.where")
def _where(z, condition, x, y):
    z_dot = np.where(condition, lift(x_dot, z), lift(y_dot, z))


@vtangent(*SUM)
def _sum(z, x, axis=None, keepdims=False):
    z_dot = np.sum(x_dot, axis=batch_axis(x, axis=axis), keepdims=keepdims)


@vtangent(*MEAN)
def _mean(z, x, axis=None, keepdims=False):
    z_dot = np.mean(x_dot, axis=batch_axis(x, axis=axis), keepdims=keepdims)


def _prod(z, x, axis=None, keepdims=False):
    z_dot = np.sum(x_dot * unreduce(z, x, axis=axis, keepdims=keepdims) / x, axis=batch_axis(x, axis=axis),
                   keepdims=keepdims)


def _prod_exact(z, x, axis=None, keepdims=False):
    z_dot = np.sum(x_dot * prod_partials(x, axis=axis), axis=batch_axis(x, axis=axis), keepdims=keepdims)


# The scalar rule's partials: exact ones (zero factors allowed) where the runtime has them.
vtangent(*PROD)(_prod_exact if hasattr(runtime, "prod_partials") else _prod)


@vtangent(*EXTREMA)
def _extremum(z, x, axis=None, keepdims=False):
    z_dot = np.sum(x_dot * extremum_mask(x, z, axis=axis, keepdims=keepdims), axis=batch_axis(x, axis=axis),
                   keepdims=keepdims)


@vtangent(*RESHAPES)
def _reshape(z, x, shape=None):
    z_dot = batch_reshape(x_dot, z)


@vtangent("numpy.array", "numpy.asarray")
def _array(z, x, dtype=None):
    z_dot = if_inexact(batch_array(x_dot), z)


@vtangent("builtins.sum")
def _builtin_sum(z, x, start=0):
    z_dot = batch_sum_items(x_dot) + lift(start_dot, z)


@vtangent("numpy.linalg.norm")
def _norm(z, x, ord=None, axis=None, keepdims=False):
    weights = norm_weights(x, z, ord=ord, axis=axis, keepdims=keepdims)
    z_dot = np.sum(weights * x_dot, axis=batch_axis(x, axis=axis), keepdims=keepdims)


@vtangent("numpy.broadcast_to")
def _broadcast_to(z, x, shape):
    z_dot = lift(x_dot, z)


@vtangent("attr.T")
def _dot_t(z, x):
    z_dot = batch_transpose(x_dot)


@vtangent("numpy.transpose", "method.transpose")
def _transpose(z, x, axes=None):
    z_dot = batch_transpose(x_dot, axes=axes)


@vtangent("numpy.swapaxes", "method.swapaxes")
def _swapaxes(z, x, axis1, axis2):
    z_dot = np.swapaxes(x_dot, batch_axis(x, axis=axis1), batch_axis(x, axis=axis2))


@vtangent("numpy.moveaxis")
def _moveaxis(z, x, source, destination):
    z_dot = np.moveaxis(x_dot, batch_axis(x, axis=source), batch_axis(x, axis=destination))


@vtangent("numpy.diagonal", "method.diagonal")
def _diagonal(z, x, offset=0, axis1=0, axis2=1):
    z_dot = batch_diagonal(x_dot, offset=offset, axis1=axis1, axis2=axis2)


@vtangent("numpy.trace", "method.trace")
def _trace(z, x, offset=0, axis1=0, axis2=1):
    z_dot = batch_trace(x_dot, offset=offset, axis1=axis1, axis2=axis2)


@vtangent("numpy.cumsum", "method.cumsum")
def _cumsum(z, x, axis=None):
    z_dot = batch_cumsum(x_dot, axis=axis)


@vtangent("op.MatMult", "numpy.matmul")
def _matmul(z, a, b):
    z_dot = batch_matmul(a_dot, b, 0) + batch_matmul(a, b_dot, 1)


@vtangent("numpy.dot", "method.dot")
def _dot(z, a, b):
    z_dot = batch_dot(a_dot, b, 0) + batch_dot(a, b_dot, 1)


@vtangent("numpy.outer")
def _outer(z, a, b):
    z_dot = batch_outer(a_dot, b, 0) + batch_outer(a, b_dot, 1)


@vtangent("numpy.linalg.solve")
def _solve(z, a, b):
    z_dot = from_columns(np.linalg.solve(a, as_columns(lift(b_dot, z), z, a)
                                         - batch_matmul(a_dot, as_columns(z, z, a), 0)), z, a)


@vtangent(*LOGSUMEXP)
def _logsumexp(z, a, axis=None, b=None, keepdims=False):
    z_dot = np.sum(lse_weights(a, z, b=b, axis=axis, keepdims=keepdims) * lift(a_dot, a)
                   + lse_weights(a, z, axis=axis, keepdims=keepdims) * lift(b_dot, a),
                   axis=batch_axis(a, axis=axis), keepdims=keepdims)


@vgenerator("numpy.einsum")
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
        keywords = [ast.keyword(arg="optimize", value=ast.Constant(value=True))] if len(operands) > 2 else []
        spec_i = ast.Constant(value=",".join(batched) + "->" + free + output)
        products.append(ast.Call(func=site.np_attr("einsum"), args=[spec_i] + operands, keywords=keywords))
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


# ----------------------------------------------------------------- runtime helpers of reverse-mode code
@vtangent(RUNTIME + "unbroadcast")
def _unbroadcast(z, g, x):
    z_dot = batch_unbroadcast(g_dot, x)


@vtangent(RUNTIME + "broadcast_like")
def _broadcast_like(z, t, like):
    z_dot = lift(t_dot, like)


@vtangent(RUNTIME + "unreduce")
def _unreduce(z, g, x, axis=None, keepdims=False):
    z_dot = batch_unreduce(g_dot, x, axis=axis, keepdims=keepdims)


@vtangent(RUNTIME + "scatter")
def _scatter(z, g, x, index):
    z_dot = batch_scatter(g_dot, x, index)


@vtangent(RUNTIME + "unstack")
def _unstack(z, g, axis=0):
    z_dot = batch_unstack(g_dot, axis=axis)


@vtangent(RUNTIME + "split_like")
def _split_like(z, g, parts, axis=0):
    z_dot = batch_split_like(g_dot, parts, axis=axis)


@vtangent(RUNTIME + "transpose_adjoint")
def _transpose_adjoint(z, g, axes=None):
    z_dot = batch_untranspose(g_dot, axes=axes)


@vtangent(RUNTIME + "cumsum_adjoint")
def _cumsum_adjoint(z, g, x, axis=None):
    z_dot = batch_cumsum_adjoint(g_dot, x, axis=axis)


@vtangent(RUNTIME + "diagonal_adjoint")
def _diagonal_adjoint(z, g, x, offset=0, axis1=0, axis2=1):
    z_dot = batch_diagonal_adjoint(g_dot, x, offset=offset, axis1=axis1, axis2=axis2)


@vtangent(RUNTIME + "written_adjoint")
def _written_adjoint(z, g, index, x=None):
    z_dot = batch_written_adjoint(g_dot, index, x=x)


@vtangent(RUNTIME + "float_copy")
def _float_copy(z, t):
    z_dot = float_copy(t_dot)


@vtangent(RUNTIME + "written_tangent")
def _written_tangent(z, t, x):
    z_dot = written_tangent(t_dot, x)


@vtangent(RUNTIME + "prod_partials")
def _prod_partials(z, x, axis=None):
    z_dot = batch_prod_partials_tangent(x, x_dot, axis=axis)


@vtangent(RUNTIME + "extremum_adjoint")
def _extremum_adjoint(out, g, x, z, axis=None, keepdims=False):
    out_dot = batch_extremum_adjoint(g_dot, x, z, axis=axis, keepdims=keepdims)


@vtangent(RUNTIME + "lse_weights")
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


@vgenerator(HIGHER + "add_at")
def _add_at(site) -> list:
    target_dot = site.dot(site.bound["target"])
    value_dot = site.dot(site.bound["value"])
    if is_zero(value_dot):
        return _assign(site, target_dot)
    if is_zero(target_dot):
        return _assign(site, _call("batch_scatter", value_dot, site.arg("target"), site.arg("index")))
    return _assign(site, _call("batch_add_at", target_dot, site.arg("index"), value_dot))
