"""Tangent rules for the runtime helpers that emitted derivative code calls: emitted code is differentiable.

A second derivative transforms first-derivative code again (forward mode over reverse mode), and that code
calls ``unbroadcast``, ``unreduce``, ``matmul_adjoint``... Most helpers are linear in the adjoint they
receive, so their tangent is the same helper applied to the adjoint's tangent. Also here: ``add_at``, the
functional spelling of ``accumulate_at`` (see ``sct.stages``).
"""
# ruff: noqa: F821, F841  (template bodies use names bound when they are spliced)
from __future__ import annotations

import ast

import numpy as np  # noqa: F401

from ..builders import call as _call
from ..splice import is_zero, sum_terms, zero
from ..splice import tangent_assignment as _assign
from .registry import adjoint, generator, nondiff, tangent
from .structural_rules import RuleError

RUNTIME = "sct.runtime."
HIGHER = "sct.higher_runtime."


@tangent(RUNTIME + "seed_like")  # linear in the seed; reads only the shape and dtype of the value
def _seed_like(z, seed, value):
    z_dot = seed_like(seed_dot, value)


@tangent(RUNTIME + "var_weights")  # linear in x
def _var_weights(z, x, axis=None, ddof=0):
    z_dot = var_weights(x_dot, axis=axis, ddof=ddof)


@adjoint(RUNTIME + "var_weights")  # centering along the axes is symmetric
def _var_weights(z, x, axis=None, ddof=0):
    x_bar = var_weights(z_bar, axis=axis, ddof=ddof)


@tangent(RUNTIME + "norm_weights")  # w = x / z, z spread over the reduced axes
def _norm_weights(w, x, z, ord=None, axis=None, keepdims=False):
    w_dot = (x_dot - w * unreduce(z_dot, x, axis=axis, keepdims=keepdims)) / unreduce(z, x, axis=axis,
                                                                                     keepdims=keepdims)


@adjoint(RUNTIME + "norm_weights")
def _norm_weights(w, x, z, ord=None, axis=None, keepdims=False):
    x_bar = w_bar / unreduce(z, x, axis=axis, keepdims=keepdims)
    z_bar = -np.sum(w_bar * w / unreduce(z, x, axis=axis, keepdims=keepdims), axis=axis, keepdims=keepdims)


@tangent(RUNTIME + "unbroadcast")
def _unbroadcast(z, g, x):
    z_dot = unbroadcast(g_dot, x)


@tangent(RUNTIME + "broadcast_like")
def _broadcast_like(z, t, like):
    z_dot = broadcast_like(t_dot, like)


@tangent(RUNTIME + "unreduce")
def _unreduce(z, g, x, axis=None, keepdims=False):
    z_dot = unreduce(g_dot, x, axis=axis, keepdims=keepdims)


@tangent(RUNTIME + "extremum_adjoint")
def _extremum_adjoint(out, g, x, z, axis=None, keepdims=False):
    out_dot = extremum_adjoint(g_dot, x, z, axis=axis, keepdims=keepdims)


@tangent(RUNTIME + "sum_adjoint")
def _sum_adjoint(z, g, x):
    z_dot = sum_adjoint(g_dot, x)


@tangent(RUNTIME + "add_lists")
def _add_lists(z, a, b):
    z_dot = add_lists(a_dot, b_dot)


@tangent(RUNTIME + "scatter")
def _scatter(z, g, x, index):
    z_dot = scatter(g_dot, x, index)


@tangent(RUNTIME + "unstack")
def _unstack(z, g, axis=0):
    z_dot = unstack(g_dot, axis=axis)


@tangent(RUNTIME + "split_like")
def _split_like(z, g, parts, axis=0):
    z_dot = split_like(g_dot, parts, axis=axis)


@tangent(RUNTIME + "transpose_adjoint")
def _transpose_adjoint(z, g, axes=None):
    z_dot = transpose_adjoint(g_dot, axes=axes)


