"""Hand-written numpy derivatives of five GradBench evals: the baselines of ``speed_targets.py``.

Each function computes what the eval's derivative function returns, for THE SAME objective as
``gradbench/evals/<eval>.py`` writes it (same parametrisation, same broadcast formulation), derived by
hand and written the way a numpy programmer would: one pass forward keeping what the reverse pass
needs, matrix products for the contractions, no Python loop over data. They are benchmark baselines
only; ``tests/test_benchmark_handwritten.py`` checks each against Richardson differences, and
``speed_targets.py`` checks each against sct's derivative in every run.

``HANDWRITTEN`` maps an eval to ``(derivative function name, function)``; a function takes the
arguments of the eval's ``prepare``.
"""

from __future__ import annotations

from typing import Callable, Dict, Tuple

import numpy as np


def lse_gradient(x: np.ndarray) -> np.ndarray:
    """Gradient of ``max(x) + log(sum(exp(x - max(x))))``: the softmax of ``x``."""
    e = np.exp(x - np.max(x))
    return e / np.sum(e)


def llsq_gradient(x: np.ndarray, n: int) -> np.ndarray:
    """Gradient of ``sum((sign(t) - T x)^2) / 2`` with ``T[i, j] = t_i ** j``: ``T^T (T x - sign(t))``."""
    t = -1.0 + np.arange(n) * 2.0 / (n - 1.0)
    powers = np.vander(t, x.shape[0], increasing=True)  # t ** j by running products
    return powers.T @ (powers @ x - np.sign(t))


