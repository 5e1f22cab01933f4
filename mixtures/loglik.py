"""The Gaussian mixture objective in the ADBench parametrization, written for source-transformation AD.

Parameters of a K-component mixture in d dimensions (the layout of ADBench's ``gmm_objective``):

* ``alphas`` (K,): unnormalised log weights; the weights are ``softmax(alphas)``.
* ``means`` (K, d): component means.
* ``icf`` (K, d + d(d-1)/2): "inverse covariance factor" of each component.  Its first d entries are
  the logarithms of the diagonal of a lower-triangular matrix Q_k; the rest are Q_k's strictly lower
  entries, column by column (Q[1,0], Q[2,0], ..., Q[d-1,0], Q[2,1], ...).  The precision matrix of
  component k is Q_k^T Q_k, so ``log det Q_k = sum(icf[k, :d])``.
* ``x`` (n, d): data points.
* ``wishart_gamma`` (float), ``wishart_m`` (int): parameters of the Wishart prior on the precisions.

The objective is the log-likelihood plus the log Wishart prior, exactly as ADBench computes it::

    const + sum_i logsumexp_k(alphas_k + sum(icf[k, :d]) - 0.5 ||Q_k (x_i - mu_k)||^2)
          - n logsumexp(alphas) + log_wishart_prior

The two objective functions below are deliberately plain numpy: no loops, no subscript assignment,
no in-place updates, no scipy.  That is the subset the ``sct`` compiler differentiates, and
``mixtures/_generated`` holds the derivative it emits.  ``unpack_icf``/``pack_icf`` are ordinary
helpers for callers and may use anything.
"""

from __future__ import annotations

import math
import sys
import types
from typing import Any, Callable

import numpy as np

__all__ = [
    "from_precisions_cholesky",
    "gmm_objective",
    "gmm_objective_no_prior",
    "icf_size",
    "objectives_for",
    "pack_icf",
    "unpack_icf",
]


def icf_size(d: int) -> int:
    """Number of ``icf`` entries per component in dimension ``d``: ``d + d(d-1)/2``."""
    return d * (d + 1) // 2


def _factor_index(d: int, k: int) -> np.ndarray:
    """Constant gather index that lays out all K factors side by side, transposed.

    Row k of the per-component table ``[0, exp(logdiag_k), lower_k]`` (width ``1 + icf_size(d)``),
    flattened over k, gathered with this (d, k*d) index gives ``qt[b, j*d + a] = Q_j[a, b]``, so
    ``x @ qt`` holds ``Q_j x_i`` for every point and component as one matrix product.  Entries above
    the diagonal pick the leading 0 of their row.  Only integer arithmetic on ``d`` and ``k``.
    """
    a = np.arange(d)[:, None]  # row of Q
    b = np.arange(d)[None, :]  # column of Q
    # Strict lower entry (a, b), a > b, is number b*(d-1) - b*(b-1)/2 + (a-b-1) in ADBench's order.
    lower = 1 + d + b * (d - 1) - b * (b - 1) // 2 + (a - b - 1)
    within = (a > b) * lower + (a == b) * (1 + a)  # (d, d): position inside one table row
    row_start = (1 + icf_size(d)) * np.arange(k)
    return (row_start[None, :, None] + within.T[:, None, :]).reshape(d, k * d)


def _log_wishart_normalizer(d: int, wishart_gamma: float, wishart_m: int) -> float:
    """Per-component constant C of ADBench's ``log_wishart_prior`` (its prior subtracts ``K * C``).

    ``C = n_w d (log gamma - log(2)/2) - log Gamma_d(n_w / 2)`` with ``n_w = d + m + 1`` and
    ``Gamma_d`` the multivariate gamma function.  Depends on constants only; no derivative flows here.
    """
    n_w = d + wishart_m + 1
    log_multigamma = 0.25 * d * (d - 1) * math.log(math.pi) + sum(
        math.lgamma(0.5 * (n_w - j)) for j in range(d)
    )
    return n_w * d * (math.log(wishart_gamma) - 0.5 * math.log(2.0)) - log_multigamma


