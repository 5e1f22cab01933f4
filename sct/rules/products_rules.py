"""Rules for ``np.tensordot``, ``np.cumprod`` and ``np.sinc`` (``np.kron`` is lowered, see
:mod:`sct.rules.lowering`).

``np.tensordot`` is bilinear: its adjoints are tensordots of the output's adjoint with the other operand,
transposed into the operand's axis order (:mod:`sct.runtime.products` works out the axes).

``np.cumprod`` is differentiated without dividing by ``x`` (exact where ``x`` holds zeros): along the
scanned axis, row ``j`` of a table is ``x`` with ``x_j`` replaced by its tangent (by 1 for the adjoint),
and the cumulative products of the rows, kept where ``i >= j`` and summed over ``j``, are the tangent
(the partials ``d z_i / d x_j``). Its derivatives are cumulative products again, so every order follows;
the table holds ``n * n`` entries per scan of length ``n``.

``np.sinc`` has the derivatives of ``sinc_derivative``, exact at 0 (where the second derivative is
``-pi**2 / 3``) and near it.
"""
# ruff: noqa: F821, F841  (template bodies use names bound when they are spliced)
import numpy as np

from .. import runtime
from ..runtime import (  # noqa: F401
    along_last,
    broadcast_like,
    from_last,
    sinc_derivative,
    tensordot_adjoint_axes,
    tensordot_adjoint_order,
    tensordot_axes,
    unbroadcast,
)
from .core import RUNTIME, SAFE, adjoint, elementwise, helper, nondiff, primitive
from .linear import linear

TENSORDOT = primitive("numpy.tensordot")
CUMPROD = primitive("numpy.cumprod", "method.cumprod")
SINC_DERIVATIVE = primitive(RUNTIME + "sinc_derivative", batch=SAFE)
nondiff(RUNTIME + "tensordot_axes", RUNTIME + "tensordot_adjoint_axes", RUNTIME + "tensordot_adjoint_order")
helper("tensordot_axes", "tensordot_adjoint_axes", "tensordot_adjoint_order", "sinc_derivative")
linear(runtime.along_last, "t", batched="batch_along_last")
linear(runtime.from_last, "t", batched="batch_from_last")


@TENSORDOT.tangent
def _tensordot(z, a, b, axes=2):
    z_dot = np.tensordot(a_dot, b, axes=axes) + np.tensordot(a, b_dot, axes=axes)


@TENSORDOT.batched_tangent
def _tensordot(z, a, b, axes=2):  # the batch axis leads every tangent and the result
    z_dot = (np.tensordot(a_dot, b, axes=tensordot_axes(a, b, axes=axes, shift_a=1))
             + np.moveaxis(np.tensordot(a, b_dot, axes=tensordot_axes(a, b, axes=axes, shift_b=1)),
                           np.ndim(a) - len(tensordot_axes(a, b, axes=axes)[0]), 0))


@TENSORDOT.adjoint
def _tensordot(z, a, b, axes=2):
    g = broadcast_like(z_bar, z)
    a_bar = np.transpose(np.tensordot(g, b, axes=tensordot_adjoint_axes(a, b, 0, axes=axes)),
                         tensordot_adjoint_order(a, b, 0, axes=axes))
    b_bar = np.transpose(np.tensordot(g, a, axes=tensordot_adjoint_axes(a, b, 1, axes=axes)),
                         tensordot_adjoint_order(a, b, 1, axes=axes))


@TENSORDOT.batched_adjoint
def _tensordot(z, a, b, axes=2):
    a_bar = np.transpose(np.tensordot(z_bar, b, axes=tensordot_adjoint_axes(a, b, 0, axes=axes, batch=1)),
                         tensordot_adjoint_order(a, b, 0, axes=axes, batch=1))
    b_bar = np.transpose(np.tensordot(z_bar, a, axes=tensordot_adjoint_axes(a, b, 1, axes=axes, batch=1)),
                         tensordot_adjoint_order(a, b, 1, axes=axes, batch=1))


@CUMPROD.tangent
def _cumprod(z, a, axis=None):
    scanned = along_last(a, axis=axis)
    own = np.eye(np.shape(scanned)[-1], dtype=bool)
    rows = np.where(own, along_last(a_dot, axis=axis)[..., None, :], scanned[..., None, :])
    z_dot = from_last(np.sum(np.triu(np.cumprod(rows, axis=-1)), axis=-2), z, axis=axis)


@CUMPROD.batched_tangent
def _cumprod(z, a, axis=None):
    scanned = along_last(a, axis=axis)
    own = np.eye(np.shape(scanned)[-1], dtype=bool)
    rows = np.where(own, batch_along_last(a_dot, axis=axis)[..., None, :], scanned[..., None, :])
    z_dot = batch_from_last(np.sum(np.triu(np.cumprod(rows, axis=-1)), axis=-2), z, axis=axis)


@CUMPROD.adjoint
def _cumprod(z, a, axis=None):
    scanned = along_last(a, axis=axis)
    own = np.eye(np.shape(scanned)[-1], dtype=bool)
    partials = np.triu(np.cumprod(np.where(own, 1.0, scanned[..., None, :]), axis=-1))
    g = along_last(broadcast_like(z_bar, z), axis=axis)
    a_bar = from_last(np.sum(partials * g[..., None, :], axis=-1), a, axis=axis)


@CUMPROD.batched_adjoint
def _cumprod(z, a, axis=None):
    scanned = along_last(a, axis=axis)
    own = np.eye(np.shape(scanned)[-1], dtype=bool)
    partials = np.triu(np.cumprod(np.where(own, 1.0, scanned[..., None, :]), axis=-1))
    g = batch_along_last(z_bar, axis=axis)
    a_bar = batch_from_last(np.sum(partials * g[..., None, :], axis=-1), a, axis=axis)


@adjoint(RUNTIME + "along_last")  # the two moves are each other's adjoint
def _along_last(z, t, axis=None):
    t_bar = from_last(z_bar, t, axis=axis)


@adjoint(RUNTIME + "from_last")
def _from_last(z, t, like, axis=None):
    t_bar = along_last(z_bar, axis=axis)


@elementwise("numpy.sinc")
def _sinc(z, x):
    return sinc_derivative(x, 1)


@SINC_DERIVATIVE.tangent
def _sinc_derivative(z, x, n):
    z_dot = sinc_derivative(x, n + 1) * x_dot


@SINC_DERIVATIVE.adjoint
def _sinc_derivative(z, x, n):
    x_bar = unbroadcast(z_bar * sinc_derivative(x, n + 1), x)
