"""Powers by ``np.arange`` exponents through ``power_term`` (sct/optimize/fast_powers.py), every mode."""
import numpy as np
import pytest
from every_mode import check_every_mode

import sct
from sct.runtime import power_term


def table(x, m):
    return x[..., None] ** np.arange(m)


def sine_sum(x, m):
    return np.sum(np.sin(x[..., None] ** np.arange(m)))


def squares(x, m):
    return np.sum((x[..., None] ** np.arange(m)) ** 2)


def weighted(x, m):
    k = np.arange(m)
    p = x[:, None] ** k
    return np.sum(np.cos(k) * p * p) + np.sum(p[:, 3] * x)


def aliased(x, m):
    k = np.arange(m)
    j = k
    return np.sum(x[:, None] ** j) + np.sum(k)


def llsq_like(x, n):
    t = -1.0 + np.arange(n) * 2.0 / (n - 1.0)
    powers = t[:, None] ** np.arange(x.shape[0])
    return np.sum((np.sign(t) - powers @ x) ** 2) / 2.0


@pytest.mark.parametrize("x", [np.array([0.0, -1.3, 0.7]), np.array([-0.4]), np.array([[0.9], [-1.1]])])
def test_every_mode(x):
    check_every_mode(table, sine_sum, x, 12)
    if x.ndim == 1:
        check_every_mode(table, weighted, x, 10)


def test_short_exponents_fall_back():
    check_every_mode(table, squares, np.array([0.0, -1.3, 0.7]), 4)


def test_emitted_code_calls_it():
    assert "power_term(_t1, k, 1)" in sct.reverse(weighted).source
    assert "power_term(_t1, k, 1)" in sct.forward(weighted).source
    assert "power_term(t[:, None], np.arange(x.shape[0]), 0)" in sct.grad(llsq_like).source
    assert "power_term" not in sct.reverse(aliased).source  # j = k: k is not known to stay an arange


def test_second_order_calls_it():
    hessian = sct.hessian(weighted)
    assert "power_term(_t1, k, 2)" in hessian.source


def test_llsq_gradient_is_pow_s():
    x, n = np.random.default_rng(1).standard_normal(20), 300
    t = -1.0 + np.arange(n) * 2.0 / (n - 1.0)
    powers = t[:, None] ** np.arange(20)
    want = -powers.T @ (np.sign(t) - powers @ x)
    assert np.allclose(sct.grad(llsq_like)(x, n), want, rtol=1e-13, atol=1e-13)
    assert np.allclose(power_term(t[:, None], np.arange(20), 0), powers, rtol=2e-15, atol=0)


def test_emitted_module_runs_alone():
    """The module ``.source`` shows carries its own copy of power_term."""
    namespace: dict = {}
    exec(compile(sct.reverse(weighted).source, "<emitted>", "exec"), namespace)
    x = np.array([0.5, -1.2, 0.0])
    value, x_bar = namespace["diff_weighted"](x, 10)
    assert np.allclose(x_bar, sct.reverse(weighted)(x, 10)[1], rtol=1e-14, atol=0)
