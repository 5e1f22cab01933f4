"""Data sets and starting parameters shared by the mixtures tests."""

import contextlib

import numpy as np

import mixtures

COVARIANCE_TYPES = ("full", "tied", "diag", "spherical")


def blobs(n_features: int, n_components: int, n_samples: int = 300, seed: int = 0):
    """Anisotropic Gaussian blobs with well-separated centres; returns (X, centres)."""
    rng = np.random.RandomState(seed)
    centres = rng.uniform(-8, 8, size=(n_components, n_features))
    sizes = np.full(n_components, n_samples // n_components)
    parts = []
    for centre, size in zip(centres, sizes):
        mixing = np.eye(n_features) + 0.4 * rng.normal(size=(n_features, n_features))
        parts.append(centre + rng.normal(size=(size, n_features)) @ mixing)
    return np.vstack(parts), centres


def datasets():
    """(name, X, rough centres) triples used by the parity tests."""
    faithful = mixtures.load_faithful()
    X2, c2 = blobs(2, 2, seed=1)
    X3, c3 = blobs(2, 3, seed=2)
    X5, c5 = blobs(5, 3, seed=3)
    return [
        ("faithful", faithful, np.array([[2.0, 55.0], [4.3, 80.0]])),
        ("blobs-2d-2", X2, c2),
        ("blobs-2d-3", X3, c3),
        ("blobs-5d-3", X5, c5),
    ]


def initial_parameters(X: np.ndarray, centres: np.ndarray, covariance_type: str) -> dict:
    """weights_init, means_init and precisions_init near (but not at) the truth."""
    K, d = centres.shape
    rng = np.random.RandomState(42)
    means = centres + 0.3 * X.std(axis=0) * rng.normal(size=(K, d))
    weights = np.linspace(1.0, 2.0, K)
    weights /= weights.sum()
    scale = np.linspace(0.5, 1.5, K)  # distinct per component
    base = np.linalg.inv(np.cov(X.T) / K)
    precisions = {
        "full": base[np.newaxis] * scale[:, np.newaxis, np.newaxis],
        "tied": base,
        "diag": np.diag(base)[np.newaxis] * scale[:, np.newaxis],
        "spherical": np.mean(np.diag(base)) * scale,
    }[covariance_type]
    return {"weights_init": weights, "means_init": means, "precisions_init": precisions}


def max_relative_difference(a, b) -> float:
    """max |a - b| / max |b|: a norm-wise relative difference."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return float(np.max(np.abs(a - b)) / np.max(np.abs(b)))


def single_threaded():
    """Context limiting native thread pools to one thread (scikit-learn's OpenMP
    k-means spins badly when the few cores are shared); a no-op without threadpoolctl."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        return contextlib.nullcontext()
    return threadpool_limits(limits=1)
