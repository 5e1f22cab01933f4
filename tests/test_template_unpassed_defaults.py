"""A rule template that passes one of its defaulted parameters positionally (``batch_axis(x, axis)`` in
the batched adjoint of ``unreduce``) emitted an undefined placeholder name when the call site left that
parameter out: the reverse-mode Jacobian of a gradient whose helper returns a sum beside an array died
with ``NameError``. An unpassed parameter reads as the template's default, and is dropped only where it is
a keyword argument. Checked against differences of the gradient."""
import numpy as np
import pytest
from every_mode import check_every_mode
from oracle import relative_error, richardson_difference

import sct


def _pair(v):
    return np.sum(v ** 2), np.cos(v)


def helper_sum_beside_array(x):
    s, c = _pair(x)
    return np.sum(s * c)


def gradient_of(x):
    return GRADIENT(x)


def weighted_gradient(x):
    return np.sum(np.sin(GRADIENT(x)))


def as_vector(x):
    return np.atleast_1d(helper_sum_beside_array(x))


GRADIENT = sct.grad(helper_sum_beside_array, wrt="x")
POINTS = [np.array([0.3, -1.2, 0.8]), np.array([0.0, -0.5, 0.0]), np.array([-0.7])]


@pytest.mark.parametrize("x", POINTS, ids=["x", "zero", "size-1"])
@pytest.mark.parametrize("mode", ["forward", "reverse"])
def test_jacobian_of_the_gradient(x, mode):
    jac = sct.jacobian(GRADIENT, wrt="x", mode=mode)(x)
    for k, e in enumerate(np.eye(x.size)):
        along = richardson_difference(GRADIENT, (x,), {0: e})
        assert relative_error(jac[..., k], along) < 1e-7, k


@pytest.mark.parametrize("x", POINTS, ids=["x", "zero", "size-1"])
def test_gradient_in_every_mode(x):
    check_every_mode(gradient_of, weighted_gradient, x, second_order=False)
    check_every_mode(as_vector, helper_sum_beside_array, x)


def var_rows(x):
    return np.var(x, axis=0) * np.std(x, axis=-1)[0]


def weighted_var_rows(x):
    return np.sum(np.sin(var_rows(x)))


@pytest.mark.parametrize("x", [np.array([[0.3, -1.2, 0.8], [2.1, 0.0, -0.4]]), np.array([[0.5, -0.3, 1.1]])],
                         ids=["2x3", "1x3"])
def test_passed_keywords_beside_unpassed_ones_are_kept(x):
    """``var_weights(x, axis=axis, ddof=ddof)`` at a site passing ``axis`` but not ``ddof`` keeps ``axis``."""
    check_every_mode(var_rows, weighted_var_rows, x, second_order=False)
    v = np.cos(np.arange(x.size) + 1.0).reshape(x.shape)
    gradient = sct.grad(weighted_var_rows, wrt="x")
    along = richardson_difference(gradient, (x,), {0: v})
    for method in ("forward-over-reverse", "reverse-over-forward"):
        assert relative_error(sct.hvp(weighted_var_rows, wrt="x", method=method)(x, v), along) < 1e-6, method
