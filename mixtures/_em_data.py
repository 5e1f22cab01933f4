"""Where the samples live: in memory (numpy) or in row chunks of a dask array.

:class:`GaussianMixture` drives EM through the three operations an object of this
module offers (``initial_estimate``, ``em_step``, ``labels``), so the loop over
initialisations, convergence and ``warm_start`` is the same code for both.
dask is imported only when the input is already a dask array.
"""

from __future__ import annotations

import functools
import sys
from typing import Any, Callable

import numpy as np

from . import _em as em
from ._init import initial_responsibilities
from ._validation import check_array


def is_dask_array(X: Any) -> bool:
    """True for a ``dask.array.Array`` (False without importing dask when it is not loaded)."""
    dask_array = sys.modules.get("dask.array")
    return dask_array is not None and isinstance(X, dask_array.Array)


def check_rows(X: Any, *, min_samples: int = 1) -> Any:
    """``check_array`` for numpy input; the checks dask can make before scheduling for a dask array."""
    if is_dask_array(X):
        from ._dask_reduce import check_dask_array

        return check_dask_array(X, min_samples=min_samples)
    return check_array(X, min_samples=min_samples)


class InMemory:
    """Samples held as one numpy array, prepared once as an :class:`em.Design`."""

    def __init__(self, X: np.ndarray, covariance_type: str) -> None:
        self.shape = X.shape
        self.center = X.mean(axis=0)
        self.design = em.make_design(X, covariance_type, self.center)

    def initial_estimate(
        self, n_components: int, method: str, rng: np.random.RandomState, reg_covar: float
    ) -> em.Mixture:
        """M-step from the initial responsibilities of ``method``."""
        resp = initial_responsibilities(self.design.X, n_components, method, rng)
        return em.m_step(self.design, resp, reg_covar)

    def em_step(self, mix: em.Mixture, reg_covar: float) -> tuple[float, em.Mixture]:
        """Mean log-likelihood per sample under ``mix``, and the parameters after one EM step."""
        log_norm, resp = em.e_step(self.design, mix)
        return float(log_norm.mean()), em.m_step(self.design, resp, reg_covar)

    def labels(self, mix: em.Mixture) -> np.ndarray:
        """Most probable component of each sample."""
        return em.weighted_log_prob(self.design, mix).argmax(axis=0)


def em_data(X: Any, covariance_type: str, n_components: int) -> Any:
    """Validated samples as :class:`InMemory` or, for a dask array, ``_dask_em.DaskData``.

    For a dask array, what dask knows (shape, dtype, chunks) is checked before any work is scheduled.
    """
    X = check_rows(X, min_samples=2)
    if X.shape[0] < n_components:
        raise ValueError(
            f"Expected n_samples >= n_components, got n_samples={X.shape[0]} "
            f"and n_components={n_components}."
        )
    if is_dask_array(X):
        from ._dask_em import DaskData

        return DaskData(X, covariance_type)
    return InMemory(X, covariance_type)


def per_row(kind: str) -> Callable:
    """Let a fitted-model method taking ``X`` also take a dask array.

    For dask input the method runs unchanged on each chunk of rows, lazily; ``kind`` is
    ``"labels"``, ``"values"`` (one number per row) or ``"proba"`` (one row of K per row).
    """

    def decorate(method: Callable) -> Callable:
        @functools.wraps(method)
        def wrapper(self, X):
            if is_dask_array(X):
                from ._dask_em import map_rows

                return map_rows(self, method.__name__, X, kind)
            return method(self, X)

        return wrapper

    return decorate
