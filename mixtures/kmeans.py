"""k-means as hard-assignment EM.

Take a Gaussian mixture whose components share one spherical covariance
``sigma**2 * I`` and have equal weights. Its E-step gives responsibilities
``r_ik`` proportional to ``exp(-|x_i - mu_k|**2 / (2 sigma**2))``; as
``sigma -> 0`` they become one-hot on the nearest mean. The M-step for the
means is unchanged: each mean becomes the average of the samples assigned to
it. Iterating these two limits is Lloyd's algorithm, and the quantity it
decreases, the sum of squared distances to the assigned means (the inertia),
is ``-2 sigma**2`` times the complete-data log-likelihood up to a constant.

Starting means come from k-means++ seeding, with the greedy refinement of
trying a few candidates per step and keeping the one that lowers the
inertia most.
"""

from __future__ import annotations

import numbers
import warnings

import numpy as np
from numpy.typing import ArrayLike

from ._base import BaseEstimator, ClusterMixin, TransformerMixin
from ._constraints import ARRAY_LIKE, RANDOM_STATE, Interval, Options, validate_params
from ._validation import check_is_fitted, check_magnitude, check_random_state, check_shape, validate_data
from .exceptions import ConvergenceWarning


def _squared_distances(X: np.ndarray, centers: np.ndarray, x_squared: np.ndarray) -> np.ndarray:
    """(n, K) squared Euclidean distances, via |x|^2 - 2 x.c + |c|^2 clipped at zero."""
    d2 = x_squared[:, np.newaxis] - 2.0 * (X @ centers.T) + np.einsum("kd,kd->k", centers, centers)
    return np.maximum(d2, 0.0, out=d2)


