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
from sct.runtime import bessel_ie


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


# ------------------------------------------------------------------ modified Bessel functions, first kind
def i0_sum(x):
    return np.sum(special.i0(x))


def i1_sum(x):
    return np.sum(special.i1(x))


def i0e_sum(x):
    return np.sum(special.i0e(x))


def i1e_sum(x):
    return np.sum(special.i1e(x))


def numpy_i0_sum(x):
    return np.sum(np.i0(x))


def _scaled(n):
    return lambda t: mpmath.besseli(n, t) * mpmath.exp(-abs(t))


# the scaled functions' slopes at large x are differences of nearly equal terms (1e-13, 1e-10 at 700)
@pytest.mark.parametrize("f, exact, points, tol, tol2", [
    (i0_sum, lambda t: mpmath.besseli(0, t), [-30.0, -2.0, -0.3, 0.0, 0.4, 3.0, 26.0, 700.0], 1e-14, 1e-14),
    (numpy_i0_sum, lambda t: mpmath.besseli(0, t), [-3.0, 0.0, 0.4, 26.0], 1e-14, 1e-14),
    (i1_sum, lambda t: mpmath.besseli(1, t), [-30.0, -2.0, -0.3, 0.0, 0.4, 3.0, 26.0, 700.0], 1e-14, 1e-14),
    (i0e_sum, _scaled(0), [-30.0, -2.0, -0.3, 0.4, 3.0, 26.0, 700.0], 1e-12, 1e-9),
    (i1e_sum, _scaled(1), [-30.0, -2.0, -0.3, 0.4, 3.0, 26.0, 700.0], 1e-12, 1e-9),
])
def test_bessel_derivatives_against_mpmath(f, exact, points, tol, tol2):
    test_first_and_second_derivatives_against_mpmath(f, exact, points, tol, tol2)


def test_scaled_bessel_slopes_at_the_kink():
    """exp(-|x|) I_n(x) at 0: i0e has a kink, read with sign(0) = 0 as |x|'s is (slope 0); i1e is smooth to
    first order there (slope 1/2)."""
    x = np.array([0.0])
    assert sct.grad(i0e_sum)(x)[0] == 0.0
    assert sct.grad(i1e_sum)(x)[0] == 0.5
    assert sct.grad(i1_sum)(x)[0] == 0.5 and sct.hessian(i0_sum)(x)[0, 0] == 0.5


def test_bessel_overflow_where_the_function_does():
    with np.errstate(over="ignore"):
        assert np.isinf(sct.grad(i0_sum)(np.array([720.0]))[0])
    assert np.isfinite(sct.grad(i0e_sum)(np.array([1e300]))[0])


def bessel_mixed(x):
    return special.i0(x) * special.i1e(x[..., :1] + 2.0) - special.i1(x * 0.5) + special.i0e(x * x + 0.3)


bessel_mixed_total = _total(bessel_mixed)


@pytest.mark.parametrize("x", [np.array([0.0, -0.7, 1.3]), np.array([[0.4], [-1.1]]),
                               np.array([[0.0, -2.0, 3.5]])])
def test_bessel_every_mode(x):
    check_every_mode(bessel_mixed, bessel_mixed_total, x)


@pytest.mark.parametrize("n", [0, 1, 2, 3, 6, 15])
def test_scaled_bessel_helper_against_mpmath(n):
    """sct.runtime.bessel_ie, which the derivatives call, on both sides of its switch at |x| = 25."""
    points = [-2e-285, 1e-100, 0.3, -1.7, 5.0, 12.5, 24.99, 25.0, 25.01, -26.0, 60.0, -1e4, 1e300]
    with mpmath.workdps(40):
        expected = [float(mpmath.besseli(n, mpmath.mpf(p)) * mpmath.exp(-abs(mpmath.mpf(p)))) for p in points]
    values = bessel_ie(n, np.array(points))
    assert np.all(np.abs(values - expected) <= (1e-14 if n < 12 else 2e-13) * np.abs(expected))
    assert np.isnan(bessel_ie(n, np.nan)) and bessel_ie(n, 0.0) == (1.0 if n == 0 else 0.0)
