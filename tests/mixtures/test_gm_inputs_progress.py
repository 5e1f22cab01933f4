"""Data beyond float64's reach, complex input, warm starts, max_iter=0, verbose progress, parameter
constraints, and the package without scikit-learn."""

import subprocess
import sys
import textwrap
import warnings

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning as SklearnConvergenceWarning
from sklearn.mixture import GaussianMixture as SklearnGaussianMixture

import mixtures
from mixtures import GaussianMixture, GradientGaussianMixture, KMeans, _progress

FAITHFUL = mixtures.load_faithful()
ESTIMATORS = [GaussianMixture, KMeans, GradientGaussianMixture]


@pytest.mark.parametrize("estimator", ESTIMATORS)
def test_values_whose_squares_overflow_are_refused(estimator):
    X = FAITHFUL * 1e300 / FAITHFUL.max()
    with pytest.raises(ValueError, match="too large for float64.*squared deviations overflow.*Rescale X"):
        estimator(2).fit(X)
    # the same data rescaled is fine: the limit is float64's, not the model's
    fitted = estimator(2, random_state=0).fit(X / 1e300)
    with pytest.raises(ValueError, match="too large for float64.*squared deviations overflow"):
        fitted.predict(X)


@pytest.mark.parametrize("estimator", ESTIMATORS)
def test_complex_input_is_refused(estimator):
    X = FAITHFUL + 1j
    with pytest.raises(ValueError, match="Complex data not supported: X has complex values"):
        estimator(2).fit(X)
    with pytest.raises(ValueError, match="Complex data not supported"):
        estimator(2).fit(FAITHFUL.astype(object) + np.where(np.arange(2) == 1, 0.5j, 0))
    fitted = estimator(2, random_state=0).fit(FAITHFUL)
    with pytest.raises(ValueError, match="Complex data not supported"):
        fitted.predict(X)


@pytest.mark.parametrize("change", [{"covariance_type": "diag"}, {"n_components": 3}])
def test_warm_start_refuses_a_different_model(change):
    model = GaussianMixture(2, warm_start=True, random_state=0).fit(FAITHFUL)
    (name, value), = change.items()
    model.set_params(**change)
    message = f"warm_start=True continues the previous fit, which had {name}=.*{name} is now {value!r}"
    with pytest.raises(ValueError, match=message):
        model.fit(FAITHFUL)
    model.set_params(warm_start=False).fit(FAITHFUL)
    assert model.covariances_.shape[0] == model.n_components


def test_max_iter_zero_is_the_initialisation_as_in_scikit_learn():
    fits = []
    for estimator in (GaussianMixture, SklearnGaussianMixture):
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # neither warns: zero iterations is a request, not a failure
            model = estimator(2, max_iter=0, init_params="random", n_init=3, random_state=0)
            fits.append(model.fit(FAITHFUL))
    ours, theirs = fits
    for name in ("weights_", "means_", "covariances_", "precisions_cholesky_"):
        np.testing.assert_allclose(getattr(ours, name), getattr(theirs, name), rtol=1e-12)
    assert (ours.n_iter_, ours.lower_bound_, ours.lower_bounds_, ours.converged_) == (0, -np.inf, [], False)
    assert (theirs.n_iter_, theirs.lower_bound_, theirs.converged_) == (0, -np.inf, False)
    np.testing.assert_array_equal(ours.predict(FAITHFUL), theirs.predict(FAITHFUL))


def test_max_iter_zero_keeps_the_given_parameters():
    # (scikit-learn 1.9 raises AttributeError here: it never sets covariances_ from precisions_init)
    weights, means = np.array([0.4, 0.6]), np.array([[2.0, 55.0], [4.5, 80.0]])
    precisions = np.array([[[2.0, 0.3], [0.3, 0.1]], [[1.5, 0.0], [0.0, 0.05]]])
    model = GaussianMixture(2, max_iter=0, weights_init=weights, means_init=means,
                            precisions_init=precisions).fit(FAITHFUL)
    np.testing.assert_allclose(model.weights_, weights, rtol=1e-15)
    np.testing.assert_allclose(model.means_, means, rtol=1e-15)
    np.testing.assert_allclose(model.covariances_, np.linalg.inv(precisions), rtol=1e-12)
    np.testing.assert_allclose(model.precisions_, precisions, rtol=1e-12)


