"""Python constructs that sct accepts by rewriting them (list comprehensions, generator expressions, ...),
each in every mode against differences (tests/every_mode.py), and those it still refuses, with the message."""
from __future__ import annotations

import numpy as np
import pytest
from every_mode import check_every_mode


X = np.array([0.7, -1.3, 0.4, 1.9, -0.6])


# -- list comprehensions and generator expressions -----------------------------------------------------

def squares(x):
    n = x.shape[0]
    return np.array([x[i] ** 2 for i in range(n)])


def weighted_sum(x):
    w = 1.5
    return sum(w * xi * xi for xi in x)


def weighted_sums(x):
    return np.stack([sum(x[j] * xi for xi in x[j:]) for j in range(len(x))])


def index_table(x):
    idx = [i for i in range(len(x)) if i % 2 == 0]
    return x[idx] * x[1]


def nested_for(x):
    n = len(x)
    return np.array([x[i] * np.sin(x[j]) for i in range(n) for j in range(i, n) if i != j])


def nested_comprehension(x):
    rows = [[x[i] * x[j] + j for j in range(3)] for i in range(len(x))]
    return np.array(rows)


def keeps_outer_name(x):
    i = 2
    values = [x[i] * x[i] for i in range(4)]
    return np.array(values) * x[i]


def zipped(x):
    return np.array([a * np.exp(b) for a, b in zip(x, x[1:])])


def enumerated(x):
    return sum(k * xi ** 3 for k, xi in enumerate(x))


def loop_over_comprehension(x):
    total = 0.0
    for v in [np.cos(xi) for xi in x if xi > -1.0]:
        total = total + v * v
    return total


def _norms(x):
    return [np.sqrt(1.0 + xi * xi) for xi in x]


def calls_helper(x):
    return np.stack(_norms(x)) * x


def squares_g(x):
    y = squares(x)
    return np.sum(y * y * x[0])


def weighted_sums_g(x):
    y = weighted_sums(x)
    return np.sum(y * y * x[0])


def index_table_g(x):
    y = index_table(x)
    return np.sum(y * y * x[0])


def nested_for_g(x):
    y = nested_for(x)
    return np.sum(y * y * x[0])


def nested_comprehension_g(x):
    y = nested_comprehension(x)
    return np.sum(y * y * x[0])


def keeps_outer_name_g(x):
    y = keeps_outer_name(x)
    return np.sum(y * y * x[0])


def zipped_g(x):
    y = zipped(x)
    return np.sum(y * y * x[0])


def calls_helper_g(x):
    y = calls_helper(x)
    return np.sum(y * y * x[0])


VECTOR = [(f, globals()[f.__name__ + "_g"]) for f in (
    squares, weighted_sums, index_table, nested_for, nested_comprehension, keeps_outer_name, zipped,
    calls_helper)]
SCALAR = [weighted_sum, enumerated, loop_over_comprehension]


@pytest.mark.parametrize("f, g", VECTOR, ids=lambda f: f.__name__)
def test_comprehension_every_mode(f, g):
    check_every_mode(f, g, X)


@pytest.mark.parametrize("f", SCALAR, ids=lambda f: f.__name__)
def test_scalar_comprehension_every_mode(f):
    check_every_mode(f, f, X)
