"""Inner derivatives whose results are tuples of arrays of several shapes, unpacked and differentiated
again: the outer reverse sweep makes their adjoints item by item (np.zeros_like of such a tuple fails)."""
import numpy as np
import pytest
from every_mode import check_every_mode

import sct


def g(x, c):
    return np.sum(np.exp(0.3 * x) * c) * c


reverse_g = sct.reverse(g, wrt=("x", "c"))


def uses_both_adjoints(x, c):
    v, (gx, gc) = reverse_g(x, c)
    return np.sum(gx * x) + gc * v


def uses_both_adjoints_total(x, c):
    return uses_both_adjoints(x, c)


def pair(x, c):
    return np.sin(x) * c, np.sum(x ** 2) * c


forward_pair = sct.forward(pair)


def uses_tuple_tangents(x, c):
    (a, b), (ta, tb) = forward_pair(x, c, np.cos(x))
    return np.sum(a * ta) + b * tb


def uses_tuple_tangents_total(x, c):
    return uses_tuple_tangents(x, c)


@pytest.mark.parametrize("f, total", [(uses_both_adjoints, uses_both_adjoints_total),
                                      (uses_tuple_tangents, uses_tuple_tangents_total)])
def test_every_mode(f, total):
    check_every_mode(f, total, np.array([0.3, -0.7, 1.1]), 0.8)
