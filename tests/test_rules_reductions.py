"""Reductions (sum, mean, prod, max, min; logsumexp) with every form of ``axis`` and ``keepdims``, against
central differences, the complex step and the other mode."""
from __future__ import annotations

import numpy as np
import pytest
from oracle import check_rule
from scipy.special import logsumexp

import sct

A = np.random.default_rng(3).uniform(0.5, 2.0, size=(2, 3, 4))
V = np.array([0.3, -1.2, 0.8, 2.1])


def np_sum(x):
    return np.sum(x)


def sum_axis0(x):
    return np.sum(x, axis=0)


def sum_axis1(x):
    return np.sum(x, 1)


def sum_negative(x):
    return np.sum(x, axis=-1)


def sum_tuple(x):
    return np.sum(x, axis=(0, 2))


def sum_negative_tuple(x):
    return np.sum(x, axis=(-1, -3), keepdims=True)


def sum_keepdims(x):
    return np.sum(x, axis=1, keepdims=True)


def sum_keepdims_all(x):
    return np.sum(x, keepdims=True)


def sum_method(x):
    return x.sum(axis=-2)


def sum_method_plain(x):
    return (x * x).sum()


def builtin_sum(x):
    return sum(x)


def np_mean(x):
    return np.mean(x)


def mean_axis(x):
    return np.mean(x, axis=1)


def mean_tuple_keepdims(x):
    return np.mean(x, axis=(0, -1), keepdims=True)


def mean_method(x):
    return x.mean(0)


def np_prod(x):
    return np.prod(x)


def prod_axis(x):
    return np.prod(x, axis=-1)


def prod_tuple_keepdims(x):
    return np.prod(x, axis=(1, 2), keepdims=True)


def prod_method(x):
    return x.prod(axis=0)


def np_max(x):
    return np.max(x)


def max_axis(x):
    return np.max(x, axis=1)


def max_keepdims(x):
    return np.max(x, axis=-1, keepdims=True)


def max_tuple(x):
    return np.max(x, axis=(0, 2))


def max_method(x):
    return x.max(axis=0)


def amax(x):
    return np.amax(x, 0)


def np_min(x):
    return np.min(x)


def min_axis(x):
    return np.min(x, axis=-2, keepdims=True)


def min_method(x):
    return x.min()


def var(x):
    return np.var(x)


def var_axis(x):
    return np.var(x, axis=1, ddof=1) + x.var(axis=(0, 2), keepdims=True).sum()


def std(x):
    return np.std(x, axis=-1, keepdims=True) * x.std(ddof=1)


def centered_variance(x):
    centered = x - np.mean(x, axis=0, keepdims=True)
    return np.sum(centered ** 2, axis=0) / (x.shape[0] - 1)


def normalized(x):
    return x / np.sum(x, axis=-1, keepdims=True)


def softmax_max(x):
    shifted = x - np.max(x, axis=1, keepdims=True)
    e = np.exp(shifted)
    return e / e.sum(axis=1, keepdims=True)


def lse(a):
    return logsumexp(a)


def lse_axis(a):
    return logsumexp(a, axis=1)


def lse_negative_axis(a):
    return logsumexp(a, axis=-1)


def lse_tuple(a):
    return logsumexp(a, axis=(0, 2))


def lse_keepdims(a):
    return logsumexp(a, axis=0, keepdims=True)


def lse_b(a, b):
    return logsumexp(a, b=b)


def lse_b_axis(a, b):
    return logsumexp(a, axis=-1, b=b, keepdims=True)


def lse_b_broadcast(a, b):
    return logsumexp(a, axis=1, b=b)


def stable_lse(a):
    m = np.max(a, axis=-1, keepdims=True)
    return np.log(np.sum(np.exp(a - m), axis=-1)) + m[..., 0]


def stable_lse_scalar(a):
    m = np.max(a)
    return m + np.log(np.sum(np.exp(a - m)))


def log_softmax(a):
    return a - logsumexp(a, axis=-1, keepdims=True)


ANALYTIC = [  # smooth reductions: the complex step applies
    (np_sum, A), (sum_axis0, A), (sum_axis1, A), (sum_negative, A), (sum_tuple, A), (sum_negative_tuple, A),
    (sum_keepdims, A), (sum_keepdims_all, A), (sum_method, A), (sum_method_plain, A), (builtin_sum, V),
    (builtin_sum, A), (np_sum, V), (np_sum, np.float64(1.5)), (np_mean, A), (mean_axis, A),
    (mean_tuple_keepdims, A), (mean_method, A), (np_prod, A[0]), (prod_axis, A), (prod_tuple_keepdims, A),
    (prod_method, A), (np_prod, V), (centered_variance, A[0]), (normalized, A),
]

