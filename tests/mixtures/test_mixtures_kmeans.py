"""KMeans (hard-assignment EM) and k-means++ seeding."""

import numpy as np
import pytest
from gm_testdata import single_threaded

from mixtures import KMeans, NotFittedError
from mixtures import _em as em
from mixtures.kmeans import kmeans_plusplus

CENTRES = np.array([[0.0, 0.0, 0.0], [12.0, 0.0, 0.0], [0.0, 12.0, 0.0], [0.0, 0.0, 12.0]])
TRUTH = np.repeat(np.arange(4), 100)
X = CENTRES[TRUTH] + np.random.RandomState(5).normal(size=(400, 3))


def test_recovers_separated_blobs():
    model = KMeans(4, random_state=0).fit(X)
    # each true blob is one cluster, whatever the numbering
    pairs = set(zip(TRUTH, model.labels_))
    assert len(pairs) == 4 and len({label for _, label in pairs}) == 4
    assert model.cluster_centers_.shape == (4, 3) and model.n_iter_ >= 1


def test_inertia_labels_and_predict_are_consistent():
    model = KMeans(4, random_state=1).fit(X)
    distances = ((X[:, None, :] - model.cluster_centers_[None]) ** 2).sum(axis=2)
    np.testing.assert_array_equal(model.labels_, distances.argmin(axis=1))
    assert model.inertia_ == pytest.approx(distances.min(axis=1).sum(), rel=1e-12)
    np.testing.assert_array_equal(model.predict(X), model.labels_)
    assert model.score(X) == pytest.approx(-model.inertia_, rel=1e-12)
    np.testing.assert_array_equal(KMeans(4, random_state=1).fit_predict(X), model.labels_)
    for k in range(4):  # centres are the means of their clusters
        np.testing.assert_allclose(model.cluster_centers_[k], X[model.labels_ == k].mean(axis=0), rtol=1e-12)


def test_is_the_zero_variance_limit_of_em():
    # with equal weights and a shared spherical variance -> 0, EM responsibilities become
    # one-hot on the nearest centre: the k-means assignment
    model = KMeans(4, random_state=0).fit(X)
    K, d = model.cluster_centers_.shape
    variance = 1e-4
    mixture = em.Mixture(
        np.full(K, 1 / K), model.cluster_centers_, np.full(K, variance), np.full(K, variance**-0.5)
    )
    design = em.make_design(X, "spherical", np.zeros(d))
    _, resp = em.e_step(design, mixture)
    np.testing.assert_array_equal(resp.argmax(axis=0), model.labels_)
    assert resp.max(axis=0).min() > 1 - 1e-12


def test_inertia_as_good_as_sklearn():
    cluster = pytest.importorskip("sklearn.cluster")
    ours = KMeans(4, n_init=3, random_state=0).fit(X).inertia_
    with single_threaded():
        theirs = cluster.KMeans(4, n_init=3, random_state=0).fit(X).inertia_
    assert ours <= theirs * (1 + 1e-9)


def test_explicit_init_and_empty_cluster_relocation():
    # the third starting centre attracts no sample; it must be moved onto the data
    init = np.vstack([CENTRES[:2], [[1e6, 1e6, 1e6]]])
    model = KMeans(3, init=init).fit(X)
    assert np.bincount(model.labels_, minlength=3).min() > 0
    assert np.abs(model.cluster_centers_).max() < 100


def test_random_init_and_n_init():
    single = KMeans(4, init="random", random_state=3).fit(X).inertia_
    best = KMeans(4, init="random", n_init=5, random_state=3).fit(X).inertia_
    assert best <= single


def test_kmeans_plusplus_seeds():
    centres, indices = kmeans_plusplus(X, 4, random_state=0)
    assert len(set(indices)) == 4
    np.testing.assert_array_equal(centres, X[indices])
    # greedy seeding lands one seed in each well-separated blob
    assert len(set(TRUTH[indices])) == 4


@pytest.mark.parametrize(
    "params, data, message",
    [
        ({"n_clusters": 5}, X[:3], "n_samples=3 should be >= n_clusters=5"),
        ({"n_clusters": 0}, X, "n_clusters must be an integer >= 1"),
        ({"init": "kmedians"}, X, "init must be one of 'k-means\\+\\+', 'random'"),
        ({"n_clusters": 2, "init": np.zeros((3, 3))}, X, r"init should have shape \(2, 3\)"),
        ({"tol": -1.0}, X, "tol must be a number >= 0"),
        ({}, np.full((5, 2), np.nan), "X contains NaN"),
    ],
)
def test_bad_input(params, data, message):
    with pytest.raises(ValueError, match=message):
        KMeans(**params).fit(data)


def test_not_fitted_and_feature_count():
    with pytest.raises(NotFittedError, match="This KMeans instance is not fitted yet"):
        KMeans().predict(X)
    model = KMeans(2, random_state=0).fit(X)
    with pytest.raises(ValueError, match="X has 2 features, but KMeans is expecting 3 features as input"):
        model.predict(X[:, :2])
