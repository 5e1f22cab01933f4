"""A full reduction with ``keepdims=True`` is an array of the argument's rank, not a scalar.

``analysis/shapes.py`` counts ``np.sum(X)`` without ``axis`` as a scalar, so the adjoint of the other
operand of ``s * x`` is not summed back over broadcast axes. With ``keepdims=True`` the reduction keeps
``X``'s rank (``(1, 1)``), ``s * x`` gains a leading axis, and ``sct.grad`` returns a ``(1, 3)`` gradient
for a ``(3,)`` argument if it were taken for a scalar.
"""
import numpy as np
import pytest
from every_mode import check_every_mode
from oracle import relative_error, richardson_difference

import sct

X = np.array([0.53, -1.37, 2.21])


def sum_with_keepdims_times_x(x):
    s = np.sum(x.reshape(1, 3), keepdims=True)
    return np.sum(s * x)


def max_with_keepdims_times_x(x):
    s = np.max(x.reshape(3, 1), keepdims=True)
    return np.sum(s * x * np.arange(3.0))


def mean_method_with_keepdims_plus_x(x):
    s = (x.reshape(3, 1) ** 2).mean(keepdims=True)
    return np.sum((x + s) ** 2)


@pytest.mark.parametrize("f", [sum_with_keepdims_times_x, max_with_keepdims_times_x,
                               mean_method_with_keepdims_plus_x])
def test_gradient_has_the_shape_of_its_argument(f):
    numeric = np.array([richardson_difference(f, (X,), {0: e}) for e in np.eye(3)])
    gradient = sct.grad(f)(X)
    assert np.shape(gradient) == np.shape(X)
    assert relative_error(gradient, numeric) < 1e-7


def keepdims_product(x):
    return np.sum(x.reshape(1, 3), keepdims=True) * x


def keepdims_product_g(x):
    return np.sum(keepdims_product(x) ** 2)


def dtype_only_product(x):
    return np.sum(x, dtype=np.float64) * x


def dtype_only_product_g(x):
    return np.sum(dtype_only_product(x) ** 2)


@pytest.mark.parametrize("f, g", [(keepdims_product, keepdims_product_g),
                                  (dtype_only_product, dtype_only_product_g)])
@pytest.mark.parametrize("x", [X, np.array([0.0, -2.0, 0.5])])
def test_a_full_reduction_in_every_mode(f, g, x):
    check_every_mode(f, g, x)
