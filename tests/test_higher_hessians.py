"""Higher derivatives and whole Jacobians (tests/test_higher_*.py): sct.hessian and sct.hvp.

Every Hessian is checked against autograd's and against central differences of the sct gradient; hvp
against hessian(...) @ v (both methods).
"""
import sys

import autograd
import autograd.numpy as anp
import numpy as np
import pytest
from higher_cases import (
    A3,
    GMM_PREC,
    GMM_W,
    GMM_X,
    IDS,
    RNG,
    SCALAR_CASES,
    autograd_version,
    central_hessian,
    close_to,
    gmm_loglik,
    partial_in,
    quadratic_sine,
    rosenbrock,
    vector_field,
    wrt_index,
)

import sct
from mixtures.loglik import gmm_objective_no_prior, objectives_for


# ------------------------------------------------------------------------------------------- Hessians
@pytest.mark.parametrize("func,args,wrt", SCALAR_CASES, ids=IDS)
def test_hessian_matches_autograd_and_differences(func, args, wrt):
    H = sct.hessian(func, wrt=wrt)
    got = H(*args)
    index = wrt_index(func, wrt)
    x = np.asarray(args[index], dtype=float)
    assert got.shape == x.shape + x.shape
    expected = autograd.hessian(partial_in(autograd_version(func), args, index))(x)
    assert close_to(got, expected, 1e-9), np.max(np.abs(got - expected))
    assert close_to(got, central_hessian(func, args, wrt), 1e-5)
    assert H.vectorized, H.note


@pytest.mark.parametrize("func,args,wrt", SCALAR_CASES, ids=IDS)
def test_hvp_is_hessian_times_v(func, args, wrt):
    index = wrt_index(func, wrt)
    x = np.asarray(args[index], dtype=float)
    v = RNG.standard_normal(x.shape)
    H = sct.hessian(func, wrt=wrt)(*args).reshape(x.size, x.size)
    expected = (H @ v.ravel()).reshape(x.shape)
    product = sct.hvp(func, wrt=wrt)(*args, v)
    assert product.shape == x.shape
    assert close_to(product, expected, 1e-10)


@pytest.mark.parametrize("func,args,wrt", SCALAR_CASES[:12], ids=IDS[:12])
def test_reverse_over_forward_agrees(func, args, wrt):
    index = wrt_index(func, wrt)
    x = np.asarray(args[index], dtype=float)
    v = RNG.standard_normal(x.shape)
    fwd_rev = sct.hvp(func, wrt=wrt)(*args, v)
    rev_fwd = sct.hvp(func, wrt=wrt, method="reverse-over-forward")(*args, v)
    assert close_to(rev_fwd, fwd_rev, 1e-10)


def test_gmm_hessian_wrt_means_against_differences_of_gradient():
    """The documented use: a 2-component 2-D mixture log-likelihood, Hessian with respect to the means."""
    means = np.array([[0.5, -0.2], [1.5, 0.4]])
    H = sct.hessian(gmm_loglik, wrt="means")(means, GMM_X, GMM_W, GMM_PREC)
    assert H.shape == (2, 2, 2, 2)
    matrix = H.reshape(4, 4)
    assert np.allclose(matrix, matrix.T, atol=1e-12)
    assert close_to(H, central_hessian(gmm_loglik, (means, GMM_X, GMM_W, GMM_PREC), "means"), 1e-6)


def test_hessian_of_function_with_item_assignment_and_fancy_indexing():
    """Not expressible in autograd: item assignment, fancy indices that repeat (add_at)."""
    def assign(x):
        y = np.zeros(4)
        y[0] = x[0] * x[1]
        y[1:3] = np.exp(x[1:3]) * x[0]
        y[3] = y[0] * y[1]
        idx = np.array([0, 2, 2, 1])
        return np.sum(y ** 2) + np.sum(x[idx] ** 3)

    x = np.array([0.3, -0.5, 0.8])
    got = sct.hessian(assign)(x)
    assert close_to(got, central_hessian(assign, (x,), "x"), 1e-6)
    assert close_to(sct.hvp(assign)(x, np.ones(3)), got @ np.ones(3), 1e-10)


def test_hessian_of_list_building_loop():
    def rows(x):
        out = []
        for k in range(3):
            out.append(np.tanh(x * (k + 1)))
        return np.sum(np.stack(out) ** 2 * np.arange(1.0, 4.0)[:, None])

    x = np.array([0.2, -0.4])
    got = sct.hessian(rows)(x)
    assert close_to(got, central_hessian(rows, (x,), "x"), 1e-6)


def test_hessian_through_cholesky():
    def chol(x, A):
        M = A @ A.T + np.eye(3) * np.exp(x)
        L = np.linalg.cholesky(M)
        return np.sum(L ** 3)

    args = (RNG.standard_normal(3), A3)
    got = sct.hessian(chol)(*args)
    assert close_to(got, central_hessian(chol, args, "x"), 1e-6)
    expected = autograd.hessian(partial_in(_autograd_chol, args, 0))(args[0])
    assert close_to(got, expected, 1e-9)


