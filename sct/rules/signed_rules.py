"""Rules for calls whose keyword changes what they return (declared as variants, see
:mod:`sct.rules.variants`): ``scipy.special.logsumexp(..., return_sign=True)`` returns
``(log|sum b e^a|, sign)``, and ``np.linalg.svd(a, compute_uv=False)`` the singular values only.

The sign is piecewise constant (no derivative); the derivative of ``log|S|`` is ``sign * b e^(a - z)``.
Where the sum is 0 (``z = -inf``) there is none. The singular values are differentiated where they are
distinct and nonzero, as the full ``svd`` rule does (``ds_i = u_i^T da v_i``).
"""
# ruff: noqa: F821, F841  (template bodies use names bound when they are spliced)
import numpy as np

from ..runtime import lse_weights, unbroadcast, unreduce  # noqa: F401
from .core import SAFE, primitive
from .variants import variant

SIGNED_LSE = primitive(*(variant(q, "return_sign", True, q + ":signed") for q in (
    "scipy.special.logsumexp", "scipy.special._logsumexp.logsumexp")), batch=SAFE)
SINGULAR_VALUES = primitive(variant("numpy.linalg.svd", "compute_uv", False, "numpy.linalg.svd:values"),
                            batch=SAFE)


@SIGNED_LSE.tangent(outputs=2)
def _signed_logsumexp(z, sign, a, axis=None, b=None, keepdims=False, return_sign=False):
    signs = unreduce(sign, a, axis=axis, keepdims=keepdims)
    z_dot = np.sum(signs * (lse_weights(a, z, b=b, axis=axis, keepdims=keepdims) * a_dot
                            + lse_weights(a, z, axis=axis, keepdims=keepdims) * b_dot),
                   axis=axis, keepdims=keepdims)
    sign_dot = np.zeros_like(sign)


@SIGNED_LSE.batched_tangent(outputs=2)
def _signed_logsumexp(z, sign, a, axis=None, b=None, keepdims=False, return_sign=False):
    signs = unreduce(sign, a, axis=axis, keepdims=keepdims)
    z_dot = np.sum(signs * (lse_weights(a, z, b=b, axis=axis, keepdims=keepdims) * lift(a_dot, a)
                            + lse_weights(a, z, axis=axis, keepdims=keepdims) * lift(b_dot, a)),
                   axis=batch_axis(a, axis=axis), keepdims=keepdims)
    sign_dot = np.zeros_like(sign)


@SIGNED_LSE.adjoint(outputs=2)
def _signed_logsumexp(z, sign, a, axis=None, b=None, keepdims=False, return_sign=False):
    spread = unreduce(z_bar * sign, a, axis=axis, keepdims=keepdims)
    a_bar = unbroadcast(spread * lse_weights(a, z, b=b, axis=axis, keepdims=keepdims), a)
    b_bar = unbroadcast(spread * lse_weights(a, z, b=np.ones_like(b), axis=axis, keepdims=keepdims), b)


@SINGULAR_VALUES.tangent
def _singular_values(s, a, full_matrices=True, compute_uv=True, hermitian=False):
    u = np.linalg.svd(a, full_matrices=False)[0]
    vt = np.linalg.svd(a, full_matrices=False)[2]
    s_dot = np.sum(u * (a_dot @ np.swapaxes(vt, -1, -2)), axis=-2)


@SINGULAR_VALUES.adjoint
def _singular_values(s, a, full_matrices=True, compute_uv=True, hermitian=False):
    u = np.linalg.svd(a, full_matrices=False)[0]
    vt = np.linalg.svd(a, full_matrices=False)[2]
    a_bar = (u * s_bar[..., None, :]) @ vt
