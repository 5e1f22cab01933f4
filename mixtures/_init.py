"""Initial responsibilities for EM, one row per component: shape (K, n).

The random draws for ``random`` and ``random_from_data`` are the same calls,
in the same order, as scikit-learn's, so a shared integer seed gives the same
starting point.
"""

from __future__ import annotations

import numpy as np

from .kmeans import KMeans, kmeans_plusplus

INIT_METHODS = ("kmeans", "k-means++", "random", "random_from_data")


def _one_hot(indices: np.ndarray, columns: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    resp = np.zeros(shape)
    resp[indices, columns] = 1.0
    return resp


def initial_responsibilities(
    X: np.ndarray, n_components: int, method: str, random_state: np.random.RandomState
) -> np.ndarray:
    """Responsibilities (K, n) to start EM from.

    * ``kmeans``: one-hot on the labels of a k-means run;
    * ``k-means++``: one-hot on the k-means++ seeds only (one sample per component);
    * ``random``: uniform draws normalised over components;
    * ``random_from_data``: one-hot on distinct samples drawn uniformly.
    """
    n = X.shape[0]
    shape = (n_components, n)
    if method == "kmeans":
        labels = KMeans(n_components, n_init=1, random_state=random_state).fit(X).labels_
        return _one_hot(labels, np.arange(n), shape)
    if method == "k-means++":
        _, seeds = kmeans_plusplus(X, n_components, random_state)
        return _one_hot(np.arange(n_components), seeds, shape)
    if method == "random":
        resp = random_state.uniform(size=(n, n_components))
        resp /= resp.sum(axis=1, keepdims=True)
        return np.ascontiguousarray(resp.T)
    if method == "random_from_data":
        seeds = random_state.choice(n, size=n_components, replace=False)
        return _one_hot(np.arange(n_components), seeds, shape)
    raise ValueError(f"init_params must be one of {', '.join(map(repr, INIT_METHODS))}; got {method!r}.")
