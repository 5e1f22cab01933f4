"""The gradient-based fit (L-BFGS + sct's generated gradient) reaches the EM optimum."""
import numpy as np
import pytest

from mixtures import GaussianMixture, GradientGaussianMixture
from mixtures.gradient_fit import fit_gradient


def _separated(seed=0):
    rng = np.random.default_rng(seed)
    centers = np.array([[0.0, 0.0], [6.0, 1.0], [1.0, 7.0]])
    scales = [np.array([[1.0, 0.3], [0.3, 0.5]]), np.eye(2) * 0.7, np.array([[0.4, -0.1], [-0.1, 1.2]])]
    return np.vstack([rng.multivariate_normal(c, s, size=150) for c, s in zip(centers, scales)])


def test_gradient_fit_reaches_em_optimum():
    x = _separated()
    em_fit = GaussianMixture(3, covariance_type="full", tol=1e-12, max_iter=1000, reg_covar=0.0,
                             random_state=0).fit(x)
    gradient_fit = GradientGaussianMixture(3, random_state=0).fit(x)
    assert gradient_fit.converged_
    assert gradient_fit.score(x) == pytest.approx(em_fit.score(x), abs=1e-7)
    assert gradient_fit.lower_bound_ == pytest.approx(gradient_fit.score(x), rel=1e-12)
    order_em = np.argsort(em_fit.means_[:, 0])
    order_gradient = np.argsort(gradient_fit.means_[:, 0])
    assert np.allclose(gradient_fit.means_[order_gradient], em_fit.means_[order_em], atol=1e-4)
    assert np.allclose(gradient_fit.weights_[order_gradient], em_fit.weights_[order_em], atol=1e-5)


def test_gradient_fit_predicts_like_an_estimator():
    x = _separated(1)
    fitted = GradientGaussianMixture(3, random_state=1)
    labels = fitted.fit_predict(x)
    np.testing.assert_array_equal(labels, fitted.predict(x))
    assert labels.shape == (len(x),) and len(np.unique(labels)) == 3
    assert np.allclose(fitted.predict_proba(x).sum(axis=1), 1.0)
    assert fitted.covariance_type == "full" and fitted.bic(x) > 0


def test_fit_gradient_is_the_estimator_fitted():
    x = _separated(2)
    wrapped = fit_gradient(x, 3, random_state=2, tol=1e-9)
    direct = GradientGaussianMixture(3, random_state=2, tol=1e-9).fit(x)
    assert isinstance(wrapped, GaussianMixture)
    np.testing.assert_array_equal(wrapped.means_, direct.means_)
    assert wrapped.get_params() == direct.get_params()


def test_gradient_fit_rejects_bad_data():
    with pytest.raises(ValueError, match="X contains NaN"):
        fit_gradient(np.array([[np.nan, 1.0], [0.0, 1.0]]), 1)
    with pytest.raises(ValueError, match="Expected n_samples >= n_components"):
        fit_gradient(np.zeros((2, 2)), 3)
    with pytest.raises(ValueError, match="max_iter must be an integer >= 1, got 0"):
        GradientGaussianMixture(max_iter=0).fit(np.eye(3))
