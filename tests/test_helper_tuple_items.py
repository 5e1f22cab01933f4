"""A helper's returned tuple read item by item (``t = h(x); t[1][1]``), items of several shapes, tuples
of tuples, tuples of helpers' results: the adjoint of the tuple is made item by item (np.zeros_like
stacked it: ValueError), and an item that is a tuple itself adds item by item (``+=`` joined two
lists). Every mode against differences."""
import numpy as np
import pytest
from every_mode import check_every_mode


def sum_and_double(x):
    return np.sum(x), x * 2


def named_pair(x):
    r = (np.sum(x ** 2), x * x[0])
    return r


def pair_of_pairs(x):
    return (x[0], (x * 2, x[1] ** 2))


def pair_read_twice(x):
    t = sum_and_double(x)
    return t[1] * t[1][1]


def pair_read_once_each(x):
    t = named_pair(x)
    return t[1] * t[0]


def nested_items(x):
    t = pair_of_pairs(x)
    return t[1][0] * t[1][1] + t[0]


def tuple_of_results(x):
    ts = (sum_and_double(x), sum_and_double(x ** 2))
    return ts[0][1] * ts[1][0]


def result_of_a_result(x):
    a = sum_and_double(x)
    b = sum_and_double(a[1])
    return b[1] * a[0]


def read_in_a_loop(x):
    s = x * 0.0
    for i in range(2):
        t = sum_and_double(x * (i + 1))
        s = s + t[1] * t[0]
    return s


def unpacked(x):
    a, b = sum_and_double(x)
    return b * a


CASES = [pair_read_twice, pair_read_once_each, nested_items, tuple_of_results, result_of_a_result,
         read_in_a_loop, unpacked]


@pytest.mark.parametrize("f", CASES, ids=lambda f: f.__name__)
@pytest.mark.parametrize("x", [np.array([0.5, -1.2, 2.0]), np.array([-0.7, 0.0, 1.3])], ids=["x", "zero"])
def test_helper_tuple_items_every_mode(f, x):
    def weighted(x):
        y = f(x)
        return np.sum(y * np.cos(y))

    check_every_mode(f, weighted, x)