def _autograd_chol(x, A):
    M = anp.dot(A, A.T) + anp.eye(3) * anp.exp(x)
    return anp.sum(anp.linalg.cholesky(M) ** 3)


def test_hessian_source_is_second_order_code():
    H = sct.hessian(rosenbrock)
    source = H.source
    assert "def diff_diff_rosenbrock(" in source
    assert "xbar_dot" in source and "batch_size(x_dot)" in source
    namespace = {}
    exec(compile(source, "<hessian>", "exec"), namespace)
    x = np.array([0.1, 0.4, -0.3])
    (_, grad), (_, columns) = namespace["diff_diff_rosenbrock"](x, x_dot=np.eye(3))
    assert np.allclose(columns, H(x))
    assert "def diff_diff_rosenbrock(" in sct.hvp(rosenbrock).source


def test_hessian_needs_scalar_output_and_one_wrt():
    with pytest.raises(ValueError, match="scalar"):
        sct.hessian(vector_field)(np.ones(3), A3)
    with pytest.raises(ValueError, match="one parameter"):
        sct.hessian(quadratic_sine, wrt="x,A")
    with pytest.raises(sct.SCTError, match="not a parameter"):
        sct.hessian(quadratic_sine, wrt="z")


def test_newton_optimize_example_converges_quadratically():
    import subprocess
    from pathlib import Path

    script = Path(__file__).resolve().parents[1] / "examples" / "newton_optimize.py"
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "the global minimum (1, ..., 1)" in done.stdout and "hvp agrees with H @ v: True" in done.stdout
    norms = [float(line.split()[2]) for line in done.stdout.splitlines()[2:] if line[:3].strip().isdigit()]
    tail = [g for g in norms if 0 < g < 1e-2]
    assert len(tail) >= 2 and tail[-1] < tail[-2] ** 1.5  # quadratic convergence near the minimum


def packed_gmm(theta, x, k, d):
    """The mixtures objective as a function of one stacked parameter vector (a helper from another module)."""
    alphas = theta[:k]
    means = np.reshape(theta[k:k + k * d], (k, d))
    icf = np.reshape(theta[k + k * d:], (k, d * (d + 1) // 2))
    return gmm_objective_no_prior(alphas, means, icf, x)


def test_hessian_of_packed_mixture_objective_calls_helper_from_another_module():
    """How mixtures can get the observed information: the Hessian in all parameters at once."""
    x = RNG.standard_normal((20, 2))
    theta = 0.3 * RNG.standard_normal(2 + 4 + 6)
    H = sct.hessian(packed_gmm, wrt="theta")(theta, x, 2, 2)
    assert H.shape == (12, 12) and np.allclose(H, H.T, atol=1e-10)
    # sct.grad runs emitted code in packed_gmm's globals only (see the report); the first stage of the
    # Hessian runs it with the helper's module globals too.
    gradient = sct.higher.derivatives.first_stage(packed_gmm, "theta", "reverse").function
    differences = central_hessian(packed_gmm, (theta, x, 2, 2), "theta", grad=lambda *a: gradient(*a)[1])
    assert close_to(H, differences, 1e-6)
    _, objective = objectives_for(anp)

    def packed(theta):
        return objective(theta[:2], anp.reshape(theta[2:6], (2, 2)), anp.reshape(theta[6:], (2, 3)), x)

    assert close_to(H, autograd.hessian(packed)(theta), 1e-9)


def test_hessian_of_product_with_a_zero_factor_is_exact():
    """np.prod's derivative avoids 0/0, and so does its second derivative (autograd gives nan here)."""
    def products(x):
        return np.prod(x ** 2 + 1.0) * np.prod(x)

    x = np.array([0.5, 0.0, -1.2])
    H = sct.hessian(products)(x)
    assert np.all(np.isfinite(H))
    assert close_to(H, central_hessian(products, (x,), "x"), 1e-6)
    assert H[0, 1] == pytest.approx(2 * 0.5 * 2.44 * (0.5 * -1.2) + 1.25 * 2.44 * -1.2)


def test_second_order_objects_show_both_stages():
    hv = sct.hvp(rosenbrock)
    assert "def diff_rosenbrock(" in hv.first_source and "xbar = zeros_of(x)" in hv.first_source
    assert "xbar_dot" in hv.source and "first_source" in hv.source
    with pytest.raises(AttributeError):
        assert sct.jacobian(vector_field).first_source is None


def test_hessian_falls_back_to_one_hvp_per_direction(monkeypatch):
    def refuse(*args, **kwargs):
        raise sct.SCTError("no batched rule (test)")

    monkeypatch.setattr("sct.higher.derivatives.vector_transform", refuse)

    def fresh(x):
        return np.sum(np.sin(x) * x[::-1]) ** 2

    x = np.array([0.3, -0.8, 1.1])
    H = sct.hessian(fresh)
    assert not H.vectorized and "one Hessian-vector product per direction" in H.note
    assert close_to(H(x), central_hessian(fresh, (x,), "x"), 1e-6)
