"""Conversions between a fitted full-covariance mixture and the ADBench parametrization of ``loglik``.

ADBench writes each component's precision as ``Q^T Q`` with ``Q`` lower-triangular; scikit-learn style
estimators keep ``precisions_cholesky_``, an upper-triangular ``U`` with ``precision = U U^T``. So
``Q = U^T``, and the mixture weights are ``softmax(alphas)``.
"""
from __future__ import annotations

import numpy as np

from .loglik import pack_icf, unpack_icf


def to_adbench(weights: np.ndarray, means: np.ndarray, precisions_cholesky: np.ndarray) -> tuple:
    """``(alphas, means, icf)`` for weights, means and upper Cholesky factors of the precisions."""
    alphas = np.log(np.asarray(weights, dtype=float))
    icf = pack_icf(np.swapaxes(np.asarray(precisions_cholesky, dtype=float), -1, -2))
    return alphas, np.array(means, dtype=float), icf


def from_adbench(alphas: np.ndarray, means: np.ndarray, icf: np.ndarray) -> tuple:
    """``(weights, means, precisions_cholesky)`` from ADBench parameters (inverse of :func:`to_adbench`)."""
    alphas = np.asarray(alphas, dtype=float)
    weights = np.exp(alphas - np.max(alphas))
    weights /= np.sum(weights)
    d = np.shape(means)[1]
    q = unpack_icf(icf, d)
    return weights, np.array(means, dtype=float), np.swapaxes(q, -1, -2)
