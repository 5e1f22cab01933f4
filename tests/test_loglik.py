"""The ADBench GMM objective against a loop-by-loop reference, and its hand-written gradient."""

from __future__ import annotations

import ast
import inspect
import math

import numpy as np
import pytest
from scipy.special import logsumexp, multigammaln

from mixtures import loglik
from mixtures._hand_gradient import gmm_objective_and_gradient
from mixtures.loglik import (
    from_precisions_cholesky,
    gmm_objective,
    gmm_objective_no_prior,
    icf_size,
    pack_icf,
    unpack_icf,
)

SIZES = [(1, 1, 1), (12, 1, 3), (20, 2, 3), (30, 3, 4), (15, 5, 2), (40, 4, 1)]  # (n, d, K)
GAMMA, M = 1.7, 3


def _problem(n: int, d: int, k: int, seed: int = 0, spread: float = 0.3):
    rng = np.random.default_rng([seed, n, d, k])
    alphas = rng.standard_normal(k)
    means = rng.standard_normal((k, d))
    icf = spread * rng.standard_normal((k, icf_size(d)))
    x = rng.standard_normal((n, d))
    return alphas, means, icf, x


def _reference(alphas, means, icf, x, gamma, m, prior=True):
    """ADBench's C++ objective transcribed loop by loop (its Qtimesx fills the lower part column-wise)."""
    n, d = x.shape
    k = alphas.size
    total = 0.0
    for i in range(n):
        terms = []
        for j in range(k):
            centered = x[i] - means[j]
            out = np.exp(icf[j, :d]) * centered
            pos = d
            for col in range(d):
                for row in range(col + 1, d):
                    out[row] += icf[j, pos] * centered[col]
                    pos += 1
            terms.append(alphas[j] + icf[j, :d].sum() - 0.5 * np.linalg.norm(out) ** 2)
        total += logsumexp(terms)
    value = -0.5 * n * d * math.log(2 * math.pi) + total - n * logsumexp(alphas)
    if not prior:
        return value
    n_w = d + m + 1
    c = n_w * d * (math.log(gamma) - 0.5 * math.log(2)) - multigammaln(0.5 * n_w, d)
    for j in range(k):
        frobenius = np.sum(np.exp(icf[j, :d]) ** 2) + np.sum(icf[j, d:] ** 2)
        value += 0.5 * gamma**2 * frobenius - m * icf[j, :d].sum()
    return value - k * c


def _rel(a, b):
    a, b = np.asarray(a, float), np.asarray(b, float)
    return np.linalg.norm(a - b) / max(np.linalg.norm(b), 1e-300)


@pytest.mark.parametrize("n,d,k", SIZES)
def test_objective_matches_reference(n, d, k):
    args = _problem(n, d, k)
    assert _rel(gmm_objective(*args, GAMMA, M), _reference(*args, GAMMA, M)) < 1e-12
    assert _rel(gmm_objective_no_prior(*args), _reference(*args, GAMMA, M, prior=False)) < 1e-12


def test_objective_with_adbench_defaults_and_far_points():
    alphas, means, icf, x = _problem(25, 3, 4, spread=1.0)
    x = 3.0 * x  # some points many standard deviations from every component
    args = (alphas, means, icf, x, 1.0, 0)
    assert _rel(gmm_objective(*args), _reference(*args)) < 1e-12


@pytest.mark.parametrize("d", [1, 2, 3, 6])
def test_pack_unpack_round_trip(d):
    rng = np.random.default_rng(d)
    icf = rng.standard_normal((4, icf_size(d)))
    q = unpack_icf(icf, d)
    assert q.shape == (4, d, d)
    assert np.all(np.triu(q, 1) == 0)
    np.testing.assert_allclose(np.diagonal(q, axis1=1, axis2=2), np.exp(icf[:, :d]))
    np.testing.assert_allclose(pack_icf(q), icf, rtol=1e-15, atol=1e-15)
    np.testing.assert_allclose(unpack_icf(icf[0], d), q[0])


