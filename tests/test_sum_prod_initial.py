"""``np.sum(a, initial=c)`` is ``np.sum(a) + c`` and ``np.prod(a, initial=c)`` is ``np.prod(a) * c`` in numpy
(with ``axis``, ``keepdims`` and ``where=`` as without it); sct refused both ("unexpected keyword argument
'initial'"). Every mode against differences, with empty operands (the product of none of the factors of an
empty axis is 1: its partials had the wrong shape)."""
import numpy as np
import pytest
from every_mode import check_every_mode

import sct


def sum_of_active_initial(x):
    return np.sum(x * x, initial=x[0]) * x


def prod_along_rows_kept(x):
    return np.prod(np.reshape(x, (3, 1)) + 1.0, axis=1, initial=2.0, keepdims=True) * x


def sum_where_initial(x):
    return np.sum(x * x, where=x > -0.5, initial=0.5) * x


def method_prod_where_initial(x):
    return (x * x + 1.0).prod(initial=x[1], where=x < 1.5) * x


def empty_operands(x):
    return np.sum(x[:0], initial=x[1]) * np.prod(x[:0] * x[0], initial=3.0) * x


def empty_rows(x):
    return np.prod(np.reshape(x, (3, 1))[:, :0], axis=1, initial=x[2]) + np.sum(x[:0] * x[0], initial=1.5) * x


def no_rows(x):
    rows = np.reshape(x, (1, 3))[:0] * x[0]
    return np.sum(np.prod(rows, axis=1, initial=2.0)) + np.prod(rows, axis=0) * x


FUNCTIONS = [sum_of_active_initial, prod_along_rows_kept, sum_where_initial, method_prod_where_initial,
             empty_operands, empty_rows, no_rows]


def sum_of_active_initial_objective(x):
    return np.sum(np.sin(sum_of_active_initial(x)))


def prod_along_rows_kept_objective(x):
    return np.sum(np.sin(prod_along_rows_kept(x)))


def sum_where_initial_objective(x):
    return np.sum(np.sin(sum_where_initial(x)))


def method_prod_where_initial_objective(x):
    return np.sum(np.sin(method_prod_where_initial(x)))


def empty_operands_objective(x):
    return np.sum(np.sin(empty_operands(x)))


def empty_rows_objective(x):
    return np.sum(np.sin(empty_rows(x)))


def no_rows_objective(x):
    return np.sum(np.sin(no_rows(x)))


OBJECTIVES = {f: globals()[f.__name__ + "_objective"] for f in FUNCTIONS}
POINTS = {"ordinary": np.array([0.5, -1.2, 2.0]), "with zero": np.array([0.0, -0.7, 1.3]),
          "negative": np.array([-0.4, -1.1, -2.2])}


@pytest.mark.parametrize("point", list(POINTS))
@pytest.mark.parametrize("f", FUNCTIONS, ids=lambda f: f.__name__)
def test_every_mode(f, point):
    x = POINTS[point]
    check_every_mode(f, OBJECTIVES[f], x)


@pytest.mark.parametrize("f", FUNCTIONS, ids=lambda f: f.__name__)
def test_values_as_numpy(f):
    x = POINTS["ordinary"]
    value, _ = sct.forward(f)(x, np.ones(3))
    assert np.allclose(value, f(x), rtol=1e-15, atol=0.0)
