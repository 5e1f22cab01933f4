"""Negative powers and quotients of a value >= 0 that may overflow to +inf (sct/analysis/exact_zeros.py).

``(1 + np.exp(-x)) ** -1`` at ``x = -800``: the base is ``inf``, the power 0 and so is its partial
``-(1 + e) ** -2``; unguarded, the adjoint of ``np.exp`` (and the tangent ``partial * base_dot``) is
``0 * inf``, NaN, where the derivative is 0 in floats. So for ``1 / b ** 3`` (a power by a literal >= 0 of
a value >= 1 is >= 1) and for a divisor only ``>= 0``, ``1 / np.exp(x)`` at ``x = 800``. Each function is
checked in every mode against differences (an inactive offset pushes the entries beyond +-1 out to +-800,
so that the differences are taken at moderate points), and against its derivatives evaluated in high
precision at the extreme points. A positive exponent gets no such guard: ``b ** 0.5`` is ``inf`` at
``b = inf``.
"""
import re

import mpmath
import numpy as np
import pytest
from every_mode import check_every_mode

import sct

pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")
GUARD = re.compile(r"(?<!def )zero_where_undefined\(")


def _far(x):
    return np.where(x < -1.0, -800.0, np.where(x > 1.0, 800.0, 0.0))


def power_logistic(x):
    return (1 + np.exp(-(x + _far(x)))) ** -1


def float_power(x):
    return (1.0 + np.exp(-(x + _far(x)))) ** -1.0


def numpy_power(x):
    return np.power(1.0 + np.exp(-(x + _far(x))), -2.0)


def cubed_divisor(x):  # b ** 3 of b >= 1 is >= 1
    return (2.0 * x - 1.0) / (1.0 + np.exp(-(x + _far(x)))) ** 3


def fractional_power(x):  # an active factor beside it
    return x * (1.0 + np.exp(-(x + _far(x)))) ** -0.5


def sech_squared(x):
    return np.cosh(x + _far(x)) ** -2


def exp_divisor(x):  # >= 0 only: exp(-800) is 0, and 1 / 0 is inf, no zero to guard
    return 1.0 / np.exp(x + _far(x))


def exp_power(x):
    return np.exp(x + _far(x)) ** -1.5


def sum_power(x):  # a reduction of exponentials, by a power
    return x * np.sum(np.exp(-(x + _far(x)))) ** -1.0


def sum_power_logistic(x):
    return np.sum(power_logistic(x))


def sum_float_power(x):
    return np.sum(float_power(x))


def sum_numpy_power(x):
    return np.sum(numpy_power(x))


def sum_cubed_divisor(x):
    return np.sum(cubed_divisor(x))


def sum_fractional_power(x):
    return np.sum(fractional_power(x))


def sum_sech_squared(x):
    return np.sum(sech_squared(x))


def sum_exp_divisor(x):
    return np.sum(exp_divisor(x))


def sum_exp_power(x):
    return np.sum(exp_power(x))


def sum_sum_power(x):
    return np.sum(sum_power(x))


X = np.array([-1.3, 0.7, 2.0, 0.0, -0.4, 1.6])
MODERATE = np.array([0.7, 2.0, 0.0, -0.4, 1.6])  # exp(800) overflows, exp(-800) does not: x > -1
FUNCTIONS = [(power_logistic, X), (float_power, X), (numpy_power, X), (cubed_divisor, X),
             (fractional_power, X), (sech_squared, X), (exp_divisor, MODERATE), (exp_power, MODERATE),
             (sum_power, X)]
SHAPES = {"1-d": lambda x: x, "1xn": lambda x: x.reshape(1, -1), "nx1": lambda x: x.reshape(-1, 1)}


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("f, x", FUNCTIONS, ids=[f.__name__ for f, _ in FUNCTIONS])
def test_every_mode_of_a_power_of_an_overflowing_value(f, x, shape):
    check_every_mode(f, globals()["sum_" + f.__name__], SHAPES[shape](x))


def test_the_scalar_case_in_every_mode():
    check_every_mode(power_logistic, power_logistic, -1.3)
    check_every_mode(exp_divisor, exp_divisor, 1.3)


def logistic(x):
    return (1 + np.exp(-x)) ** -1


def cube(x):
    return 1.0 / (1.0 + np.exp(-x)) ** 3


def reciprocal_exp(x):
    return 1.0 / np.exp(x)


def exp_three_halves(x):
    return np.exp(x) ** -1.5


EXACT = {logistic: lambda t: 1 / (1 + mpmath.exp(-t)), cube: lambda t: (1 + mpmath.exp(-t)) ** -3,
         reciprocal_exp: lambda t: mpmath.exp(-t), exp_three_halves: lambda t: mpmath.exp(-1.5 * t)}
POINTS = {logistic: [-800.0, 800.0, -745.0, -710.0, 0.3, -30.0, 2.0, 710.0],
          cube: [-800.0, 800.0, -710.0, 0.3, -30.0, 2.0],
          reciprocal_exp: [800.0, 710.0, 0.3, -30.0, 2.0, 700.0],
          exp_three_halves: [800.0, 710.0, 0.3, -30.0, 2.0, 480.0]}


def _exact(f, x, order):
    with mpmath.workdps(60):
        return float(mpmath.diff(EXACT[f], mpmath.mpf(x), order))


