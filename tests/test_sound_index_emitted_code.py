"""Index writes (``x[i] = v``, ``x[idx] += v``, masks, slices) get exact derivatives in every mode, or a
transform-time refusal (tests/test_sound_index_*.py).

Crashes in emitted code (a dead adjoint read before it exists, a read-only tangent written into),
integer tangents of written arrays, and lists written at a computed index.
"""
import numpy as np
import pytest
from index_support import X3, X4, check_all

import sct


# ----------------------------------------------------------------------- crashes in the emitted code
def dead_write(x, y):
    w = np.copy(y)
    v = np.sum(w) * x
    w[0] = np.sin(x)
    return v


def broadcast_before_write(x, y):
    a = x * 0.5 + y * 0.25
    b = np.sin(x) * y + 1.0
    z = np.zeros((3, 1)) + a
    a[a > -0.5] = b[a > -0.5]
    return np.sum((z * a + a * b) * np.array([[1.0], [2.0], [3.0]]))


def copies_before_write(x):
    a = x * 2.0
    b = a * 1.0
    d = np.zeros((2, 3)) + a
    a[0] = 5.0
    return np.sum(b * a + a * d)


def test_tangent_of_a_new_array_is_not_a_view_of_a_written_one():
    """``z = np.zeros(3) + a`` is a new array: its tangent must not change when ``a``'s is written."""
    check_all(broadcast_before_write, 0.3, np.array([0.2]))
    check_all(broadcast_before_write, 0.3, np.array([0.2]), index=1)
    check_all(copies_before_write, X3)


def test_write_after_last_use():
    check_all(dead_write, 0.7, X3)


def broadcast_helper(x):
    return np.zeros(3) + x[0]


def write_into_helper_result(x):
    z = broadcast_helper(x)
    z[1] = x[2]
    return np.sum(z * x)


def sum_helper(x):
    return np.sum(x) + np.zeros(3)


def slice_into_helper_result(x):
    z = sum_helper(x)
    z[1:] = x[:2]
    return np.sum(z * x)


def exp_helper(x):
    w = np.exp(x)
    return w


def write_into_kept_value(x):
    z = exp_helper(x)
    z[0] = 0.0
    return np.sum(z * x)


@pytest.mark.parametrize("f", [write_into_helper_result, slice_into_helper_result, write_into_kept_value])
def test_write_into_helper_result(f):
    check_all(f, X3)


def write_into_parameter(x):
    x[0] = x[1] * 2.0
    return np.sum(x * x)


def test_write_into_parameter_leaves_the_tangent_alone():
    x, v = X3.copy(), np.array([1.0, 0.0, 0.0])
    _, tangent = sct.forward(write_into_parameter)(x, v)
    assert np.array_equal(v, [1.0, 0.0, 0.0])
    assert np.isclose(tangent, 0.0)  # x[0] is overwritten before it is read
    x = X3.copy()
    assert np.allclose(sct.grad(write_into_parameter)(x), [0.0, 2 * 1.7 + 8 * 1.7, -1.6])


def write_until_break(x):
    y = x * 1.0
    for i in range(4):
        if y[i] > 1.0:
            break
        y[i] = y[i] * 3.0
    return np.sum(y * y)


def write_in_while(x):
    y = x * 1.0
    i = 0
    while i < 3:
        y[y < 0.0] = y[y < 0.0] * 0.5 + x[i]
        i += 1
    return np.sum(y * y)


@pytest.mark.parametrize("f", [write_until_break, write_in_while])
def test_writes_in_loops(f):
    check_all(f, X4)


# ------------------------------------------------------------------------- tangents and list writes
def write_then_return(x):
    y = x * 1.0
    y[0] = np.sin(x[1])
    return y


def shift_down(x):
    y = x + 0.0
    y[1:] = y[:-1] * 0.5
    return y


@pytest.mark.parametrize("f, expected", [(write_then_return, [np.cos(1.7), 1.0, 0.0]),
                                         (shift_down, [0.0, 0.0, 0.5])])
def test_integer_tangent_of_a_written_array(f, expected):
    """An integer tangent (``[0, 1, 0]``) is copied as floats before float tangents are written into it."""
    direction = np.array([0, 1, 0])
    _, tangent = sct.forward(f)(X3, direction)
    assert np.allclose(tangent, expected)
    assert np.array_equal(direction, [0, 1, 0])


def list_dynamic_index(x):
    items = [x[0], x[1] * 2.0]
    items[len(items) - 1] = np.sin(items[0])
    return items[0] * items[1]


def list_reversed_writes(x):
    items = []
    for k in range(3):
        items.append(x[k] * 2.0)
    for k in range(3):
        items[len(items) - 1 - k] = items[k] * x[k]
    return items[0] + items[2]


@pytest.mark.parametrize("f", [list_dynamic_index, list_reversed_writes])
def test_list_written_at_a_computed_index(f):
    check_all(f, X3)
