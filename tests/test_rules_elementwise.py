"""Every elementwise rule (operators, math, numpy ufuncs) against central differences, the complex step
and the other mode, on tables of ``(function, args)``; broadcasting of every pair of shapes numpy allows."""
from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from oracle import check_both_modes, check_rule, parameter_names

import sct

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


def _id(case) -> str:
    f, args = case
    return f"{f.__name__}-" + "-".join("x".join(map(str, np.shape(a))) or type(a).__name__ for a in args)


@pytest.mark.parametrize("case", ANALYTIC, ids=_id)
def test_analytic(case):
    f, args = case
    check_rule(f, args, complex_ok=True)


@pytest.mark.parametrize("case", NONANALYTIC, ids=_id)
def test_piecewise(case):
    f, args = case
    check_rule(f, args)


X32, P32 = X.astype(np.float32), P.astype(np.float32)
SINGLE = [(sin, (X32,)), (exp, (X32,)), (log, (P32,)), (tanh, (X32,)), (mul, (X32, P32)), (div, (X32, P32)),
          (pow_both, (P32, X32)), (maximum, (X32, P32 - 1)), (minimum, (X32, P32 - 1)), (clip, (X32,)),
          (where_compare, (X32, P32)), (chain, (X32, P32)), (sqrt, (P32,)), (np_abs, (X32,))]


@pytest.mark.parametrize("case", SINGLE, ids=_id)
def test_single_precision(case):
    """float32 data: central differences with float32's step and tolerances (see ``oracle.tolerances``)."""
    f, args = case
    check_rule(f, args)
    _, tangent = sct.forward(f)(*args, np.ones_like(args[0]))
    assert np.asarray(tangent).dtype == np.float32


ZERO_DERIVATIVE = [(sign, X), (floor, M), (ceil, X), (round_, X)]


@pytest.mark.parametrize("f, x", ZERO_DERIVATIVE, ids=lambda c: getattr(c, "__name__", ""))
def test_zero_derivative(f, x):
    """sign, floor, ceil, round: piecewise constant, so the derivative is exactly zero (not an error)."""
    value, tangent = sct.forward(f)(x, np.ones_like(x))
    np.testing.assert_array_equal(value, f(x))
    np.testing.assert_array_equal(tangent, np.zeros_like(x))
    value, adjoint = sct.reverse(f)(x, seed=np.ones_like(x))
    assert np.shape(adjoint) == np.shape(x)
    np.testing.assert_array_equal(adjoint, np.zeros_like(x))


# ---------------------------------------------------------------------------------------- broadcasting
SHAPES = ["float", (), (1,), (3,), (2, 1), (2, 3), (4, 1, 3)]
BROADCASTING = [add, sub, mul, div, pow_both, maximum, arctan2, hypot, logaddexp]


def _data(shape, seed: int):
    rng = np.random.default_rng(seed)
    if shape == "float":
        return float(rng.uniform(0.5, 2.0))
    return rng.uniform(0.5, 2.0, size=shape)


@pytest.mark.parametrize("f", BROADCASTING, ids=lambda f: f.__name__)
@pytest.mark.parametrize("a, b", list(itertools.product(SHAPES, SHAPES)), ids=str)
def test_broadcasting(f, a, b):
    """Adjoints are summed back to each input's own shape: 0-d arrays and Python floats included."""
    x, y = _data(a, 1), _data(b, 2)
    check_rule(f, (x, y), complex_ok=f in (add, sub, mul, div, pow_both))
    _, (x_bar, y_bar) = sct.reverse(f, wrt=parameter_names(f))(x, y, seed=np.ones(np.shape(f(x, y))))
    assert np.shape(x_bar) == np.shape(x) and np.shape(y_bar) == np.shape(y)


def test_where_broadcasts_inactive_branch():
    check_rule(where_scalar_branch, (M,))
    check_both_modes(where_compare, (M, 1.5), 0)


# ------------------------------------------------------------------------------------ no adjoints for data
def scale_by_int(x, k):
    return x * k


def masked_sum(x, mask):
    return np.sum(np.where(mask, np.exp(x), 0.0))


@pytest.mark.parametrize("f, args", [
    (pow_int_param, (X, 2)), (scale_by_int, (X, np.array([1, 2, 3]))),
    (masked_sum, (X, np.array([True, False, True]))),
], ids=lambda c: getattr(c, "__name__", ""))
def test_integer_and_boolean_inputs_get_no_adjoint(f, args):
    check_rule(f, args)
    name = f.__code__.co_varnames[1]
    for mode in (sct.forward, sct.reverse):
        derivative = mode(f)
        assert derivative.wrt == ("x",)
        assert f"{name}_bar" not in derivative.source and f"{name}_dot" not in derivative.source
