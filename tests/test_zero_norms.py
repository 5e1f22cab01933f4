"""``np.linalg.norm`` of zeros (sct/runtime/reductions.py, zero_norms): weights 0 in every mode, not NaN.

The norm has a kink at 0: along a line ``t v`` it is ``|t| norm(v)``, and its gradient is ``+-w(v)`` on
either side. sct gives 0 there, the mean of the two, as it gives ``sign(0) = 0`` for ``np.abs`` (the norm of a
vector of one entry) and as the 1- and inf-norms' formulas give already; the second derivatives there are 0
too, as ``np.abs``'s. A norm that rounds to 0 while its entries do not (``1e-200`` squared) keeps what the
formulas give. Away from the zeros, each function is checked in every mode against differences.
"""
import numpy as np
import pytest
from every_mode import check_every_mode
from oracle import relative_error, richardson_difference

import sct

pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")


def masked_norm(x):  # the mask keeps no entry at the points below
    return np.linalg.norm(x * (x > 5.0)) * np.ones(1)


def rows(x):  # a zero row beside others
    return np.linalg.norm(x, axis=1)


def three_norm(x):
    return np.linalg.norm(x, 3) * np.ones(1)


def frobenius(x):
    return np.linalg.norm(x, "fro") * np.ones(1)


def one_entry(x):  # np.abs(x), written as a norm
    return np.linalg.norm(x, axis=0)


def sum_masked_norm(x):
    return np.sum(masked_norm(x))


def sum_rows(x):
    return np.sum(rows(x) ** 3) + np.sum(rows(x))


def sum_three_norm(x):
    return np.sum(three_norm(x))


def sum_frobenius(x):
    return np.sum(frobenius(x))


def sum_one_entry(x):
    return np.sum(one_entry(x))


ROWS = np.array([[0.0, 0.0], [3.0, -4.0], [0.0, 0.0]])
R = np.array([3.0, -4.0]) / 5.0
ROWS_GRADIENT = np.array([[0.0, 0.0], 15.2 * 5.0 * R, [0.0, 0.0]])  # (3 |r| + 1 / |r|) r at r = (3, -4)
ROWS_HESSIAN = np.zeros((6, 6))  # that of the nonzero row alone: 3 (|r| I + r r^T / |r|) + (I - R R^T) / |r|
ROWS_HESSIAN[2:4, 2:4] = 15.0 * np.eye(2) + 15.0 * np.outer(R, R) + (np.eye(2) - np.outer(R, R)) / 5.0
CASES = [(masked_norm, sum_masked_norm, np.array([1.0, -2.0, 0.0]), np.zeros(3), np.zeros((3, 3))),
         (rows, sum_rows, ROWS, ROWS_GRADIENT, ROWS_HESSIAN),
         (three_norm, sum_three_norm, np.zeros(3), np.zeros(3), np.zeros((3, 3))),
         (frobenius, sum_frobenius, np.zeros((2, 2)), np.zeros((2, 2)), np.zeros((4, 4))),
         (one_entry, sum_one_entry, np.zeros((1, 3)), np.zeros((1, 3)), np.zeros((3, 3)))]


def _jacobian(f, x):
    """The exact Jacobian: the nonzero row's weights R (of rows), else zeros."""
    jacobian = np.zeros(np.shape(f(x)) + x.shape)
    if f is rows:
        jacobian[1, 1] = R
    return jacobian


@pytest.mark.parametrize("f, g, x, gradient, hessian", CASES, ids=[c[0].__name__ for c in CASES])
def test_every_mode_at_a_norm_of_zeros(f, g, x, gradient, hessian):
    rng = np.random.default_rng(0)
    v = rng.standard_normal(x.shape)
    jacobian = _jacobian(f, x)
    along = np.tensordot(jacobian, v, axes=x.ndim)
    assert np.allclose(sct.forward(f, wrt="x")(x, v)[1], along, rtol=1e-12, atol=0.0)
    for u in (np.ones(np.shape(f(x))), rng.standard_normal(np.shape(f(x)))):  # the default seed and another
        assert np.allclose(sct.reverse(f, wrt="x")(x, seed=u)[1], np.tensordot(u, jacobian, axes=np.ndim(u)),
                           rtol=1e-12, atol=0.0)
    for mode in ("forward", "reverse"):
        assert np.allclose(sct.jacobian(f, wrt="x", mode=mode)(x), jacobian, rtol=1e-12, atol=0.0)
    assert np.allclose(sct.grad(g, wrt="x")(x), gradient, rtol=1e-12, atol=0.0)
    n = x.size
    assert np.allclose(sct.hessian(g, wrt="x")(x).reshape(n, n), hessian, rtol=1e-12, atol=1e-12)
    for method in ("forward-over-reverse", "reverse-over-forward"):
        product = sct.hvp(g, wrt="x", method=method)(x, v)
        assert np.allclose(product.ravel(), hessian @ v.ravel(), rtol=1e-12, atol=1e-12), method


@pytest.mark.parametrize("f, g", [(rows, sum_rows), (three_norm, sum_three_norm), (frobenius, sum_frobenius)])
def test_every_mode_away_from_zeros(f, g):  # norms' Hessians loop over the directions: not asserted here
    x = np.array([[0.5, -1.2], [3.0, -4.0], [0.3, 0.7]])
    x = x if f is not three_norm else x.ravel()
    check_every_mode(f, g, x, second_order=False)
    v = np.linspace(-1.0, 1.0, x.size).reshape(x.shape)
    numeric = richardson_difference(sct.grad(g, wrt="x"), (x,), {0: v})
    for method in ("forward-over-reverse", "reverse-over-forward"):
        assert relative_error(sct.hvp(g, wrt="x", method=method)(x, v), numeric) < 1e-6
    product = sct.hessian(g, wrt="x")(x).reshape(x.size, x.size) @ v.ravel()
    assert relative_error(product, numeric.ravel()) < 1e-6


def norm(x):
    return np.linalg.norm(x)


def test_a_norm_that_rounds_to_zero_is_not_one_of_zeros():
    x = np.array([1e-200, 0.0])  # its square is 0: x / 0 is inf, not the 1 it should be, never a finite 0
    assert sct.grad(norm, wrt="x")(x)[0] == np.inf
