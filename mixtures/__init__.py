"""Gaussian mixture models fitted by expectation-maximisation.

The estimators follow scikit-learn's conventions (constructor parameters,
``fit``/``predict`` methods, attributes ending in ``_``) without depending on it.
"""

from ._data import load_faithful
from .exceptions import ConvergenceWarning, NotFittedError
from .gaussian_mixture import GaussianMixture
from .kmeans import KMeans

__all__ = [
    "ConvergenceWarning",
    "GaussianMixture",
    "KMeans",
    "NotFittedError",
    "load_faithful",
]
