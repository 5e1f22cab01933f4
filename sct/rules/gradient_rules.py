"""Rules for ``np.gradient`` along one axis, with a constant spacing (a scalar or the sample
coordinates), ``edge_order`` 1 or 2: it is linear in the sampled values (see
:mod:`sct.runtime.gradients`). Its value for several axes at once is a tuple: the derivative code
refuses it when run (ValueError), and differentiates ``np.gradient(f, axis=k)`` for each ``k``.
An active spacing is refused at transform time.
"""
# ruff: noqa: F821, F841  (template bodies use names bound when they are spliced)
from .. import runtime
from ..runtime import gradient_adjoint, gradient_along  # noqa: F401
from .core import adjoint, primitive
from .linear import linear

GRADIENT = primitive("numpy.gradient", constant=("spacing",))
linear(runtime.gradient_along, "t", batched="batch_gradient_along")
linear(runtime.gradient_adjoint, "g", batched="batch_gradient_adjoint")


@GRADIENT.tangent
def _gradient(z, f, spacing=1.0, axis=None, edge_order=1):
    z_dot = gradient_along(f_dot, spacing=spacing, axis=axis, edge_order=edge_order)


@GRADIENT.batched_tangent
def _gradient(z, f, spacing=1.0, axis=None, edge_order=1):
    z_dot = batch_gradient_along(f_dot, spacing=spacing, axis=axis, edge_order=edge_order)


@GRADIENT.adjoint
def _gradient(z, f, spacing=1.0, axis=None, edge_order=1):
    f_bar = gradient_adjoint(z_bar, f, spacing=spacing, axis=axis, edge_order=edge_order)


@GRADIENT.batched_adjoint
def _gradient(z, f, spacing=1.0, axis=None, edge_order=1):
    f_bar = batch_gradient_adjoint(z_bar, f, spacing=spacing, axis=axis, edge_order=edge_order)


@adjoint("sct.runtime.gradient_along")  # D and D^T
def _gradient_along(z, t, spacing=1.0, axis=None, edge_order=1):
    t_bar = gradient_adjoint(z_bar, t, spacing=spacing, axis=axis, edge_order=edge_order)


@adjoint("sct.runtime.gradient_adjoint")
def _gradient_adjoint(z, g, f, spacing=1.0, axis=None, edge_order=1):
    g_bar = gradient_along(z_bar, spacing=spacing, axis=axis, edge_order=edge_order)
