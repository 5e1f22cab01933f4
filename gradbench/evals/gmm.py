"""GradBench's ``gmm``: the log-posterior of a Gaussian mixture (ADBench's problem) and its gradient.

GradBench's corrected definition: the log-likelihood of ``x`` under ``k`` Gaussians with weights
``softmax(alpha)``, means ``mu`` and precision factors ``Q = diag(exp(q)) + L`` (``L`` strictly lower
triangular, filled column by column from ``l``), plus the log of a Wishart prior on each precision
``Q^T Q`` with scale ``I / gamma^2`` and ``d + m + 1`` degrees of freedom. ``jacobian`` is the gradient
with respect to ``alpha``, ``mu``, ``q`` and ``l``.
"""

from __future__ import annotations

from typing import Dict

import numpy as np
import scipy.special

import sct

from . import Function, array, nested, number


def log_wishart_prior(k, p, gamma, m, sum_qs, Qdiags, l):
    n = p + m + 1
    out = np.sum(0.5 * gamma * gamma * (np.sum(Qdiags ** 2, axis=1) + np.sum(l ** 2, axis=1)) - m * sum_qs)
    C = n * p * np.log(gamma / np.sqrt(2))
    return -out + k * (C - scipy.special.multigammaln(0.5 * n, p))


def gmm_objective(alpha, mu, q, l, x, gamma, m):
    n, d = x.shape
    k = alpha.shape[0]
    Qdiags = np.exp(q)
    sum_qs = np.sum(q, axis=1)

    cols = np.repeat(np.arange(d - 1), np.arange(d - 1, 0, -1))
    rows = np.concatenate([np.arange(c + 1, d) for c in range(d - 1)])
    Ls = np.zeros((k, d, d))
    Ls[:, rows, cols] = l

    xcentered = x[:, None, :] - mu[None, ...]
    Lxcentered = Qdiags * xcentered + np.einsum("ijk,mik->mij", Ls, xcentered)
    sqsum_Lxcentered = np.sum(Lxcentered ** 2, axis=2)
    inner_term = alpha + sum_qs - 0.5 * sqsum_Lxcentered
    slse = np.sum(scipy.special.logsumexp(inner_term, axis=1))

    CONSTANT = -n * d * 0.5 * np.log(2 * np.pi)
    return (CONSTANT + slse - n * scipy.special.logsumexp(alpha, axis=0)
            + log_wishart_prior(k, d, gamma, m, sum_qs, Qdiags, l))


def prepare(input):
    if input["d"] < 2:
        raise ValueError(f"gmm needs d >= 2 (a 1x1 factor has no lower triangle), got d={input['d']}")
    return (array(input["alpha"]), array(input["mu"]), array(input["q"]), array(input["l"]),
            array(input["x"]), float(input["gamma"]), int(input["m"]))


def gradient_output(grads):
    alpha, mu, q, l = grads
    return {"alpha": nested(alpha), "mu": nested(mu), "q": nested(q), "l": nested(l)}


def define() -> Dict[str, Function]:
    """``objective`` and ``jacobian`` (the gradient in alpha, mu, q, l, as GradBench's JSON object)."""
    reverse = sct.reverse(gmm_objective, wrt=("alpha", "mu", "q", "l"))

    def jacobian(*args):
        return reverse(*args)[1]

    return {
        "objective": Function(prepare, gmm_objective, number),
        "jacobian": Function(prepare, jacobian, gradient_output),
    }
