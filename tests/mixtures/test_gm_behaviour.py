"""Behaviour of GaussianMixture that does not need scikit-learn to check."""

import warnings

import numpy as np
import pytest
from gm_testdata import COVARIANCE_TYPES, blobs, initial_parameters, max_relative_difference

import mixtures
from mixtures import ConvergenceWarning, GaussianMixture
from mixtures import _em as em

X3, CENTRES3 = blobs(2, 3, seed=2)
FAITHFUL = mixtures.load_faithful()


def test_load_faithful():
    assert FAITHFUL.shape == (272, 2) and FAITHFUL.dtype == np.float64
    np.testing.assert_allclose(FAITHFUL[0], [3.6, 79.0])


def test_convergence_warning_only_when_not_converged():
    with pytest.warns(ConvergenceWarning, match="Best performing initialization did not converge"):
        model = GaussianMixture(n_components=3, max_iter=1, random_state=0).fit(X3)
    assert not model.converged_ and model.n_iter_ == 1
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model = GaussianMixture(n_components=3, random_state=0).fit(X3)
    assert model.converged_ and model.n_iter_ < 100


@pytest.mark.parametrize("init_params", ["kmeans", "k-means++", "random", "random_from_data"])
@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
def test_fit_predict_agrees_with_predict(init_params, covariance_type):
    params = {"n_components": 3, "covariance_type": covariance_type, "init_params": init_params}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model = GaussianMixture(**params, max_iter=1, random_state=1)
        labels = model.fit_predict(X3)
        assert model.fit(X3) is model
    np.testing.assert_array_equal(labels, model.predict(X3))


def test_max_iter_zero_returns_the_start():
    start = initial_parameters(X3, CENTRES3, "full")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model = GaussianMixture(n_components=3, max_iter=0, **start).fit(X3)
    assert model.n_iter_ == 0 and model.lower_bound_ == -np.inf and not model.converged_
    np.testing.assert_allclose(model.means_, start["means_init"], rtol=1e-12)
    np.testing.assert_allclose(model.precisions_, start["precisions_init"], rtol=1e-12)
    np.testing.assert_allclose(model.covariances_, np.linalg.inv(start["precisions_init"]), rtol=1e-10)


def test_n_init_keeps_the_best_run():
    params = {"n_components": 3, "init_params": "random", "max_iter": 5}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        best = GaussianMixture(**params, n_init=4, random_state=np.random.RandomState(7)).fit(X3)
        rng = np.random.RandomState(7)  # the same draws, one run at a time
        singles = [GaussianMixture(**params, random_state=rng).fit(X3).lower_bound_ for _ in range(4)]
    assert best.lower_bound_ == max(singles)


@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
def test_lower_bound_never_decreases(covariance_type):
    model = GaussianMixture(
        3, covariance_type=covariance_type, init_params="random", tol=1e-8, max_iter=1000, random_state=0
    )
    bounds = np.array(model.fit(FAITHFUL).lower_bounds_)
    assert len(bounds) == model.n_iter_ and bounds[-1] == model.lower_bound_
    assert (np.diff(bounds) >= -1e-12).all()


@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
def test_density_matches_direct_formula(covariance_type):
    model = GaussianMixture(3, covariance_type=covariance_type, random_state=0).fit(FAITHFUL)
    K, d = model.means_.shape
    if covariance_type == "full":
        covariances = model.covariances_
    elif covariance_type == "tied":
        covariances = np.broadcast_to(model.covariances_, (K, d, d))
    else:
        covariances = np.array([np.eye(d) * c for c in model.covariances_])  # diag or spherical
    density = np.zeros(len(FAITHFUL))
    for w, mean, matrix in zip(model.weights_, model.means_, covariances):
        diff = FAITHFUL - mean
        mahalanobis = np.einsum("nd,nd->n", diff @ np.linalg.inv(matrix), diff)
        density += w * np.exp(-0.5 * mahalanobis) / np.sqrt(np.linalg.det(2 * np.pi * matrix))
    np.testing.assert_allclose(model.score_samples(FAITHFUL), np.log(density), rtol=1e-10)
    proba = model.predict_proba(FAITHFUL)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-12)
    inverse = np.linalg.inv if covariance_type in ("full", "tied") else np.reciprocal
    np.testing.assert_allclose(model.precisions_, inverse(model.covariances_), rtol=1e-10)


@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
def test_feature_and_direct_paths_agree(covariance_type, monkeypatch):
    start = initial_parameters(X3, CENTRES3, covariance_type)
    params = {"n_components": 3, "covariance_type": covariance_type, "max_iter": 10, "tol": 0.0, **start}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        fast = GaussianMixture(**params).fit(X3)
        monkeypatch.setattr(em, "FEATURE_BYTES_LIMIT", 0)
        direct = GaussianMixture(**params).fit(X3)
    for name in ("weights_", "means_", "covariances_", "lower_bound_"):
        assert max_relative_difference(getattr(fast, name), getattr(direct, name)) < 1e-11, name


