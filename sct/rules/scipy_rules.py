"""Rules for ``scipy.special``."""
# ruff: noqa: F821, F841  (template bodies use names bound when they are spliced)
import numpy as np

from ..runtime import lse_weights, unbroadcast, unreduce  # noqa: F401
from .call_forms import LOGSUMEXP_REAL
from .core import SAFE, adjoint, primitive, tangent

# the user's logsumexp without b or return_sign is computed by LOGSUMEXP_REAL (call_forms.py rewrites it)
LOGSUMEXP = primitive("scipy.special.logsumexp", "scipy.special._logsumexp.logsumexp", LOGSUMEXP_REAL,
                      batch=SAFE)


@tangent(*LOGSUMEXP)
def _logsumexp(z, a, axis=None, b=None, keepdims=False):
    z_dot = np.sum(lse_weights(a, z, b=b, axis=axis, keepdims=keepdims) * a_dot
                   + lse_weights(a, z, axis=axis, keepdims=keepdims) * b_dot, axis=axis, keepdims=keepdims)


@adjoint(*LOGSUMEXP)
def _logsumexp(z, a, axis=None, b=None, keepdims=False):
    a_bar = unbroadcast(unreduce(z_bar, a, axis=axis, keepdims=keepdims)
                        * lse_weights(a, z, b=b, axis=axis, keepdims=keepdims), a)  # a and b broadcast
    b_bar = unbroadcast(unreduce(z_bar, a, axis=axis, keepdims=keepdims)
                        * lse_weights(a, z, b=np.ones_like(b), axis=axis, keepdims=keepdims), b)
