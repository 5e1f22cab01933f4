"""Rules for ``scipy.special``: the error function, the logistic function and its inverse, ``xlogy``,
the log-gamma function and its derivatives, softmax, and ``logsumexp(..., return_sign=True)``.

The derivatives are numpy expressions or ``polygamma`` (sct.runtime.special), whose own rule calls it
with ``n + 1``: derivatives of every order exist. ``xlogy(0, y)`` is 0 for every ``y``; its partial in
``y`` is ``x / y``, 0 there too, as numpy computes it for ``y != 0``.
"""
# ruff: noqa: F821, F841  (template bodies use names bound when they are spliced)
import numpy as np

from ..runtime import polygamma  # noqa: F401
from .core import Axes, elementwise, helper, primitive

SPECIAL = "scipy.special."
SOFTMAX = primitive(SPECIAL + "softmax", SPECIAL + "_logsumexp.softmax", batch=Axes("axis"))
LOG_SOFTMAX = primitive(SPECIAL + "log_softmax", SPECIAL + "_logsumexp.log_softmax", batch=Axes("axis"))
# polygamma(n, x) is infinite at the poles 0, -1, ... and overflows near them, and everywhere for a large
# n (n! / x ** (n + 1)); gammaln overflows beyond 2.5e305 (x log x); digamma only near its poles
POLYGAMMA = primitive("sct.runtime.polygamma", SPECIAL + "polygamma", constant=("n",), overflows=True)
primitive(SPECIAL + "gammaln", "math.lgamma", overflows=True)


@elementwise(SPECIAL + "erf", "math.erf")
def _(z, x):
    return 1.1283791670955126 * np.exp(-(x * x))  # 2 / sqrt(pi)


@elementwise(SPECIAL + "erfc", "math.erfc")
def _(z, x):
    return -1.1283791670955126 * np.exp(-(x * x))


@elementwise(SPECIAL + "expit")
def _(z, x):
    return z * (1.0 - z)


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


@elementwise(SPECIAL + "digamma", SPECIAL + "psi", singular=("x",))
def _(z, x):
    return polygamma(1, x)


helper("polygamma")  # reads primal values only: batched code calls it as it is


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
