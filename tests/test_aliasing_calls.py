"""A call whose result shares memory with its argument in numpy must share it in the emitted code too,
and the other way round (once wrong without an error).

``np.take(y, 0, axis=0)`` is a copy in numpy, but sct lowers it to ``np.moveaxis(y, 0, 0)[0]``, a view: a
later ``y[0, 1] = ...`` changes the emitted code's ``r`` and not numpy's (the value and the derivative are
both wrong); the lowered take now indexes with an array, a copy. ``np.linalg.matrix_power(y, 1)`` is ``y``
itself in numpy, so the write changes ``r`` there: sct now takes the call for a possible view and refuses
the write, as for any view.
"""
import numpy as np
import pytest
from oracle import relative_error, richardson_difference

import sct


def take_row_then_write(x):
    y = x * 1.0
    r = np.take(y, 0, axis=0)
    y[0, 1] = y[1, 0] * 3.0
    return np.sum(np.sin(r)) + np.sum(y ** 2)


def take_column_then_write(x):
    y = x * 1.0
    r = np.take(y, 1, axis=1)
    y[0, 1] = 0.5
    return np.sum(r * r) + np.sum(y)


def matrix_power_one_then_write(x):
    y = x * 1.0
    r = np.linalg.matrix_power(y, 1)
    y[0, 1] = y[1, 0] * 3.0
    return np.sum(np.sin(r)) + np.sum(y ** 2)


CASES = [take_row_then_write, take_column_then_write]
X = np.array([[0.7, -1.3], [0.4, 1.5]])


def numeric_gradient(f, x):
    rows = [richardson_difference(f, (x,), {0: e.reshape(x.shape)}) for e in np.eye(x.size)]
    return np.reshape(rows, x.shape)



@pytest.mark.parametrize("f", CASES)
def test_gradient_of_an_aliasing_call_then_a_write(f):
    expected = numeric_gradient(f, X)
    value, gradient = sct.reverse(f)(X)
    assert relative_error(value, f(X)) < 1e-12
    assert relative_error(gradient, expected) < 1e-7, (gradient, expected)



@pytest.mark.parametrize("f", CASES)
def test_forward_of_an_aliasing_call_then_a_write(f):
    v = np.array([[0.3, -1.1], [0.8, 0.5]])
    value, tangent = sct.forward(f)(X, v)
    assert relative_error(value, f(X)) < 1e-12
    assert relative_error(tangent, richardson_difference(f, (X,), {0: v})) < 1e-7


@pytest.mark.parametrize("derivative", [sct.forward, sct.reverse, sct.grad, sct.hessian])
def test_a_write_after_matrix_power_of_one_is_refused(derivative):
    with pytest.raises(sct.SCTError, match="may share its array with 'r'"):
        derivative(matrix_power_one_then_write)(X, *([X] if derivative is sct.forward else []))


def test_take_with_an_index_array_still_gathers():
    def f(x):
        return np.sum(np.take(x, [0, 0, 1], axis=1) ** 2)
    expected = numeric_gradient(f, X)
    assert relative_error(sct.grad(f)(X), expected) < 1e-7
