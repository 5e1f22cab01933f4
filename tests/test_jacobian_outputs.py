"""sct.jacobian of functions returning a list or tuple: one array's entries, or refused.

A list or tuple of items of one shape stands for the array ``np.array(value)``; its Jacobian is that
array's, in both modes and in the looping fallback. Items of different shapes, nested containers and
dicts are refused with a TypeError naming what to do, never stacked in the wrong order.
"""

import numpy as np
import pytest
from oracle import relative_error, richardson_difference

import sct


def scalars_in_a_list(x):
    return [x[0] * x[1], x[1], np.sin(x[0])]


def arrays_in_a_tuple(x):
    return (x * 2.0, x ** 2, np.exp(x) * x[0])


def scalars_in_a_tuple_looping(x):
    total = 0.0
    for i in range(x.shape[0]):
        total = total + x[i] ** 3
    return (total, x[0] * total)


def shapes_differ(x):
    return (x * 2.0, np.sum(x))


def nested(x):
    return [x[0], [x[1], x[0]]]


def a_dict(x):
    return {"a": x * 2.0}


def _richardson_jacobian(func, x):
    def as_array(*args):
        return np.asarray(func(*args), dtype=float)
    columns = [richardson_difference(as_array, (x,), {0: e.reshape(x.shape)}) for e in np.eye(x.size)]
    return np.moveaxis(np.array(columns), 0, -1).reshape(np.shape(as_array(x)) + x.shape)


@pytest.mark.parametrize("func", [scalars_in_a_list, arrays_in_a_tuple, scalars_in_a_tuple_looping])
@pytest.mark.parametrize("mode", ["forward", "reverse"])
@pytest.mark.parametrize("x", [np.array([1.5, -2.0, 0.0]), np.array([[0.3], [-1.2], [2.0]])[:, 0]])
def test_a_sequence_of_one_shape_is_the_jacobian_of_its_array(func, mode, x):
    jacobian = sct.jacobian(func, mode=mode)(x)
    expected = _richardson_jacobian(func, x)
    assert jacobian.shape == expected.shape
    assert relative_error(jacobian, expected) < 1e-8


@pytest.mark.parametrize("func", [shapes_differ, nested, a_dict])
@pytest.mark.parametrize("mode", ["forward", "reverse"])
def test_other_containers_are_refused(func, mode):
    with pytest.raises(TypeError, match="a Jacobian needs one array"):
        sct.jacobian(func, mode=mode)(np.array([1.0, 2.0]))
