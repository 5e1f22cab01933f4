"""Scorers for model selection with scikit-learn's ``GridSearchCV`` and ``cross_val_score``.

A scorer is called as ``scorer(estimator, X, y)`` and must be higher for better models, so these
return minus the information criterion (which is lower for better models)::

    GridSearchCV(GaussianMixture(), {"n_components": [1, 2, 3]}, scoring=mixtures.bic_score)
"""

from __future__ import annotations

from typing import Any


def bic_score(estimator: Any, X: Any, y: object = None) -> float:
    """Minus the BIC of fitted ``estimator`` on ``X``; a scorer (higher is better)."""
    return -estimator.bic(X)


def aic_score(estimator: Any, X: Any, y: object = None) -> float:
    """Minus the AIC of fitted ``estimator`` on ``X``; a scorer (higher is better)."""
    return -estimator.aic(X)
