"""Tangent rules for the runtime helpers that emitted derivative code calls: emitted code is differentiable.

A second derivative transforms first-derivative code again (forward mode over reverse mode), and that code
calls ``unbroadcast``, ``unreduce``, ``matmul_adjoint``... Most helpers are linear in the adjoint they
receive, so their tangent is the same helper applied to the adjoint's tangent. Also here: ``add_at``, the
functional spelling of ``accumulate_at`` (see ``sct.higher.stages``).
"""
# ruff: noqa: F821, F841  (template bodies use names bound when they are spliced)
from __future__ import annotations

import ast

import numpy as np  # noqa: F401

from .. import runtime
from ..ir.builders import call as _call
from .core import (
    SAFE,
    RuleError,
    adjoint,
    generator,
    helper,
    list_valued,
    nondiff,
    nondiff_except,
    primitive,
    tangent,
)
from .linear import linear
from .templates import is_zero, sum_terms, zero
from .templates import tangent_assignment as _assign

RUNTIME = "sct.runtime."
HIGHER = "sct.runtime.higher."


# Helpers linear in the derivative they receive: their tangent is the same helper applied to its tangent.
linear(runtime.seed_like, "seed")  # reads only the shape and dtype of the value
linear(runtime.var_weights, "x")
linear(runtime.unbroadcast, "g", batched="batch_unbroadcast")
linear(runtime.einsum_fit, "g", batched="batch_einsum_fit")
linear(runtime.adjoint_shape, "g", batched="batch_adjoint_shape")  # checks what a user's adjoint rule gives
linear(runtime.tangent_shape, "t", batched="batch_tangent_shape")  # ... and what a user's tangent rule gives
linear(runtime.broadcast_like, "t", batched="lift")
linear(runtime.unreduce, "g", batched="batch_unreduce")
linear(runtime.extremum_adjoint, "g", batched="batch_extremum_adjoint")
linear(runtime.sum_adjoint, "g", batched="batch_sum_adjoint", returns_list=True)
linear(runtime.add_lists, "a", "b", batched="batch_add_lists", returns_list=True)
# ... and as it is in a rule's template where both operands are lists of batches (cho_factor's tangent)
helper("add_lists")
linear(runtime.kept_zero_dim, "value", batched=SAFE, transpose="kept_zero_dim")
linear(runtime.list_adjoint, "g", batched="batch_list_adjoint", returns_list=True)
linear(runtime.slice_written, "g", batched="batch_slice_written", returns_list=True)  # or an array
linear(runtime.slice_cleared, "g", batched="batch_slice_cleared", returns_list=True)
linear(runtime.scatter, "g", batched="batch_scatter")
linear(runtime.unstack, "g", batched="batch_unstack", returns_list=True)
linear(runtime.unstack_like, "g", batched="batch_unstack_like", returns_list=True)
linear(runtime.split_like, "g", batched="batch_split_like", returns_list=True)
linear(runtime.transpose_adjoint, "g", batched="batch_untranspose")
linear(runtime.diagonal_adjoint, "g", batched="batch_diagonal_adjoint")
linear(runtime.cumsum_adjoint, "g", batched="batch_cumsum_adjoint")
linear(runtime.running_extremum_tangent, "v", batched=SAFE, transpose="running_extremum_adjoint")
linear(runtime.running_extremum_adjoint, "g", batched=SAFE, transpose="running_extremum_tangent")
linear(runtime.quantile_tangent, "v", batched=SAFE, transpose="quantile_adjoint")
linear(runtime.quantile_adjoint, "g", batched=SAFE, transpose="quantile_tangent")
linear(runtime.written_adjoint, "g", batched="batch_written_adjoint")
linear(runtime.written_tangent, "t", batched=SAFE)
linear(runtime.float_copy, "t", batched=SAFE)
linear(runtime.kept_copy, "value", batched=SAFE, returns_list=True)  # or an array
linear(runtime.if_inexact, "g", batched=SAFE)
linear(runtime.linspace_tangent, "start_dot", "stop_dot")
linear(runtime.linspace_adjoint, "g")
linear(runtime.as_columns, "v", batched=SAFE)
linear(runtime.from_columns, "v", batched=SAFE)
# Helpers that read only primal values (or broadcast over a leading axis): batched code calls them as is.
helper("extremum_mask", "reduced_size", "lse_weights", "norm_weights", "zero_norms", "prod_partials",
       "var_weights", "cholesky_adjoint", "cholesky_tangent")
primitive(RUNTIME + "cholesky_adjoint", batch=SAFE)
list_valued("numpy.split", "numpy.array_split", RUNTIME + "zeros_list")
nondiff_except(RUNTIME + "norm_order", RUNTIME + "norm_exponent",  # read orders and shapes only
               carrying=lambda args, keywords: list(args[1:2]) + [v for k, v in keywords.items()
                                                                   if k == "ord"],
               hint="give np.linalg.norm a constant ord")
helper("norm_order", "norm_exponent")


