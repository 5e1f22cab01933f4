"""Rules for ``scipy.linalg.cho_factor`` and ``cho_solve``, whatever the pair ``(c, lower)`` flows through
(unpacked into names, passed on whole, rebuilt as a tuple).

``cho_factor`` is differentiated as the Cholesky factor ``L`` of the triangle of ``a`` it reads
(``dL = L Phi(L^-1 da L^-T)``, ``Phi``: the lower part with half the diagonal), laid out in ``c``; the
other triangle of ``c`` is ``a``'s own. ``cho_solve`` solves ``L L^T x = b``. Derivative code uses numpy
only; the values stay scipy's. Where ``a`` is not positive definite, scipy refuses (LinAlgError).
"""
# ruff: noqa: F821, F841  (template bodies use names bound when they are spliced)
import numpy as np

from .. import runtime
from ..runtime import (  # noqa: F401
    add_lists,
    as_columns,
    broadcast_like,
    cho_lower,
    cho_lower_adjoint,
    cho_read,
    cho_read_adjoint,
    cho_rest,
    cho_rest_adjoint,
    cholesky_adjoint,
    from_columns,
)
from .core import RUNTIME, SAFE, adjoint, list_valued, primitive
from .linear import linear

CHO_FACTOR = primitive("scipy.linalg.cho_factor", "scipy.linalg._decomp_cholesky.cho_factor", batch=SAFE)
CHO_SOLVE = primitive("scipy.linalg.cho_solve", "scipy.linalg._decomp_cholesky.cho_solve", batch=SAFE)
list_valued(*CHO_FACTOR)
# the pairs of linear maps are each other's adjoints
linear(runtime.cho_lower, "pair", batched=SAFE, transpose="cho_lower_adjoint")
linear(runtime.cho_lower_adjoint, "g", batched=SAFE, returns_list=True, transpose="cho_lower")
linear(runtime.cho_rest, "t", batched=SAFE, returns_list=True, transpose="cho_rest_adjoint")
linear(runtime.cho_rest_adjoint, "g", batched=SAFE, transpose="cho_rest")
linear(runtime.cho_read, "t", batched=SAFE, transpose="cho_read_adjoint")
linear(runtime.cho_read_adjoint, "g", batched=SAFE, transpose="cho_read")


@CHO_FACTOR.tangent
def _cho_factor(z, a, lower=False, overwrite_a=False, check_finite=True):
    factor = cho_lower(z, z)
    inner = np.linalg.solve(factor, np.swapaxes(np.linalg.solve(factor, cho_read(a_dot, z)), -1, -2))
    phi = np.tril(inner) - 0.5 * np.eye(np.shape(factor)[-1]) * inner
    z_dot = add_lists(cho_lower_adjoint(factor @ phi, z), cho_rest(a_dot, z))


@CHO_FACTOR.adjoint
def _cho_factor(z, a, lower=False, overwrite_a=False, check_finite=True):
    a_bar = (cho_read_adjoint(cholesky_adjoint(cho_lower(z, z), cho_lower(z_bar, z)), z)
             + cho_rest_adjoint(z_bar, z))


@CHO_SOLVE.tangent
def _cho_solve(z, c_and_lower, b, overwrite_b=False, check_finite=True):
    factor = cho_lower(c_and_lower, c_and_lower)
    factor_dot = cho_lower(c_and_lower_dot, c_and_lower)
    m = factor @ np.swapaxes(factor, -1, -2)
    m_dot = factor_dot @ np.swapaxes(factor, -1, -2) + factor @ np.swapaxes(factor_dot, -1, -2)
    z_dot = from_columns(np.linalg.solve(m, as_columns(b_dot, z, m) - m_dot @ as_columns(z, z, m)), z, m)


@CHO_SOLVE.adjoint
def _cho_solve(z, c_and_lower, b, overwrite_b=False, check_finite=True):
    factor = cho_lower(c_and_lower, c_and_lower)
    m = factor @ np.swapaxes(factor, -1, -2)
    g = np.linalg.solve(m, as_columns(broadcast_like(z_bar, z), z, m))
    m_bar = -g @ np.swapaxes(as_columns(z, z, m), -1, -2)
    c_and_lower_bar = cho_lower_adjoint((m_bar + np.swapaxes(m_bar, -1, -2)) @ factor, c_and_lower)
    b_bar = from_columns(g, z, m)


@adjoint(RUNTIME + "add_lists")
def _add_lists(out, a, b):
    a_bar = out_bar
    b_bar = out_bar
