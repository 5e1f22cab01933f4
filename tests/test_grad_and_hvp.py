"""sct.grad_and_hvp: the gradient and H @ v from one forward-over-reverse sweep.

Each result is checked against Richardson differences (of the function for the gradient, of sct's gradient
along v for the product) and against sct.grad and sct.hvp, at shapes with size-1 axes and at zero and
negative points; then what it refuses, and that it follows a rebound helper as sct.hvp does.
"""
from __future__ import annotations

import numpy as np
import pytest
from every_mode import check_grad_and_hvp
from oracle import relative_error, richardson_difference

import sct
from gradbench.evals.kmeans import cost


def quartic(x):
    return np.sum(x ** 4 - 3.0 * x ** 2 * np.sin(x))


def weighted_exp(x, w):
    return np.sum(w * np.exp(0.5 * x) * x)


def broadcast_row(x, A):
    return np.sum(np.tanh(A * x) ** 2)  # x of shape (1, n) broadcast over A's rows


def looped(x, n=3):
    s = 0.0
    for k in range(n):
        s = s + np.sum(np.cos(x * (k + 1)) * x)
    return s


def scalar_only(x):
    return x ** 3 * np.exp(-x)


def nearest(points, centroids):
    return cost(points, centroids)


def helper(x):
    return x * x


def outer(x):
    return np.sum(helper(x) * x)


def by_key(d):
    return np.sum(d["a"] ** 2)


def vector_valued(x):
    return x ** 2


RNG = np.random.default_rng(7)
POINTS = RNG.standard_normal((6, 2))
CASES = [
    (quartic, (np.array([0.7, -1.3, 0.0]),), "x"),
    (quartic, (np.array([[-0.4]]),), "x"),
    (quartic, (np.zeros(4),), "x"),
    (weighted_exp, (np.array([[-0.5, 1.0, 2.0]]), np.array([[1.0], [-2.0]])), "x"),
    (broadcast_row, (np.array([[0.3, -0.8]]), RNG.standard_normal((3, 2))), "x"),
    (looped, (np.array([[0.2], [-1.1]]),), "x"),
    (scalar_only, (-0.7,), "x"),
    (scalar_only, (0.0,), "x"),
    (nearest, (POINTS, RNG.standard_normal((3, 2))), "centroids"),
]


@pytest.mark.parametrize("func,args,wrt", CASES, ids=lambda c: getattr(c, "__name__", ""))
def test_gradient_and_product_against_differences_grad_and_hvp(func, args, wrt):
    index = list(func.__code__.co_varnames).index(wrt)
    v = RNG.standard_normal(np.shape(args[index]))
    gradient = sct.grad(func, wrt=wrt)
    numeric = richardson_difference(gradient, args, {index: v})
    check_grad_and_hvp(func, args, v, numeric, _numeric_gradient(func, args, index), wrt=wrt, index=index)


def _numeric_gradient(func, args, index):
    """The gradient in argument ``index``, one Richardson difference per entry."""
    x = np.asarray(args[index], dtype=float)
    rows = [richardson_difference(func, args, {index: e.reshape(x.shape)}) for e in np.eye(x.size)]
    return np.reshape(rows, x.shape)


def test_kmeans_direction_is_gradient_over_hessian_diagonal():
    centroids = RNG.standard_normal((3, 2))
    gradient, diagonal = sct.grad_and_hvp(cost, wrt="centroids")(POINTS, centroids, np.ones_like(centroids))
    H = sct.hessian(cost, wrt="centroids")(POINTS, centroids).reshape(6, 6)
    assert relative_error(diagonal, (H @ np.ones(6)).reshape(3, 2)) < 1e-12
    assert np.allclose(H, np.diag(np.diag(H)))  # the cost's Hessian is diagonal
    assert relative_error(gradient, sct.grad(cost, wrt="centroids")(POINTS, centroids)) < 1e-12


def test_one_sweep_the_code_hvp_runs():
    made = sct.grad_and_hvp(quartic)
    assert made.stage is sct.hvp(quartic).stage
    assert made.source == sct.hvp(quartic).source.replace("Hessian-vector product",
                                                            "gradient and Hessian-vector product", 1)
    assert "gradient and Hessian-vector product of quartic" in repr(made)


def test_keywords_integers_and_v_broadcast():
    x = np.array([1, -2, 0])
    gradient, product = sct.grad_and_hvp(weighted_exp, wrt="x")(x, np.ones(3), 1.0)  # v = 1 everywhere
    expected = sct.hvp(weighted_exp, wrt="x")(x.astype(float), np.ones(3), np.ones(3))
    assert relative_error(product, expected) < 1e-12
    assert relative_error(gradient, sct.grad(weighted_exp)(x.astype(float), np.ones(3))) < 1e-12
    by_keyword = sct.grad_and_hvp(weighted_exp, wrt="x")(np.ones(3), x=x.astype(float), w=np.ones(3))
    assert relative_error(by_keyword[1], expected) < 1e-12


def test_refusals_as_hvp():
    with pytest.raises(TypeError, match="is not supported"):
        sct.grad_and_hvp(by_key)({"a": np.ones(2)}, {"a": np.ones(2)})
    with pytest.raises(ValueError, match="one parameter"):
        sct.grad_and_hvp(weighted_exp, wrt="x, w")
    with pytest.raises(ValueError, match="must return a scalar"):
        sct.grad_and_hvp(vector_valued)(np.ones(2), np.ones(2))
    with pytest.raises(TypeError, match="needs the arguments"):
        sct.grad_and_hvp(quartic)()
    with pytest.raises(TypeError, match="argument 'x' is complex"):
        sct.grad_and_hvp(quartic)(np.array([1.0 + 1j, 2.0]), np.ones(2))
    with pytest.raises(sct.SCTError, match="not a parameter"):
        sct.grad_and_hvp(quartic, wrt="y")


def test_tuple_argument_as_hvp_takes_it():
    x = (0.5, -1.5, 2.0)
    gradient, product = sct.grad_and_hvp(quartic)(x, np.ones(3))
    assert relative_error(product, sct.hvp(quartic)(x, np.ones(3))) < 1e-12
    assert relative_error(gradient, sct.grad(quartic)(np.array(x))) < 1e-12


def test_follows_a_rebound_helper(monkeypatch):
    x = np.array([0.5, -1.0])
    made = sct.grad_and_hvp(outer)
    gradient, product = made(x, np.ones(2))
    assert relative_error(gradient, 3 * x ** 2) < 1e-12 and relative_error(product, 6 * x) < 1e-12
    monkeypatch.setitem(globals(), "helper", np.sin)
    gradient, product = made(x, np.ones(2))
    assert relative_error(gradient, np.sin(x) + x * np.cos(x)) < 1e-12
    assert relative_error(product, 2 * np.cos(x) - x * np.sin(x)) < 1e-12


def test_the_callers_arrays_are_left_alone():
    x, v = np.array([0.3, -0.2]), np.array([1.0, 2.0])
    kept = x.copy(), v.copy()
    sct.grad_and_hvp(looped)(x, v)
    assert np.array_equal(x, kept[0]) and np.array_equal(v, kept[1])


def test_verbose_prints_every_stage(capsys):
    sct.grad_and_hvp(scalar_only, verbose=1)(0.5, 1.0)
    assert "def diff_diff_scalar_only(" in capsys.readouterr().err
