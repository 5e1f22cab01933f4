"""The hand-written baselines of benchmarks/handwritten.py against Richardson differences of the evals'
own primals (gradbench/evals), at tiny sizes with size-1 axes and negative points: a wrong baseline
would make every sct/hand-written ratio of ``benchmarks/speed_targets.py`` meaningless."""

import sys
from pathlib import Path

import numpy as np
import pytest
from oracle import richardson_difference

from gradbench.evals import gmm, kmeans, llsq, lse, ode

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import handwritten  # noqa: E402

RTOL = 1e-7


def _directional_check(f, args, wrt, gradients, seed=0, step=1e-3):
    """``sum <gradient, v>`` over the ``wrt`` arguments equals the Richardson derivative along ``v``."""
    rng = np.random.default_rng(seed)
    directions = {i: rng.standard_normal(np.shape(args[i])) for i in wrt}
    expected = float(richardson_difference(f, args, directions, step=step))
    got = sum(float(np.sum(g * directions[i])) for i, g in zip(wrt, gradients))
    assert abs(got - expected) <= RTOL * abs(expected) + 1e-12, (got, expected)


@pytest.mark.parametrize("x", [np.array([-0.7]), np.array([0.3, -2.0, 0.0, 1.5, 1.5, -0.1, 4.0])])
def test_lse(x):
    _directional_check(lse.logsumexp, (x,), [0], [handwritten.lse_gradient(x)])


@pytest.mark.parametrize("n, m", [(2, 1), (9, 1), (9, 5), (40, 5)])
def test_llsq(n, m):
    x = np.random.default_rng(n + m).standard_normal(m)
    _directional_check(llsq.llsq, (x, n), [0], [handwritten.llsq_gradient(x, n)])


@pytest.mark.parametrize("n, s", [(1, 1), (1, 4), (6, 1), (6, 4)])
def test_ode(n, s):
    x = np.random.default_rng(n * s).uniform(-1.0, 1.0, n)
    _directional_check(lambda x: ode.primal(x, s)[-1], (x,), [0], [handwritten.ode_gradient(x, s)])


@pytest.mark.parametrize("k, d", [(1, 1), (3, 1), (3, 2)])
def test_kmeans_gradient_and_hessian(k, d):
    points = np.random.default_rng(k * d).uniform(-1.0, 1.0, (12, d))
    centroids = points[-k:] + 0.05
    gradient, hessian_diagonal = handwritten.kmeans_gradient_and_hessian(points, centroids)
    _directional_check(kmeans.cost, (points, centroids), [1], [gradient], step=1e-4)
    # the Hessian is diagonal: H v is the derivative of the gradient along v
    v = np.random.default_rng(1).standard_normal(centroids.shape)

    def gradient_of(c):
        return handwritten.kmeans_gradient_and_hessian(points, c)[0]

    expected = richardson_difference(gradient_of, (centroids,), {0: v}, step=1e-4)
    np.testing.assert_allclose(hessian_diagonal * v, expected, rtol=RTOL, atol=RTOL)
    np.testing.assert_array_equal(handwritten.kmeans_dir(points, centroids), gradient / hessian_diagonal)


def test_kmeans_empty_cluster_gives_nan_as_the_eval():
    points = np.array([[0.0], [0.1], [0.2]])
    direction = handwritten.kmeans_dir(points, np.array([[0.1], [5.0]]))
    assert np.isfinite(direction[0]).all() and np.isnan(direction[1]).all()


@pytest.mark.parametrize("d, k, n, gamma, m", [(2, 1, 1, 1.0, 0), (3, 3, 6, 0.7, 2), (4, 2, 5, 1.3, 1)])
def test_gmm(d, k, n, gamma, m):
    rng = np.random.default_rng(d * k * n)
    args = (rng.standard_normal(k), rng.uniform(-1.0, 1.0, (k, d)), 0.3 * rng.standard_normal((k, d)),
            rng.standard_normal((k, d * (d - 1) // 2)), rng.standard_normal((n, d)), gamma, m)
    _directional_check(gmm.gmm_objective, args, [0, 1, 2, 3], handwritten.gmm_gradient(*args))
