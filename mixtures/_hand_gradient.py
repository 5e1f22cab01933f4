"""Hand-derived gradient of the ADBench GMM objective (``mixtures.loglik.gmm_objective``).

Notation: ``z_ik = Q_k (x_i - mu_k)``, ``r_ik`` the responsibilities (softmax over k of the logits
``alphas_k + sum(logdiag_k) - ||z_ik||^2 / 2``), ``N_k = sum_i r_ik`` and ``S_k = sum_i r_ik z_ik``.
Then, with F the objective,

* ``dF/dalphas_k = N_k - n softmax(alphas)_k``
* ``dF/dmu_k = Q_k^T S_k``
* ``dF/dQ_k = S_k mu_k^T - sum_i r_ik z_ik x_i^T`` (only its lower triangle is a parameter)
* ``dF/dlogdiag_ka = N_k + (dF/dQ_k)_aa exp(logdiag_ka) + gamma^2 exp(2 logdiag_ka) - m``
* ``dF/dlower = (dF/dQ_k)_lower + gamma^2 lower``

The n*K*d work is two matrix products (``x @ Q^T`` forward, ``(r z)^T @ x`` backward) and three
elementwise passes over one (n, K*d) buffer that is updated in place.  ``S_k`` comes from the small
product ``r^T x`` instead of another pass over the big buffer.
"""

from __future__ import annotations

import numpy as np

from .loglik import _log_wishart_normalizer, _lower_positions, unpack_icf

__all__ = ["gmm_objective_and_gradient"]


def gmm_objective_and_gradient(
    alphas: np.ndarray,
    means: np.ndarray,
    icf: np.ndarray,
    x: np.ndarray,
    wishart_gamma: float,
    wishart_m: int,
) -> tuple[float, tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Value and gradient ``(d_alphas, d_means, d_icf)`` of ``gmm_objective`` (same arguments)."""
    n, d = x.shape
    k = alphas.shape[0]
    logdiag, lower = icf[:, :d], icf[:, d:]
    q = unpack_icf(icf, d)  # (k, d, d)

    # Forward: z[i, j*d + a] = (Q_j (x_i - mu_j))_a, built in one buffer.
    z = x @ q.transpose(2, 0, 1).reshape(d, k * d)
    z3 = z.reshape(n, k, d)
    qmu = np.einsum("jab,jb->ja", q, means)
    z3 -= qmu
    logits = np.einsum("ija,ija->ij", z3, z3)
    logits *= -0.5
    logits += alphas + logdiag.sum(axis=1)
    mx = logits.max(axis=1, keepdims=True)
    resp = np.exp(logits - mx, out=logits)
    total = resp.sum(axis=1, keepdims=True)
    resp /= total  # responsibilities r[i, j]
    amx = alphas.max()
    weights = np.exp(alphas - amx)
    sum_weights = weights.sum()
    lse_alphas = np.log(sum_weights) + amx

    exp_diag = np.exp(logdiag)
    frobenius = np.sum(exp_diag**2) + np.sum(lower**2)
    prior = (
        0.5 * wishart_gamma**2 * frobenius
        - wishart_m * np.sum(logdiag)
        - k * _log_wishart_normalizer(d, wishart_gamma, wishart_m)
    )
    value = (
        -0.5 * n * d * np.log(2 * np.pi)
        + np.sum(np.log(total)) + np.sum(mx)
        - n * lse_alphas
        + prior
    )

    # Backward.
    counts = resp.sum(axis=0)  # N_j
    d_alphas = counts - n * (weights / sum_weights)
    s = np.einsum("jab,jb->ja", q, resp.T @ x) - counts[:, None] * qmu  # S_j = sum_i r_ij z_ij
    d_means = np.einsum("jab,ja->jb", q, s)
    z3 *= resp[:, :, None]
    d_q = s[:, :, None] * means[:, None, :]
    d_q -= (z.T @ x).reshape(k, d, d)

    diag = np.arange(d)
    rows, cols = _lower_positions(d)
    d_logdiag = counts[:, None] + d_q[:, diag, diag] * exp_diag
    d_logdiag += wishart_gamma**2 * exp_diag**2 - wishart_m
    d_lower = d_q[:, rows, cols] + wishart_gamma**2 * lower
    return float(value), (d_alphas, d_means, np.concatenate([d_logdiag, d_lower], axis=1))
