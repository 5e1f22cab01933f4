"""Second derivatives of a helper called with constant arguments: an exponent it takes as a parameter
at negative bases (``power(x, 3)``, an exponent ``len(x)``) is exact; ``s ** 0.5`` at a constant ``s = 0``
is exact too: forward-over-reverse guards the infinite partial times the exact-zero tangent of a tape item.
Reverse over forward is right for all.
"""
import numpy as np
import pytest
from oracle import relative_error

import sct

X = np.array([-0.53, -1.37, 2.21, -0.77])
V = np.array([0.3, -1.1, 0.7, 2.0])


def power(a, p):
    return a ** p


def cube_through_a_helper(x):
    return np.sum(power(x, 3))


def power_sum(a, n):
    return np.sum(a ** n)


def power_of_the_length(x):          # n = 4: sum(x ** 4)
    return power_sum(x, len(x))


def scaled_by_a_root(a, s):
    return a ** 2 * s ** 0.5


def square_plus_a_zero_root(x):     # s = 0: sum(x ** 2)
    return np.sum(scaled_by_a_root(x, 0.0)) + np.sum(x ** 2)


CASES = {cube_through_a_helper: np.diag(6 * X), power_of_the_length: np.diag(12 * X ** 2),
         square_plus_a_zero_root: 2 * np.eye(4)}  # each function's exact Hessian at X


@pytest.mark.parametrize("what", ["hessian", "hvp", "grad_and_hvp"])
@pytest.mark.parametrize("f", list(CASES))
def test_second_order_of_a_power_helper_at_negative_bases(f, what):
    exact = CASES[f]
    try:
        if what == "hessian":
            got, expected = sct.hessian(f)(X), exact
        elif what == "hvp":
            got, expected = sct.hvp(f)(X, V), exact @ V
        else:
            got, expected = sct.grad_and_hvp(f)(X, V)[1], exact @ V
    except sct.SCTError:
        return  # refused at transform time: right too
    assert np.all(np.isfinite(got)) and relative_error(got, expected) < 1e-10


@pytest.mark.parametrize("f", list(CASES))
def test_reverse_over_forward_is_right(f):
    product = sct.hvp(f, method="reverse-over-forward")(X, V)
    assert relative_error(product, CASES[f] @ V) < 1e-10
