"""A function wrapped by a decorator with functools.wraps: inspect reads the source of the function it
wraps, not of the code that runs, so sct refuses it (as the main function and as a helper). A decorator
without wraps leaves the wrapper's own source, which sct differentiates."""

import functools

import numpy as np
import pytest

import sct
from sct.errors import SCTError


def doubled(fn):
    @functools.wraps(fn)
    def wrapper(x):
        return 2 * fn(x)
    return wrapper


def doubled_plainly(fn):
    def wrapper(x):
        return 2 * fn(x)
    return wrapper


@doubled
def square(x):
    return x ** 2


@doubled_plainly
def square_plainly(x):
    return x ** 2


def total(x):
    return np.sum(square(x))


def total_plainly(x):
    return np.sum(square_plainly(x))


@pytest.mark.parametrize("func", [square, total])
def test_a_wrapped_function_is_refused(func):
    with pytest.raises(SCTError, match="functools.wraps") as info:
        sct.grad(lambda_free(func))(np.array([1.0, -2.0]))
    assert "test_decorated_functions.py" in str(info.value)


def test_a_wrapper_without_wraps_is_differentiated():
    x = np.array([1.0, -2.0, 0.5])
    assert np.allclose(sct.grad(total_plainly)(x), 4 * x)


def lambda_free(func):
    return func
