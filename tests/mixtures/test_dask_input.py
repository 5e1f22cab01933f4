"""Dask input: bad arrays refused before scheduling, bad values named; the gradient fit; a lost worker."""

import os
import signal
import threading
import time
import warnings

import numpy as np
import pytest
from dask_testdata import fit_difference, never_computed, ship_by_value, slow
from gm_testdata import blobs, initial_parameters

import mixtures
from mixtures._dask_gradient import summed_objective
from mixtures._generated.gmm_objective_grad import diff_gmm_objective_no_prior

da = pytest.importorskip("dask.array")
pytestmark = pytest.mark.usefixtures("dask_client")
ship_by_value()

X, CENTRES = blobs(2, 2, n_samples=600, seed=8)


def unscheduled(data, chunks):
    """A dask array of ``data``'s shape and dtype whose chunks fail if anything computes them."""
    return da.map_blocks(never_computed, da.from_array(data, chunks=chunks), dtype=data.dtype)


@pytest.mark.parametrize(
    "data, chunks, message",
    [
        (np.ones((600, 2)), (100, 1), "chunked along features|chunks along features"),
        (np.ones(600), 100, "2-D array"),
        (np.array([["a", "b"]] * 600), (100, 2), "numeric"),
        (np.ones((1, 2)), (1, 2), "at least 2 are required"),
        (np.ones((2, 2)), (1, 2), "n_samples >= n_components"),
    ],
)
def test_bad_arrays_refused_before_scheduling(data, chunks, message):
    with pytest.raises(ValueError, match=message):
        mixtures.GaussianMixture(3).fit(unscheduled(data, chunks))


def test_unknown_chunk_sizes_refused():
    Xd = da.from_array(X, chunks=(100, 2))
    filtered = Xd[Xd[:, 0] > 0]
    with pytest.raises(ValueError, match="compute_chunk_sizes"):
        mixtures.GaussianMixture(2).fit(filtered)


def test_fitted_model_checks_features_before_scheduling():
    model = mixtures.GaussianMixture(2, random_state=0).fit(X)
    with pytest.raises(ValueError, match="3 features"):
        model.predict(unscheduled(np.ones((600, 3)), (100, 3)))
    with pytest.raises(mixtures.NotFittedError):
        mixtures.GaussianMixture(2).predict(unscheduled(X, (100, 2)))


@pytest.mark.parametrize("bad, word", [(np.nan, "NaN"), (np.inf, "infinity")])
def test_non_finite_value_in_a_chunk(bad, word):
    data = X.copy()
    data[437, 1] = bad
    Xd = da.from_array(data, chunks=(100, 2))
    with pytest.raises(ValueError, match=f"X contains {word}"):
        mixtures.GaussianMixture(2).fit(Xd)
    model = mixtures.GaussianMixture(2, random_state=0).fit(X)
    with pytest.raises(ValueError, match=f"X contains {word}"):
        model.predict(Xd).compute()
    assert np.isnan(data[437, 1]) or np.isinf(data[437, 1])  # the user's array is untouched


def test_summed_chunk_gradients_equal_the_whole_gradient():
    rng = np.random.default_rng(0)
    alphas, means, icf = rng.normal(size=2), rng.normal(size=(2, 2)), 0.3 * rng.normal(size=(2, 3))
    Xd = da.from_array(X, chunks=(70, 2))
    whole_value, whole_grads = diff_gmm_objective_no_prior(alphas, means, icf, X, seed=0.5)
    value, grads = summed_objective(Xd)(alphas, means, icf, Xd, seed=0.5)
    assert value == pytest.approx(whole_value, rel=1e-12)
    for chunked, whole in zip(grads, whole_grads):
        np.testing.assert_allclose(chunked, whole, rtol=1e-11, atol=1e-12 * np.abs(whole).max())


def test_gradient_fit_on_dask_equals_numpy():
    pytest.importorskip("scipy")
    Xd = da.from_array(X, chunks=(150, 2)).persist()
    params = dict(init_params="k-means++", random_state=0, max_iter=6)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", mixtures.ConvergenceWarning)
        on_dask, in_memory = mixtures.fit_gradient(Xd, 2, **params), mixtures.fit_gradient(X, 2, **params)
    assert on_dask.n_iter_ == in_memory.n_iter_ == 6
    assert fit_difference(on_dask, in_memory) < 1e-10


def test_worker_killed_mid_fit_gives_the_same_model(dask_client):
    params = dict(tol=0.0, max_iter=12, **initial_parameters(X, CENTRES, "full"))
    Xd = da.from_array(X, chunks=(100, 2)).map_blocks(slow, 0.01, dtype=float)
    outcome = {}

    def run():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", mixtures.ConvergenceWarning)
            try:
                outcome["model"] = mixtures.GaussianMixture(2, **params).fit(Xd)
            except Exception as error:  # reported below
                outcome["error"] = error

    pids = dask_client.run(os.getpid)
    thread = threading.Thread(target=run)
    thread.start()
    time.sleep(1.0)
    assert thread.is_alive(), "the fit ended before the worker could be killed"
    os.kill(next(iter(pids.values())), signal.SIGKILL)
    thread.join(120)
    dask_client.wait_for_workers(2, timeout=60)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", mixtures.ConvergenceWarning)
        expected = mixtures.GaussianMixture(2, **params).fit(X)
    if "error" in outcome:  # allowed only as a clear error about the lost worker
        assert "worker" in str(outcome["error"]).lower()
    else:
        assert fit_difference(outcome["model"], expected) < 1e-10
