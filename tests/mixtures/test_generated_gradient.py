"""The checked-in gradient in mixtures/_generated: current, correct, and zero at an EM optimum."""
from pathlib import Path

import numpy as np
import pytest

from mixtures import GaussianMixture, load_faithful
from mixtures._adbench import from_adbench, to_adbench
from mixtures._generated.gmm_objective_grad import diff_gmm_objective, diff_gmm_objective_no_prior
from mixtures._hand_gradient import gmm_objective_and_gradient
from mixtures.loglik import gmm_objective, gmm_objective_no_prior
from sct.cli.module import transform_file

ROOT = Path(__file__).resolve().parents[2]
GENERATED = ROOT / "mixtures" / "_generated" / "gmm_objective_grad.py"


def test_checked_in_gradient_is_current():
    """Regenerating with `sct transform` must reproduce the checked-in file exactly."""
    functions = ["gmm_objective", "gmm_objective_no_prior"]
    emitted = transform_file(ROOT / "mixtures" / "loglik.py", functions=functions, mode="reverse",
                             wrt=["alphas", "means", "icf"], output=GENERATED)
    assert emitted.text == GENERATED.read_text(), (
        "mixtures/_generated is stale: regenerate it with the command in its header")


def _problem(n, d, k, seed=0):
    rng = np.random.default_rng(seed)
    icf = 0.3 * rng.standard_normal((k, d * (d + 1) // 2))
    return rng.standard_normal(k), rng.standard_normal((k, d)), icf, rng.standard_normal((n, d))


@pytest.mark.parametrize("n,d,k", [(50, 2, 3), (40, 5, 4), (30, 1, 2)])
def test_generated_gradient_matches_hand_gradient(n, d, k):
    alphas, means, icf, x = _problem(n, d, k)
    value, grads = diff_gmm_objective(alphas, means, icf, x, 1.3, 2)
    hand_value, hand_grads = gmm_objective_and_gradient(alphas, means, icf, x, 1.3, 2)
    assert value == pytest.approx(gmm_objective(alphas, means, icf, x, 1.3, 2), rel=1e-13)
    assert value == pytest.approx(hand_value, rel=1e-12)
    for ours, theirs in zip(grads, hand_grads):
        assert np.allclose(ours, theirs, rtol=1e-10, atol=1e-10 * np.max(np.abs(theirs)))


def test_generated_gradient_matches_central_differences():
    alphas, means, icf, x = _problem(30, 3, 2, seed=1)
    _, (_, means_bar, icf_bar) = diff_gmm_objective_no_prior(alphas, means, icf, x)
    rng = np.random.default_rng(2)
    for value, grad, which in ((means, means_bar, 1), (icf, icf_bar, 2)):
        direction = rng.standard_normal(value.shape)
        step = 1e-6
        args_plus = [alphas, means, icf]
        args_minus = [alphas, means, icf]
        args_plus[which] = value + step * direction
        args_minus[which] = value - step * direction
        numeric = gmm_objective_no_prior(*args_plus, x) - gmm_objective_no_prior(*args_minus, x)
        numeric /= 2 * step
        assert np.sum(grad * direction) == pytest.approx(numeric, rel=1e-7)


def test_gradient_vanishes_at_em_fixed_point():
    """EM converged to a stationary point of the likelihood: the sct gradient there is ~0."""
    x = load_faithful()
    gm = GaussianMixture(n_components=2, covariance_type="full", tol=1e-14, max_iter=2000, reg_covar=0.0,
                         random_state=0).fit(x)
    alphas, means, icf = to_adbench(gm.weights_, gm.means_, gm.precisions_cholesky_)
    value, (alphas_bar, means_bar, icf_bar) = diff_gmm_objective_no_prior(alphas, means, icf, x)
    assert value / len(x) == pytest.approx(gm.score(x), rel=1e-10)
    scale = len(x)
    assert np.max(np.abs(means_bar)) < 1e-6 * scale
    assert np.max(np.abs(icf_bar)) < 1e-6 * scale
    assert np.max(np.abs(alphas_bar)) < 1e-6 * scale


def test_adbench_round_trip():
    rng = np.random.default_rng(3)
    weights = rng.dirichlet(np.ones(3))
    means = rng.standard_normal((3, 2))
    upper = np.triu(rng.standard_normal((3, 2, 2))) + 3 * np.eye(2)
    w, m, u = from_adbench(*to_adbench(weights, means, upper))
    assert np.allclose(w, weights) and np.allclose(m, means) and np.allclose(u, upper)