def gmm_objective_no_prior(alphas: np.ndarray, means: np.ndarray, icf: np.ndarray, x: np.ndarray) -> float:
    """GMM log-likelihood of ``x`` in the ADBench parametrization, without the Wishart prior.

    ``const + sum_i logsumexp_k(alphas_k + sum(icf[k, :d]) - 0.5 ||Q_k (x_i - mu_k)||^2)
    - n logsumexp(alphas)`` with ``const = -n d log(2 pi) / 2``.
    """
    n, d = x.shape
    k = alphas.shape[0]
    logdiag = icf[:, :d]
    # One table row per component: a zero (used above the diagonal), the diagonal, the lower entries.
    table = np.concatenate([np.zeros((k, 1)), np.exp(logdiag), icf[:, d:]], axis=1)
    qt = table.reshape(-1)[_factor_index(d, k)]  # (d, k*d), qt[b, j*d + a] = Q_j[a, b]
    qmu = np.einsum("bja,jb->ja", qt.reshape(d, k, d), means)  # Q_j mu_j
    # Q_j (x_i - mu_j) for all i, j as one product: [x_i, 1] @ [Q_j^T; -(Q_j mu_j)^T].
    xa = np.concatenate([x, np.ones((n, 1))], axis=1)
    z = (xa @ np.concatenate([qt, -qmu.reshape(1, k * d)], axis=0)).reshape(n, k, d)
    logits = alphas + np.sum(logdiag, axis=1) - 0.5 * np.einsum("ija,ija->ij", z, z)
    mx = np.max(logits, axis=1, keepdims=True)
    lse_points = np.log(np.sum(np.exp(logits - mx), axis=1)) + mx[:, 0]
    amx = np.max(alphas)
    lse_alphas = np.log(np.sum(np.exp(alphas - amx))) + amx
    return -0.5 * n * d * np.log(2 * np.pi) + np.sum(lse_points) - n * lse_alphas


def gmm_objective(
    alphas: np.ndarray,
    means: np.ndarray,
    icf: np.ndarray,
    x: np.ndarray,
    wishart_gamma: float,
    wishart_m: int,
) -> float:
    """ADBench's GMM objective: ``gmm_objective_no_prior`` plus the log Wishart prior.

    The prior is ``sum_k [0.5 gamma^2 (||exp(logdiag_k)||^2 + ||lower_k||^2) - m sum(logdiag_k)]
    - K C``, with ``C`` the constant of ADBench's C++ ``log_wishart_prior``.
    """
    d = x.shape[1]
    k = alphas.shape[0]
    logdiag = icf[:, :d]
    frobenius = np.sum(np.exp(2 * logdiag)) + np.sum(icf[:, d:] ** 2)
    prior = (
        0.5 * wishart_gamma**2 * frobenius
        - wishart_m * np.sum(logdiag)
        - k * _log_wishart_normalizer(d, wishart_gamma, wishart_m)
    )
    return gmm_objective_no_prior(alphas, means, icf, x) + prior


def unpack_icf(icf: np.ndarray, d: int) -> np.ndarray:
    """Lower-triangular factors Q from ``icf``: shape (..., d + d(d-1)/2) -> (..., d, d)."""
    icf = np.asarray(icf, dtype=float)
    rows, cols = _lower_positions(d)
    q = np.zeros(icf.shape[:-1] + (d, d))
    diag = np.arange(d)
    q[..., diag, diag] = np.exp(icf[..., :d])
    q[..., rows, cols] = icf[..., d:]
    return q


def pack_icf(q: np.ndarray) -> np.ndarray:
    """``icf`` rows of lower-triangular factors, positive diagonal: (..., d, d) -> (..., icf_size(d))."""
    q = np.asarray(q, dtype=float)
    d = q.shape[-1]
    rows, cols = _lower_positions(d)
    diag = np.arange(d)
    return np.concatenate([np.log(q[..., diag, diag]), q[..., rows, cols]], axis=-1)


def from_precisions_cholesky(
    weights: np.ndarray, means: np.ndarray, precisions_cholesky: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(alphas, means, icf)`` of a fitted full-covariance mixture (scikit-learn's conventions).

    ``precisions_cholesky`` (K, d, d) holds upper-triangular P_k with precision ``P_k P_k^T``, as in
    ``GaussianMixture.precisions_cholesky_``; ADBench's Q_k is its transpose.  With these,
    ``gmm_objective_no_prior(alphas, means, icf, x)`` is ``len(x) * model.score(x)``.
    """
    q = np.swapaxes(np.asarray(precisions_cholesky, dtype=float), -1, -2)
    return np.log(np.asarray(weights, dtype=float)), np.asarray(means, dtype=float), pack_icf(q)


def _lower_positions(d: int) -> tuple[np.ndarray, np.ndarray]:
    """(rows, cols) of the strictly lower entries of a d x d matrix in ADBench's column-major order."""
    cols, rows = np.triu_indices(d, 1)
    return rows, cols


def objectives_for(xp: Any) -> tuple[Callable[..., Any], Callable[..., Any]]:
    """``(gmm_objective, gmm_objective_no_prior)`` running on the numpy-like module ``xp``.

    The same code with ``np`` bound to ``xp`` (``autograd.numpy``, ``jax.numpy``, ...), so tracing tools
    differentiate exactly the functions above.  ``xp`` must provide the numpy calls they use.
    """
    namespace = dict(vars(sys.modules[__name__]), np=xp)
    for name, value in list(namespace.items()):
        if isinstance(value, types.FunctionType) and value.__module__ == __name__:
            namespace[name] = types.FunctionType(value.__code__, namespace, name, value.__defaults__)
    return namespace["gmm_objective"], namespace["gmm_objective_no_prior"]