@tangent(RUNTIME + "norm_weights")  # w = sign(x) |x|^(p-1) / z^(p-1), z spread over the reduced axes
def _norm_weights(w, x, z, ord=None, axis=None, keepdims=False):
    zs = unreduce(z, x, axis=axis, keepdims=keepdims)
    power = (np.abs(x) / zs) ** norm_exponent(x, ord=ord, axis=axis)
    slope = power * x_dot - w * unreduce(z_dot, x, axis=axis, keepdims=keepdims)
    w_dot = np.where(zero_norms(x, z, ord=ord, axis=axis, keepdims=keepdims), 0.0,  # w is 0 there
                     norm_order(x, ord=ord, axis=axis) * slope / zs)


@adjoint(RUNTIME + "var_weights")  # centering along the axes is symmetric
def _var_weights(z, x, axis=None, ddof=0):
    x_bar = var_weights(z_bar, axis=axis, ddof=ddof)


@adjoint(RUNTIME + "norm_weights")
def _norm_weights(w, x, z, ord=None, axis=None, keepdims=False):
    zs = unreduce(z, x, axis=axis, keepdims=keepdims)
    zero = zero_norms(x, z, ord=ord, axis=axis, keepdims=keepdims)  # w is 0 there
    scaled = np.where(zero, 0.0, norm_order(x, ord=ord, axis=axis) * w_bar / zs)
    x_bar = np.where(zero, 0.0, (np.abs(x) / zs) ** norm_exponent(x, ord=ord, axis=axis) * scaled)
    z_bar = -np.sum(scaled * w, axis=axis, keepdims=keepdims)


@tangent(RUNTIME + "lse_weights")
def _lse_weights(w, a, z, b=None, axis=None, keepdims=False):
    w_dot = w * (a_dot - unreduce(z_dot, a, axis=axis, keepdims=keepdims)) \
        + lse_weights(a, z, axis=axis, keepdims=keepdims) * b_dot


# power_term(x, k, j), the j-th derivative of x ** k in x (emitted by sct.optimize.fast_powers): k is made by
# np.arange and read only as an operand, so it carries no derivative
helper("power_term")
primitive(RUNTIME + "power_term", batch=SAFE)


@tangent(RUNTIME + "power_term")
def _power_term(z, x, y, order):
    z_dot = power_term(x, y, order + 1) * x_dot


@adjoint(RUNTIME + "power_term")
def _power_term(z, x, y, order):
    x_bar = unbroadcast(z_bar * power_term(x, y, order + 1), x)


# zero_where_undefined(factor, term): term, or 0 where factor is 0 and term NaN; the mask is piecewise
# constant, so the factor gets no derivative through it and the term's passes where it is not masked. The
# term's tangent (factor_dot * partial + factor * partial_dot) is guarded too: where factor is 0, its
# second product is 0 even where partial_dot is infinite
helper("zero_where_undefined")
primitive(RUNTIME + "zero_where_undefined", batch=SAFE, selects=("term",))


@tangent(RUNTIME + "zero_where_undefined")
def _zero_where_undefined(z, factor, term):
    z_dot = zero_where_undefined(factor, np.where(np.isnan(term) & (factor == 0), 0.0, term_dot))


@adjoint(RUNTIME + "zero_where_undefined")
def _zero_where_undefined(z, factor, term):
    term_bar = unbroadcast(np.where(np.isnan(term) & (factor == 0), 0.0, z_bar), term)


# Adjoints of the helpers that forward-mode code calls, for reverse mode over forward mode.
@adjoint(RUNTIME + "float_copy")
def _float_copy(z, t):
    t_bar = z_bar

ELEMENT_COPY = primitive(RUNTIME + "element_copy", batch=SAFE)


@ELEMENT_COPY.tangent
def _element_copy(z, value, message):
    z_dot = np.copy(value_dot)  # a batch of tangents is an array, a view of the array's batch


@ELEMENT_COPY.adjoint
def _element_copy(z, value, message):
    value_bar = z_bar


@adjoint(RUNTIME + "kept_copy")
def _kept_copy(z, value):
    value_bar = z_bar


@adjoint(RUNTIME + "written_tangent")
def _written_tangent(z, t, x):
    t_bar = written_tangent(z_bar, x)


@adjoint(RUNTIME + "broadcast_like")
def _broadcast_like(out, t, z):
    t_bar = unbroadcast(out_bar, t)


@adjoint(RUNTIME + "tangent_shape")
def _tangent_shape(out, t, z, rule):
    t_bar = unbroadcast(out_bar, t)


@adjoint(RUNTIME + "unbroadcast")
def _unbroadcast(z, g, x):
    g_bar = np.broadcast_to(z_bar, np.shape(g))


@adjoint(RUNTIME + "einsum_fit")  # sums where one shape has length 1 and broadcasts: its own transpose
def _einsum_fit(z, g, x):
    g_bar = einsum_fit(z_bar, g)


@adjoint(RUNTIME + "unreduce")
def _unreduce(z, g, x, axis=None, keepdims=False):
    g_bar = np.reshape(np.sum(z_bar, axis=axis, keepdims=keepdims), np.shape(g))


