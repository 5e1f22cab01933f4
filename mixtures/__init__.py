"""Gaussian mixture models fitted by expectation-maximisation, or by gradient ascent with sct's gradient.

The estimators follow scikit-learn's conventions (constructor parameters, ``fit``/``predict``
methods, attributes ending in ``_``) and, when scikit-learn is installed, are scikit-learn
estimators (clone, Pipeline, GridSearchCV, ``check_estimator``); only numpy is required.
``GradientGaussianMixture`` maximises the log-likelihood of ``loglik.py`` with the gradient sct
generated, ``bic_score`` is a model-selection scorer, and ``standard_errors`` gives standard errors
of fitted means from sct's Hessian of that log-likelihood.
"""

from ._data import load_faithful
from ._scoring import aic_score, bic_score
from .exceptions import ConvergenceWarning, NotFittedError
from .gaussian_mixture import GaussianMixture
from .gradient_fit import GradientGaussianMixture, fit_gradient
from .kmeans import KMeans
from .standard_errors import standard_errors

__all__ = [
    "ConvergenceWarning",
    "GaussianMixture",
    "GradientGaussianMixture",
    "KMeans",
    "NotFittedError",
    "aic_score",
    "bic_score",
    "fit_gradient",
    "load_faithful",
    "standard_errors",
]
