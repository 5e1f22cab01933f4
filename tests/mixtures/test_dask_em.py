"""GaussianMixture on dask arrays, fitted through a real LocalCluster, against the numpy fit."""

import contextlib
import io
import warnings

import numpy as np
import pytest
from dask_testdata import fit_difference, never_computed, ship_by_value
from gm_testdata import COVARIANCE_TYPES, blobs, initial_parameters

import mixtures

da = pytest.importorskip("dask.array")
pytestmark = pytest.mark.usefixtures("dask_client")
ship_by_value()

RTOL = 1e-10
X, CENTRES = blobs(3, 3, n_samples=1200, seed=5)
# One component 1000 standard deviations from the others: the M-step takes the exact scatter pass.
FAR = np.vstack([X[:800], X[800:] + 1000.0])


def on_cluster(data, chunks):
    """``data`` as a dask array held in the workers' memory."""
    return da.from_array(data, chunks=(chunks, data.shape[1])).persist()


def fit(data, **params):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", mixtures.ConvergenceWarning)
        return mixtures.GaussianMixture(3, **params).fit(data)


@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
@pytest.mark.parametrize("chunks", [1200, 400, 257])
def test_same_start_same_fit(covariance_type, chunks):
    params = dict(covariance_type=covariance_type, tol=0.0, max_iter=8,
                  **initial_parameters(X, CENTRES, covariance_type))
    numpy_fit = fit(X, **params)
    dask_fit = fit(on_cluster(X, chunks), **params)
    assert fit_difference(dask_fit, numpy_fit) < RTOL
    assert (dask_fit.n_iter_, dask_fit.converged_) == (numpy_fit.n_iter_, numpy_fit.converged_)
    assert dask_fit.lower_bounds_ == pytest.approx(numpy_fit.lower_bounds_, rel=RTOL)


@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
def test_far_component_same_fit(covariance_type):
    params = dict(covariance_type=covariance_type, max_iter=5, init_params="k-means++", random_state=3)
    assert fit_difference(fit(on_cluster(FAR, 300), **params), fit(FAR, **params)) < RTOL


@pytest.mark.parametrize("init_params", ["kmeans", "k-means++", "random_from_data"])
def test_seeded_inits_same_fit(init_params):
    # up to 20000 rows the sample for k-means++ is all rows, so the seeds are numpy's
    params = dict(covariance_type="full", init_params=init_params, random_state=7, n_init=2)
    dask_fit, numpy_fit = fit(da.from_array(X, chunks=350), **params), fit(X, **params)
    assert fit_difference(dask_fit, numpy_fit) < RTOL
    assert dask_fit.converged_ and numpy_fit.converged_ and dask_fit.n_iter_ == numpy_fit.n_iter_


def test_random_init_is_seeded():
    Xd = on_cluster(X, 500)
    params = dict(init_params="random", random_state=1, tol=0.0, max_iter=4)
    first, second = fit(Xd, **params), fit(Xd, **params)
    assert fit_difference(first, second) == 0.0
    # the draws are per chunk, so the start is not numpy's; from that start, numpy's fit
    start = fit(Xd, init_params="random", random_state=1, max_iter=0)
    from_start = fit(X, weights_init=start.weights_, means_init=start.means_,
                     precisions_init=start.precisions_, tol=0.0, max_iter=4)
    assert fit_difference(first, from_start) < RTOL


def test_warm_start_same_fit():
    params = dict(covariance_type="diag", warm_start=True, max_iter=3, tol=0.0, random_state=0)
    numpy_model, dask_model = mixtures.GaussianMixture(3, **params), mixtures.GaussianMixture(3, **params)
    Xd = on_cluster(X, 300)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", mixtures.ConvergenceWarning)
        for _ in range(2):
            numpy_model.fit(X)
            dask_model.fit(Xd)
    assert numpy_model.n_iter_ == 3
    assert fit_difference(dask_model, numpy_model) < RTOL


def test_verbose_prints_the_same():
    outputs = []
    for data in (X, on_cluster(X, 300)):
        with contextlib.redirect_stdout(io.StringIO()) as out:
            fit(data, verbose=1, verbose_interval=2, random_state=0, init_params="k-means++")
        outputs.append(out.getvalue())
    assert outputs[0] == outputs[1]
    assert "Iteration 2" in outputs[0]


def test_per_row_results_are_lazy_with_the_input_chunks():
    model = fit(X, random_state=0)
    lazy = da.map_blocks(never_computed, da.from_array(X, chunks=(500, 3)), dtype=float)
    for method, shape in [("predict", (1200,)), ("score_samples", (1200,)), ("predict_proba", (1200, 3))]:
        result = getattr(model, method)(lazy)  # builds a graph and computes nothing
        assert isinstance(result, da.Array) and result.shape == shape
        assert result.chunks[0] == lazy.chunks[0]
        with pytest.raises(RuntimeError, match="a chunk was computed"):
            result.compute()


def test_per_row_results_match_numpy():
    model = fit(X, random_state=0)
    Xd = on_cluster(X, 450)
    np.testing.assert_array_equal(model.predict(Xd).compute(), model.predict(X))
    np.testing.assert_allclose(model.score_samples(Xd).compute(), model.score_samples(X), rtol=1e-14)
    np.testing.assert_allclose(model.predict_proba(Xd).compute(), model.predict_proba(X), rtol=1e-14)
    assert model.score(Xd) == pytest.approx(model.score(X), rel=1e-13)
    assert model.bic(Xd) == pytest.approx(model.bic(X), rel=1e-13)
    assert model.aic(Xd) == pytest.approx(model.aic(X), rel=1e-13)


def test_fit_predict_is_lazy_labels_of_the_fit():
    Xd = on_cluster(X, 333)
    model = mixtures.GaussianMixture(3, random_state=0)
    labels = model.fit_predict(Xd)
    assert isinstance(labels, da.Array) and labels.chunks[0] == Xd.chunks[0]
    np.testing.assert_array_equal(labels.compute(), model.predict(X))
