"""sct.runtime.polygamma, which derivatives of digamma, gammaln and polygamma call, against mpmath at 60
digits: every order up to 170 (171! overflows), near and far from 0, at negative points, at tiny and huge
points where n! / x**(n + 1) passes through overflow or underflow on the way to a finite value."""
import mpmath
import numpy as np
import pytest

import sct
from sct.runtime import polygamma

scipy_special = pytest.importorskip("scipy.special")

POINTS = np.array([1e-300, 1e-5, 0.3, 1.0, 2.5, 7.9, 12.5, 40.0, 200.0, 1e4, 1e300,
                   -0.001, -0.5, -1.3, -7.3, -19.8])


def exact(n, x):
    with mpmath.workdps(60):
        return float(mpmath.polygamma(n, mpmath.mpf(float(x))))


def condition(n, x):
    """|x psi_(n+1)(x) / psi_n(x)|: how much an ulp of x moves the value, relatively. At negative points the
    terms of the sum have both signs and cancel as much as that; an ulp is what the result may be off by."""
    with mpmath.workdps(60):
        x = mpmath.mpf(float(x))
        return float(abs(x * mpmath.polygamma(n + 1, x) / mpmath.polygamma(n, x)))


@pytest.mark.parametrize("n", [0, 1, 2, 3, 5, 10, 20, 21, 25, 30, 50, 100, 150, 170])
def test_values_match_mpmath(n):
    got = polygamma(n, POINTS)
    for x, value in zip(POINTS, got):
        want = exact(n, x)
        kappa = condition(n, x)
        if not np.isfinite(want) or not np.isfinite(kappa):
            assert np.isinf(value) and np.sign(value) == np.sign(want), (n, x, value)
        elif want == 0:
            assert value == 0, (n, x, value)
        else:
            tolerance = 4e-15 * max(1.0, kappa / 1e3 if x > 0 else kappa)
            assert abs(value - want) <= tolerance * abs(want), (n, x, value, want)


def test_nan_does_not_move_the_other_points():
    assert np.isnan(polygamma(1, [np.nan, 0.1])[0])
    assert polygamma(1, [np.nan, 0.1])[1] == pytest.approx(exact(1, 0.1), rel=1e-15)
    assert polygamma(0, [np.nan, 0.1])[1] == pytest.approx(exact(0, 0.1), rel=1e-15)


def test_limits():
    assert polygamma(1, np.inf) == 0 and polygamma(2, np.inf) == 0
    assert polygamma(1, 0.0) == np.inf and polygamma(2, 0.0) == -np.inf


@pytest.mark.parametrize("n", [1, 24, 60])
def test_gradient_of_high_order_polygamma(n):
    def f(x):
        return np.sum(scipy_special.polygamma(n, x))

    x = np.array([0.7, 3.2, 25.0])
    want = np.array([exact(n + 1, v) for v in x])
    np.testing.assert_allclose(sct.grad(f)(x), want, rtol=1e-13)
    np.testing.assert_allclose(sct.forward(f)(x, np.ones(3))[1], np.sum(want), rtol=1e-13)
