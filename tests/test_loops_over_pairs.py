"""Loops over a tuple (list) of pairs unpacked in the loop header (``for a, b in ((x[0], x[1]), ...)``):
the adjoint of each pair is added into the adjoint of the sequence item by item (the Hessian added a
pair's stacked adjoints to each item: broadcast ValueError). Every mode against differences."""
import numpy as np
import pytest
from every_mode import check_every_mode


def pairs_of_numbers(x):
    out = []
    for a, b in ((x[0], x[1]), (x[2], x[3])):
        out.append(a * b ** 2)
    return np.array(out)


def pairs_of_arrays(x):
    s = x[:2] * 0.0
    for a, b in ((x[:2], x[2]), (x[2:], x[0])):
        s = s + a * b
    return s


def list_of_pairs(x):
    ps = [(x[0], x[1]), (x[2], x[3])]
    s = 0.0
    for p in ps:
        s = s + p[0] * np.sin(p[1])
    return np.atleast_1d(s)


def appended_pairs(x):
    ps = []
    for i in range(2):
        ps.append((x[i], x[i + 2] ** 2))
    s = 0.0
    for a, b in ps:
        s = s + a * b
    return np.atleast_1d(s)


def mixed_triples(x):
    s = x[:2] * 0.0
    for w, v, k in ((x[0], x[1:3], 2.0), (x[3], x[2:], 3.0)):
        s = s + w * v * k
    return s


CASES = [pairs_of_numbers, pairs_of_arrays, list_of_pairs, appended_pairs, mixed_triples]


@pytest.mark.parametrize("f", CASES, ids=lambda f: f.__name__)
@pytest.mark.parametrize("x", [np.array([0.5, -1.2, 2.0, 0.7]), np.array([-0.7, 0.0, 1.3, -2.0])],
                         ids=["x", "zero"])
def test_loop_over_pairs_every_mode(f, x):
    def weighted(x):
        y = f(x)
        return np.sum(y * np.cos(y))

    check_every_mode(f, weighted, x)


def sum_over_pairs(x):
    s = 0.0
    for a, b in ((x[0], x[1]), (x[2], x[3])):
        s = s + a * b ** 2
    return s


def sum_over_pairs_array(x):
    return np.atleast_1d(sum_over_pairs(x))


def test_scalar_loop_over_pairs_every_mode():
    check_every_mode(sum_over_pairs_array, sum_over_pairs, np.array([0.5, -1.2, 2.0, 0.7]))
