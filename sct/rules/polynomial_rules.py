"""Rules for ``numpy.polyval(p, x)``, differentiable in the coefficients ``p`` (one vector, highest power
first) and the points ``x``: ``sum_i p_i x^k_i`` with ``k_i = n - 1 - i``. The primal is numpy's (Horner's
scheme); the derivatives are sums over the powers of ``x`` along a last axis, so a leading axis of
directions passes through them, and their own rules give higher derivatives. A matrix of coefficients
raises ValueError when run (``sct.runtime.polynomial_exponents``).
"""
# ruff: noqa: F821, F841  (template bodies use names bound when they are spliced)
import numpy as np

from ..runtime import polynomial_exponents, unbroadcast  # noqa: F401
from .core import RUNTIME, SAFE, helper, nondiff, primitive

POLYVAL = primitive("numpy.polyval", batch=SAFE)
nondiff(RUNTIME + "polynomial_exponents")
helper("polynomial_exponents")  # reads the primal coefficients only


@POLYVAL.tangent
def _polyval(z, p, x):
    k = polynomial_exponents(p)
    z_dot = (np.sum(np.expand_dims(p_dot, tuple(range(-1 - np.ndim(x), -1)))
                    * np.power(np.expand_dims(x, -1), k), axis=-1)
             + np.sum(p * k * np.power(np.expand_dims(x, -1), np.maximum(k - 1, 0)), axis=-1) * x_dot)


@POLYVAL.adjoint
def _polyval(z, p, x):
    k = polynomial_exponents(p)
    p_bar = np.sum(np.expand_dims(z_bar, -1) * np.power(np.expand_dims(x, -1), k),
                   axis=tuple(range(-1 - np.ndim(z), -1)))
    slope = np.sum(p * k * np.power(np.expand_dims(x, -1), np.maximum(k - 1, 0)), axis=-1)
    x_bar = unbroadcast(z_bar * slope, x)