@adjoint(RUNTIME + "scatter")
def _scatter(z, g, x, index):
    g_bar = z_bar[index]


@adjoint(RUNTIME + "lse_weights")
def _lse_weights(w, a, z, b=None, axis=None, keepdims=False):
    a_bar = unbroadcast(w_bar * w, a)
    z_bar = -np.reshape(np.sum(w_bar * w, axis=axis, keepdims=keepdims), np.shape(z))
    b_bar = unbroadcast(w_bar * lse_weights(a, z, axis=axis, keepdims=keepdims), b)


def _matmul_adjoint_signature(g, a, b, position):
    pass


def position_of(site) -> int:
    """The literal ``position`` argument of a ``matmul_adjoint`` call (always a literal in emitted code)."""
    node = site.bound.get("position")
    if not (isinstance(node, ast.Constant) and node.value in (0, 1)):
        raise RuleError("matmul_adjoint needs a literal position (0 or 1)")
    return node.value


def _dot_adjoint_signature(g, a, b, position, batch=0):
    pass


@generator(RUNTIME + "matmul_adjoint", mode="tangent", signature=_matmul_adjoint_signature)
def _matmul_adjoint_tangent(site) -> list:
    """Bilinear in the adjoint and the operand it is multiplied by (``b`` for position 0, ``a`` for 1)."""
    return _product_adjoint_tangent(site, "matmul_adjoint", [])


@generator(RUNTIME + "dot_adjoint", mode="tangent", signature=_dot_adjoint_signature)
def _dot_adjoint_tangent(site) -> list:
    """Bilinear like ``matmul_adjoint``'s."""
    return _product_adjoint_tangent(site, "dot_adjoint", [site.arg("batch")] if "batch" in site.bound else [])


def _product_adjoint_tangent(site, helper: str, extra: list) -> list:
    position = position_of(site)
    g, a, b = (site.arg(n) for n in ("g", "a", "b"))
    other = "b" if position == 0 else "a"
    terms = []
    if not is_zero(site.dot(site.bound["g"])):
        terms.append(_call(helper, site.dot(site.bound["g"]), a, b, ast.Constant(position), *extra))
    if not is_zero(site.dot(site.bound[other])):
        args = [site.arg("g"), site.arg("a"), site.arg("b")]
        args[1 if other == "a" else 2] = site.dot(site.bound[other])
        terms.append(_call(helper, *args, ast.Constant(position), *extra))
    return _assign(site, sum_terms(terms))


def _cholesky_adjoint_signature(L, L_bar):
    pass


@generator(RUNTIME + "cholesky_adjoint", mode="tangent", signature=_cholesky_adjoint_signature)
def _cholesky_adjoint_tangent(site) -> list:
    dots = [site.dot(site.bound[n]) for n in ("L", "L_bar")]
    if all(is_zero(d) for d in dots):
        return _assign(site, zero())
    dots = [ast.Constant(value=None) if is_zero(d) else d for d in dots]
    return _assign(site, _call("cholesky_adjoint_tangent", site.arg("L"), site.arg("L_bar"), *dots))


def _add_at_signature(target, index, value):
    pass


def add_at_tangent(site, scatter: str = "scatter", add_at: str = "added_at") -> list:
    """``t = add_at(t, i, v)`` (or ``added_at``): the tangent of ``t`` with ``v``'s tangent added at ``i``, as
    a new value, since other names may hold the tangent of ``t`` (``sct.optimize.in_place`` adds in place
    where none can); vector mode passes the batched helpers' names."""
    target_dot = site.dot(site.bound["target"])
    value_dot = site.dot(site.bound["value"])
    if is_zero(value_dot):
        return _assign(site, target_dot)
    if is_zero(target_dot):
        return _assign(site, _call(scatter, value_dot, site.arg("target"), site.arg("index")))
    return _assign(site, _call(add_at, target_dot, site.arg("index"), value_dot))


generator(HIGHER + "add_at", HIGHER + "added_at", mode="tangent", signature=_add_at_signature)(add_at_tangent)


nondiff(RUNTIME + "arithmetic_operands")  # a check: it returns nothing
# a reduction's where= mask: booleans, constant; a float mask (numpy refuses it) that varies is refused
nondiff_except(RUNTIME + "where_mask", carrying=lambda args, keywords: args[:1],
               hint="compute the mask with a comparison (where=x > 0), which carries no derivative")
nondiff(RUNTIME + "extremum_mask", RUNTIME + "zero_norms", RUNTIME + "reduced_size", RUNTIME + "zeros_list",
        HIGHER + "batch_index", RUNTIME + "shape_of")  # a tape's stand-in, read for its shape only


@adjoint(RUNTIME + "if_inexact")
def _if_inexact(out, g, z):
    g_bar = if_inexact(out_bar, z)



@adjoint(RUNTIME + "as_columns")
def _as_columns(out, v, z, a):
    v_bar = unbroadcast(from_columns(out_bar, z, a), v)


@adjoint(RUNTIME + "from_columns")
def _from_columns(out, v, z, a):
    v_bar = as_columns(out_bar, z, a)