def _close(found, exact):  # exact but for values below the smallest normal
    assert np.all(np.isfinite(found))
    assert np.allclose(found, exact, rtol=1e-12, atol=1e-300), (found, exact)


def sum_logistic(x):
    return np.sum(logistic(x))


def sum_cube(x):
    return np.sum(cube(x))


def sum_reciprocal_exp(x):
    return np.sum(reciprocal_exp(x))


def sum_exp_three_halves(x):
    return np.sum(exp_three_halves(x))


@pytest.mark.parametrize("f", list(EXACT), ids=lambda f: f.__name__)
@pytest.mark.parametrize("two_d", [False, True], ids=["1-d", "2-d"])
def test_every_mode_is_exact_at_the_extreme_points(f, two_d):
    points = np.array(POINTS[f])
    if two_d:
        points = points.reshape(2, -1)
    g = globals()["sum_" + f.__name__]
    first = np.vectorize(lambda x: _exact(f, x, 1))(points)
    second = np.vectorize(lambda x: _exact(f, x, 2))(points)
    v = np.linspace(-1.0, 1.0, points.size).reshape(points.shape)
    _close(sct.forward(f, wrt="x")(points, v)[1], first * v)
    for u in (np.ones(points.shape), v):  # the default seed and another
        _close(sct.reverse(f, wrt="x")(points, seed=u)[1], first * u)
    _close(sct.grad(g, wrt="x")(points), first)
    for mode in ("forward", "reverse"):
        jacobian = sct.jacobian(f, wrt="x", mode=mode)(points).reshape(points.size, points.size)
        _close(jacobian, np.diag(first.ravel()))
    hessian = sct.hessian(g, wrt="x")(points).reshape(points.size, points.size)
    _close(hessian, np.diag(second.ravel()))
    for method in ("forward-over-reverse", "reverse-over-forward"):
        _close(sct.hvp(g, wrt="x", method=method)(points, v), second * v)


@pytest.mark.parametrize("x", [-800.0, 800.0, -0.5])
def test_the_scalar_power_is_exact(x):
    _close(sct.grad(logistic, wrt="x")(x), _exact(logistic, x, 1))
    _close(sct.forward(logistic, wrt="x")(x, 1.0)[1], _exact(logistic, x, 1))
    _close(sct.hessian(logistic, wrt="x")(x), _exact(logistic, x, 2))


def square_base(x):  # x ** 2 is not proved >= 0 (an integer's wraps around), nor may it overflow here
    return np.sum((1.0 + x ** 2) ** -1)


def positive_exponent(x):  # (1 + e) ** 0.5 is inf at inf: no zero, no guard of its own
    return np.sum(x * (1.0 + np.exp(x)) ** 0.5)


def test_no_guard_where_no_power_vanishes():
    assert not GUARD.search(sct.grad(square_base, wrt="x").source)
    assert not GUARD.search(sct.forward(square_base, wrt="x").source)
    assert not GUARD.search(sct.forward(positive_exponent, wrt="x").source)


def test_the_guards_of_the_power():
    assert len(GUARD.findall(sct.grad(sum_logistic, wrt="x").source)) == 1  # exp's adjoint
    assert len(GUARD.findall(sct.forward(logistic, wrt="x").source)) == 1  # partial * base_dot



# a softmax of shifted values: np.exp(a - np.max(a)) is at most 1, so its sum is no divisor that may overflow


def softmax(x):
    e = np.exp(x - np.max(x))
    return e / np.sum(e)


def sum_softmax(x):
    return np.sum(softmax(x) * x)


def row_softmax(x):
    m = np.max(x, axis=1, keepdims=True)
    e = np.exp(x - m)
    return e / np.sum(e, axis=1, keepdims=True)


def sum_row_softmax(x):
    return np.sum(row_softmax(x) * x)


def misaligned_shift(x):  # m[j] shifts x[i, j]: entries above 0, exp may overflow
    m = np.max(x, axis=1)
    e = np.exp(x - m)
    return np.sum(x / np.sum(e))


def rebound_shift(x):  # the value shifted is not the one whose maximum was taken
    m = np.max(x)
    x = x * 2.0
    e = np.exp(x - m)
    return np.sum(x / np.sum(e))


def leading_shift(x):  # the maximum over the leading axes broadcasts back along them
    m = np.max(x, axis=0)
    return np.sum(x / np.sum(np.exp(x - m), axis=0))


def test_a_shifted_exponential_is_no_overflow():
    assert not GUARD.search(sct.grad(sum_softmax, wrt="x").source)
    assert not GUARD.search(sct.grad(sum_row_softmax, wrt="x").source)
    assert not GUARD.search(sct.hessian(leading_shift, wrt="x").source)
    assert GUARD.search(sct.grad(misaligned_shift, wrt="x").source)
    assert GUARD.search(sct.grad(rebound_shift, wrt="x").source)


@pytest.mark.parametrize("f, g, x", [(softmax, sum_softmax, X),
                                     (row_softmax, sum_row_softmax, X.reshape(2, 3))])
def test_every_mode_of_a_softmax(f, g, x):
    check_every_mode(f, g, x)


def test_the_gradient_is_exact_where_an_unshifted_sum_overflows():
    x = np.array([[1.0, 2.0, 3.0], [800.0, 1.0, 2.0]])  # exp(2 * 800 - 800): the sum is inf, the quotient 0
    assert np.array_equal(sct.grad(rebound_shift, wrt="x")(x), np.zeros(x.shape))