def _ode_field(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    return np.concatenate([x[:1], x[1:] * y[:-1]])


def _ode_field_adjoint(x: np.ndarray, y: np.ndarray, g: np.ndarray, x_bar: np.ndarray) -> np.ndarray:
    """Adds the adjoint of ``x`` in ``_ode_field(x, y)`` for output adjoint ``g``; returns ``y``'s."""
    x_bar[0] += g[0]
    x_bar[1:] += g[1:] * y[:-1]
    y_bar = np.zeros_like(y)
    y_bar[:-1] = x[1:] * g[1:]
    return y_bar


def ode_gradient(x: np.ndarray, s: int) -> np.ndarray:
    """Gradient of the last component of ``s`` RK4 steps of ``y' = f(x, y)`` from ``y = 0`` to ``t = 2``.

    The discrete adjoint: the forward sweep keeps the state before each step; the reverse sweep
    recomputes that step's stages from it and pulls the adjoint back through them.
    """
    h = 2.0 / s
    states = [np.zeros_like(x)]
    for _ in range(s):
        y = states[-1]
        k1 = _ode_field(x, y)
        k2 = _ode_field(x, y + h / 2 * k1)
        k3 = _ode_field(x, y + h / 2 * k2)
        k4 = _ode_field(x, y + h * k3)
        states.append(y + h / 6 * (k1 + 2 * k2 + 2 * k3 + k4))
    x_bar = np.zeros_like(x)
    y_bar = np.zeros_like(x)
    y_bar[-1] = 1.0
    for y in reversed(states[:-1]):
        k1 = _ode_field(x, y)
        u2 = y + h / 2 * k1
        k2 = _ode_field(x, u2)
        u3 = y + h / 2 * k2
        u4 = y + h * _ode_field(x, u3)
        u4_bar = _ode_field_adjoint(x, u4, h / 6 * y_bar, x_bar)
        u3_bar = _ode_field_adjoint(x, u3, h / 3 * y_bar + h * u4_bar, x_bar)
        u2_bar = _ode_field_adjoint(x, u2, h / 3 * y_bar + h / 2 * u3_bar, x_bar)
        y1_bar = _ode_field_adjoint(x, y, h / 6 * y_bar + h / 2 * u2_bar, x_bar)
        y_bar = y_bar + u4_bar + u3_bar + u2_bar + y1_bar
    return x_bar


def _assignments(points: np.ndarray, centroids: np.ndarray) -> Tuple[np.ndarray, np.ndarray]:
    """Each point's nearest centroid (distances as the cost computes them) and each centroid's count."""
    a_sqr = np.sum(points ** 2, 1)[None, :]
    b_sqr = np.sum(centroids ** 2, 1)[:, None]
    dists = a_sqr + b_sqr - 2 * np.matmul(points, centroids.T).T
    nearest = np.argmin(dists, axis=0)
    return nearest, np.bincount(nearest, minlength=centroids.shape[0]).astype(float)


def kmeans_gradient_and_hessian(points: np.ndarray, centroids: np.ndarray) -> Tuple[np.ndarray, np.ndarray]:
    """Gradient of ``sum_i min_j |C_j - P_i|^2`` in ``C``, and its (diagonal) Hessian's diagonal.

    The gradient of centroid j is ``2 (count_j C_j - sum of its points)``; the Hessian's diagonal is
    ``2 count_j`` in each coordinate.
    """
    nearest, counts = _assignments(points, centroids)
    k, d = centroids.shape
    sums = np.stack([np.bincount(nearest, weights=points[:, c], minlength=k) for c in range(d)], axis=1)
    gradient = 2.0 * (counts[:, None] * centroids - sums)
    return gradient, np.broadcast_to(2.0 * counts[:, None], (k, d))


def kmeans_dir(points: np.ndarray, centroids: np.ndarray) -> np.ndarray:
    """GradBench's ``dir``: the gradient divided by the Hessian's diagonal (nan for an empty cluster)."""
    gradient, hessian_diagonal = kmeans_gradient_and_hessian(points, centroids)
    with np.errstate(divide="ignore", invalid="ignore"):
        return gradient / hessian_diagonal


def gmm_gradient(alpha: np.ndarray, mu: np.ndarray, q: np.ndarray, l: np.ndarray,  # noqa: E741
                 x: np.ndarray, gamma: float, m: int) -> Tuple[np.ndarray, ...]:
    """Gradient of GradBench's GMM log-posterior in ``(alpha, mu, q, l)``.

    The forward pass is the objective's own formulation laid out component-major: the broadcast
    ``xc[k, i] = x_i - mu_k`` and ``Q_k xc[k, i] = exp(q_k) * xc[k, i] + L_k xc[k, i]`` as one batched
    matrix product. With ``r`` the responsibilities (softmax over components) and
    ``G = -r * Q xc``: ``dL_k = G_k^T xc_k`` (strict lower part), ``d exp(q) = sum_i G * xc``,
    ``dmu_k = -(exp(q_k) * sum_i G_k + L_k^T sum_i G_k)``; the prior adds ``-gamma^2 exp(2q)``,
    ``-gamma^2 l`` and ``m`` per ``q`` entry, ``-n softmax(alpha)`` goes to ``alpha``.
    """
    n, d = x.shape
    k = alpha.shape[0]
    q_diag = np.exp(q)
    cols = np.repeat(np.arange(d - 1), np.arange(d - 1, 0, -1))
    rows = np.concatenate([np.arange(c + 1, d) for c in range(d - 1)])
    factors = np.zeros((k, d, d))
    factors[:, rows, cols] = l

    xc = x[None, :, :] - mu[:, None, :]  # (k, n, d)
    qxc = q_diag[:, None, :] * xc + np.matmul(xc, factors.transpose(0, 2, 1))
    inner = (alpha + np.sum(q, axis=1))[:, None] - 0.5 * np.sum(qxc ** 2, axis=2)  # (k, n)
    r = np.exp(inner - np.max(inner, axis=0))
    r /= np.sum(r, axis=0)

    weights = np.exp(alpha - np.max(alpha))
    r_sum = np.sum(r, axis=1)
    d_alpha = r_sum - n * weights / np.sum(weights)
    g = -r[:, :, None] * qxc  # adjoint of Q xc
    g_sum = np.sum(g, axis=1)  # (k, d)
    d_q = (np.sum(g * xc, axis=1) - gamma * gamma * q_diag) * q_diag + (r_sum + m)[:, None]
    d_factors = np.matmul(g.transpose(0, 2, 1), xc)  # (k, d, d): sum_i G[k, i, a] xc[k, i, b]
    d_l = d_factors[:, rows, cols] - gamma * gamma * l
    d_mu = -(q_diag * g_sum + np.einsum("kab,ka->kb", factors, g_sum))
    return d_alpha, d_mu, d_q, d_l


HANDWRITTEN: Dict[str, Tuple[str, Callable]] = {
    "lse": ("gradient", lse_gradient),
    "llsq": ("gradient", llsq_gradient),
    "ode": ("gradient", ode_gradient),
    "kmeans": ("dir", kmeans_dir),
    "gmm": ("jacobian", gmm_gradient),
}
