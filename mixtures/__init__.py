"""Gaussian mixture models fitted by expectation-maximisation, or by gradient ascent with sct's gradient.

The estimators follow scikit-learn's conventions (constructor parameters,
``fit``/``predict`` methods, attributes ending in ``_``) without depending on it.
``fit_gradient`` maximises the log-likelihood of ``loglik.py`` with the gradient sct generated, and
``standard_errors`` gives standard errors of fitted means from sct's Hessian of that log-likelihood.
"""

from ._data import load_faithful
from .exceptions import ConvergenceWarning, NotFittedError
from .gaussian_mixture import GaussianMixture
from .gradient_fit import fit_gradient
from .kmeans import KMeans
from .standard_errors import standard_errors

__all__ = [
    "ConvergenceWarning",
    "GaussianMixture",
    "KMeans",
    "NotFittedError",
    "fit_gradient",
    "load_faithful",
    "standard_errors",
]
