"""Fit a full-covariance Gaussian mixture by gradient ascent on the log-likelihood.

The objective is ``loglik.gmm_objective_no_prior`` (ADBench parametrization: unconstrained log-weights,
means, and log-diagonal/lower entries of each precision's triangular factor), so any parameter vector
is a valid mixture and L-BFGS needs no constraints. Its gradient is the code sct emitted into
``mixtures/_generated`` — no hand-written derivative. scipy (an optional extra) supplies L-BFGS.
"""
from __future__ import annotations

import numbers
import warnings
from typing import Any

import numpy as np

from . import _em as em
from ._adbench import from_adbench, to_adbench
from ._constraints import RANDOM_STATE, Interval, Options, validate_params
from ._em_data import check_rows, is_dask_array
from ._generated.gmm_objective_grad import diff_gmm_objective_no_prior
from ._init import INIT_METHODS
from ._validation import check_magnitude, validate_data
from .exceptions import ConvergenceWarning
from .gaussian_mixture import GaussianMixture


class GradientGaussianMixture(GaussianMixture):
    """Full-covariance Gaussian mixture fitted by L-BFGS on the log-likelihood, with sct's gradient.

    It has every method and fitted attribute of :class:`~mixtures.GaussianMixture`
    (``covariance_type`` is always ``"full"``); only ``fit`` differs. It starts from one EM step
    from ``init_params`` and maximises the mean log-likelihood with scipy's L-BFGS, using the
    gradient that sct generated from ``mixtures/loglik.py``. It reaches the EM optimum. ``X`` may be a
    dask array chunked along rows: each chunk then runs the generated gradient on its rows and the
    chunk gradients are summed.

    Parameters
    ----------
    n_components : int, default=1
        Number of mixture components.
    tol : float, default=1e-10
        L-BFGS stops when the relative change of the objective is at most ``tol``.
    max_iter : int, default=1000
        Maximum number of L-BFGS iterations.
    init_params : {"kmeans", "k-means++", "random", "random_from_data"}, default="kmeans"
        Starting responsibilities, as for :class:`~mixtures.GaussianMixture`.
    random_state : None, int or numpy RandomState, default=None
        Seed for the initialisation and for :meth:`sample`.

    Attributes
    ----------
    weights_, means_, covariances_, precisions_, precisions_cholesky_
        As for :class:`~mixtures.GaussianMixture` with ``covariance_type="full"``.
    lower_bound_ : float
        The mean log-likelihood reached.
    n_iter_ : int
        L-BFGS iterations.
    converged_ : bool
        Whether L-BFGS met ``tol``.
    """

    _parameter_constraints: dict = {
        "n_components": [Interval(numbers.Integral, 1, None)],
        "tol": [Interval(numbers.Real, 0.0, None)],
        "max_iter": [Interval(numbers.Integral, 1, None)],
        "init_params": [Options(*INIT_METHODS)],
        "random_state": RANDOM_STATE,
    }

    def __init__(
        self,
        n_components: int = 1,
        *,
        tol: float = 1e-10,
        max_iter: int = 1000,
        init_params: str = "kmeans",
        random_state: int | np.random.RandomState | None = None,
    ) -> None:
        self.n_components = n_components
        self.tol = tol
        self.max_iter = max_iter
        self.init_params = init_params
        self.random_state = random_state

    @property
    def covariance_type(self) -> str:
        """Always ``"full"``: the log-likelihood is parametrised by triangular precision factors."""
        return "full"

    def fit(self, X: Any, y: object = None) -> GradientGaussianMixture:
        """Maximise the log-likelihood of ``X`` (n_samples, n_features); returns ``self``.

        Issues a :class:`~mixtures.ConvergenceWarning` if L-BFGS stops before meeting ``tol``.
        """
        self.fit_predict(X)
        return self

    def fit_predict(self, X: Any, y: object = None) -> np.ndarray:
        """Fit as :meth:`fit` does and return the most probable component of each sample."""
        try:  # imported here so that `import mixtures` does not pay for scipy.optimize
            from scipy.optimize import minimize
        except ImportError:  # pragma: no cover - depends on the environment
            raise ImportError("GradientGaussianMixture needs scipy: pip install 'sct[scipy]'") from None
        validate_params(self)
        dask = is_dask_array(X)
        if dask:  # the checks dask can make before scheduling; chunks are checked as they are read
            X = check_rows(X, min_samples=2)
            self.n_features_in_ = X.shape[1]
            self.__dict__.pop("feature_names_in_", None)
        else:
            X = validate_data(self, X, reset=True, min_samples=2)
        n, d = X.shape
        if n < self.n_components:
            raise ValueError(
                f"Expected n_samples >= n_components, got n_samples={n} and n_components={self.n_components}."
            )
        if not dask:
            check_magnitude(X)
        objective = diff_gmm_objective_no_prior
        if dask:
            from ._dask_gradient import summed_objective  # only with dask input: dask is optional

            objective = summed_objective(X)
        start = GaussianMixture(self.n_components, covariance_type="full", max_iter=1,
                                init_params=self.init_params, random_state=self.random_state)
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
                          options={"maxiter": self.max_iter, "ftol": self.tol, "gtol": 1e-12})
        if not result.success:
            warnings.warn(f"L-BFGS stopped before convergence: {result.message}", ConvergenceWarning,
                          stacklevel=3)
        parts = [p.reshape(s) for p, s in zip(np.split(result.x, sizes), shapes)]
        weights, means, upper = from_adbench(*parts)
        precisions = upper @ np.swapaxes(upper, -1, -2)
        self._store(em.Mixture(weights, means, np.linalg.inv(precisions), upper), np.zeros(d))
        self.converged_ = bool(result.success)
        self.n_iter_ = int(result.nit)
        self.lower_bound_ = float(-result.fun)
        self.lower_bounds_ = [self.lower_bound_]
        if dask:
            return self.predict(X)  # lazy, chunk by chunk
        center = weights @ means
        design = em.make_design(X, "full", center)
        return em.weighted_log_prob(design, self._current_mixture(center)).argmax(axis=0)


def fit_gradient(X: Any, n_components: int, *, init_params: str = "kmeans", random_state: Any = None,
                 max_iter: int = 1000, tol: float = 1e-10) -> GradientGaussianMixture:
    """``GradientGaussianMixture(n_components, ...).fit(X)``: kept for code written before the estimator."""
    return GradientGaussianMixture(n_components, init_params=init_params, random_state=random_state,
                                   max_iter=max_iter, tol=tol).fit(X)
