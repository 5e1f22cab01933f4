"""Rules for ``scipy.special``: the error function, the normal distribution function and its logarithm,
the logistic function, its logarithm and its inverse, ``xlogy``, the log-gamma and log-beta functions and
the derivatives of log-gamma, softmax, and ``logsumexp(..., return_sign=True)``.

The derivatives are numpy expressions or ``polygamma`` (sct.runtime.special), whose own rule calls it
with ``n + 1``: derivatives of every order exist. ``xlogy(0, y)`` is 0 for every ``y``; its partial in
``y`` is ``x / y``, 0 there too, as numpy computes it for ``y != 0``.
"""
# ruff: noqa: F821, F841  (template bodies use names bound when they are spliced)
import numpy as np

from ..runtime import bessel_ie, polygamma  # noqa: F401
from .core import Axes, elementwise, helper, primitive

SPECIAL = "scipy.special."
SOFTMAX = primitive(SPECIAL + "softmax", SPECIAL + "_logsumexp.softmax", batch=Axes("axis"))
LOG_SOFTMAX = primitive(SPECIAL + "log_softmax", SPECIAL + "_logsumexp.log_softmax", batch=Axes("axis"))
# polygamma(n, x) is infinite at the poles 0, -1, ... and overflows near them, and everywhere for a large
# n (n! / x ** (n + 1)); gammaln overflows beyond 2.5e305 (x log x); digamma only near its poles
POLYGAMMA = primitive("sct.runtime.polygamma", SPECIAL + "polygamma", constant=("n",), overflows=True)
primitive(SPECIAL + "gammaln", "math.lgamma", SPECIAL + "betaln", overflows=True)
primitive(SPECIAL + "i0", SPECIAL + "i1", "numpy.i0", overflows=True)  # beyond |x| = 713
primitive("sct.runtime.bessel_ie", constant=("n",))
primitive(SPECIAL + "log_ndtr", overflows=True)  # -inf below -1e154 (x * x overflows)


@elementwise(SPECIAL + "erf", "math.erf")
def _(z, x):
    return 1.1283791670955126 * np.exp(-(x * x))  # 2 / sqrt(pi)


@elementwise(SPECIAL + "erfc", "math.erfc")
def _(z, x):
    return -1.1283791670955126 * np.exp(-(x * x))


@elementwise(SPECIAL + "ndtr")
def _(z, x):
    return 0.3989422804014327 * np.exp(-0.5 * (x * x))  # 1 / sqrt(2 pi)


@elementwise(SPECIAL + "log_ndtr")
def _(z, x):
    # ndtr' / ndtr as exp(-x**2 / 2 - log_ndtr(x)) / sqrt(2 pi) at x >= -100 (the exponent's cancellation
    # costs |z| ulps: under 1e-12 there); below, Mills' ratio -x / (1 - u + 3 u**2 - 15 u**3 + 105 u**4),
    # u = 1 / x**2 (the next term, 945 u**5, is under 1e-17). The clips keep the branch not taken finite
    # and x**2 from overflowing (beyond 40 the first is below the smallest double; below -1e150, u is)
    return np.where(x < -100.0,
                    -x / (1.0 - np.clip(x, -1e150, -100.0) ** -2.0
                          + 3.0 * np.clip(x, -1e150, -100.0) ** -4.0
                          - 15.0 * np.clip(x, -1e150, -100.0) ** -6.0
                          + 105.0 * np.clip(x, -1e150, -100.0) ** -8.0),
                    0.3989422804014327
                    * np.exp(-0.5 * np.clip(x, -100.0, 40.0) ** 2 - np.maximum(z, -5010.0)))


@elementwise(SPECIAL + "expit")
def _(z, x):
    return z * (1.0 - z)


@elementwise(SPECIAL + "log_expit")
def _(z, x):
    return -np.expm1(z)  # expit(-x), to full precision where it is small (x large) and 1 at x -> -inf


@elementwise(SPECIAL + "logit", singular=("x",))
def _(z, x):
    return 1.0 / (x * (1.0 - x))


@elementwise(SPECIAL + "xlogy", guarded=("x", "y"))  # log(0) and 0 / 0 where x = 0 or y = 0
def _(z, x, y):
    return np.log(y), x / y


@elementwise(SPECIAL + "xlog1py", singular=("x", "y"))
def _(z, x, y):
    return np.log1p(y), x / (1.0 + y)


@elementwise(SPECIAL + "gammaln", "math.lgamma", singular=("x",))
def _(z, x):
    return polygamma(0, x)


@elementwise(SPECIAL + "betaln", singular=("a", "b"))  # poles where a or b is 0, -1, ...
def _(z, a, b):
    return polygamma(0, a) - polygamma(0, a + b), polygamma(0, b) - polygamma(0, a + b)


@elementwise(SPECIAL + "digamma", SPECIAL + "psi", singular=("x",))
def _(z, x):
    return polygamma(1, x)


helper("polygamma", "bessel_ie")  # read primal values only: batched code calls them as they are


@elementwise("sct.runtime.polygamma", SPECIAL + "polygamma", singular=("x",))
def _(z, n, x):
    return 0.0, polygamma(n + 1, x)  # n is an integer, declared constant: sct refuses an active one


@SOFTMAX.tangent
def _(z, x, axis=None):
    z_dot = z * (x_dot - np.sum(z * x_dot, axis=axis, keepdims=True))


@SOFTMAX.adjoint
def _(z, x, axis=None):
    x_bar = z * (z_bar - np.sum(z * z_bar, axis=axis, keepdims=True))


@LOG_SOFTMAX.tangent
def _(z, x, axis=None):
    z_dot = x_dot - np.sum(np.exp(z) * x_dot, axis=axis, keepdims=True)


@LOG_SOFTMAX.adjoint
def _(z, x, axis=None):
    x_bar = z_bar - np.exp(z) * np.sum(z_bar, axis=axis, keepdims=True)


# Modified Bessel functions of the first kind: I_n' = (I_n-1 + I_n+1) / 2 (I_-1 = I_1), written with the
# scaled exp(-|x|) I_n of sct.runtime.bessel_ie, whose own rule gives derivatives of every order. The
# scaled functions have a kink at 0 (from |x|), where their slope is read with sign(0) = 0, as |x|'s is.
@elementwise(SPECIAL + "i0", "numpy.i0")
def _(z, x):
    return bessel_ie(1, x) * np.exp(np.abs(x))


@elementwise(SPECIAL + "i1")
def _(z, x):
    return 0.5 * (bessel_ie(0, x) + bessel_ie(2, x)) * np.exp(np.abs(x))


@elementwise(SPECIAL + "i0e")
def _(z, x):
    return bessel_ie(1, x) - np.sign(x) * z


@elementwise(SPECIAL + "i1e")
def _(z, x):
    return 0.5 * (bessel_ie(0, x) + bessel_ie(2, x)) - np.sign(x) * z


@elementwise("sct.runtime.bessel_ie")
def _(z, n, x):  # n is an integer, declared constant: sct refuses an active one
    return 0.0, 0.5 * (bessel_ie(n - 1, x) + bessel_ie(n + 1, x)) - np.sign(x) * z
