"""The base classes of the estimators: scikit-learn's when it is installed, this package's otherwise.

Why inherit rather than implement scikit-learn's estimator protocol by hand: the protocol is more
than get_params/set_params. ``__sklearn_tags__`` must return scikit-learn's own ``Tags`` objects,
and clone, Pipeline, GridSearchCV, ``set_output``, metadata routing and the HTML repr each rely on
methods that ``BaseEstimator`` and the mixins provide and that change between scikit-learn
releases. Inheriting them, as scikit-learn's guide for third-party estimators recommends, keeps the
estimators first-class in whatever scikit-learn release is installed, with nothing copied. Without
scikit-learn, :class:`~mixtures._params.ParamsMixin` gives the same get_params/set_params/repr, and
the mixins are empty, so ``import mixtures`` needs only numpy. (Importing ``sklearn.base`` adds
about a second to ``import mixtures`` when scikit-learn is installed.)
"""

from __future__ import annotations

from ._params import ParamsMixin

try:
    from sklearn.base import BaseEstimator, ClusterMixin, DensityMixin, TransformerMixin

    HAVE_SKLEARN = True
except ImportError:  # scikit-learn is optional
    HAVE_SKLEARN = False
    BaseEstimator = ParamsMixin

    class DensityMixin:  # type: ignore[no-redef]
        """Marks a density estimator (scikit-learn's mixin when it is installed)."""

    class ClusterMixin:  # type: ignore[no-redef]
        """Marks a clusterer (scikit-learn's mixin when it is installed)."""

    class TransformerMixin:  # type: ignore[no-redef]
        """Marks a transformer (scikit-learn's mixin, with ``set_output``, when it is installed)."""

        def fit_transform(self, X, y=None):
            return self.fit(X, y).transform(X)


__all__ = ["HAVE_SKLEARN", "BaseEstimator", "ClusterMixin", "DensityMixin", "TransformerMixin"]
