"""Standard errors of fitted means from sct's Hessian of the log-likelihood."""
import numpy as np
import pytest

from mixtures import GaussianMixture, load_faithful
from mixtures._generated.gmm_objective_grad import diff_gmm_objective_no_prior
from mixtures.standard_errors import observed_information, standard_errors


def _fit(x, k):
    return GaussianMixture(k, covariance_type="full", tol=1e-12, max_iter=1000, random_state=0).fit(x)


def test_information_matches_differences_of_generated_gradient():
    """Independent oracle: central differences of the generated (first-order) gradient."""
    x = load_faithful()
    gm = _fit(x, 2)
    theta, information = observed_information(gm, x)
    k, d = gm.means_.shape

    def gradient(t):
        alphas = np.concatenate([[0.0], t[:k - 1]])
        means = t[k - 1:k - 1 + k * d].reshape(k, d)
        icf = t[k - 1 + k * d:].reshape(k, -1)
        _, (ga, gm_, gi) = diff_gmm_objective_no_prior(alphas, means, icf, x)
        return np.concatenate([ga[1:], gm_.ravel(), gi.ravel()])

    numeric = np.empty_like(information)
    for j in range(theta.size):
        step = 1e-5 * max(1.0, abs(theta[j]))
        e = np.zeros_like(theta)
        e[j] = step
        numeric[:, j] = -(gradient(theta + e) - gradient(theta - e)) / (2 * step)
    assert np.allclose(information, numeric, rtol=1e-5, atol=1e-5 * np.max(np.abs(information)))
    assert np.allclose(information, information.T, rtol=1e-10, atol=1e-8)


def test_standard_errors_shrink_like_one_over_root_n():
    rng = np.random.default_rng(0)
    centers = np.array([[0.0, 0.0], [5.0, 5.0]])

    def sample(n):
        return np.vstack([rng.normal(c, 1.0, size=(n // 2, 2)) for c in centers])

    small, large = sample(400), sample(6400)
    se_small = standard_errors(_fit(small, 2), small)
    se_large = standard_errors(_fit(large, 2), large)
    assert se_small.shape == (2, 2)
    ratio = se_small / se_large
    assert np.all((ratio > 3.0) & (ratio < 5.5)), ratio  # sqrt(6400 / 400) = 4
    # one standard error of a mean of ~n/2 unit-variance points is about sqrt(2 / n)
    assert np.allclose(se_large, np.sqrt(2 / 6400), rtol=0.3)


def test_standard_errors_need_full_covariances():
    x = load_faithful()
    gm = GaussianMixture(2, covariance_type="diag", random_state=0).fit(x)
    with pytest.raises(ValueError, match="covariance_type='full'"):
        standard_errors(gm, x)


@pytest.mark.parametrize("scale", [1e300, -1e200])
def test_standard_errors_refuse_data_whose_squares_overflow(scale):
    """Data the estimators refuse in ``fit`` is refused here too, not answered with NaN."""
    x = load_faithful()
    gm = _fit(x, 2)
    huge = x * scale
    before = huge.copy()
    with pytest.raises(ValueError, match="too large for float64"):
        standard_errors(gm, huge)
    assert np.array_equal(huge, before)