@pytest.mark.filterwarnings("ignore:.*converge")  # a few EM steps are enough for this check
@pytest.mark.parametrize("estimator", ["sklearn", "mixtures"])
def test_objective_is_the_log_likelihood_of_a_fitted_mixture(estimator):
    """Independent check of the parametrization: n * score(x) of a fitted full-covariance model."""
    if estimator == "sklearn":
        model_class = pytest.importorskip("sklearn.mixture").GaussianMixture
    else:
        model_class = pytest.importorskip("mixtures").GaussianMixture
    x = np.random.default_rng(5).standard_normal((200, 3)) * [1.0, 2.0, 0.5]
    model = model_class(n_components=3, max_iter=5, random_state=0).fit(x)
    params = from_precisions_cholesky(model.weights_, model.means_, model.precisions_cholesky_)
    assert _rel(gmm_objective_no_prior(*params, x), len(x) * model.score(x)) < 1e-12


def test_unpack_uses_adbench_column_order():
    q = unpack_icf(np.array([0.0, 0.0, 0.0, 1.0, 2.0, 3.0]), 3)
    np.testing.assert_array_equal(q, [[1, 0, 0], [1, 1, 0], [2, 3, 1]])


SCT_NUMPY_SUBSET = {"exp", "log", "sum", "max", "einsum", "matmul", "concatenate", "zeros", "ones", "pi"}


def test_objectives_are_written_in_the_sct_subset():
    """No loops, comprehensions, subscript or augmented assignment, and only the agreed numpy calls."""
    for func in (gmm_objective, gmm_objective_no_prior):
        body = ast.parse(inspect.getsource(func)).body[0].body  # the statements, not the annotations
        for node in (inner for statement in body for inner in ast.walk(statement)):
            assert not isinstance(node, (ast.For, ast.While, ast.AugAssign, ast.comprehension)), func
            if isinstance(node, ast.Assign):
                assert all(isinstance(t, (ast.Name, ast.Tuple)) for t in node.targets), func
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "np":
                assert node.attr in SCT_NUMPY_SUBSET, (func, node.attr)


@pytest.mark.parametrize("method", ["auto", "direct", "quadratic"])
@pytest.mark.parametrize("n,d,k", SIZES)
def test_hand_gradient_matches_autograd(n, d, k, method):
    autograd = pytest.importorskip("autograd")
    objective, _ = loglik.objectives_for(pytest.importorskip("autograd.numpy"))
    args = _problem(n, d, k, seed=1)
    expected = autograd.grad(objective, (0, 1, 2))(*args, GAMMA, M)
    value, grads = gmm_objective_and_gradient(*args, GAMMA, M, method=method)
    assert _rel(value, gmm_objective(*args, GAMMA, M)) < 1e-12
    for got, want in zip(grads, expected):
        assert got.shape == want.shape
        assert _rel(got, want) < 1e-10


@pytest.mark.parametrize("n,d,k", [(20, 2, 3), (30, 3, 4)])
def test_hand_gradient_matches_central_differences(n, d, k):
    args = list(_problem(n, d, k, seed=2))
    _, grads = gmm_objective_and_gradient(*args, GAMMA, M)
    for which, grad in enumerate(grads):
        theta = args[which]
        numeric = np.empty_like(theta)
        for idx in np.ndindex(theta.shape):
            step = 1e-6 * max(1.0, abs(theta[idx]))
            values = []
            for sign in (1.0, -1.0):
                shifted = theta.copy()
                shifted[idx] += sign * step
                values.append(gmm_objective(*args[:which], shifted, *args[which + 1 :], GAMMA, M))
            numeric[idx] = (values[0] - values[1]) / (2 * step)
        assert _rel(grad, numeric) < 1e-7


@pytest.mark.parametrize("method", ["direct", "quadratic"])
def test_hand_gradient_is_shift_invariant(method):
    """Centring keeps the expanded quadratic forms accurate for data far from the origin."""
    alphas, means, icf, x = _problem(50, 3, 4, seed=3)
    base = gmm_objective_and_gradient(alphas, means, icf, x, 1.0, 0, method=method)
    shifted = gmm_objective_and_gradient(alphas, means + 1e3, icf, x + 1e3, 1.0, 0, method=method)
    assert _rel(shifted[0], base[0]) < 1e-12
    for got, want in zip(shifted[1], base[1]):
        assert _rel(got, want) < 1e-9


def test_hand_gradient_rejects_unknown_method():
    with pytest.raises(ValueError, match="method"):
        gmm_objective_and_gradient(*_problem(5, 2, 2), 1.0, 0, method="magic")
