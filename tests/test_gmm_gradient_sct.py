"""The gradient sct derives for a 2-D Gaussian mixture log-likelihood, written in plain numpy without loops,
against a gradient derived by hand.

Parametrization (K components, d = 2): weights ``softmax(alphas)``; means ``(K, 2)``; the precision of
component k is ``L_k L_k^T`` with ``L_k`` lower triangular, diagonal ``exp(log_diag[k])`` and the entry below
it ``lower[k]``. With ``u = x_n - mu_k`` and ``y = L_k^T u``,

    log N(x_n | k) = -log(2 pi) + sum(log_diag[k]) - |y|^2 / 2
    loglik = sum_n logsumexp_k(alphas_k - logsumexp(alphas) + log N(x_n | k))

Hand derivation, with responsibilities ``r_nk = softmax_k(...)`` (d loglik / d(term nk) = r_nk):

    d/d alphas_j   = sum_n r_nj - N softmax(alphas)_j
    d/d mu_k       = sum_n r_nk L_k y            (d|y|^2/2 / d mu = -L y)
    d/d log_diag_ki = sum_n r_nk (1 - y_i exp(log_diag_ki) u_i)   (dL_ii / d log_diag_i = L_ii)
    d/d lower_k    = -sum_n r_nk y_0 u_1         (lower is L[1, 0] = L^T[0, 1], so dy_0 = u_1 dlower)
"""
from __future__ import annotations

import numpy as np
import pytest
from oracle import central_difference, relative_error
from scipy.special import logsumexp, softmax

import sct

K, N = 3, 40
RNG = np.random.default_rng(17)
ALPHAS = RNG.standard_normal(K)
MEANS = RNG.standard_normal((K, 2))
LOG_DIAG = 0.3 * RNG.standard_normal((K, 2))
LOWER = 0.5 * RNG.standard_normal(K)
X = np.concatenate([RNG.standard_normal((N // 2, 2)) - 1.0, RNG.standard_normal((N - N // 2, 2)) + 1.0])
PARAMS = ("alphas", "means", "log_diag", "lower")


def gmm_loglik(alphas, means, log_diag, lower, x):
    diagonal = np.exp(log_diag)
    zeros = np.zeros_like(lower)
    chol = np.stack([np.stack([diagonal[:, 0], zeros], axis=-1),
                     np.stack([lower, diagonal[:, 1]], axis=-1)], axis=1)
    centered = x[:, None, :] - means[None, :, :]
    y = np.einsum("kji,nkj->nki", chol, centered)
    log_normal = -np.log(2 * np.pi) + np.sum(log_diag, axis=1) - 0.5 * np.sum(y ** 2, axis=-1)
    log_weights = alphas - logsumexp(alphas)
    return np.sum(logsumexp(log_weights + log_normal, axis=1))


def hand_gradient(alphas, means, log_diag, lower, x):
    """The gradient derived in the module docstring, vectorized over points and components."""
    diagonal = np.exp(log_diag)
    chol = np.zeros((len(alphas), 2, 2))
    chol[:, 0, 0], chol[:, 1, 1], chol[:, 1, 0] = diagonal[:, 0], diagonal[:, 1], lower
    u = x[:, None, :] - means[None, :, :]
    y = np.einsum("kji,nkj->nki", chol, u)
    log_normal = -np.log(2 * np.pi) + log_diag.sum(axis=1) - 0.5 * (y ** 2).sum(axis=-1)
    r = softmax(alphas - logsumexp(alphas) + log_normal, axis=1)
    d_alphas = r.sum(axis=0) - len(x) * softmax(alphas)
    d_means = np.einsum("nk,kij,nkj->ki", r, chol, y)
    d_log_diag = np.einsum("nk,nki->ki", r, 1.0 - y * diagonal[None] * u)
    d_lower = -np.einsum("nk,nk,nk->k", r, y[..., 0], u[..., 1])
    return d_alphas, d_means, d_log_diag, d_lower


ARGS = (ALPHAS, MEANS, LOG_DIAG, LOWER, X)


def test_hand_gradient_is_right():
    """The hand derivation itself, against central differences (independent of sct)."""
    grads = hand_gradient(*ARGS)
    rng = np.random.default_rng(0)
    for index, g in enumerate(grads):
        v = rng.standard_normal(np.shape(g))
        numeric = central_difference(gmm_loglik, ARGS, index, v)
        assert abs(np.sum(g * v) - numeric) < 1e-6 * max(1.0, abs(numeric))


def test_reverse_mode_matches_hand_gradient():
    value, grads = sct.reverse(gmm_loglik, wrt=PARAMS)(*ARGS)
    assert value == pytest.approx(gmm_loglik(*ARGS), rel=1e-14)
    for name, ours, expected in zip(PARAMS, grads, hand_gradient(*ARGS)):
        assert np.shape(ours) == np.shape(expected), name
        assert relative_error(ours, expected) < 1e-10, (name, ours, expected)


def test_grad_matches_hand_gradient_per_parameter():
    expected = dict(zip(PARAMS, hand_gradient(*ARGS)))
    for name in PARAMS:
        assert relative_error(sct.grad(gmm_loglik, wrt=name)(*ARGS), expected[name]) < 1e-10, name


def test_forward_mode_matches_hand_gradient():
    rng = np.random.default_rng(1)
    directions = [rng.standard_normal(np.shape(a)) for a in ARGS[:4]]
    _, tangent = sct.forward(gmm_loglik, wrt=PARAMS)(*ARGS, *directions)
    expected = sum(np.sum(g * v) for g, v in zip(hand_gradient(*ARGS), directions))
    assert tangent == pytest.approx(expected, rel=1e-10)

