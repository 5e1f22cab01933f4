"""Input checks shared by the estimators (constructor parameters are checked by :mod:`._constraints`).

Every check raises :class:`ValueError` (or :class:`~mixtures.NotFittedError`)
with a message naming the offending argument.
"""

from __future__ import annotations

import numbers
import warnings
from typing import Any

import numpy as np

from .exceptions import NotFittedError


class InputTypeError(TypeError, ValueError):
    """Input of a type that cannot be read as numbers (a sparse matrix, an object that is not a number).

    Both a TypeError (as scikit-learn raises there) and a ValueError (as every other bad input here).
    """


def check_array(X: Any, *, name: str = "X", min_samples: int = 1) -> np.ndarray:
    """Return ``X`` as a finite float64 array of shape (n_samples, n_features).

    Sparse matrices and complex numbers are refused rather than densified or truncated.
    """
    if _is_sparse(X):
        raise InputTypeError(
            f"{name} is a sparse matrix, but dense data is required; convert it with {name}.toarray() "
            "if it fits in memory."
        )
    try:
        raw = np.asarray(X)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be a numeric array-like; could not convert it: {exc}") from exc
    if raw.dtype.kind == "c" or (raw.dtype == object and any(isinstance(v, complex) for v in raw.flat)):
        raise ValueError(
            f"Complex data not supported: {name} has complex values, and a Gaussian mixture models real "
            "data; pass the real and imaginary parts as separate features."
        )
    try:
        arr = raw.astype(np.float64, copy=False)
    except (TypeError, ValueError) as exc:
        raise (InputTypeError if isinstance(exc, TypeError) else ValueError)(
            f"{name} must be a numeric array-like; could not convert it to float: {exc}"
        ) from exc
    if arr.ndim != 2:
        hint = (
            " Reshape your data with X.reshape(-1, 1) if it has a single feature or X.reshape(1, -1) "
            "if it is a single sample."
            if arr.ndim == 1
            else ""
        )
        raise ValueError(f"Expected a 2-D array for {name}, got a {arr.ndim}-D array instead.{hint}")
    n_samples, n_features = arr.shape
    for count, what in ((n_samples, "sample"), (n_features, "feature")):
        if count == 0:
            raise ValueError(
                f"{name} is empty: it has 0 {what}(s) (shape={arr.shape}) while a minimum of 1 is required."
            )
    if n_samples < min_samples:
        raise ValueError(f"{name} has {n_samples} sample(s), but at least {min_samples} are required.")
    if not np.isfinite(arr).all():
        what = "NaN" if np.isnan(arr).any() else "infinity"
        raise ValueError(f"{name} contains {what}; remove or impute non-finite values before fitting.")
    return arr


def validate_data(estimator: Any, X: Any, *, reset: bool, min_samples: int = 1) -> np.ndarray:
    """``X`` checked by :func:`check_array`, and against what ``estimator`` saw in ``fit``.

    With ``reset`` (in ``fit``) it records ``n_features_in_`` and, when ``X`` is a DataFrame
    with string column names, ``feature_names_in_``. Otherwise (after fit) it refuses a
    different number of features or different column names, and warns when only one of the
    fitted data and ``X`` had column names, as scikit-learn's estimators do.
    """
    names = _feature_names(X)
    arr = check_array(X, min_samples=min_samples)
    name = type(estimator).__name__
    if reset:
        estimator.n_features_in_ = arr.shape[1]
        if names is None:
            estimator.__dict__.pop("feature_names_in_", None)
        else:
            estimator.feature_names_in_ = names
        return arr
    fitted = getattr(estimator, "feature_names_in_", None)
    if names is not None and fitted is None:
        warnings.warn(f"X has feature names, but {name} was fitted without feature names", UserWarning,
                      stacklevel=3)
    elif names is None and fitted is not None:
        warnings.warn(f"X does not have valid feature names, but {name} was fitted with feature names",
                      UserWarning, stacklevel=3)
    elif names is not None and (len(names) != len(fitted) or (names != fitted).any()):
        raise ValueError(_feature_names_mismatch(fitted, names))
    check_n_features(estimator, arr.shape[1])
    return arr


def check_n_features(estimator: Any, n_features: int) -> None:
    """Refuse data with another number of features than ``estimator`` was fitted on."""
    if n_features != estimator.n_features_in_:
        raise ValueError(
            f"X has {n_features} features, but {type(estimator).__name__} is expecting "
            f"{estimator.n_features_in_} features as input."
        )


def check_magnitude(X: np.ndarray, center: np.ndarray | None = None, name: str = "X") -> None:
    """Refuse data whose squared deviations overflow float64.

    Without ``center`` (in ``fit``), the sums of squared deviations from the mean over the samples,
    from which covariances are computed, must be finite; with it (new data), each sample's squared
    distance to ``center``.
    """
    with np.errstate(over="ignore", invalid="ignore"):
        deviations = X - (X.mean(axis=0) if center is None else center)
        squares = np.einsum("nd,nd->d" if center is None else "nd,nd->n", deviations, deviations)
    if not np.isfinite(squares).all():
        raise ValueError(
            f"{name} has values too large for float64 arithmetic (largest magnitude "
            f"{np.abs(X).max():.3g}): their squared deviations overflow, so no "
            f"{'covariance' if center is None else 'density'} can be computed. Rescale {name}, "
            "e.g. divide it by its largest magnitude or use a StandardScaler."
        )


def _is_sparse(X: Any) -> bool:
    """Whether ``X`` is a scipy.sparse matrix or array, recognised without importing scipy."""
    return type(X).__module__.startswith("scipy.sparse") and hasattr(X, "toarray")


def _feature_names(X: Any) -> np.ndarray | None:
    """Column names of a DataFrame-like ``X`` as an object array, or None (no or integer names)."""
    columns = getattr(X, "columns", None)
    if columns is None or not hasattr(X, "shape"):
        return None
    names = np.asarray(columns, dtype=object)
    kinds = {type(n).__name__ for n in names}
    if all(isinstance(n, str) for n in names):
        return names
    if all(isinstance(n, numbers.Integral) for n in names):
        return None
    raise TypeError(
        "Feature names must all be strings (or all integers, which are ignored); "
        f"X has column names of types {sorted(kinds)}. Convert them with X.columns = X.columns.astype(str)."
    )


def _feature_names_mismatch(fitted: np.ndarray, names: np.ndarray) -> str:
    message = "The feature names should match those that were passed during fit.\n"
    unseen = sorted(set(names) - set(fitted))
    missing = sorted(set(fitted) - set(names))
    if unseen:
        message += "Feature names unseen at fit time:\n" + "".join(f"- {n}\n" for n in unseen)
    if missing:
        message += "Feature names seen at fit time, yet now missing:\n" + "".join(f"- {n}\n" for n in missing)
    if not unseen and not missing:
        message += "Feature names must be in the same order as they were in fit.\n"
    return message


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
