"""The :class:`GaussianMixture` estimator: validation and the EM loop around :mod:`mixtures._em`."""

from __future__ import annotations

import math
import numbers
import warnings

import numpy as np
from numpy.typing import ArrayLike

from . import _covariance as cov
from . import _em as em
from ._base import BaseEstimator, DensityMixin
from ._constraints import ARRAY_LIKE, BOOLEAN, NONE, RANDOM_STATE, Interval, Options, validate_params
from ._em_data import InMemory, em_data, is_dask_array, per_row
from ._init import INIT_METHODS
from ._progress import Progress
from ._validation import (
    check_is_fitted,
    check_magnitude,
    check_n_features,
    check_random_state,
    check_shape,
    validate_data,
)
from .exceptions import ConvergenceWarning

# scikit-learn's text, so that filters written for its GaussianMixture apply
NOT_CONVERGED = (
    "Best performing initialization did not converge. Try different init parameters, or increase "
    "max_iter, tol, or check for degenerate data."
)


class GaussianMixture(DensityMixin, BaseEstimator):
    """Gaussian mixture model fitted by expectation-maximisation.

    Parameters and attributes mirror ``sklearn.mixture.GaussianMixture``; given
    the same initial parameters the fitted values agree with scikit-learn's to
    rounding error.

    Parameters
    ----------
    n_components : int, default=1
        Number of mixture components.
    covariance_type : {"full", "tied", "diag", "spherical"}, default="full"
        Each component has its own general matrix ("full"), all share one
        ("tied"), each has its own diagonal matrix ("diag") or its own single
        variance ("spherical").
    tol : float, default=1e-3
        EM stops when the mean log-likelihood per sample changes by less than this.
    reg_covar : float, default=1e-6
        Non-negative value added to the diagonal of every covariance.
    max_iter : int, default=100
        Maximum number of EM iterations per initialisation.
    n_init : int, default=1
        Number of initialisations; the one with the highest lower bound is kept.
    init_params : {"kmeans", "k-means++", "random", "random_from_data"}, default="kmeans"
        How initial responsibilities are chosen (see :mod:`mixtures._init`).
    weights_init, means_init, precisions_init : array-like, default=None
        User-provided starting weights (K,), means (K, d) and precisions (inverse
        covariances, shaped like ``covariances_``); they override ``init_params``.
    random_state : None, int or numpy RandomState, default=None
        Seed for the initialisation and for :meth:`sample`.
    warm_start : bool, default=False
        If True, each ``fit`` after the first starts from the current parameters
        (and ``n_init`` is ignored).
    verbose : int, default=0
        1 prints the lower bound and its change every ``verbose_interval``-th iteration
        and the end of each initialisation (with a tqdm bar over initialisations when
        tqdm is installed); 2 also prints timings.
    verbose_interval : int, default=10
        Iterations between progress messages.

    Attributes
    ----------
    weights_ : ndarray (K,)
    means_ : ndarray (K, d)
    covariances_, precisions_, precisions_cholesky_ : ndarray
        Shaped (K, d, d) for "full", (d, d) for "tied", (K, d) for "diag" and (K,)
        for "spherical". ``precisions_cholesky_`` holds upper-triangular ``P`` with
        ``precisions_ = P @ P.T``.
    converged_ : bool
        Whether the kept initialisation met ``tol`` within ``max_iter``.
    n_iter_ : int
        EM iterations run by the kept initialisation.
    lower_bound_ : float
        Mean log-likelihood per sample at the last E-step of the kept initialisation.
    lower_bounds_ : list of float
        The lower bound after each of those iterations.
    n_features_in_ : int
        Number of features seen during ``fit``.
    feature_names_in_ : ndarray of str
        Column names of ``X`` in ``fit``, when it was a DataFrame with string column names.

    Notes
    -----
    Differences from scikit-learn, all outside the user-initialised parity:

    * ``init_params="kmeans"`` uses this package's :class:`~mixtures.KMeans`, so a
      given seed starts from a different (equally good) partition.
    * For ``tied`` covariances, the pooled covariance is weighted by the
      responsibilities; scikit-learn's uses the unweighted ``X.T @ X``, which differs
      (and depends on the origin) when responsibilities are one-hot seeds
      (``random_from_data``, ``k-means++``).
    * A Cholesky pivot no larger than rounding noise (``eps`` times the data's
      variance in that feature) counts as a collapsed component, so with
      ``reg_covar=0`` collapse is reported whether or not rounding leaves an exact zero.
    * Input is always converted to float64.

    ``X`` may also be a ``dask.array.Array`` chunked along rows (one chunk across the
    features): ``fit`` then runs each pass chunk by chunk on dask's scheduler (a
    ``distributed.Client``'s cluster if one is active), moving only per-component
    sums to the client, and from the same initial parameters gives the numpy fit's
    numbers up to the order of summation. ``predict``, ``predict_proba``,
    ``score_samples`` and ``fit_predict`` then return lazy dask arrays with ``X``'s
    row chunks; ``score``, ``bic`` and ``aic`` compute. Initialisation on dask input:
    k-means++ runs on a uniform sample of at most 20 000 rows (all of them for smaller
    data, so the seeds are numpy's), Lloyd's steps and ``random`` run chunk by chunk
    (``random`` draws per chunk, so not numpy's numbers).
    """

    _parameter_constraints: dict = {
        "n_components": [Interval(numbers.Integral, 1, None)],
        "covariance_type": [Options(*cov.COVARIANCE_TYPES)],
        "tol": [Interval(numbers.Real, 0.0, None)],
        "reg_covar": [Interval(numbers.Real, 0.0, None)],
        "max_iter": [Interval(numbers.Integral, 0, None)],
        "n_init": [Interval(numbers.Integral, 1, None)],
        "init_params": [Options(*INIT_METHODS)],
        "weights_init": [ARRAY_LIKE, NONE],
        "means_init": [ARRAY_LIKE, NONE],
        "precisions_init": [ARRAY_LIKE, NONE],
        "random_state": RANDOM_STATE,
        "warm_start": [BOOLEAN],
        "verbose": [Interval(numbers.Integral, 0, None), BOOLEAN],
        "verbose_interval": [Interval(numbers.Integral, 1, None)],
    }

    def __init__(
        self,
        n_components: int = 1,
        *,
        covariance_type: str = "full",
        tol: float = 1e-3,
        reg_covar: float = 1e-6,
        max_iter: int = 100,
        n_init: int = 1,
        init_params: str = "kmeans",
        weights_init: ArrayLike | None = None,
        means_init: ArrayLike | None = None,
        precisions_init: ArrayLike | None = None,
        random_state: int | np.random.RandomState | None = None,
        warm_start: bool = False,
        verbose: int = 0,
        verbose_interval: int = 10,
    ) -> None:
        self.n_components = n_components
        self.covariance_type = covariance_type
        self.tol = tol
        self.reg_covar = reg_covar
        self.max_iter = max_iter
        self.n_init = n_init
        self.init_params = init_params
        self.weights_init = weights_init
        self.means_init = means_init
        self.precisions_init = precisions_init
        self.random_state = random_state
        self.warm_start = warm_start
        self.verbose = verbose
        self.verbose_interval = verbose_interval

    # ----------------------------------------------------------------- checks
    def _check_initial_parameters(self, n_features: int) -> tuple[np.ndarray | None, ...]:
        """Validated copies of weights_init, means_init and precisions_init (None where unset)."""
        K, ctype = self.n_components, self.covariance_type
        weights = means = precisions = None
        if self.weights_init is not None:
            weights = check_shape("weights_init", self.weights_init, (K,))
            if (weights < 0).any() or (weights > 1).any():
                raise ValueError(
                    "weights_init must lie in [0, 1], got values in "
                    f"[{weights.min():.5g}, {weights.max():.5g}]."
                )
            if not abs(weights.sum() - 1.0) <= 1e-8:
                raise ValueError(f"weights_init must sum to 1, but sums to {weights.sum():.10g}.")
        if self.means_init is not None:
            means = check_shape("means_init", self.means_init, (K, n_features))
        if self.precisions_init is not None:
            precisions = check_shape(
                "precisions_init", self.precisions_init, cov.parameter_shape(ctype, K, n_features)
            )
            cov.check_precisions(precisions, ctype)
        return weights, means, precisions

    # -------------------------------------------------------------------- fit
    def fit(self, X: ArrayLike, y: object = None) -> GaussianMixture:
        """Estimate the parameters from ``X`` (n_samples, n_features) with EM; returns ``self``.

        Runs ``n_init`` initialisations (one with ``warm_start`` after the first fit)
        and keeps the one with the highest lower bound. ``X`` is array-like or a dask array. Issues a
        :class:`~mixtures.ConvergenceWarning` if that one did not converge.
        """
        self.fit_predict(X)
        return self

    def fit_predict(self, X: ArrayLike, y: object = None) -> np.ndarray:
        """Fit as :meth:`fit` does and return the most probable component of each sample."""
        validate_params(self)
        warm = bool(self.warm_start) and hasattr(self, "converged_")
        if warm:
            self._check_warm_start()
        if is_dask_array(X):  # row chunks of a dask array: what dask knows is checked before any work
            data = em_data(X, self.covariance_type, self.n_components)
            if warm:
                check_n_features(self, data.shape[1])
            else:
                self.n_features_in_ = data.shape[1]
                self.__dict__.pop("feature_names_in_", None)
        else:
            X = validate_data(self, X, reset=not warm, min_samples=2)
            if X.shape[0] < self.n_components:
                raise ValueError(
                    f"Expected n_samples >= n_components, got n_samples={X.shape[0]} "
                    f"and n_components={self.n_components}."
                )
            check_magnitude(X)
            data = InMemory(X, self.covariance_type)
        n_features = data.shape[1]
        initial = self._check_initial_parameters(n_features)
        center = data.center
        rng = check_random_state(self.random_state)
        best_bound, best, best_converged = -np.inf, None, False
        progress = Progress(self.verbose, self.verbose_interval)
        for init in progress.inits(1 if warm else self.n_init):
            progress.start(init)
            mix = (
                self._current_mixture(center) if warm else self._initial_mixture(data, center, rng, initial)
            )
            if self.max_iter == 0:  # as scikit-learn: the parameters are the last initialisation
                best = (mix, 0, [])
                continue
            mix, bound, n_iter, converged, bounds = self._run_em(
                data, mix, self.lower_bound_ if warm else -np.inf, progress
            )
            progress.end(bound, converged, n_iter)
            if bound > best_bound or best_bound == -np.inf:
                best_bound, best, best_converged = bound, (mix, n_iter, bounds), converged
        progress.close()
        if not best_converged and self.max_iter > 0:
            warnings.warn(NOT_CONVERGED, ConvergenceWarning, stacklevel=3)
        mix, self.n_iter_, self.lower_bounds_ = best
        self._store(mix, center)
        self.converged_ = best_converged
        self.lower_bound_ = best_bound
        self._fitted_shape = (self.covariance_type, self.n_components)
        # the labels come from a last E-step, so fit_predict(X) == fit(X).predict(X)
        return data.labels(mix)

    def _initial_mixture(self, data, center: np.ndarray, rng, initial) -> em.Mixture:
        weights, means, precisions = initial
        estimate = None
        if weights is None or means is None or precisions is None:
            estimate = data.initial_estimate(self.n_components, self.init_params, rng, self.reg_covar)
        if precisions is None:
            covariances, factors = estimate.covariances, estimate.precisions_cholesky
        else:
            factors = cov.precision_cholesky_from_precisions(precisions, self.covariance_type)
            covariances = cov.covariances_from_cholesky(factors, self.covariance_type)
        return em.Mixture(
            estimate.weights if weights is None else weights,
            estimate.means if means is None else means - center,
            covariances,
            factors,
        )

    def _check_warm_start(self) -> None:
        """A warm start continues the fitted mixture, so it cannot change its type or size."""
        fitted_type, fitted_k = getattr(self, "_fitted_shape", (self.covariance_type, self.n_components))
        for name, before, now in [("covariance_type", fitted_type, self.covariance_type),
                                  ("n_components", fitted_k, self.n_components)]:
            if before != now:
                raise ValueError(
                    f"warm_start=True continues the previous fit, which had {name}={before!r}, but "
                    f"{name} is now {now!r}. Set warm_start=False to fit the new model from scratch."
                )

    def _run_em(self, data, mix: em.Mixture, bound: float, progress: Progress):
        """EM iterations from ``mix``; returns (mixture, lower bound, n_iter, converged, bounds)."""
        bounds: list[float] = []
        converged = False
        n_iter = 0
        for n_iter in range(1, self.max_iter + 1):
            previous = bound
            bound, mix = data.em_step(mix, self.reg_covar)
            bounds.append(bound)
            progress.iteration(n_iter, bound, bound - previous)
            if abs(bound - previous) < self.tol:
                converged = True
                break
        return mix, bound, n_iter, converged, bounds

    def _store(self, mix: em.Mixture, center: np.ndarray) -> None:
        self.weights_ = mix.weights
        self.means_ = mix.means + center
        self.covariances_ = mix.covariances
        self.precisions_cholesky_ = mix.precisions_cholesky
        self.precisions_ = cov.precisions_from_cholesky(mix.precisions_cholesky, self.covariance_type)

    def _current_mixture(self, center: np.ndarray) -> em.Mixture:
        return em.Mixture(self.weights_, self.means_ - center, self.covariances_, self.precisions_cholesky_)

    # ---------------------------------------------------------- fitted model
    def _prepared(self, X: ArrayLike) -> tuple[em.Design, em.Mixture]:
        """Validate new data and centre it, with the model, on the mixture's mean."""
        check_is_fitted(self, "precisions_cholesky_")
        X = validate_data(self, X, reset=False)
        center = self.weights_ @ self.means_
        check_magnitude(X, center)
        return em.make_design(X, self.covariance_type, center), self._current_mixture(center)

    @per_row("values")
    def score_samples(self, X: ArrayLike) -> np.ndarray:
        """Log-likelihood of each sample of ``X`` under the model, shape (n_samples,)."""
        return em.e_step(*self._prepared(X))[0]

    def score(self, X: ArrayLike, y: object = None) -> float:
        """Mean log-likelihood per sample of ``X``."""
        return float(self.score_samples(X).mean())

    @per_row("labels")
    def predict(self, X: ArrayLike) -> np.ndarray:
        """Most probable component of each sample, shape (n_samples,)."""
        return em.weighted_log_prob(*self._prepared(X)).argmax(axis=0)

    @per_row("proba")
    def predict_proba(self, X: ArrayLike) -> np.ndarray:
        """Posterior probability of each component for each sample, shape (n_samples, K)."""
        return np.ascontiguousarray(em.e_step(*self._prepared(X))[1].T)

    def sample(self, n_samples: int = 1) -> tuple[np.ndarray, np.ndarray]:
        """Draw ``n_samples`` points; returns them (n_samples, d) and their component labels.

        Uses ``random_state`` afresh on each call, so an integer seed repeats the draw.
        """
        check_is_fitted(self, "precisions_cholesky_")
        if not isinstance(n_samples, (int, np.integer)) or n_samples < 1:
            raise ValueError(f"n_samples must be an integer >= 1, got {n_samples!r}.")
        rng = check_random_state(self.random_state)
        counts = rng.multinomial(n_samples, self.weights_)
        d = self.means_.shape[1]
        draws = []
        for k, (mean, count) in enumerate(zip(self.means_, counts)):
            if self.covariance_type in ("full", "tied"):
                matrix = self.covariances_[k] if self.covariance_type == "full" else self.covariances_
                draws.append(rng.multivariate_normal(mean, matrix, int(count)))
            else:
                draws.append(mean + rng.standard_normal(size=(count, d)) * np.sqrt(self.covariances_[k]))
        labels = np.repeat(np.arange(self.n_components), counts)
        return np.vstack(draws), labels

    def _n_parameters(self) -> int:
        return cov.n_parameters(self.covariance_type, self.n_components, self.means_.shape[1])

    def bic(self, X: ArrayLike) -> float:
        """Bayesian information criterion on ``X`` (lower is better)."""
        n = np.shape(X)[0]
        return -2.0 * self.score(X) * n + self._n_parameters() * math.log(n)

    def aic(self, X: ArrayLike) -> float:
        """Akaike information criterion on ``X`` (lower is better)."""
        return -2.0 * self.score(X) * np.shape(X)[0] + 2.0 * self._n_parameters()
