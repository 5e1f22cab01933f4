"""Every bad-data and bad-parameter path of GaussianMixture raises a clear error."""

import numpy as np
import pytest
from gm_testdata import COVARIANCE_TYPES

import mixtures
from mixtures import GaussianMixture, NotFittedError

X_GOOD = np.random.RandomState(0).normal(size=(40, 2))


def with_value(value, row=3, col=1):
    X = X_GOOD.copy()
    X[row, col] = value
    return X


@pytest.mark.parametrize(
    "X, message",
    [
        (with_value(np.nan), "X contains NaN"),
        (with_value(np.inf), "X contains infinity"),
        (with_value(-np.inf), "X contains infinity"),
        (np.arange(10.0), r"Expected a 2-D array for X, got a 1-D array.*reshape"),
        (np.ones((2, 3, 4)), "Expected a 2-D array for X, got a 3-D array"),
        (np.empty((0, 2)), r"X is empty: it has 0 sample\(s\) \(shape=\(0, 2\)\)"),
        (np.empty((5, 0)), r"X is empty: it has 0 feature\(s\) \(shape=\(5, 0\)\)"),
        (np.ones((1, 2)), r"X has 1 sample\(s\), but at least 2 are required"),
        ([["a", "b"], ["c", "d"]], "X must be a numeric array-like"),
    ],
)
def test_bad_training_data(X, message):
    with pytest.raises(ValueError, match=message):
        GaussianMixture().fit(X)


def test_fewer_samples_than_components():
    with pytest.raises(
        ValueError, match="Expected n_samples >= n_components, got n_samples=3 and n_components=4"
    ):
        GaussianMixture(n_components=4).fit(X_GOOD[:3])


@pytest.mark.parametrize("method", ["predict", "predict_proba", "score", "score_samples", "bic", "aic"])
def test_wrong_number_of_features_after_fit(method):
    model = GaussianMixture(n_components=2, random_state=0).fit(X_GOOD)
    with pytest.raises(ValueError, match="X has 3 features, but GaussianMixture is expecting 2 features"):
        getattr(model, method)(np.ones((5, 3)))


@pytest.mark.parametrize("method", ["predict", "predict_proba", "score_samples"])
def test_bad_data_after_fit(method):
    model = GaussianMixture(n_components=2, random_state=0).fit(X_GOOD)
    with pytest.raises(ValueError, match="X contains NaN"):
        getattr(model, method)(with_value(np.nan))
    with pytest.raises(ValueError, match="Expected a 2-D array"):
        getattr(model, method)(np.ones(2))


@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
def test_collapsed_component_asks_for_reg_covar(covariance_type):
    # three distinct points, three components: every covariance is exactly zero
    X = np.repeat([[0.0, 0.0], [5.0, 1.0], [-3.0, 4.0]], 10, axis=0)
    model = GaussianMixture(n_components=3, covariance_type=covariance_type, reg_covar=0.0, random_state=0)
    with pytest.raises(ValueError, match="increase reg_covar"):
        model.fit(X)
    with pytest.raises(NotFittedError):  # a failed fit leaves no half-fitted state
        model.predict(X)
    # the default regularisation keeps the same fit well defined
    model.set_params(reg_covar=1e-6).fit(X)
    assert np.isfinite(model.lower_bound_)


@pytest.mark.parametrize(
    "params, message",
    [
        ({"n_components": 0}, "n_components must be an integer >= 1, got 0"),
        ({"n_components": 2.5}, "n_components must be an integer >= 1"),
        ({"covariance_type": "banana"}, "covariance_type must be one of 'full', 'tied', 'diag', 'spherical'"),
        ({"tol": -1e-3}, "tol must be a number >= 0"),
        ({"reg_covar": -1.0}, "reg_covar must be a number >= 0"),
        ({"max_iter": -1}, "max_iter must be an integer >= 0"),
        ({"n_init": 0}, "n_init must be an integer >= 1"),
        ({"init_params": "kmedoids"}, "init_params must be one of 'kmeans', 'k-means\\+\\+'"),
        ({"verbose_interval": 0}, "verbose_interval must be an integer >= 1"),
        ({"random_state": "seed"}, r"random_state must be None, an integer in \[0, 4294967295\] or a numpy"),
    ],
)
def test_bad_parameters(params, message):
    with pytest.raises(ValueError, match=message):
        GaussianMixture(**params).fit(X_GOOD)


@pytest.mark.parametrize(
    "params, message",
    [
        ({"weights_init": [0.5, 0.6]}, "weights_init must sum to 1, but sums to 1.1"),
        ({"weights_init": [1.5, -0.5]}, r"weights_init must lie in \[0, 1\]"),
        ({"weights_init": [1.0]}, r"weights_init should have shape \(2,\), but got \(1,\)"),
        ({"means_init": np.zeros((3, 2))}, r"means_init should have shape \(2, 2\), but got \(3, 2\)"),
        ({"means_init": np.zeros((2, 3))}, r"means_init should have shape \(2, 2\), but got \(2, 3\)"),
        ({"means_init": [[0, np.nan], [1, 1]]}, "means_init contains NaN"),
        (
            {"precisions_init": np.ones((2, 2))},
            r"precisions_init should have shape \(2, 2, 2\), but got \(2, 2\)",
        ),
        ({"precisions_init": -np.eye(2)[None].repeat(2, 0)}, "must be symmetric and positive-definite"),
        ({"precisions_init": np.array([[[1, 0.5], [0, 1]]] * 2)}, "must be symmetric and positive-definite"),
        (
            {"precisions_init": np.eye(3), "covariance_type": "tied"},
            r"should have shape \(2, 2\), but got \(3, 3\)",
        ),
        ({"precisions_init": [[1, 1], [1, -1]], "covariance_type": "diag"}, "'diag' must be positive"),
        ({"precisions_init": [1.0, 0.0], "covariance_type": "spherical"}, "'spherical' must be positive"),
        ({"precisions_init": [1.0, 1.0, 1.0], "covariance_type": "spherical"}, r"should have shape \(2,\)"),
    ],
)
def test_bad_initial_parameters(params, message):
    with pytest.raises(ValueError, match=message):
        GaussianMixture(n_components=2, **params).fit(X_GOOD)


@pytest.mark.parametrize("method", ["predict", "predict_proba", "score", "score_samples", "bic", "aic"])
def test_not_fitted(method):
    with pytest.raises(NotFittedError, match="This GaussianMixture instance is not fitted yet"):
        getattr(GaussianMixture(), method)(X_GOOD)


def test_not_fitted_error_is_value_and_attribute_error():
    assert issubclass(NotFittedError, ValueError) and issubclass(NotFittedError, AttributeError)
    with pytest.raises(AttributeError):
        GaussianMixture().sample(3)


def test_bad_sample_size():
    model = GaussianMixture(random_state=0).fit(X_GOOD)
    with pytest.raises(ValueError, match="n_samples must be an integer >= 1, got 0"):
        model.sample(0)


def test_unknown_parameter_name():
    with pytest.raises(ValueError, match="Invalid parameter .n_clusters. for"):
        GaussianMixture().set_params(n_clusters=3)


def test_warm_start_with_other_features():
    model = GaussianMixture(warm_start=True, random_state=0).fit(X_GOOD)
    with pytest.raises(ValueError, match="X has 3 features, but GaussianMixture is expecting 2 features"):
        model.fit(np.ones((10, 3)))


def test_convergence_warning_is_user_warning():
    assert issubclass(mixtures.ConvergenceWarning, UserWarning)
