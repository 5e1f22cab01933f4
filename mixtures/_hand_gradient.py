"""Hand-derived gradient of the ADBench GMM objective (``mixtures.loglik.gmm_objective``).

Notation: ``Q_k`` the lower-triangular factors, ``P_k = Q_k^T Q_k`` the precisions, ``u_ik = x_i - mu_k``,
``z_ik = Q_k u_ik``, ``sq_ik = ||z_ik||^2``, ``r_ik`` the responsibilities (softmax over k of the logits
``alphas_k + sum(logdiag_k) - sq_ik / 2``), ``N_k = sum_i r_ik``.  With F the objective,

* ``dF/dalphas_k = N_k - n softmax(alphas)_k``
* ``dF/dmu_k = P_k sum_i r_ik u_ik``
* ``dF/dQ_k = -Q_k C_k`` with ``C_k = sum_i r_ik u_ik u_ik^T`` (only the lower triangle is a parameter)
* ``dF/dlogdiag_ka = N_k + (dF/dQ_k)_aa exp(logdiag_ka) + gamma^2 exp(2 logdiag_ka) - m``
* ``dF/dlower = (dF/dQ_k)_lower + gamma^2 lower``

All of it is shift invariant, so the data and means are first centred on the data mean, which keeps
the expanded quadratic forms below free of cancellation.  The n*K*d work is done one of two ways:

* ``"direct"``: ``z = [x, 1] @ [Q^T; -(Q mu)^T]`` as one (n, K*d) matrix product, squared norms from
  it, and ``sum_i r_ik z_ik [x_i, 1]^T`` as a second product of the same size; two elementwise passes
  over that one buffer.  The objective needs only the first product, so this costs about 2x it.
* ``"quadratic"``: the d(d+1)/2 distinct products ``x_ia x_ib`` of each point are formed once
  (an (n, d(d+1)/2) array), then ``sq = xx @ P`` and ``sum_i r_ik x_i x_i^T = r^T @ xx`` are
  matrix products with half the flops and no (n, K, d) array at all: 0.5-1.2x the objective for
  large K, but the (n, d(d+1)/2) array costs more than it saves when K is small next to d.

``"auto"`` takes the quadratic form when ``(d + 1) / 2`` is small next to K, the direct one otherwise.
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from .loglik import _log_wishart_normalizer, _lower_positions, unpack_icf

__all__ = ["gmm_objective_and_gradient"]

#: "auto" uses the quadratic form when (d + 1) / 2 is at most this times K (measured crossover, n = 1e3..1e4).
_QUADRATIC_MAX_RATIO = 0.7

# A backward step: (responsibilities (n, K), their column sums N (K,)) -> (dF/dmu, dF/dQ).
_Backward = Callable[[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]


def gmm_objective_and_gradient(
    alphas: np.ndarray,
    means: np.ndarray,
    icf: np.ndarray,
    x: np.ndarray,
    wishart_gamma: float,
    wishart_m: int,
    method: str = "auto",
) -> tuple[float, tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Value and gradient ``(d_alphas, d_means, d_icf)`` of ``gmm_objective`` (same arguments).

    ``method`` is ``"auto"``, ``"direct"`` or ``"quadratic"`` (see the module docstring); all three give
    the same numbers to rounding.
    """
    n, d = x.shape
    k = alphas.shape[0]
    logdiag, lower = icf[:, :d], icf[:, d:]
    q = unpack_icf(icf, d)
    center = x.mean(axis=0)
    xc, muc = x - center, means - center
    if method == "auto":
        method = "quadratic" if (d + 1) / 2 <= _QUADRATIC_MAX_RATIO * k else "direct"
    passes = {"direct": _direct, "quadratic": _quadratic}
    if method not in passes:
        raise ValueError(f"method must be 'auto', 'direct' or 'quadratic', got {method!r}")
    sq, backward = passes[method](q, muc, xc)

    # Logits, responsibilities and the log-likelihood, reusing the (n, K) buffer.
    logits = sq
    logits *= -0.5
    logits += alphas + logdiag.sum(axis=1)
    mx = logits.max(axis=1, keepdims=True)
    resp = np.exp(logits - mx, out=logits)
    total = resp.sum(axis=1, keepdims=True)
    resp /= total
    amx = alphas.max()
    weights = np.exp(alphas - amx)
    lse_alphas = np.log(weights.sum()) + amx

    exp_diag = np.exp(logdiag)
    gamma2 = wishart_gamma**2
    prior = (
        0.5 * gamma2 * (np.sum(exp_diag**2) + np.sum(lower**2))
        - wishart_m * np.sum(logdiag)
        - k * _log_wishart_normalizer(d, wishart_gamma, wishart_m)
    )
    value = -0.5 * n * d * np.log(2 * np.pi) + np.sum(np.log(total)) + np.sum(mx) - n * lse_alphas + prior

    counts = resp.sum(axis=0)
    d_alphas = counts - n * (weights / weights.sum())
    d_means, d_q = backward(resp, counts)
    diag = np.arange(d)
    rows, cols = _lower_positions(d)
    d_logdiag = counts[:, None] + d_q[:, diag, diag] * exp_diag + gamma2 * exp_diag**2 - wishart_m
    d_lower = d_q[:, rows, cols] + gamma2 * lower
    return float(value), (d_alphas, d_means, np.concatenate([d_logdiag, d_lower], axis=1))


