"""Rules for ``np.linalg.lstsq(a, b)``: the solution ``x``, the residuals, the rank and the singular
values, differentiated where ``a`` has full rank (``x = pinv(a) b``; Golub and Pereyra's derivative of
the pseudo-inverse). Below full rank the solution jumps with ``rcond``: the derivative code raises
ValueError. The rank is an integer (no derivative); the singular values move as in ``svd``.
"""
# ruff: noqa: F821, F841  (template bodies use names bound when they are spliced)
import numpy as np

from .. import runtime
from ..runtime import (  # noqa: F401
    as_columns,
    broadcast_like,
    from_columns,
    full_rank,
    lstsq_residuals,
    lstsq_residuals_adjoint,
    residuals_back,
)
from .core import RUNTIME, SAFE, adjoint, primitive
from .linear import linear

LSTSQ = primitive("numpy.linalg.lstsq", batch=SAFE)
linear(runtime.full_rank, "a", batched=SAFE)
linear(runtime.lstsq_residuals, "v", batched=SAFE)
linear(runtime.lstsq_residuals_adjoint, "g", batched=SAFE)
linear(runtime.residuals_back, "g", batched=SAFE)


@LSTSQ.tangent(outputs=4)
def _lstsq(x, residuals, rank, sv, a, b, rcond=None):
    p = np.linalg.pinv(full_rank(a, rank))
    pt = np.swapaxes(p, -1, -2)
    dt = np.swapaxes(a_dot, -1, -2)
    xc = as_columns(x, x, a)
    rc = as_columns(b, x, a) - a @ xc
    dc = as_columns(b_dot, x, a) - a_dot @ xc
    x_dot = from_columns(p @ dc + p @ (pt @ (dt @ rc)) + (np.eye(np.shape(a)[-1]) - p @ a) @ (dt @ (pt @ xc)),
                         x, a)
    residuals_dot = lstsq_residuals(np.sum(2.0 * rc * dc, axis=-2), residuals)
    rank_dot = np.zeros_like(rank)
    u = np.linalg.svd(a, full_matrices=False)[0]
    vt = np.linalg.svd(a, full_matrices=False)[2]
    sv_dot = np.sum(u * (a_dot @ np.swapaxes(vt, -1, -2)), axis=-2)


@LSTSQ.adjoint(outputs=4)
def _lstsq(x, residuals, rank, sv, a, b, rcond=None):
    p = np.linalg.pinv(full_rank(a, rank))
    pt = np.swapaxes(p, -1, -2)
    xc = as_columns(x, x, a)
    rc = as_columns(b, x, a) - a @ xc
    g = as_columns(broadcast_like(x_bar, x), x, a)
    gc = pt @ g
    wc = 2.0 * rc * lstsq_residuals_adjoint(residuals_bar, residuals)
    rest = np.swapaxes(np.eye(np.shape(a)[-1]) - p @ a, -1, -2)
    u = np.linalg.svd(a, full_matrices=False)[0]
    vt = np.linalg.svd(a, full_matrices=False)[2]
    a_bar = (-(gc + wc) @ np.swapaxes(xc, -1, -2) + rc @ np.swapaxes(p @ gc, -1, -2)
             + (pt @ xc) @ np.swapaxes(rest @ g, -1, -2) + (u * sv_bar[..., None, :]) @ vt)
    b_bar = from_columns(gc + wc, x, a)


@adjoint(RUNTIME + "full_rank")
def _full_rank(z, a, rank):
    a_bar = full_rank(z_bar, rank)


@adjoint(RUNTIME + "lstsq_residuals")
def _lstsq_residuals(z, v, residuals):
    v_bar = residuals_back(z_bar, v, residuals)
