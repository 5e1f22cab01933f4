"""Fit a full-covariance Gaussian mixture by gradient ascent on the log-likelihood.

The objective is ``loglik.gmm_objective_no_prior`` (ADBench parametrization: unconstrained log-weights,
means, and log-diagonal/lower entries of each precision's triangular factor), so any parameter vector
is a valid mixture and L-BFGS needs no constraints. Its gradient is the code sct emitted into
``mixtures/_generated`` — no hand-written derivative. scipy (an optional extra) supplies L-BFGS.
"""
from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from . import em
from ._adbench import from_adbench, to_adbench
from ._em_data import check_rows, is_dask_array
from ._generated.gmm_objective_grad import diff_gmm_objective_no_prior
from ._validation import check_int, check_real
from .exceptions import ConvergenceWarning
from .gaussian_mixture import GaussianMixture


def fit_gradient(X: Any, n_components: int, *, init_params: str = "kmeans", random_state: Any = None,
                 max_iter: int = 1000, tol: float = 1e-10) -> GaussianMixture:
    """Maximise the mixture log-likelihood with L-BFGS and sct's generated gradient.

    Starts from ``init_params`` (as :class:`GaussianMixture`: kmeans, k-means++, random,
    random_from_data) and returns a fitted full-covariance :class:`GaussianMixture` whose
    ``lower_bound_`` is the mean log-likelihood reached, ``n_iter_`` the L-BFGS iterations and
    ``converged_`` whether L-BFGS met ``tol`` on the relative change of the objective.
    ``X`` may be a dask array chunked along rows: each chunk then runs the generated gradient on
    its rows and the chunk gradients are summed.
    """
    try:
        from scipy.optimize import minimize
    except ImportError:  # pragma: no cover - depends on the environment
        raise ImportError("fit_gradient needs scipy: pip install 'sct[scipy]'") from None
    X = check_rows(X, min_samples=check_int("n_components", n_components, 1))
    check_int("max_iter", max_iter, 1)
    check_real("tol", tol, 0.0)
    n, d = X.shape
    if is_dask_array(X):
        from ._dask_gradient import summed_objective

        objective = summed_objective(X)
    else:
        objective = diff_gmm_objective_no_prior
    start = GaussianMixture(n_components, covariance_type="full", max_iter=1, init_params=init_params,
                            random_state=random_state)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        start.fit(X)
    alphas, means, icf = to_adbench(start.weights_, start.means_, start.precisions_cholesky_)
    shapes = [alphas.shape, means.shape, icf.shape]
    sizes = np.cumsum([int(np.prod(s)) for s in shapes])[:-1]

    def negative_mean_loglik(theta: np.ndarray) -> tuple[float, np.ndarray]:
        parts = [p.reshape(s) for p, s in zip(np.split(theta, sizes), shapes)]
        value, grads = objective(*parts, X, seed=-1.0 / n)
        return -value / n, np.concatenate([g.ravel() for g in grads])

    theta0 = np.concatenate([alphas, means.ravel(), icf.ravel()])
    result = minimize(negative_mean_loglik, theta0, jac=True, method="L-BFGS-B",
                      options={"maxiter": max_iter, "ftol": tol, "gtol": 1e-12})
    if not result.success:
        message = f"L-BFGS stopped before convergence: {result.message}"
        warnings.warn(message, ConvergenceWarning, stacklevel=2)
    parts = [p.reshape(s) for p, s in zip(np.split(result.x, sizes), shapes)]
    weights, means, upper = from_adbench(*parts)
    precisions = upper @ np.swapaxes(upper, -1, -2)
    fitted = GaussianMixture(n_components, covariance_type="full", init_params=init_params,
                             random_state=random_state)
    fitted._store(em.Mixture(weights, means, np.linalg.inv(precisions), upper), np.zeros(d))
    fitted.n_features_in_ = d
    fitted.converged_ = bool(result.success)
    fitted.n_iter_ = int(result.nit)
    fitted.lower_bound_ = float(-result.fun)
    return fitted
