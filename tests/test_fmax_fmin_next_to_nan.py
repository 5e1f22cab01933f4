"""``np.fmax`` / ``np.fmin`` with a NaN operand.

``np.fmax(x, m)`` is ``x`` where ``m`` is NaN (that is what fmax is for: missing values), so its
derivative there is 1. sct shares ``np.maximum``'s rule, ``0.5 + 0.5 * sign(x - m)``, which is NaN when
``m`` is, in every mode. These tests were strict xfails until fmax/fmin send the derivative to the
operand they return.
"""
import numpy as np
import pytest
from oracle import relative_error, richardson_difference

import sct

MISSING = np.array([np.nan, 1.0, np.nan])
X = np.array([0.53, -1.37, 2.21])


def squares_ignoring_missing(x):
    return np.sum(np.fmax(x, MISSING) ** 2)


def products_ignoring_missing(x):
    return np.sum(np.fmin(MISSING, x) * x)


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@pytest.mark.parametrize("f", [squares_ignoring_missing, products_ignoring_missing])
@pytest.mark.parametrize("mode", ["forward", "reverse"])
def test_fmax_and_fmin_beside_a_missing_value(f, mode):
    numeric = np.array([richardson_difference(f, (X,), {0: e}) for e in np.eye(3)])
    if mode == "reverse":
        got = sct.grad(f)(X)
    else:
        got = np.array([sct.forward(f)(X, e)[1] for e in np.eye(3)])
    assert np.all(np.isfinite(got)) and relative_error(got, numeric) < 1e-7
