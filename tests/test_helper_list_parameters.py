"""A helper given a list of arrays, in vector reverse mode (the reverse Jacobian, the Hessian): an item's
adjoint was added into the batch of the list's adjoints as if it were an array (``v_bar[:, i] += ...``: a
TypeError on a list), and a tuple the helper returns had its items' stacked adjoints split along the batch
axis (a wrong Jacobian). Every mode against differences."""
import numpy as np
import pytest
from every_mode import check_every_mode


def sines(v):
    return [np.sin(a) for a in v]


def squares_by_index(v):
    out = []
    for i in range(len(v)):
        out.append(v[i] * v[i])
    return out


def cosines_as_tuple(v):
    return tuple(np.cos(a) for a in v)


def product_of_sines(x):
    parts = sines([x[:2], x[1:]])
    return parts[0] * parts[1]


def squares_combined(x):
    parts = squares_by_index([x[:2], x[1:], x[::2]])
    return parts[0] + parts[1] * parts[2]


def scalar_items(x):
    parts = sines([x[0], x[1], x[2]])
    return np.array(parts) * x


def tuple_difference(x):
    parts = cosines_as_tuple((x[:2], x[1:]))
    return parts[0] - parts[1]


def size_one_items(x):
    parts = sines([x[:1], x[2:]])
    return parts[0] * parts[1] * x


CASES = [product_of_sines, squares_combined, scalar_items, tuple_difference, size_one_items]


@pytest.mark.parametrize("f", CASES, ids=lambda f: f.__name__)
@pytest.mark.parametrize("x", [np.array([0.5, -1.2, 2.0]), np.array([0.0, -1.2, 0.0])], ids=["x", "zero"])
def test_helper_of_a_list_every_mode(f, x):
    def weighted(x):
        y = f(x)
        return np.sum(y * np.cos(y))

    check_every_mode(f, weighted, x)
