"""scipy.special.betaln, log_expit, ndtr and log_ndtr (sct/rules/special_rules.py): first and second
derivatives against mpmath at 60 digits, at the extremes too (log_ndtr far in its left tail, log_expit at
+-800, betaln at large arguments), and every mode against central differences (tests/every_mode.py) with
broadcasting, size-1 axes, zero and negative points. The rule walk (tests/rule_inputs/special.py) checks
them at its own points."""
from __future__ import annotations

import mpmath
import numpy as np
import pytest
from every_mode import check_every_mode
from scipy import special

import sct


def log_ndtr_sum(x):
    return np.sum(special.log_ndtr(x))


def log_expit_sum(x):
    return np.sum(special.log_expit(x))


def ndtr_sum(x):
    return np.sum(special.ndtr(x))


def betaln_sum(x):
    return np.sum(special.betaln(x, 2.5))


def _derivatives(f, x):
    """``f'`` and ``f''`` at ``x`` by mpmath at 60 digits."""
    with mpmath.workdps(60):
        point = mpmath.mpf(float(x))
        return float(mpmath.diff(f, point)), float(mpmath.diff(f, point, 2))


def _log_ndtr(t):
    return mpmath.log(mpmath.ncdf(t))


def _ndtr(t):  # 1 - ndtr(-t) would lose ndtr's tail to rounding at 60 digits
    return mpmath.ncdf(t) if t < 1 else -mpmath.ncdf(-t)


def _log_expit(t):
    return -mpmath.log1p(mpmath.exp(-t))


def _betaln(t):
    return mpmath.log(abs(mpmath.beta(t, 2.5)))


def _close(value, expected, tol, floor=1e-300):
    assert abs(value - expected) <= tol * max(abs(expected), floor), (value, expected)


# log_expit'' = -expit(x) expit(-x) is 1e-18 at -40: sct gives 0 (expm1' is expm1 + 1, exact to 1e-16 only)
# log_ndtr'' = -r (x + r), r = ndtr' / ndtr: near x = -100, x + r is 0.01 and r's 1e-13 becomes 1e-9
@pytest.mark.parametrize("f, exact, points, tol, tol2", [
    (log_ndtr_sum, _log_ndtr, [-1e4, -300.0, -100.5, -100.0, -99.5, -40.0, -5.0, -0.3, 0.0, 2.0, 8.0], 1e-11,
     1e-8),
    (log_expit_sum, _log_expit, [-800.0, -40.0, -3.0, 0.0, 0.7, 30.0, 700.0], 1e-13, 1e-9),
    (ndtr_sum, _ndtr, [-30.0, -2.0, 0.0, 1.5, 30.0], 1e-13, 1e-9),
    (betaln_sum, _betaln, [1e-3, 0.5, 3.0, 40.0, 1e3, -0.5, -2.7], 1e-11, 1e-9),
])
def test_first_and_second_derivatives_against_mpmath(f, exact, points, tol, tol2):
    x = np.array(points)
    gradient, hessian = sct.grad(f)(x), sct.hessian(f)(x)
    for i, point in enumerate(points):
        first, second = _derivatives(exact, point)
        _close(gradient[i], first, tol)
        _close(hessian[i, i], second, tol2, floor=1e-6)  # 1e-15 at most where it is (nearly) 0


def test_log_ndtr_slope_far_in_the_left_tail_is_minus_x():
    """Where ndtr underflows and x * x overflows, ndtr' / ndtr is still -x (up to 1 / x): no 0 / 0."""
    x = np.array([-1e200, -1e160, -1e20, 50.0, 1e200])
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        gradient = sct.grad(log_ndtr_sum)(x)
    assert np.array_equal(gradient, [1e200, 1e160, 1e20, 0.0, 0.0])


def test_log_expit_slope_at_the_extremes():
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        gradient = sct.grad(log_expit_sum)(np.array([-800.0, 800.0, -1e300, 1e300]))
    assert np.array_equal(gradient, [1.0, 0.0, 1.0, 0.0])


def test_betaln_at_large_arguments():
    """psi(a) - psi(a + b) at large a, b: the digamma differences are exact to eps log(a) (absolutely)."""
    a = np.array([1e6, 1e12, 1e100])
    gradient = sct.grad(betaln_pair)(a, a)
    with mpmath.workdps(60):
        expected = [float(mpmath.digamma(t) - mpmath.digamma(2 * t)) for t in a]
    assert np.all(np.abs(gradient - expected) < 1e-15 * np.log(a))


def betaln_pair(x, y):
    return np.sum(special.betaln(x, y))


def betaln_both(x):
    return special.betaln(x[..., :1] + 1.5, x * x + 0.2)


def ndtr_broadcast(x):
    return special.ndtr(x) * special.log_ndtr(x[..., :1] * 3.0 - 1.0)


def log_expit_mixed(x):
    return special.log_expit(4.0 * x) - special.log_ndtr(-x)


def _total(f):
    def total(x):
        return np.sum(f(x) * np.cos(np.arange(np.size(f(x))).reshape(np.shape(f(x)))))
    return total


betaln_both_total, ndtr_broadcast_total, log_expit_mixed_total = (
    _total(betaln_both), _total(ndtr_broadcast), _total(log_expit_mixed))


@pytest.mark.parametrize("f, g", [(betaln_both, betaln_both_total), (ndtr_broadcast, ndtr_broadcast_total),
                                  (log_expit_mixed, log_expit_mixed_total)])
@pytest.mark.parametrize("x", [np.array([0.0, -0.7, 1.3]), np.array([[0.4], [-1.1]]),
                               np.array([[0.0, -2.0, 0.5]])])
def test_every_mode(f, g, x):
    check_every_mode(f, g, x)


def test_betaln_is_singular_at_its_poles():
    """At a = 0 the partial is infinite: where its adjoint is an exact zero, the term is zero, not NaN."""
    gradient = sct.grad(betaln_selected)(np.array([0.0, 1.5]))
    assert np.all(np.isfinite(gradient))
    assert gradient[0] == 0.0


def betaln_selected(x):
    return np.sum(np.where(x > 0, special.betaln(x, 2.0), 0.0))
