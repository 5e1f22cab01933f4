"""The functions, points and tables of the elementwise rule tests (tests/test_rules_elementwise_*.py):
operators, numpy ufuncs and math on scalars, each a short function of its arguments; ``ANALYTIC`` and
``NONANALYTIC`` list them with the arguments to check them at."""
from __future__ import annotations

import math

import numpy as np

X = np.array([0.3, -0.7, 1.2])
P = np.array([0.4, 1.3, 2.1])          # positive
U = np.array([0.2, -0.5, 0.7])         # inside (-1, 1)
G = np.array([1.4, 2.5, 3.1])          # greater than 1
M = np.array([[0.5, -1.1, 0.8], [1.7, 0.2, -0.4]])
Q = np.array([[0.6, 1.9, 0.8], [1.7, 0.3, 2.4]])


# ---------------------------------------------------------------------------------------- operators
def add(x, y):
    return x + y


def sub(x, y):
    return x - y


def mul(x, y):
    return x * y


def div(x, y):
    return x / y


def pow_both(x, y):
    return x ** y


def neg(x):
    return -x


def pos(x):
    return +x


def pow_int(x):
    return x ** 3


def pow_int_negative(x):
    return x ** -2


def pow_float(x):
    return x ** 2.5


def pow_half(x):
    return x ** 0.5


def pow_int_param(x, n):
    return x ** n


def rpow(x):
    return 2.0 ** x


def builtin_pow(x, y):
    return pow(x, y)


def builtin_abs(x):
    return abs(x)


def chain(x, y):
    return (x * y - x / y) ** 2 + -x * 3.0


def aug(x, y):
    z = x * y
    z += y
    z *= x
    z -= 2.0 * y
    z /= y
    z **= 2
    return z


# ---------------------------------------------------------------------------------------- numpy ufuncs
def sin(x):
    return np.sin(x)


def cos(x):
    return np.cos(x)


def tan(x):
    return np.tan(x)


def arcsin(x):
    return np.arcsin(x)


def arccos(x):
    return np.arccos(x)


def arctan(x):
    return np.arctan(x)


def arctan2(y, x):
    return np.arctan2(y, x)


def sinh(x):
    return np.sinh(x)


def cosh(x):
    return np.cosh(x)


def tanh(x):
    return np.tanh(x)


def arcsinh(x):
    return np.arcsinh(x)


def arccosh(x):
    return np.arccosh(x)


def arctanh(x):
    return np.arctanh(x)


def exp(x):
    return np.exp(x)


def exp2(x):
    return np.exp2(x)


def expm1(x):
    return np.expm1(x)


def log(x):
    return np.log(x)


def log1p(x):
    return np.log1p(x)


def log2(x):
    return np.log2(x)


def log10(x):
    return np.log10(x)


def sqrt(x):
    return np.sqrt(x)


def cbrt(x):
    return np.cbrt(x)


def square(x):
    return np.square(x)


def reciprocal(x):
    return np.reciprocal(x)


def power(x, y):
    return np.power(x, y)


def power_int(x):
    return np.power(x, 3)


def np_abs(x):
    return np.abs(x)


def absolute(x):
    return np.absolute(x)


def hypot(x, y):
    return np.hypot(x, y)


def logaddexp(x, y):
    return np.logaddexp(x, y)


def np_add(x, y):
    return np.add(x, y)


def np_subtract(x, y):
    return np.subtract(x, y)


def np_multiply(x, y):
    return np.multiply(x, y)


def np_divide(x, y):
    return np.divide(x, y)


def np_negative(x):
    return np.negative(x)


def maximum(x, y):
    return np.maximum(x, y)


def minimum(x, y):
    return np.minimum(x, y)


def maximum_const(x):
    return np.maximum(x, 0.0)


def minimum_const(x):
    return np.minimum(1.0, x)


def where_compare(x, y):
    return np.where(x > 0, x * y, y)


def where_mask(x, mask):
    return np.where(mask, x, 0.0)


def where_scalar_branch(x):
    return np.where(x > 0, x ** 2, 1.0)


def clip(x):
    return np.clip(x, -0.5, 1.0)


