"""Jacobians, Hessians and Hessian-vector products of a function that writes into its argument.

Each higher-order object calls the function (for its output's shape) and the emitted code (once per
direction when not vectorised): every call must see the caller's values, and leave them as they were.
"""
import numpy as np
import pytest
from oracle import richardson_difference

import sct


def doubles_first(x):
    x[0] = x[0] * 2.0
    return x * x


def doubles_first_total(x):
    x[0] = x[0] * 2.0
    return np.sum(x * x * x)


X = np.array([0.3, -0.7, 1.1])


def numeric_jacobian(f, x):
    columns = [richardson_difference(lambda v: f(v.copy()), (x,), {0: e}) for e in np.eye(x.size)]
    return np.stack(columns, axis=-1)


@pytest.mark.parametrize("mode", ["forward", "reverse"])
def test_jacobian(mode):
    x = X.copy()
    got = sct.jacobian(doubles_first, mode=mode)(x)
    assert np.array_equal(x, X)
    np.testing.assert_allclose(got, numeric_jacobian(doubles_first, X), rtol=1e-7, atol=1e-9)


def test_hessian_and_hvp():
    x = X.copy()
    hessian = sct.hessian(doubles_first_total)(x)
    assert np.array_equal(x, X)
    gradient = sct.grad(doubles_first_total)
    expected = numeric_jacobian(lambda v: gradient(v), X)
    np.testing.assert_allclose(hessian, expected, rtol=1e-7, atol=1e-9)
    v = np.array([1.0, -2.0, 0.5])
    product = sct.hvp(doubles_first_total)(x, v)
    assert np.array_equal(x, X)
    np.testing.assert_allclose(product, expected @ v, rtol=1e-7, atol=1e-9)
