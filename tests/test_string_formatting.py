"""``"%f" % x`` formats a string: a ``%`` whose left operand is a string literal is no arithmetic modulo
(its rule failed at run time); the string carries no derivative, like an f-string."""
import numpy as np
import pytest
from every_mode import check_every_mode

import sct


def formatted_then_measured(x):
    return x * len("%d" % 7 + "%s" % "ab") + x ** 2


def formatted_in_a_loop(x):
    labels = []
    for i in range(3):
        labels.append("%d: %f" % (i, x[i]))
    return x * len(labels[0] + "%s" % labels[1]) * x[0]


def formatted_key(x):
    d = {}
    for i in range(2):
        d["k%d" % i] = x[i] ** 2
    return np.array([d["k0"] * d["k1"], x[2]])


@pytest.mark.parametrize("f", [formatted_then_measured, formatted_in_a_loop, formatted_key],
                         ids=lambda f: f.__name__)
def test_string_formatting_every_mode(f):
    def weighted(x):
        y = f(x)
        return np.sum(y * np.cos(y))

    check_every_mode(f, weighted, np.array([0.5, -1.2, 2.0]))


def value_and_label(x):
    return x[0] ** 2, "%f" % x[0]


def test_a_returned_label_is_a_constant():
    value, tangent = sct.forward(value_and_label, wrt="x")(np.array([0.5, 2.0]), np.array([1.0, 0.0]))
    assert value == (0.25, "0.500000") and tangent[0] == 1.0
    _, x_bar = sct.reverse(value_and_label, wrt="x")(np.array([0.5, 2.0]), seed=(1.0, 0.0))
    assert np.allclose(x_bar, [1.0, 0.0])
