"""Hand-written numpy derivatives of five GradBench evals: the baselines of ``speed_targets.py``.

Each function computes what the eval's derivative function returns, for the same objective as
``gradbench/evals/<eval>.py`` writes it (same parametrisation, same broadcast formulation), derived by
hand and written the way a numpy programmer would: a forward pass keeping what the reverse pass
needs, matrix products for the contractions, no Python loop over points. They are benchmark baselines
only; ``tests/test_benchmark_handwritten.py`` checks each against Richardson differences, and
``speed_targets.py`` checks each against sct's derivative in every run.

``HANDWRITTEN`` maps an eval to its function, which takes the arguments of the eval's ``prepare`` and
returns what the eval's derivative function (``jacobian``, ``gradient``, ``dir``) returns.
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


def _ode_pullback(x: np.ndarray, g: np.ndarray) -> np.ndarray:
    """The adjoint of ``y`` in ``_ode_field(x, y)`` for output adjoint ``g``: ``x[1:] * g[1:]``, then 0."""
    y_bar = np.empty_like(g)
    np.multiply(x[1:], g[1:], out=y_bar[:-1])
    y_bar[-1] = 0.0
    return y_bar


def ode_gradient(x: np.ndarray, s: int) -> np.ndarray:
    """Gradient of the last component of ``s`` RK4 steps of ``y' = f(x, y)`` from ``y = 0`` to ``t = 2``.

    The discrete adjoint: the forward sweep keeps the points each step evaluates the field at; the
    reverse sweep pulls the adjoint back through the four stages. The field is linear in ``y``, so the
    state's adjoint takes one pull-back of the sum of the stages' adjoints.
    """
    h = 2.0 / s
    tape = []
    y = np.zeros_like(x)
    for _ in range(s):
        k1 = _ode_field(x, y)
        u2 = y + h / 2 * k1
        k2 = _ode_field(x, u2)
        u3 = y + h / 2 * k2
        k3 = _ode_field(x, u3)
        u4 = y + h * k3
        tape.append((y, u2, u3, u4))
        y = y + h / 6 * (k1 + 2 * k2 + 2 * k3 + _ode_field(x, u4))
    x_bar = np.zeros_like(x)
    y_bar = np.zeros_like(x)
    y_bar[-1] = 1.0
    product = np.empty(x.shape[0] - 1)
    for y, u2, u3, u4 in reversed(tape):
        g4 = h / 6 * y_bar  # adjoints of the stages k4 ... k1
        g3 = h / 3 * y_bar + h * _ode_pullback(x, g4)
        g2 = h / 3 * y_bar + h / 2 * _ode_pullback(x, g3)
        g1 = h / 6 * y_bar + h / 2 * _ode_pullback(x, g2)
        stages = g1 + g2 + g3 + g4
        x_bar[0] += stages[0]
        for g, u in ((g1, y), (g2, u2), (g3, u3), (g4, u4)):
            x_bar[1:] += np.multiply(g[1:], u[:-1], out=product)
        y_bar += _ode_pullback(x, stages)
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


HANDWRITTEN: Dict[str, Callable] = {
    "lse": lse_gradient,
    "llsq": llsq_gradient,
    "ode": ode_gradient,
    "kmeans": kmeans_dir,
    "gmm": gmm_gradient,
}
