"""A function with a parameter named ``seed``: its reverse derivative takes the output's seed as ``seed_1=``
(``seed=`` is the function's own argument). Passing ``seed`` twice raised Python's bare "multiple values
for argument 'seed'"; the error now names the parameter and says what to pass. The derivative with
``seed_1=`` is checked against differences."""
import numpy as np
import pytest
from oracle import richardson_difference

import sct


def weighted(x, seed):
    return np.sin(x) * seed


def test_output_seed_is_seed_1():
    x, s, u, v = np.array([0.3, -1.2, 0.0]), np.array([2.0, -0.5, 1.5]), np.array([1.0, -2.0, 0.5]), \
        np.array([0.7, 0.1, -1.3])
    value, x_bar = sct.reverse(weighted)(x, s, seed_1=u)
    assert np.array_equal(value, weighted(x, s))
    along = richardson_difference(weighted, (x, s), {0: v})
    assert abs(float(np.sum(x_bar * v)) - float(np.sum(u * along))) < 1e-8


def test_seed_given_twice_names_the_parameter():
    x, s = np.array([0.3, -1.2]), np.array([2.0, -0.5])
    with pytest.raises(TypeError, match=r"parameter named 'seed'.*seed_1="):
        sct.reverse(weighted)(x, s, seed=np.ones(2))


def test_seed_by_keyword_is_the_argument():
    x, s = np.array([0.3, -1.2]), np.array([2.0, -0.5])
    value, x_bar = sct.reverse(weighted)(x, seed=s)
    assert np.allclose(x_bar, np.cos(x) * s, rtol=1e-14)
