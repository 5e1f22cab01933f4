"""A slice of a list assigned (``a[1:] = [v]``): the value may be shorter or longer than the slice, so the
list changes length; the reverse sweep keeps the whole list and finds the written positions from its
old length. Every mode against differences."""
import numpy as np
import pytest
from every_mode import check_every_mode

import sct


def shortened(x):
    a = [x[0], x[1], x[2]]
    a[1:] = [x[2] * 2]
    return np.array(a) * x[0]


def lengthened_at_the_end(x):
    a = [x[0], x[1]]
    a[-1:] = [x[1] * x[2], x[0] ** 2, x[2]]
    return np.array(a) * x[1]


def inserted(x):
    a = [x[0], x[1], x[2]]
    a[1:1] = [x[0] * x[2]]
    return np.array(a) ** 2


def negative_bounds(x):
    a = [x[0], x[1], x[2], x[0] * x[1]]
    a[-3:-1] = [np.sin(x[2])]
    return np.array(a) * x[2]


def extended_slice(x):
    a = [x[0], x[1], x[2], x[0]]
    a[::2] = [x[1] ** 2, x[2] * x[0]]
    return np.array(a) * x[0]


def in_a_loop(x):
    a = [x[0], x[1]]
    for i in range(3):
        a[i:] = [a[i] * x[2], x[i] + a[0]]
    return np.array(a) * x[1]


def from_an_array(x):
    a = [x[0], x[1], x[2]]
    a[:2] = x[1:] * x[0]
    return np.array(a) ** 2


def of_rows(x):
    rows = [x[:2], x[1:]]
    rows[1:] = [x[:2] * x[2], np.cos(x[1:])]
    return np.concatenate(rows) * x[0]


def of_mixed_shapes(x):
    parts = [x[:2], x[2]]
    parts[:1] = [x * 2.0, x[:1] ** 2]
    return np.concatenate([parts[0], parts[1], np.atleast_1d(parts[2])]) * x[2]


CASES = [shortened, lengthened_at_the_end, inserted, negative_bounds, extended_slice, in_a_loop,
         from_an_array, of_rows, of_mixed_shapes]


@pytest.mark.parametrize("f", CASES, ids=lambda f: f.__name__)
@pytest.mark.parametrize("x", [np.array([0.5, -1.2, 2.0]), np.array([-0.7, 0.0, 1.3])], ids=["x", "zero"])
def test_list_slice_write_every_mode(f, x):
    def weighted(x):
        y = f(x)
        return np.sum(y * np.cos(y))

    check_every_mode(f, weighted, x)


def items_joined(x):
    d = {"a": [x[0]], "b": [x[1]]}
    return np.sum(np.array(d["a"] + d["b"]) * np.array([1.0, 2.0]))


def item_repeated(x):
    t = ([x[0]], 3.0)
    return np.sum(np.array(t[0] * 2) * np.array([1.0, 2.0]))


@pytest.mark.parametrize("f", [items_joined, item_repeated], ids=lambda f: f.__name__)
def test_items_joined_as_lists_are_refused_in_reverse(f):
    """An item of a container may be a list: ``+`` of two, ``*`` of one by an integer, joins or repeats;
    reverse mode would differentiate arithmetic (the gradient was [3, 3] for [1, 2]), so the forward sweep
    refuses it where the operation is written."""
    x = np.array([0.5, -1.2])
    with pytest.raises(TypeError, match=r"test_list_slice_writes.py:\d+:\d+ (joins|repeats) a list"):
        sct.grad(f, wrt="x")(x)
    with pytest.raises(TypeError, match="reverse mode would differentiate as arithmetic"):
        sct.hessian(f, wrt="x")(x)


def items_added(x):
    d = {"a": x * 2.0, "b": x[1]}
    return np.sum(d["a"] + d["b"] * d["a"])


def items_added_array(x):
    return np.atleast_1d(items_added(x))


def test_items_added_as_arrays_stay_exact():
    check_every_mode(items_added_array, items_added, np.array([0.5, -1.2, 2.0]))