@tangent(RUNTIME + "diagonal_adjoint")
def _diagonal_adjoint(z, g, x, offset=0, axis1=0, axis2=1):
    z_dot = diagonal_adjoint(g_dot, x, offset=offset, axis1=axis1, axis2=axis2)


@tangent(RUNTIME + "cumsum_adjoint")
def _cumsum_adjoint(z, g, x, axis=None):
    z_dot = cumsum_adjoint(g_dot, x, axis=axis)


@tangent(RUNTIME + "lse_weights")
def _lse_weights(w, a, z, b=None, axis=None, keepdims=False):
    w_dot = w * (a_dot - unreduce(z_dot, a, axis=axis, keepdims=keepdims)) \
        + lse_weights(a, z, axis=axis, keepdims=keepdims) * b_dot


@tangent(RUNTIME + "written_adjoint")
def _written_adjoint(z, g, index, x=None):
    z_dot = written_adjoint(g_dot, index, x=x)


@tangent(RUNTIME + "written_tangent")
def _written_tangent(z, t, x):
    z_dot = written_tangent(t_dot, x)


@tangent(RUNTIME + "float_copy")
def _float_copy(z, t):
    z_dot = float_copy(t_dot)


# Adjoints of the helpers that forward-mode code calls, for reverse mode over forward mode.
@adjoint(RUNTIME + "float_copy")
def _float_copy(z, t):
    t_bar = z_bar

@adjoint(RUNTIME + "written_tangent")
def _written_tangent(z, t, x):
    t_bar = written_tangent(z_bar, x)


@adjoint(RUNTIME + "broadcast_like")
def _broadcast_like(z, t, like):
    t_bar = unbroadcast(z_bar, t)


@adjoint(RUNTIME + "unbroadcast")
def _unbroadcast(z, g, x):
    g_bar = np.broadcast_to(z_bar, np.shape(g))


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


@generator(HIGHER + "add_at", mode="tangent", signature=_add_at_signature)
def _add_at_tangent(site) -> list:
    """``t = add_at(t, i, v)``: the tangent of ``t`` gets ``v``'s tangent added at ``i`` (in place too)."""
    target_dot = site.dot(site.bound["target"])
    value_dot = site.dot(site.bound["value"])
    if is_zero(value_dot):
        return _assign(site, target_dot)
    if is_zero(target_dot):
        return _assign(site, _call("scatter", value_dot, site.arg("target"), site.arg("index")))
    return _assign(site, _call("add_at", target_dot, site.arg("index"), value_dot))


nondiff(RUNTIME + "extremum_mask", RUNTIME + "reduced_size", RUNTIME + "zeros_list", HIGHER + "batch_index")


@tangent(RUNTIME + "if_inexact")
def _if_inexact(out, g, z):
    out_dot = if_inexact(g_dot, z)


@adjoint(RUNTIME + "if_inexact")
def _if_inexact(out, g, z):
    g_bar = if_inexact(out_bar, z)



@tangent(RUNTIME + "linspace_tangent")
def _linspace_tangent(out, start_dot, stop_dot, z, num, endpoint=True, axis=0):
    out_dot = linspace_tangent(start_dot_dot, stop_dot_dot, z, num, endpoint=endpoint, axis=axis)


@tangent(RUNTIME + "linspace_adjoint")
def _linspace_adjoint(out, g, z, num, endpoint=True, axis=0):
    out_dot = linspace_adjoint(g_dot, z, num, endpoint=endpoint, axis=axis)


@tangent(RUNTIME + "as_columns")
def _as_columns(out, v, z, a):
    out_dot = as_columns(v_dot, z, a)


@adjoint(RUNTIME + "as_columns")
def _as_columns(out, v, z, a):
    v_bar = unbroadcast(from_columns(out_bar, z, a), v)


@tangent(RUNTIME + "from_columns")
def _from_columns(out, v, z, a):
    out_dot = from_columns(v_dot, z, a)


@adjoint(RUNTIME + "from_columns")
def _from_columns(out, v, z, a):
    v_bar = as_columns(out_bar, z, a)
