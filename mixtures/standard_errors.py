"""Standard errors of a fitted full-covariance mixture from the observed information (sct Hessian).

The log-likelihood ``loglik.gmm_objective_no_prior`` is differentiated twice by sct (forward mode over
its reverse-mode gradient). The weights enter through a softmax of ``alphas``, which is unchanged when
every alpha moves together, so the first alpha is held at 0: the remaining parameters are identifiable
and the negative Hessian at the maximum-likelihood estimate can be inverted.
"""
from __future__ import annotations

from typing import Any

import numpy as np

import sct

from ._adbench import to_adbench
from ._validation import check_is_fitted, check_magnitude, validate_data
from .loglik import gmm_objective_no_prior


def packed_loglik(theta, first_alpha, x, k, d):
    """The log-likelihood as a function of one vector: alphas[1:], means, icf (``first_alpha`` fixed)."""
    alphas = np.concatenate([first_alpha, theta[:k - 1]])
    start = k - 1 + k * d
    means = np.reshape(theta[k - 1:start], (k, d))
    icf = np.reshape(theta[start:], (k, d * (d + 1) // 2))
    return gmm_objective_no_prior(alphas, means, icf, x)


def observed_information(gm: Any, X: Any) -> tuple:
    """``(theta, information)``: the packed parameters of ``gm`` and ``-Hessian`` of the log-likelihood
    of ``X`` with respect to them, from sct's Hessian."""
    check_is_fitted(gm, "precisions_cholesky_")
    if gm.covariance_type != "full":
        raise ValueError(f"standard errors need covariance_type='full', not {gm.covariance_type!r}")
    X = validate_data(gm, X, reset=False)
    check_magnitude(X, gm.weights_ @ gm.means_)
    alphas, means, icf = to_adbench(gm.weights_, gm.means_, gm.precisions_cholesky_)
    k, d = means.shape
    alphas = alphas - alphas[0]
    theta = np.concatenate([alphas[1:], means.ravel(), icf.ravel()])
    hessian = sct.hessian(packed_loglik, wrt="theta")(theta, np.zeros(1), X, k, d)
    return theta, -hessian


def standard_errors(gm: Any, X: Any) -> np.ndarray:
    """Standard errors of the fitted means, shape ``(n_components, n_features)``.

    They are the square roots of the diagonal of the inverse observed information of the data ``X``
    the mixture was fitted to (all parameters estimated jointly: weights, means and precisions), so
    they are valid at a maximum of the likelihood. Raises ``ValueError`` when the information is not
    positive definite (not a maximum, or a degenerate fit).
    """
    theta, information = observed_information(gm, X)
    k, d = gm.means_.shape
    try:
        np.linalg.cholesky(information)
    except np.linalg.LinAlgError:
        raise ValueError("the observed information is not positive definite: the mixture is not at a "
                         "maximum of the likelihood of X (fit it to X to convergence first)") from None
    covariance = np.linalg.inv(information)
    means_block = slice(k - 1, k - 1 + k * d)
    return np.sqrt(np.diag(covariance)[means_block]).reshape(k, d)
