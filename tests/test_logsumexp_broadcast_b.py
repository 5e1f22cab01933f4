"""``scipy.special.logsumexp(a, axis, b=b)`` reduces over the shape of ``a`` and ``b`` broadcast together, as
scipy does: a ``b`` with more axes than ``a`` (shape ``(1, n)`` for a vector ``a``) made the rules spread the
result back over ``a``'s own shape, and every mode died in ``np.broadcast_to``. Also in a helper reached
through a closure, whose emitted namespace sees numpy only through the user's scope. Every mode against
differences."""
import numpy as np
import pytest
import scipy.special
from every_mode import check_every_mode
from scipy.special import logsumexp

ROW = np.array([[0.5, 2.0, 1.0]])


def row_weights(x):
    return logsumexp(x, axis=-1, b=ROW)


def row_weights_along_0(x):
    return logsumexp(x, axis=0, b=ROW)


def row_weights_kept(x):
    return logsumexp(x, axis=-1, b=ROW, keepdims=True)


def row_weights_by_position(x):
    return logsumexp(x, -1, ROW)


def active_row_weights(x):
    return logsumexp(x, axis=-1, b=np.reshape(x ** 2, (1, -1)))


def scalar_weight(x):
    return logsumexp(x, axis=-1, b=0.5)


def active_scalar_weight(x):
    return logsumexp(x, b=x[0] ** 2 + 1.0)


def grid_weights(x):
    return scipy.special.logsumexp(x, axis=0, b=np.ones((2, 1, 1)))


def signed_row_weights(x):
    value, sign = logsumexp(x, axis=-1, b=np.array([[0.5, -2.0, 1.0]]), return_sign=True)
    return value * sign


CASES = [row_weights, row_weights_along_0, row_weights_kept, row_weights_by_position, active_row_weights,
         scalar_weight, active_scalar_weight, grid_weights, signed_row_weights]


@pytest.mark.parametrize("f", CASES, ids=lambda f: f.__name__)
@pytest.mark.parametrize("x", [np.array([0.5, -1.2, 2.0]), np.array([0.0, -0.3, 0.0])], ids=["x", "zero"])
def test_weights_broadcast_past_the_operand(f, x):
    def weighted(x):
        y = f(x)
        return np.sum(y * np.cos(y))

    check_every_mode(f, weighted, x)


def size_one_axis(x):
    return logsumexp(np.reshape(x, (1, 3)), axis=0, b=np.ones((2, 3)))


def zero_dim(x):
    return logsumexp(x[0] * x[1], b=np.array([1.0, 3.0]))


@pytest.mark.parametrize("f", [size_one_axis, zero_dim], ids=lambda f: f.__name__)
def test_size_one_and_zero_dim_operands(f):
    def weighted(x):
        y = f(x)
        return np.sum(y * np.cos(y))

    check_every_mode(f, weighted, np.array([0.4, -0.8, 1.1]))