def clip_active(x, lo, hi):
    return np.clip(x, lo, hi)


def sign(x):
    return np.sign(x)


def sign_times(x):
    return np.sign(x) * x


def floor(x):
    return np.floor(x)


def floor_plus(x):
    return np.floor(x) + x * np.ceil(x) + np.round(x) * x


def ceil(x):
    return np.ceil(x)


def round_(x):
    return np.round(x)


def astype(x):
    return x.astype(float) * 2.0


# ---------------------------------------------------------------------------------------- math on scalars
def math_unary(x):
    a = math.sin(x) + math.cos(x) * math.tan(x) + math.exp(x) + math.expm1(x)
    b = math.log(x) + math.log1p(x) + math.log2(x) + math.log10(x) + math.sqrt(x)
    c = math.sinh(x) + math.cosh(x) + math.tanh(x) + math.atan(x) + math.asinh(x)
    return a * b - c


def math_inverse(x):
    return math.asin(x) + math.acos(x) * math.atanh(x)


def math_binary(x, y):
    return math.atan2(y, x) + math.pow(x, y) + math.hypot(x, y) + math.fabs(x - y)


def math_floor(x):
    return math.floor(x) * x + math.ceil(x)


def builtin_max_min(x, y):
    return max(x, y) * min(x, 2.0 * y) + round(x) * x


def builtin_float(x):
    return float(x) * x


ANALYTIC = [  # (function, args): real-analytic, so the complex step applies too
    (add, (X, P)), (sub, (X, P)), (mul, (X, P)), (div, (X, P)), (pow_both, (P, X)), (neg, (X,)), (pos, (X,)),
    (pow_int, (X,)), (pow_int_negative, (X,)), (pow_float, (P,)), (pow_half, (P,)), (rpow, (X,)),
    (builtin_pow, (P, X)), (chain, (X, P)), (aug, (X, P)),
    (sin, (X,)), (cos, (X,)), (tan, (X,)), (arcsin, (U,)), (arccos, (U,)), (arctan, (X,)),
    (sinh, (X,)), (cosh, (X,)), (tanh, (X,)), (arcsinh, (X,)),
    (arccosh, (G,)), (arctanh, (U,)), (exp, (X,)), (exp2, (X,)), (expm1, (X,)), (log, (P,)), (log1p, (P,)),
    (log2, (P,)), (log10, (P,)), (sqrt, (P,)), (square, (X,)), (reciprocal, (X,)),
    (power, (P, X)), (power_int, (X,)), (np_add, (X, P)),
    (np_subtract, (X, P)), (np_multiply, (X, P)), (np_divide, (X, P)), (np_negative, (X,)),
    (exp, (M,)), (sin, (0.4,)), (log, (np.float64(2.5),)), (mul, (0.5, M)), (div, (np.array(2.0), Q)),
]

NONANALYTIC = [  # piecewise, or numpy has no complex loop: central differences and the other mode only
    (arctan2, (X, P)), (arctan2, (X, -P)), (cbrt, (P,)), (hypot, (X, P)), (logaddexp, (X, P)),
    (builtin_abs, (X,)), (np_abs, (X,)), (absolute, (M,)), (maximum, (X, P - 1.0)), (minimum, (X, P - 1.0)),
    (maximum, (M, 0.1)), (maximum_const, (X,)), (minimum_const, (Q,)), (where_compare, (X, P)),
    (where_mask, (X, np.array([True, False, True]))), (where_scalar_branch, (X,)), (clip, (X,)),
    (clip_active, (X, -0.5, 1.0)), (clip_active, (X, np.array([-0.9, -0.6, 0.1]), 0.2)),
    (sign_times, (X,)), (floor_plus, (np.array([0.3, -0.7, 1.2, 2.6]),)), (astype, (X,)),
    (math_unary, (0.7,)), (math_inverse, (0.3,)), (math_binary, (1.3, 0.6)), (math_floor, (1.7,)),
    (builtin_float, (0.8,)), (builtin_max_min, (0.8, 0.5)), (builtin_max_min, (0.3, 0.5)),
    (pow_int_param, (X, 3)), (pow_int_param, (X, np.array([1, 2, 3]))),
]