def _with_ones(a: np.ndarray, extra: int) -> np.ndarray:
    """Empty (n, extra + a.shape[1] + 1) buffer whose last column is 1 and whose columns
    ``extra:extra + a.shape[1]`` hold ``a``: a product with it adds a constant row for free."""
    n, d = a.shape
    out = np.empty((n, extra + d + 1))
    out[:, extra : extra + d] = a
    out[:, -1] = 1.0
    return out


def _direct(q: np.ndarray, muc: np.ndarray, xc: np.ndarray) -> tuple[np.ndarray, _Backward]:
    """Squared norms of ``z = Q (x - mu)``, built for all points and components in one buffer."""
    n, d = xc.shape
    k = q.shape[0]
    xa = _with_ones(xc, 0)  # [x_i, 1]
    w = np.empty((d + 1, k * d))  # [Q_j^T; -(Q_j mu_j)^T] side by side, so that z = xa @ w
    w[:d] = q.transpose(2, 0, 1).reshape(d, k * d)
    w[d] = -np.einsum("jab,jb->ja", q, muc).reshape(k * d)
    z = xa @ w  # z[i, j*d + a] = (Q_j (x_i - mu_j))_a
    z3 = z.reshape(n, k, d)
    sq = np.einsum("ija,ija->ij", z3, z3)

    def backward(resp: np.ndarray, counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        np.multiply(z3, resp[:, :, None], out=z3)
        g = (xa.T @ z).reshape(d + 1, k, d)  # g[b, j, a] = sum_i r_ij z_ija [x_i, 1]_b
        s = g[d]  # S_j = sum_i r_ij z_ij
        d_means = np.einsum("jab,ja->jb", q, s)
        d_q = np.einsum("ja,jb->jab", s, muc) - g[:d].transpose(1, 2, 0)  # -sum_i r_ij z_ij u_ij^T
        return d_means, d_q

    return sq, backward


def _quadratic(q: np.ndarray, muc: np.ndarray, xc: np.ndarray) -> tuple[np.ndarray, _Backward]:
    """Squared norms as quadratic forms ``u^T P u`` over the distinct products of each point."""
    d = xc.shape[1]
    k = q.shape[0]
    a_idx, b_idx = np.triu_indices(d)  # pairs a <= b
    m = a_idx.size
    xx = _with_ones(xc, m)  # [x_ia x_ib for a <= b, x_i, 1]
    start = 0
    for a in range(d):  # row a of the upper triangle
        np.multiply(xc[:, a : a + 1], xc[:, a:], out=xx[:, start : start + d - a])
        start += d - a
    prec = q.transpose(0, 2, 1) @ q  # P_j
    pmu = np.einsum("jab,jb->ja", prec, muc)
    w = np.empty((m + d + 1, k))  # u^T P u = sum_{a<=b} (2 - [a=b]) P_ab x_a x_b - 2 x.P mu + mu.P mu
    w[:m] = (prec[:, a_idx, b_idx] * np.where(a_idx == b_idx, 1.0, 2.0)).T
    w[m : m + d] = -2.0 * pmu.T
    w[-1] = np.einsum("ja,ja->j", pmu, muc)
    sq = xx @ w

    def backward(resp: np.ndarray, counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        moments = resp.T @ xx  # [sum_i r_ij x_ia x_ib, sum_i r_ij x_i, N_j]
        rx = moments[:, m : m + d]
        d_means = np.einsum("jab,jb->ja", prec, rx) - counts[:, None] * pmu
        c = np.empty((k, d, d))
        c[:, a_idx, b_idx] = moments[:, :m]
        c[:, b_idx, a_idx] = moments[:, :m]
        outer = np.einsum("ja,jb->jab", rx, muc)
        c -= outer
        c -= outer.transpose(0, 2, 1)
        c += counts[:, None, None] * np.einsum("ja,jb->jab", muc, muc)  # C_j = sum_i r_ij u_ij u_ij^T
        return d_means, -(q @ c)

    return sq, backward