PIECEWISE = [  # max/min select an element; logsumexp takes a real max, var |x - mean|^2: no complex step
    (var, A), (var_axis, A), (std, A),
    (np_max, A), (max_axis, A), (max_keepdims, A), (max_tuple, A), (max_method, A), (amax, A), (np_min, A),
    (min_axis, A), (min_method, A), (np_max, V), (softmax_max, A[0]),
    (lse, A), (lse_axis, A), (lse_negative_axis, A), (lse_tuple, A), (lse_keepdims, A), (lse, V),
    (stable_lse, A), (stable_lse_scalar, V), (log_softmax, A),
]


def _id(case) -> str:
    f, args = case
    args = args if isinstance(args, tuple) else (args,)
    return "-".join([f.__name__] + ["x".join(map(str, np.shape(a))) or "scalar" for a in args])


@pytest.mark.parametrize("case", ANALYTIC, ids=_id)
def test_smooth_reduction(case):
    f, x = case
    check_rule(f, (x,), complex_ok=True)


@pytest.mark.parametrize("case", PIECEWISE, ids=_id)
def test_selecting_reduction(case):
    f, x = case
    check_rule(f, (x,))


WEIGHTS = [
    (lse_b, (A, np.abs(A) + 0.1)), (lse_b_axis, (A, A[..., ::-1] + 0.2)),
    (lse_b_broadcast, (A, np.array([0.5, 1.0, 2.0])[:, None])), (lse_b_broadcast, (A[0], 0.7)),
]


@pytest.mark.parametrize("case", WEIGHTS, ids=_id)
def test_logsumexp_weights(case):
    """``b`` scales the exponentials; its adjoint comes back in its own (broadcast) shape."""
    f, args = case
    check_rule(f, args)


def total_stable_lse(a):
    return np.sum(stable_lse(a))


def total_scipy_lse(a):
    return np.sum(lse_negative_axis(a))


@pytest.mark.parametrize("f", [total_stable_lse, total_scipy_lse], ids=lambda f: f.__name__)
def test_logsumexp_gradient_is_softmax(f):
    """The user's max-shifted logsumexp (a helper) and scipy's have the softmax as gradient."""
    expected = np.exp(A - logsumexp(A, axis=-1, keepdims=True))
    np.testing.assert_allclose(sct.grad(f)(A), expected, rtol=1e-13)


def list_of_terms(x, y):
    return logsumexp([x, y * x, np.sin(y)]) + np.sum([x, y]) + np.max([x, 2.0 * y]) + sum([x, y, x * y])


def test_list_literal_arguments():
    """A list written in the call is differentiated element by element, never treated as a constant."""
    check_rule(list_of_terms, (0.3, 0.7))
    check_rule(list_of_terms, (V, V[::-1]))


def prod_keepdims(x):
    return np.prod(x, axis=0, keepdims=True)


@pytest.mark.parametrize("f, x", [
    (np_prod, np.array([0.0, 2.0, 3.0])), (np_prod, np.array([0.0, 2.0, 0.0])),
    (prod_axis, np.array([[0.0, 2.0], [4.0, 0.5]])),
    (prod_keepdims, np.array([[0.0, 2.0], [4.0, 0.0]])), (prod_tuple_keepdims, np.zeros((2, 2, 2))),
], ids=lambda c: getattr(c, "__name__", ""))
def test_prod_at_zeros(f, x):
    """The derivative of a product with a zero factor is the product of the others, not 0/0."""
    check_rule(f, (x,), complex_ok=True)
    _, g = sct.reverse(f)(x, seed=np.ones(np.shape(f(x))))
    assert np.all(np.isfinite(g))


def test_prod_of_a_zero_has_the_other_factors_as_gradient():
    np.testing.assert_array_equal(sct.grad(np_prod)(np.array([0.0, 2.0, 3.0])), [6.0, 0.0, 0.0])


def prod_and_pairs(x):
    return np.prod(x) + np.sum(np.prod(x.reshape(2, 2), axis=1) ** 2)


def test_prod_second_derivative_at_zeros():
    """Second derivatives differentiate the emitted ``prod_partials`` again: exact at zeros too."""
    x = np.array([0.0, -1.3, 2.0, 0.0])
    a, b, c, d = x
    others = [[0.0 if i == j else np.prod(np.delete(x, [i, j])) for j in range(4)] for i in range(4)]
    expected = np.array(others)
    expected += np.array([[2 * b * b, 4 * a * b, 0, 0], [4 * a * b, 2 * a * a, 0, 0],
                          [0, 0, 2 * d * d, 4 * c * d], [0, 0, 4 * c * d, 2 * c * c]])
    np.testing.assert_allclose(sct.hessian(prod_and_pairs)(x), expected, atol=1e-12)


def test_ties_share_the_derivative():
    """At a tie max/min split the derivative equally among the maximal elements (a subgradient)."""
    x = np.array([1.0, 3.0, 3.0, 2.0])
    _, g = sct.reverse(np_max)(x)
    np.testing.assert_allclose(g, [0.0, 0.5, 0.5, 0.0])
    _, t = sct.forward(np_max)(x, np.array([0.0, 1.0, 0.0, 0.0]))
    assert t == pytest.approx(0.5)
