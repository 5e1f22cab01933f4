"""Quotients by a value >= 1 that may overflow to +inf (sct/analysis/exact_zeros.py, overflowing_divisors).

``1 / (1 + np.exp(-x))`` at ``x = -800``: the denominator is ``inf``, the quotient 0, and the derivative
``y * (1 - y)`` is 0 in floats; unguarded, the adjoint of ``np.exp`` (and the tangent ``z * y_dot`` of the
quotient) is ``0 * inf``, NaN. Each function is checked in every mode against differences (an inactive
offset pushes the entries beyond +-1 out to +-800, so that the differences are taken at moderate points),
and the logistic against its closed-form derivatives evaluated in high precision at the extreme points.
Products and maxima of values that may overflow are not proved >= 1 (``inf * 0`` and ``inf - inf`` are
NaN): their quotients keep their guards.
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


def logistic(x):
    return 1 / (1 + np.exp(-x))


def far_logistic(x):
    return logistic(x + _far(x))


def inline_logistic(x):
    return 1.0 / (1.0 + np.exp(-(x + _far(x))))


def far_reciprocal(x):
    return np.reciprocal(1.0 + np.exp(-(x + _far(x))))


def far_divide(x):  # an active numerator
    return np.divide(2.0 * x - 1.0, 1.0 + np.exp(-(x + _far(x))))


def far_sech(x):
    return 3.0 / np.cosh(x + _far(x))


def far_scaled(x):  # a product of an exponential and a literal > 0: >= 0 at +inf too
    return x / (1.0 + 2.0 * np.exp(-(x + _far(x))))


def far_sum(x):  # a reduction of exponentials
    return x / (1.0 + np.sum(np.exp(-(x + _far(x)))))


def far_exp2(x):
    return 1.0 / (2.0 + np.exp2(-2.0 * (x + _far(x))))


def sum_far_logistic(x):
    return np.sum(far_logistic(x))


def sum_inline_logistic(x):
    return np.sum(inline_logistic(x))


def sum_far_reciprocal(x):
    return np.sum(far_reciprocal(x))


def sum_far_divide(x):
    return np.sum(far_divide(x))


def sum_far_sech(x):
    return np.sum(far_sech(x))


def sum_far_scaled(x):
    return np.sum(far_scaled(x))


def sum_far_sum(x):
    return np.sum(far_sum(x))


def sum_far_exp2(x):
    return np.sum(far_exp2(x))


X = np.array([-1.3, 0.7, 2.0, 0.0, -0.4, 1.6])
FUNCTIONS = [far_logistic, inline_logistic, far_reciprocal, far_divide, far_sech, far_scaled, far_sum,
             far_exp2]
SHAPES = {"1-d": lambda x: x, "1xn": lambda x: x.reshape(1, -1), "nx1": lambda x: x.reshape(-1, 1)}


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("f", FUNCTIONS, ids=lambda f: f.__name__)
def test_every_mode_of_a_quotient_by_an_overflowing_divisor(f, shape):
    check_every_mode(f, globals()["sum_" + f.__name__], SHAPES[shape](X))


def test_the_scalar_case_in_every_mode():
    check_every_mode(far_logistic, far_logistic, -1.3)
    check_every_mode(far_logistic, far_logistic, 1.3)


def sum_logistic(x):
    return np.sum(logistic(x))


def _exact(x, order):
    """The ``order``-th derivative of the logistic at ``x``, in high precision, rounded to a float."""
    with mpmath.workdps(60):
        y = 1 / (1 + mpmath.exp(-mpmath.mpf(x)))
        return float([y, y * (1 - y), y * (1 - y) * (1 - 2 * y)][order])


POINTS = np.array([-800.0, 800.0, -745.0, -710.0, 0.3, -30.0, 2.0, 710.0])


def _close(found, exact):  # exact but for values below the smallest normal, which y / b rounds away
    assert np.all(np.isfinite(found))
    assert np.allclose(found, exact, rtol=1e-12, atol=1e-300), (found, exact)


@pytest.mark.parametrize("points", [POINTS, POINTS.reshape(2, -1)], ids=["1-d", "2-d"])
def test_every_mode_is_exact_at_the_extreme_points(points):
    first = np.vectorize(lambda x: _exact(x, 1))(points)
    second = np.vectorize(lambda x: _exact(x, 2))(points)
    v = np.linspace(-1.0, 1.0, points.size).reshape(points.shape)
    _close(sct.forward(logistic, wrt="x")(points, v)[1], first * v)
    for u in (np.ones(points.shape), v):  # the default seed and another
        _close(sct.reverse(logistic, wrt="x")(points, seed=u)[1], first * u)
    _close(sct.reverse(sum_logistic, wrt="x")(points)[1], first)
    _close(sct.grad(sum_logistic, wrt="x")(points), first)
    for mode in ("forward", "reverse"):
        jacobian = sct.jacobian(logistic, wrt="x", mode=mode)(points).reshape(points.size, points.size)
        _close(jacobian, np.diag(first.ravel()))
    hessian = sct.hessian(sum_logistic, wrt="x")(points).reshape(points.size, points.size)
    _close(hessian, np.diag(second.ravel()))
    for method in ("forward-over-reverse", "reverse-over-forward"):
        _close(sct.hvp(sum_logistic, wrt="x", method=method)(points, v), second * v)


@pytest.mark.parametrize("x", [-800.0, 800.0, -0.5])
def test_the_scalar_logistic_is_exact(x):
    _close(sct.grad(logistic, wrt="x")(x), _exact(x, 1))
    _close(sct.forward(logistic, wrt="x")(x, 1.0)[1], _exact(x, 1))
    _close(sct.hessian(logistic, wrt="x")(x), _exact(x, 2))


def square_denominator(x):
    return np.sum(1.0 / (1.0 + x ** 2))


def softplus(x):  # log(+inf) is not 0: the log's adjoint at an overflow is no quotient's
    return np.sum(np.log(1.0 + np.exp(x)))


@pytest.mark.parametrize("f", [square_denominator, softplus])
def test_no_guard_where_no_quotient_meets_an_overflow(f):
    assert not GUARD.search(sct.grad(f, wrt="x").source)
    assert not GUARD.search(sct.forward(f, wrt="x").source)


def test_the_guards_of_the_logistic():
    assert len(GUARD.findall(sct.grad(sum_logistic, wrt="x").source)) == 1  # exp's adjoint
    assert len(GUARD.findall(sct.forward(logistic, wrt="x").source)) == 1  # the quotient's z * y_dot


# np.exp(u) * np.exp(-u) is inf * 0 at u = 800: NaN in the branch not taken, whose quotient's adjoint
# multiplies it by an exact zero


def product_branch(x):
    far = np.where(x > 1.5, 800.0, 0.0)
    return np.where(x > 1.5, -x, 1.0 / (1.0 + np.exp(x + far) * np.exp(-x - far)) + x * x)


def difference_branch(x):
    far = np.where(x > 1.5, 800.0, 0.0)
    return np.where(x > 1.5, -x, np.log(np.maximum(np.exp(x + far) - np.exp(x + far), 1.0)) + x * x)


def sum_product_branch(x):
    return np.sum(product_branch(x))


def sum_difference_branch(x):
    return np.sum(difference_branch(x))


@pytest.mark.parametrize("f", [product_branch, difference_branch], ids=lambda f: f.__name__)
@pytest.mark.parametrize("shape", SHAPES)
def test_every_mode_where_a_product_of_overflows_is_nan(f, shape):
    x = SHAPES[shape](np.array([0.3, 2.0, -0.7, 1.7, 0.0]))
    check_every_mode(f, globals()["sum_" + f.__name__], x)


def test_the_gradient_where_a_product_of_overflows_is_nan():
    assert np.array_equal(sct.grad(sum_product_branch, wrt="x")(np.array([2.0, 3.0])), [-1.0, -1.0])
    assert np.array_equal(sct.grad(sum_difference_branch, wrt="x")(np.array([2.0, 3.0])), [-1.0, -1.0])
