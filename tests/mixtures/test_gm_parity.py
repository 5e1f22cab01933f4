"""GaussianMixture against sklearn.mixture.GaussianMixture."""

import warnings

import numpy as np
import pytest
from gm_testdata import (
    COVARIANCE_TYPES,
    datasets,
    initial_parameters,
    max_relative_difference,
    single_threaded,
)

import mixtures

sk_mixture = pytest.importorskip("sklearn.mixture")

RTOL = 1e-8
DATASETS = datasets()


def fit_both(X, **params):
    with warnings.catch_warnings(), single_threaded():
        warnings.simplefilter("ignore")  # the max_iter cases do not converge on purpose
        ours = mixtures.GaussianMixture(**params).fit(X)
        theirs = sk_mixture.GaussianMixture(**params).fit(X)
    return ours, theirs


def assert_same_fit(ours, theirs, X):
    for name in ("weights_", "means_", "covariances_", "precisions_", "precisions_cholesky_"):
        diff = max_relative_difference(getattr(ours, name), getattr(theirs, name))
        assert diff < RTOL, f"{name} differs by {diff:.2e}"
    assert abs(ours.lower_bound_ - theirs.lower_bound_) <= RTOL * abs(theirs.lower_bound_)
    assert ours.n_iter_ == theirs.n_iter_
    assert ours.converged_ == theirs.converged_


@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
@pytest.mark.parametrize("name, X, centres", DATASETS, ids=[d[0] for d in DATASETS])
@pytest.mark.parametrize("max_iter, tol", [(7, 0.0), (100, 1e-6)])
def test_same_start_same_fit(name, X, centres, covariance_type, max_iter, tol):
    start = initial_parameters(X, centres, covariance_type)
    params = {
        "n_components": len(centres),
        "covariance_type": covariance_type,
        "max_iter": max_iter,
        "tol": tol,
    }
    ours, theirs = fit_both(X, **params, **start)
    assert_same_fit(ours, theirs, X)
    assert max_relative_difference(ours.score_samples(X), theirs.score_samples(X)) < RTOL
    assert max_relative_difference(ours.predict_proba(X), theirs.predict_proba(X)) < RTOL
    np.testing.assert_array_equal(ours.predict(X), theirs.predict(X))
    assert ours.bic(X) == pytest.approx(theirs.bic(X), rel=RTOL)
    assert ours.aic(X) == pytest.approx(theirs.aic(X), rel=RTOL)


SEEDED_CASES = [(c, "random") for c in COVARIANCE_TYPES] + [
    (c, "random_from_data") for c in COVARIANCE_TYPES if c != "tied"
]


@pytest.mark.parametrize("covariance_type, init_params", SEEDED_CASES)
def test_seeded_random_inits_match(covariance_type, init_params):
    # These inits draw from the RandomState exactly as scikit-learn does. Not compared:
    # tied with random_from_data, where scikit-learn's first tied covariance uses the
    # unweighted X.T @ X (valid only if each sample's responsibilities sum to 1) and so
    # depends on the origin; see test_gm_behaviour.py::test_tied_seed_init_is_translation_invariant.
    X = mixtures.load_faithful()
    params = {
        "n_components": 3,
        "covariance_type": covariance_type,
        "init_params": init_params,
        "random_state": 3,
    }
    ours, theirs = fit_both(X, n_init=2, max_iter=20, **params)
    assert_same_fit(ours, theirs, X)


def test_warm_start_matches():
    _name, X, centres = DATASETS[2]
    start = initial_parameters(X, centres, "full")
    params = dict(n_components=3, max_iter=3, tol=0.0, warm_start=True, **start)
    ours, theirs = fit_both(X, **params)
    for _ in range(2):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ours.fit(X)
            theirs.fit(X)
    assert_same_fit(ours, theirs, X)


def test_sample_matches():
    _name, X, centres = DATASETS[0]
    for covariance_type in COVARIANCE_TYPES:
        start = initial_parameters(X, centres, covariance_type)
        ours, theirs = fit_both(X, n_components=2, covariance_type=covariance_type, random_state=0, **start)
        Xs, ys = ours.sample(50)
        Xt, yt = theirs.sample(50)
        np.testing.assert_array_equal(ys, yt)
        assert max_relative_difference(Xs, Xt) < RTOL


@pytest.mark.parametrize(
    "data_index, n_components, covariance_type",
    [(0, 2, "full"), (0, 3, "full"), (0, 3, "diag"), (3, 3, "full"), (2, 3, "tied"), (2, 3, "spherical")],
)
def test_default_init_reaches_sklearn_best(data_index, n_components, covariance_type):
    # scikit-learn's KMeans cannot be reproduced, so only the final log-likelihood is compared
    X = DATASETS[data_index][1]
    params = {"n_components": n_components, "covariance_type": covariance_type, "tol": 1e-9, "max_iter": 1000}
    with single_threaded():
        theirs = max(sk_mixture.GaussianMixture(**params, random_state=s).fit(X).score(X) for s in range(4))
    ours = mixtures.GaussianMixture(**params, n_init=4, random_state=0).fit(X).score(X)
    assert ours >= theirs - 1e-6


def test_tight_far_cluster_matches_sklearn():
    # exercises the direct (difference-based) fallback of mixtures._em; scikit-learn's
    # full-covariance arithmetic is difference-based throughout, so it is accurate here
    rng = np.random.RandomState(0)
    X = np.vstack([rng.normal(size=(100, 2)), 1e3 + 1e-2 * rng.normal(size=(100, 2))])
    start = initial_parameters(X, np.array([[0.1, -0.1], [1e3, 1e3]]), "full")
    start["means_init"] = np.array([[0.1, -0.1], [1e3, 1e3]])
    ours, theirs = fit_both(X, n_components=2, max_iter=20, tol=0.0, **start)
    assert_same_fit(ours, theirs, X)
