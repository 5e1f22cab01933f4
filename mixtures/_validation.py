"""Input and parameter checks shared by the estimators.

Every check raises :class:`ValueError` (or :class:`~mixtures.NotFittedError`)
with a message naming the offending argument.
"""

import numbers
from collections.abc import Iterable
from typing import Any

import numpy as np

from .exceptions import NotFittedError


def check_array(X: Any, *, name: str = "X", min_samples: int = 1) -> np.ndarray:
    """Return ``X`` as a finite float64 array of shape (n_samples, n_features)."""
    try:
        arr = np.asarray(X, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(
            f"{name} must be a numeric array-like; could not convert it to float: {exc}"
        ) from exc
    if arr.ndim != 2:
        hint = (
            " Reshape it with X.reshape(-1, 1) if it has a single feature or X.reshape(1, -1) "
            "if it is a single sample."
            if arr.ndim == 1
            else ""
        )
        raise ValueError(f"Expected a 2-D array for {name}, got a {arr.ndim}-D array instead.{hint}")
    n_samples, n_features = arr.shape
    if n_samples == 0 or n_features == 0:
        raise ValueError(f"{name} is empty: got shape {arr.shape}, need at least 1 sample and 1 feature.")
    if n_samples < min_samples:
        raise ValueError(f"{name} has {n_samples} sample(s), but at least {min_samples} are required.")
    if not np.isfinite(arr).all():
        what = "NaN" if np.isnan(arr).any() else "infinity"
        raise ValueError(f"{name} contains {what}; remove or impute non-finite values before fitting.")
    return arr


def check_n_features(X: np.ndarray, expected: int, name: str = "X") -> None:
    """Raise if ``X`` does not have the number of features seen during fit."""
    if X.shape[1] != expected:
        raise ValueError(
            f"{name} has {X.shape[1]} features, but the estimator was fitted with {expected} features."
        )


def check_is_fitted(estimator: Any, attribute: str) -> None:
    """Raise :class:`NotFittedError` unless ``estimator`` has ``attribute``."""
    if not hasattr(estimator, attribute):
        raise NotFittedError(
            f"This {type(estimator).__name__} instance is not fitted yet; "
            "call 'fit' with appropriate arguments before using this method."
        )


def check_random_state(seed: Any) -> np.random.RandomState:
    """Turn ``None``, an int or a ``RandomState`` into a ``RandomState`` (scikit-learn's convention)."""
    if seed is None:
        return np.random.mtrand._rand
    if isinstance(seed, numbers.Integral) and not isinstance(seed, bool):
        return np.random.RandomState(int(seed))
    if isinstance(seed, np.random.RandomState):
        return seed
    raise ValueError(f"random_state must be None, an int or a numpy RandomState, got {seed!r}.")


def check_int(name: str, value: Any, minimum: int) -> int:
    """Check that ``value`` is an integer (not a bool) at least ``minimum``."""
    if not isinstance(value, numbers.Integral) or isinstance(value, bool) or value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}.")
    return int(value)


def check_real(name: str, value: Any, minimum: float) -> float:
    """Check that ``value`` is a real number (not a bool) at least ``minimum``."""
    if not isinstance(value, numbers.Real) or isinstance(value, bool) or not value >= minimum:
        raise ValueError(f"{name} must be a number >= {minimum}, got {value!r}.")
    return float(value)


def check_option(name: str, value: Any, options: Iterable[str]) -> str:
    """Check that ``value`` is one of the strings ``options``."""
    options = tuple(options)
    if not isinstance(value, str) or value not in options:
        raise ValueError(f"{name} must be one of {', '.join(map(repr, options))}; got {value!r}.")
    return value


def check_shape(name: str, value: Any, shape: tuple[int, ...]) -> np.ndarray:
    """Return ``value`` as a finite float64 array, checking it has exactly ``shape``."""
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be a numeric array-like: {exc}") from exc
    if arr.shape != shape:
        raise ValueError(f"{name} should have shape {shape}, but got {arr.shape}.")
    if not np.isfinite(arr).all():
        raise ValueError(f"{name} contains NaN or infinity.")
    return arr
