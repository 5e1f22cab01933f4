"""scipy.special and matrix decompositions beyond the rule walk (tests/rule_inputs/): the numpy
spellings of special functions against scipy, hessians with closed forms, and the run-time refusals
where a derivative is not defined."""
from __future__ import annotations

import numpy as np
import pytest
import scipy.linalg
import scipy.special

import sct
from sct.runtime import matrix_exp, polygamma

RNG = np.random.default_rng(13)


@pytest.mark.parametrize("n", [0, 1, 2, 3, 5])
def test_polygamma_agrees_with_scipy(n):
    x = np.array([0.05, 0.3, 0.9, 1.7, 5.5, 11.9, 12.0, 40.0, 1e4, -0.4, -2.3, -7.6])
    expected = scipy.special.polygamma(n, x)
    assert np.allclose(polygamma(n, x), expected, rtol=1e-13, atol=0.0)


@pytest.mark.parametrize("scale", [1e-3, 0.5, 4.0, 30.0])
def test_matrix_exp_agrees_with_scipy(scale):
    a = RNG.standard_normal((2, 4, 4)) * scale
    expected = scipy.linalg.expm(a)
    assert np.max(np.abs(matrix_exp(a) - expected)) <= 1e-13 * np.max(np.abs(expected))


def _gammaln_sum(x):
    return np.sum(scipy.special.gammaln(x))


def _softmax_loss(x):
    return scipy.special.logsumexp(x) - x[0]


def _largest_eigenvalue(a):
    lam, vec = np.linalg.eigh(a)
    return lam[-1]


def test_hessian_of_gammaln_is_trigamma():
    x = np.array([0.4, 1.3, 2.2, 7.5])
    assert np.allclose(sct.hessian(_gammaln_sum)(x), np.diag(scipy.special.polygamma(1, x)), rtol=1e-12)


def test_hessian_of_log_softmax_loss():
    x = RNG.standard_normal(4)
    p = scipy.special.softmax(x)
    assert np.allclose(sct.hessian(_softmax_loss)(x), np.diag(p) - np.outer(p, p), rtol=1e-12, atol=1e-15)


def test_gradient_of_largest_eigenvalue_reads_the_lower_triangle():
    a = RNG.standard_normal((3, 3))
    vec = np.linalg.eigh(a)[1][:, -1]
    outer = np.outer(vec, vec)
    expected = np.tril(outer) + np.tril(outer.T, -1)  # eigh reads the lower triangle only
    assert np.allclose(sct.grad(_largest_eigenvalue)(a), expected, rtol=1e-12, atol=1e-14)


def _eig_sum(a):
    lam, vec = np.linalg.eig(a)
    return np.sum(lam * lam)


def _svd_full(a):
    u, s, vt = np.linalg.svd(a)
    return np.sum(u[:, :1] * vt[:1, :2])


def _qr_r(a):
    q, r = np.linalg.qr(a)
    return np.sum(r * r)


@pytest.mark.parametrize("func, a, message", [
    (_eig_sum, np.array([[0.0, -1.0], [1.0, 0.0]]), "complex eigenvalues"),
    (_svd_full, RNG.standard_normal((3, 2)), "full_matrices=False"),
    (_qr_r, RNG.standard_normal((2, 3)), "as many rows as columns"),
])
@pytest.mark.parametrize("mode", ["grad", "jacobian", "hessian"])
def test_undefined_derivatives_are_refused_at_run_time(func, a, message, mode):
    with pytest.raises(ValueError, match=message):
        getattr(sct, mode)(func)(a)


def test_eig_of_real_eigenvalues_matches_the_trace_formula():
    a = 0.2 * RNG.standard_normal((3, 3)) + np.diag([1.0, 2.0, 3.0])
    # sum of squared eigenvalues is trace(a @ a): gradient 2 a^T, hessian of that quadratic form
    assert np.allclose(sct.grad(_eig_sum)(a), 2 * a.T, rtol=1e-10)
    hessian = sct.hessian(_eig_sum)(a).reshape(9, 9)
    expected = 2 * np.einsum("il,jk->ijkl", np.eye(3), np.eye(3)).reshape(9, 9)
    assert np.allclose(hessian, expected, atol=1e-9)


def _nuclear(a):
    return np.linalg.norm(a, "nuc")


def _spectral(a):
    return np.linalg.norm(a, 2)


@pytest.mark.parametrize("func", [_nuclear, _spectral])
def test_second_derivatives_of_singular_value_norms_are_refused(func):
    a = RNG.standard_normal((3, 3))
    sct.grad(func)(a)  # first order is fine (checked in the rule walk)
    with pytest.raises(ValueError, match="second derivative of np.linalg.norm"):
        sct.hessian(func)(a)


def _p_norm(x):
    return np.linalg.norm(x, 3)


def test_hessian_of_a_vector_p_norm():
    x = np.array([0.7, -1.2, 2.0, 0.4])
    z = np.sum(np.abs(x) ** 3) ** (1 / 3)
    w = np.sign(x) * (np.abs(x) / z) ** 2
    expected = 2 * (np.diag(np.abs(x) / z ** 2) - np.outer(w, w) / z)
    assert np.allclose(sct.hessian(_p_norm)(x), expected, rtol=1e-12)
