"""Rules for casts and for numpy functions that build arrays from values (``np.full``, ``np.linspace``).

A cast to an integer or boolean dtype rounds, so its derivative is zero; a cast to a float dtype passes the
derivative through. Which one applies is known when the code runs (the dtype may be a variable), so the
rules call ``if_inexact``, which keeps a derivative only where the cast value is inexact.
"""
# ruff: noqa: F821, F841  (template bodies use names bound when they are spliced)
import numpy as np

from ..runtime import (  # noqa: F401
    broadcast_like,
    if_inexact,
    linspace_adjoint,
    linspace_tangent,
    unbroadcast,
)
from .core import SAFE, adjoint, elementwise, nondiff, primitive, tangent

FLOAT_TYPES = primitive("method.astype", "numpy.float64", "numpy.double", "numpy.float32", "numpy.single",
                        "numpy.float16", "numpy.half", "numpy.longdouble", batch=SAFE)
# Unsigned types are left out: casting a negative float to them is undefined.
INTEGER_TYPES = ("numpy.int8", "numpy.int16", "numpy.int32", "numpy.int64", "numpy.intp", "numpy.int_",
                 "numpy.bool_")


@tangent(*FLOAT_TYPES)
def _cast(z, x, dtype=None):
    z_dot = if_inexact(x_dot, z)


@adjoint(*FLOAT_TYPES)
def _cast(z, x, dtype=None):
    x_bar = if_inexact(z_bar, z)


nondiff(*INTEGER_TYPES)


@tangent("numpy.full")
def _full(z, shape, fill_value, dtype=None):
    z_dot = if_inexact(broadcast_like(fill_value_dot, z), z)


@adjoint("numpy.full", broadcasts=False)
def _full(z, shape, fill_value, dtype=None):
    fill_value_bar = unbroadcast(if_inexact(broadcast_like(z_bar, z), z), fill_value)


@tangent("numpy.full_like")
def _full_like(z, a, fill_value, dtype=None):
    z_dot = if_inexact(broadcast_like(fill_value_dot, z), z)


@adjoint("numpy.full_like", broadcasts=False)
def _full_like(z, a, fill_value, dtype=None):
    fill_value_bar = unbroadcast(if_inexact(broadcast_like(z_bar, z), z), fill_value)


@tangent("numpy.linspace")
def _linspace(z, start, stop, num=50, endpoint=True, dtype=None, axis=0):
    z_dot = if_inexact(linspace_tangent(start_dot, stop_dot, z, num, endpoint=endpoint, axis=axis), z)


@adjoint("numpy.linspace", broadcasts=False)
def _linspace(z, start, stop, num=50, endpoint=True, dtype=None, axis=0):
    parts = linspace_adjoint(if_inexact(z_bar, z), z, num, endpoint=endpoint, axis=axis)
    start_bar = unbroadcast(parts[0], start)
    stop_bar = unbroadcast(parts[1], stop)


# a step: flat in x (at x == 0 too, as np.floor at an integer), h2 where x == 0 (it is the value there)
@elementwise("numpy.heaviside")
def _heaviside(z, x1, x2):
    return 0.0, np.equal(x1, 0.0) * 1.0


@elementwise("math.copysign", "numpy.copysign")
def _copysign(z, x, y):  # |x| with the sign of y
    return np.sign(x) * np.copysign(1.0, y), 0.0 * y
