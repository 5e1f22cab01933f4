"""The estimators are scikit-learn estimators: its own test suite, model selection, pipelines, DataFrames."""

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.mixture import GaussianMixture as SklearnGaussianMixture
from sklearn.model_selection import GridSearchCV, KFold, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils.estimator_checks import check_estimator

import mixtures
from mixtures import GaussianMixture, GradientGaussianMixture, KMeans, bic_score

FAITHFUL = mixtures.load_faithful()
ESTIMATORS = [GaussianMixture(), KMeans(n_clusters=3), GradientGaussianMixture()]


@pytest.mark.parametrize("estimator", ESTIMATORS, ids=lambda e: type(e).__name__)
def test_check_estimator(estimator, monkeypatch):
    # check_array_api_input only runs when SCIPY_ARRAY_API is set; it then checks that numpy
    # input under array-API dispatch gives the same results (the estimators convert to numpy).
    monkeypatch.setenv("SCIPY_ARRAY_API", "1")
    results = check_estimator(estimator, on_fail=None)
    failed = [(r["check_name"], repr(r["exception"])) for r in results if r["status"] != "passed"]
    assert failed == []
    # no check is marked not applicable: the default tags (a 2-D float array input, no NaN, no
    # sparse input, no array-API support) describe the estimators, and every check passes
    assert len(results) >= 40


def _search(estimator, scoring):
    grid = {"n_components": [1, 2, 3], "covariance_type": ["full", "tied", "diag", "spherical"]}
    return GridSearchCV(estimator, grid, cv=3, scoring=scoring).fit(FAITHFUL)


@pytest.mark.parametrize("scoring", [None, bic_score], ids=["log-likelihood", "bic"])
def test_grid_search_matches_scikit_learn(scoring):
    # init_params="random" draws the same starting responsibilities as scikit-learn for a seed,
    # so the two searches fit the same models on the same folds
    params = {"init_params": "random", "random_state": 0, "max_iter": 500}
    ours = _search(GaussianMixture(**params), scoring)
    theirs = _search(SklearnGaussianMixture(**params), scoring)
    assert ours.best_params_ == theirs.best_params_
    assert ours.best_score_ == pytest.approx(theirs.best_score_, rel=1e-12)
    for split in range(3):
        key = f"split{split}_test_score"
        np.testing.assert_allclose(ours.cv_results_[key], theirs.cv_results_[key], rtol=1e-12)
    # (ranks are not compared: with one component "full" and "tied" are the same model, a tie that
    # rounding breaks either way)


def test_bic_score_is_minus_bic():
    model = GaussianMixture(2, random_state=0).fit(FAITHFUL)
    assert bic_score(model, FAITHFUL) == -model.bic(FAITHFUL)
    assert mixtures.aic_score(model, FAITHFUL) == -model.aic(FAITHFUL)


def test_cross_val_score_is_the_held_out_log_likelihood():
    scores = cross_val_score(GaussianMixture(2, random_state=0), FAITHFUL, cv=3)
    by_hand = [
        GaussianMixture(2, random_state=0).fit(FAITHFUL[train]).score(FAITHFUL[test])
        for train, test in KFold(3).split(FAITHFUL)
    ]
    np.testing.assert_allclose(scores, by_hand, rtol=0, atol=0)


def test_pipeline_scales_before_the_mixture():
    pipeline = make_pipeline(StandardScaler(), GaussianMixture(2, random_state=0)).fit(FAITHFUL)
    scaled = (FAITHFUL - FAITHFUL.mean(axis=0)) / FAITHFUL.std(axis=0)
    direct = GaussianMixture(2, random_state=0).fit(scaled)
    np.testing.assert_array_equal(pipeline.predict(FAITHFUL), direct.predict(scaled))
    assert pipeline.score(FAITHFUL) == pytest.approx(direct.score(scaled), rel=1e-12)


def test_clone_keeps_parameters_and_drops_the_fit():
    model = GaussianMixture(3, covariance_type="diag", random_state=1).fit(FAITHFUL)
    copy = clone(model)
    assert copy.get_params() == model.get_params() and not hasattr(copy, "means_")
    gradient = clone(GradientGaussianMixture(2, tol=1e-8))
    assert gradient.get_params() == {"n_components": 2, "tol": 1e-8, "max_iter": 1000,
                                     "init_params": "kmeans", "random_state": None}


def test_feature_names_from_a_dataframe():
    frame = pd.DataFrame(FAITHFUL, columns=["eruptions", "waiting"])
    model = GaussianMixture(2, random_state=0).fit(frame)
    assert model.n_features_in_ == 2
    np.testing.assert_array_equal(model.feature_names_in_, ["eruptions", "waiting"])
    from_array = GaussianMixture(2, random_state=0).fit_predict(FAITHFUL)
    np.testing.assert_array_equal(model.predict(frame), from_array)
    with pytest.raises(ValueError, match="Feature names must be in the same order"):
        model.predict(frame[["waiting", "eruptions"]])
    with pytest.warns(UserWarning, match="X does not have valid feature names"):
        model.predict(FAITHFUL)
    assert not hasattr(model.fit(FAITHFUL), "feature_names_in_"), "a refit on an array forgets the names"


def test_kmeans_set_output_gives_a_dataframe_of_distances():
    frame = pd.DataFrame(FAITHFUL, columns=["eruptions", "waiting"])
    model = KMeans(3, random_state=0).set_output(transform="pandas").fit(frame)
    distances = model.transform(frame)
    assert isinstance(distances, pd.DataFrame)
    assert list(distances.columns) == ["kmeans0", "kmeans1", "kmeans2"]
    by_hand = np.linalg.norm(FAITHFUL[:, None, :] - model.cluster_centers_[None], axis=2)
    np.testing.assert_allclose(distances.to_numpy(), by_hand, rtol=1e-10)


def test_pipeline_set_output_reaches_the_transformers():
    frame = pd.DataFrame(FAITHFUL, columns=["eruptions", "waiting"])
    pipeline = make_pipeline(StandardScaler(), GaussianMixture(2, random_state=0))
    pipeline.set_output(transform="pandas").fit(frame)
    np.testing.assert_array_equal(pipeline[-1].feature_names_in_, ["eruptions", "waiting"])
    assert pipeline.predict(frame).shape == (len(frame),)