def kmeans_plusplus(
    X: np.ndarray,
    n_clusters: int,
    random_state: int | np.random.RandomState | None = None,
    n_local_trials: int | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Choose ``n_clusters`` samples of ``X`` as seeds by greedy k-means++.

    Each new seed is drawn with probability proportional to the squared distance
    to the nearest seed so far; ``n_local_trials`` candidates (default
    ``2 + log(n_clusters)``) are drawn and the one that most reduces the inertia
    is kept. Returns the seeds (n_clusters, d) and their row indices in ``X``.
    """
    rng = check_random_state(random_state)
    n = X.shape[0]
    if n_local_trials is None:
        n_local_trials = 2 + int(np.log(n_clusters))
    x_squared = np.einsum("nd,nd->n", X, X)
    indices = np.empty(n_clusters, dtype=np.intp)
    indices[0] = rng.randint(n)
    closest = _squared_distances(X, X[indices[:1]], x_squared)[:, 0]
    potential = closest.sum()
    for c in range(1, n_clusters):
        draws = rng.uniform(size=n_local_trials) * potential
        candidates = np.minimum(np.searchsorted(np.cumsum(closest), draws), n - 1)
        trial = np.minimum(closest[:, np.newaxis], _squared_distances(X, X[candidates], x_squared))
        potentials = trial.sum(axis=0)
        best = int(np.argmin(potentials))
        indices[c] = candidates[best]
        closest, potential = trial[:, best], potentials[best]
    return X[indices].copy(), indices


def _assign(X: np.ndarray, centers: np.ndarray, x_squared: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Hard E-step: nearest-center labels and the squared distances to them."""
    d2 = _squared_distances(X, centers, x_squared)
    labels = d2.argmin(axis=1)
    return labels, d2[np.arange(len(labels)), labels]


def cluster_sums(X: np.ndarray, labels: np.ndarray, n_clusters: int) -> tuple[np.ndarray, np.ndarray]:
    """Number of samples (K,) and sum of the samples (K, d) assigned to each cluster."""
    one_hot = (labels == np.arange(n_clusters)[:, np.newaxis]).astype(X.dtype)
    return one_hot.sum(axis=1), one_hot @ X


def centers_from_sums(counts: np.ndarray, sums: np.ndarray, farthest: np.ndarray) -> np.ndarray:
    """Hard M-step from :func:`cluster_sums`: an empty cluster moves to a far-out sample.

    ``farthest`` holds samples by decreasing distance to their centre, at least one per empty cluster.
    """
    centers = sums / np.maximum(counts, 1.0)[:, np.newaxis]
    empty = np.flatnonzero(counts == 0)
    if empty.size:
        centers[empty] = farthest[: empty.size]
    return centers


def _update(X: np.ndarray, labels: np.ndarray, distances: np.ndarray, n_clusters: int) -> np.ndarray:
    """Hard M-step: mean of each cluster; an empty cluster moves to a far-out sample."""
    counts, sums = cluster_sums(X, labels, n_clusters)
    n_empty = int((counts == 0).sum())
    return centers_from_sums(counts, sums, X[np.argsort(distances)[::-1][:n_empty]])


def lloyd(
    X: np.ndarray, centers: np.ndarray, max_iter: int, tol: float
) -> tuple[np.ndarray, np.ndarray, float, int]:
    """Run hard-assignment EM from ``centers``.

    Stops when the assignments repeat or the squared centre shift is at most
    ``tol`` (absolute). Returns centers, labels, inertia and iterations run.
    """
    x_squared = np.einsum("nd,nd->n", X, X)
    labels = None
    n_iter = 0
    while n_iter < max_iter:
        n_iter += 1
        new_labels, distances = _assign(X, centers, x_squared)
        if labels is not None and np.array_equal(new_labels, labels):
            break
        labels = new_labels
        new_centers = _update(X, labels, distances, len(centers))
        shift = float(((new_centers - centers) ** 2).sum())
        centers = new_centers
        if shift <= tol:
            break
    labels, distances = _assign(X, centers, x_squared)
    return centers, labels, float(distances.sum()), n_iter


class KMeans(ClusterMixin, TransformerMixin, BaseEstimator):
    """k-means clustering, fitted as hard-assignment EM (Lloyd's algorithm).

    Parameters
    ----------
    n_clusters : int, default=8
        Number of clusters.
    init : {"k-means++", "random"} or array of shape (n_clusters, n_features), default="k-means++"
        Seeding: greedy k-means++, distinct samples drawn uniformly, or given centres.
    n_init : int, default=1
        Number of seedings; the run with the lowest inertia is kept.
    max_iter : int, default=300
        Maximum number of iterations per run.
    tol : float, default=1e-4
        Stop when the squared centre shift is at most ``tol`` times the mean
        per-feature variance of the data.
    random_state : None, int or numpy RandomState, default=None
        Seed for the initialisation.

    Attributes
    ----------
    cluster_centers_ : ndarray of shape (n_clusters, n_features)
    labels_ : ndarray of shape (n_samples,)
    inertia_ : float
        Sum of squared distances of the samples to their nearest centre.
    n_iter_ : int
        Iterations run by the kept seeding.
    n_features_in_ : int
        Number of features seen during ``fit``.
    feature_names_in_ : ndarray of str
        Column names of ``X`` in ``fit``, when it was a DataFrame with string column names.
    """

    _parameter_constraints: dict = {
        "n_clusters": [Interval(numbers.Integral, 1, None)],
        "init": [Options("k-means++", "random"), ARRAY_LIKE],
        "n_init": [Interval(numbers.Integral, 1, None)],
        "max_iter": [Interval(numbers.Integral, 1, None)],
        "tol": [Interval(numbers.Real, 0.0, None)],
        "random_state": RANDOM_STATE,
    }

    def __init__(
        self,
        n_clusters: int = 8,
        *,
        init: str | ArrayLike = "k-means++",
        n_init: int = 1,
        max_iter: int = 300,
        tol: float = 1e-4,
        random_state: int | np.random.RandomState | None = None,
    ) -> None:
        self.n_clusters = n_clusters
        self.init = init
        self.n_init = n_init
        self.max_iter = max_iter
        self.tol = tol
        self.random_state = random_state

    def _seed(self, X: np.ndarray, rng: np.random.RandomState) -> np.ndarray:
        if not isinstance(self.init, str):
            return check_shape("init", self.init, (self.n_clusters, X.shape[1])).copy()
        if self.init == "random":
            return X[rng.choice(len(X), size=self.n_clusters, replace=False)].copy()
        return kmeans_plusplus(X, self.n_clusters, rng)[0]

    def fit(self, X: ArrayLike, y: object = None) -> KMeans:
        """Cluster ``X`` (n_samples, n_features) and return the fitted estimator."""
        validate_params(self)
        X = validate_data(self, X, reset=True)
        n_clusters = self.n_clusters
        if X.shape[0] < n_clusters:
            raise ValueError(f"n_samples={X.shape[0]} should be >= n_clusters={n_clusters}.")
        check_magnitude(X)
        tol = self.tol * float(X.var(axis=0).mean())
        rng = check_random_state(self.random_state)
        offset = X.mean(axis=0)  # centring keeps |x|^2 - 2 x.c + |c|^2 accurate
        Xc = X - offset
        best = None
        for _ in range(self.n_init):
            centers, labels, inertia, n_iter = lloyd(Xc, self._seed(Xc, rng), self.max_iter, tol)
            if best is None or inertia < best[2]:
                best = (centers, labels, inertia, n_iter)
        centers, self.labels_, self.inertia_, self.n_iter_ = best
        self.cluster_centers_ = centers + offset
        distinct = len(np.unique(self.labels_))
        if distinct < n_clusters:  # scikit-learn's text
            warnings.warn(
                f"Number of distinct clusters ({distinct}) found smaller than n_clusters ({n_clusters}). "
                "Possibly due to duplicate points in X.",
                ConvergenceWarning,
                stacklevel=2,
            )
        return self

    def fit_predict(self, X: ArrayLike, y: object = None) -> np.ndarray:
        """Fit and return the cluster label of each sample."""
        return self.fit(X).labels_

    def _centred(self, X: ArrayLike) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """New data and the centres, both centred on the centres' mean, and the samples' squared norms."""
        check_is_fitted(self, "cluster_centers_")
        X = validate_data(self, X, reset=False)
        offset = self.cluster_centers_.mean(axis=0)
        check_magnitude(X, offset)
        Xc = X - offset
        return Xc, self.cluster_centers_ - offset, np.einsum("nd,nd->n", Xc, Xc)

    def _assign_new(self, X: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
        return _assign(*self._centred(X))

    def predict(self, X: ArrayLike) -> np.ndarray:
        """Index of the nearest cluster centre for each sample."""
        return self._assign_new(X)[0]

    def transform(self, X: ArrayLike) -> np.ndarray:
        """Euclidean distance of each sample to each cluster centre, shape (n_samples, n_clusters)."""
        return np.sqrt(_squared_distances(*self._centred(X)))

    def get_feature_names_out(self, input_features: object = None) -> np.ndarray:
        """Names of the columns of :meth:`transform`: ``kmeans0``, ``kmeans1``, ..."""
        check_is_fitted(self, "cluster_centers_")
        return np.array([f"kmeans{k}" for k in range(len(self.cluster_centers_))], dtype=object)

    def score(self, X: ArrayLike, y: object = None) -> float:
        """Minus the inertia of ``X`` under the fitted centres (higher is better)."""
        return -float(self._assign_new(X)[1].sum())
