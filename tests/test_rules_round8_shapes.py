"""np.insert and np.resize (rearrangements: sct/rules/manipulation_rules.py): values equal to numpy's,
every mode against central differences (tests/every_mode.py) with broadcast values, several positions,
negative ones, axes, size-1 axes, zero and negative points, and a cast to integers."""
from __future__ import annotations

import numpy as np
import pytest
from every_mode import check_every_mode

import sct


def insert_values(x):
    return np.insert(x, 1, np.sin(x[..., :1]) * 2.0, axis=-1)


def insert_flat(x):
    return np.insert(x * x, [0, 2, 2], np.cos(np.ravel(x)[-1]))


def insert_rows(x):
    return np.insert(x, -1, x[0] * 3.0, axis=0)


def insert_constant(x):
    return np.insert(np.exp(x), 0, 0.5, axis=0)


def insert_into_constant(x):
    return np.insert(np.arange(4.0), 2, x * x)


def resize_larger(x):
    return np.resize(x * 2.0 - 1.0, (3, 5))


def resize_smaller(x):
    return np.resize(np.sin(x), 2)


def _total(f):
    def total(x):
        value = f(x)
        return np.sum(value * np.cos(np.arange(np.size(value)).reshape(np.shape(value))))
    return total


CASES = [insert_values, insert_flat, insert_rows, insert_constant, insert_into_constant, resize_larger,
         resize_smaller]
for _f in CASES:
    globals()[_f.__name__ + "_total"] = _total(_f)
_POINTS = {"1-d": np.array([0.0, -0.7, 1.1]), "2x3": np.array([[0.3, -1.2, 0.9], [-0.4, 0.0, 2.2]]),
           "1x3": np.array([[0.5, 1.4, -0.3]]), "2x1": np.array([[0.7], [-1.1]])}


@pytest.mark.parametrize("f", CASES, ids=lambda f: f.__name__)
@pytest.mark.parametrize("x", list(_POINTS.values()), ids=list(_POINTS))
def test_insert_and_resize_in_every_mode(f, x):
    if f is insert_into_constant and np.size(x) > 1 and np.ndim(x) > 1:
        x = x[0]
    out, _ = sct.forward(f)(x, np.ones_like(x))
    assert np.array_equal(out, f(x)) and np.shape(out) == np.shape(f(x))
    check_every_mode(f, globals()[f.__name__ + "_total"], x)


def insert_into_integers(x):
    return np.insert(np.arange(4), 1, x) * 1.0 + np.sum(x)


def test_values_cast_to_integers_carry_no_derivative():
    x = np.array([1.7])
    assert np.array_equal(sct.grad(lambda_free_total)(x), [1.0])
    _, tangent = sct.forward(insert_into_integers)(x, np.ones(1))
    assert np.array_equal(tangent, np.ones(5))  # from the sum only


def lambda_free_total(x):
    return np.sum(insert_into_integers(x)) - 4.0 * np.sum(x)


def resize_empty(x):
    return np.resize(x[:0], (2, 2)) + x[0]


def test_resizing_nothing_gives_zeros_as_numpy_does():
    x = np.array([0.3, -1.0])
    out, tangent = sct.forward(resize_empty)(x, np.array([1.0, 0.0]))
    assert np.array_equal(out, resize_empty(x)) and np.array_equal(tangent, np.ones((2, 2)))
    assert np.array_equal(sct.grad(_total(resize_empty))(x)[1:], [0.0])


def insert_out_of_range(x):
    return np.insert(x, 5, 1.0)


def test_what_numpy_refuses_fails():
    x = np.ones(3)
    with pytest.raises(IndexError):
        insert_out_of_range(x)
    with pytest.raises(IndexError):
        sct.forward(insert_out_of_range)(x, np.ones(3))
