"""A helper's default values replaced after its derivative was made (``h.__defaults__ = (3.0,)``): the
derivative is emitted again (once the cached derivative kept the default it read, without an error).
"""
import numpy as np

import sct


def power(x, k=2.0):
    return x ** k


def total(x):
    return np.sum(power(x))


def test_gradient_after_a_helper_default_changed():
    x = np.array([0.5, 1.5])
    assert np.allclose(sct.grad(total)(x), 2 * x)
    defaults = power.__defaults__
    power.__defaults__ = (3.0,)
    try:
        value, x_bar = sct.reverse(total)(x)
        assert np.isclose(value, total(x))
        assert np.allclose(x_bar, 3 * x ** 2)
    finally:
        power.__defaults__ = defaults


def scaled(x, *, scale=2.0):
    return np.sum(x * scale)


def test_gradient_after_a_keyword_default_changed():
    x = np.array([0.5, 1.5])
    gradient = sct.grad(scaled)
    assert np.allclose(gradient(x), 2.0)
    scaled.__kwdefaults__ = {"scale": 5.0}
    try:
        assert np.allclose(gradient(x), 5.0)
    finally:
        scaled.__kwdefaults__ = {"scale": 2.0}