@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
def test_tight_far_cluster_stays_accurate(covariance_type):
    # A component 1e5 standard deviations from the centre of the data: expanding the
    # quadratic form would lose ~10 digits, so that component must be computed directly.
    rng = np.random.RandomState(0)
    X = np.vstack([rng.normal(size=(100, 2)), 1e3 + 1e-2 * rng.normal(size=(100, 2))])
    start = initial_parameters(X, np.array([[0.0, 0.0], [1e3, 1e3]]), covariance_type)
    start["means_init"] = np.array([[0.1, -0.1], [1e3, 1e3]])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model = GaussianMixture(2, covariance_type=covariance_type, max_iter=20, tol=0.0, **start).fit(X)
    broad, tight = X[:100] - model.means_[0], X[100:] - model.means_[1]
    expected = {
        "full": tight.T @ tight / 100 + 1e-6 * np.eye(2),
        "tied": (broad.T @ broad + tight.T @ tight) / 200 + 1e-6 * np.eye(2),
        "diag": (tight**2).mean(axis=0) + 1e-6,
        "spherical": (tight**2).mean() + 1e-6,
    }[covariance_type]
    got = model.covariances_ if covariance_type == "tied" else model.covariances_[1]
    assert max_relative_difference(got, expected) < 1e-9
    np.testing.assert_allclose(model.means_[1], X[100:].mean(axis=0), rtol=1e-13)


def test_translation_invariance():
    start = initial_parameters(FAITHFUL, np.array([[2.0, 55.0], [4.3, 80.0]]), "full")
    shift = np.array([1e4, -3e4])
    base = GaussianMixture(2, tol=1e-10, **start).fit(FAITHFUL)
    start["means_init"] = start["means_init"] + shift
    moved = GaussianMixture(2, tol=1e-10, **start).fit(FAITHFUL + shift)
    assert max_relative_difference(moved.means_ - shift, base.means_) < 1e-9
    assert max_relative_difference(moved.covariances_, base.covariances_) < 1e-9
    assert moved.lower_bound_ == pytest.approx(base.lower_bound_, rel=1e-10)


def test_tied_seed_init_is_translation_invariant():
    # scikit-learn's first tied covariance from one-sample seeds depends on the origin; ours must not
    for shift in (0.0, 1e3):
        model = GaussianMixture(
            3, covariance_type="tied", init_params="random_from_data", max_iter=0, random_state=3
        ).fit(FAITHFUL + shift)
        np.testing.assert_allclose(model.covariances_, 1e-6 * np.eye(2), atol=1e-15)


def test_warm_start_continues():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model = GaussianMixture(3, max_iter=2, warm_start=True, random_state=0).fit(X3)
    first = model.lower_bound_
    model.set_params(max_iter=100).fit(X3)
    assert model.converged_ and model.lower_bound_ >= first


def test_sample():
    model = GaussianMixture(2, random_state=0).fit(FAITHFUL)
    X, y = model.sample(1000)
    assert X.shape == (1000, 2) and y.shape == (1000,) and set(np.unique(y)) <= {0, 1}
    np.testing.assert_array_equal(model.sample(1000)[0], X)  # an int seed repeats the draw
    np.testing.assert_allclose(X[y == 0].mean(axis=0), model.means_[0], rtol=0.05)


def test_accepts_lists_and_float32():
    model = GaussianMixture(2, random_state=0).fit(FAITHFUL.tolist())
    again = GaussianMixture(2, random_state=0).fit(FAITHFUL.astype(np.float32))
    assert again.means_.dtype == np.float64
    np.testing.assert_allclose(again.means_, model.means_, rtol=1e-5)


def test_bic_and_aic():
    model = GaussianMixture(2, random_state=0).fit(FAITHFUL)
    n_params = 2 * 3 + 2 * 2 + 1  # two full 2x2 covariances, two means, one free weight
    log_lik = model.score(FAITHFUL) * len(FAITHFUL)
    assert model.bic(FAITHFUL) == pytest.approx(-2 * log_lik + n_params * np.log(len(FAITHFUL)))
    assert model.aic(FAITHFUL) == pytest.approx(-2 * log_lik + 2 * n_params)


def test_params_and_repr():
    model = GaussianMixture(3, covariance_type="diag")
    params = model.get_params()
    assert params["n_components"] == 3 and params["covariance_type"] == "diag" and len(params) == 14
    assert model.set_params(tol=1e-4) is model and model.tol == 1e-4
    assert repr(model) == "GaussianMixture(covariance_type='diag', n_components=3, tol=0.0001)"


def test_verbose_output(capsys):
    GaussianMixture(2, verbose=2, verbose_interval=1, random_state=0).fit(FAITHFUL)
    out = capsys.readouterr().out
    assert "Iteration 1\t lower bound -" in out and "\t change " in out and "time lapse" in out
    assert "Initialization converged after" in out