def test_fewer_distinct_points_than_components_warns_as_scikit_learn():
    X = np.repeat([[0.0, 0.0], [1.0, 1.0]], 10, axis=0)
    for estimator in (GaussianMixture, SklearnGaussianMixture):
        # mixtures' ConvergenceWarning derives from scikit-learn's, so one filter covers both
        with pytest.warns(SklearnConvergenceWarning,
                          match=r"Number of distinct clusters \(2\) found smaller than n_clusters \(3\)"):
            estimator(3, random_state=0).fit(X)


def test_verbose_plain_lines_show_each_lower_bound(capsys, monkeypatch):
    monkeypatch.setattr(_progress, "tqdm", None)
    model = GaussianMixture(2, verbose=1, verbose_interval=1, random_state=0).fit(FAITHFUL)
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "Initialization 0" and not any("time lapse" in line for line in lines)
    iterations = [line for line in lines if line.startswith("  Iteration")]
    bounds = [float(line.split("lower bound ")[1].split("\t")[0]) for line in iterations]
    changes = [float(line.rsplit("change ", 1)[1]) for line in iterations]
    np.testing.assert_allclose(bounds, model.lower_bounds_, atol=1e-6)
    np.testing.assert_allclose(changes[1:], np.diff(model.lower_bounds_), rtol=1e-2)
    assert lines[-1] == f"Initialization converged after {model.n_iter_} iteration(s): " \
                        f"lower bound {model.lower_bound_:.6f}."
    GaussianMixture(2, verbose=1, n_init=2, random_state=0).fit(FAITHFUL)
    out = capsys.readouterr().out
    assert "Initialization 0" in out and "Initialization 1" in out


def test_verbose_with_tqdm_draws_a_bar_over_initialisations(capsys):
    pytest.importorskip("tqdm")
    GaussianMixture(2, verbose=1, verbose_interval=1, n_init=3, random_state=0).fit(FAITHFUL)
    captured = capsys.readouterr()
    text = captured.out + captured.err
    assert "initialisations" in text and "3/3" in text
    assert "Initialization 0" not in text, "the bar replaces the plain start lines"
    assert "Iteration 1\t lower bound" in text and text.count("Initialization converged") == 3


def test_not_verbose_prints_nothing(capsys):
    GaussianMixture(2, n_init=2, random_state=0).fit(FAITHFUL)
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize("estimator", ESTIMATORS)
def test_every_parameter_has_a_constraint_that_refuses_a_foreign_type(estimator):
    params = estimator().get_params()
    assert set(estimator._parameter_constraints) == set(params)
    foreign = type("Foreign", (), {})()
    for name in params:
        with pytest.raises(ValueError, match=f"^{name} must be .*, got <"):
            estimator(**{name: foreign}).fit(FAITHFUL)


def test_constraint_messages_name_the_bounds():
    from mixtures._constraints import Interval, Options, validate_params

    class Model:
        _parameter_constraints = {"rate": [Interval(float, 0.0, 1.0, closed="right")],
                                  "kind": [Options("a", "b")]}
        rate, kind = 0.0, "a"

    model = Model()
    with pytest.raises(ValueError, match=r"rate must be a number in \(0, 1\], got 0.0"):
        validate_params(model)
    model.rate = 1.0
    validate_params(model)
    model.kind = "c"
    with pytest.raises(ValueError, match="kind must be one of 'a', 'b', got 'c'"):
        validate_params(model)


def test_without_scikit_learn_only_numpy_is_needed():
    script = textwrap.dedent("""
        import sys
        sys.modules["sklearn"] = None  # importing it now fails, as when it is not installed
        import numpy as np
        import mixtures
        from mixtures import GaussianMixture, KMeans, _base

        assert not _base.HAVE_SKLEARN
        assert not [name for name, module in sys.modules.items() if name.startswith("sklearn") and module]
        X = mixtures.load_faithful()
        gm = GaussianMixture(2, random_state=0).fit(X)
        print(repr(gm), round(gm.score(X), 6), gm.get_params()["n_components"])
        print(KMeans(2, random_state=0).fit_transform(X).shape)
        try:
            GaussianMixture(0).fit(X)
        except ValueError as error:
            print(error)
        assert issubclass(mixtures.ConvergenceWarning, UserWarning)
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    with_sklearn = GaussianMixture(2, random_state=0).fit(FAITHFUL).score(FAITHFUL)
    assert done.stdout.splitlines() == [
        f"GaussianMixture(n_components=2, random_state=0) {round(with_sklearn, 6)} 2",
        "(272, 2)",
        "n_components must be an integer >= 1, got 0.",
    ]
