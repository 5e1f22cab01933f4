"""np.linalg.multi_dot (a chain of products, sct/rules/lowering.py): values equal to numpy's up to the
order of the products, every mode against central differences (tests/every_mode.py), with vectors first
or last, size-1 axes, zero and negative points, and what numpy refuses refused too."""
from __future__ import annotations

import numpy as np
import pytest
from every_mode import check_every_mode

import sct

LOWERED_HERE = ("numpy.linalg.multi_dot",)  # test_lowering.py counts it as tested


def chain_of_three(x):
    return np.linalg.multi_dot([x, x.T, np.sin(x)])


def vector_ends(x):
    m = np.reshape(x, (2, -1))
    return np.linalg.multi_dot([x[:2], m, m.T, np.cos(x[:2])])


def scalar_chain(x):
    return np.linalg.multi_dot((x, np.outer(x, x) + 1.0, x)) * x


def four_matrices(x):
    return np.linalg.multi_dot([x, x.T * 0.5, x - 1.0, x.T])


def vector_last(x):
    return np.linalg.multi_dot([x, x.T, x[:, 0]])


def _total(f):
    def total(x):
        value = f(x)
        return np.sum(value * np.cos(np.arange(np.size(value)).reshape(np.shape(value))))
    return total


CASES = [(chain_of_three, np.array([[0.0, -0.7, 1.1], [0.4, 2.1, -0.25]])),
         (chain_of_three, np.array([[0.3, -1.2]])), (chain_of_three, np.array([[-0.5]])),
         (vector_ends, np.array([0.0, -0.7, 1.1, 0.4])), (vector_ends, np.array([0.3, -1.2])),
         (scalar_chain, np.array([0.0, -0.7, 1.1])), (scalar_chain, np.array([-2.0])),
         (four_matrices, np.array([[0.2, -0.7], [1.1, 0.0], [0.4, -1.3]])),
         (vector_last, np.array([[0.2, -0.7, 0.5], [1.1, 0.0, -2.0]])), (vector_last, np.array([[0.6]]))]


@pytest.mark.parametrize("f, x", CASES)
def test_multi_dot_in_every_mode(f, x):
    out, _ = sct.forward(f)(x, np.ones_like(x))
    assert np.allclose(out, f(x), rtol=1e-14, atol=1e-14) and np.shape(out) == np.shape(f(x))
    check_every_mode(f, _total(f), x)


def one_array(x):
    return np.linalg.multi_dot([x])


def test_fewer_than_two_arrays_are_refused():
    with pytest.raises(sct.SCTError, match="2 arrays at least"):
        sct.grad(one_array)


def vector_between(x):
    return np.linalg.multi_dot([x, x[0], x])


def stacked(x):
    return np.linalg.multi_dot([x, x[None], x])


def stacked_ends(x):
    return np.linalg.multi_dot([x[None], x, x[..., None]])


@pytest.mark.parametrize("f", [vector_between, stacked, stacked_ends])
def test_what_numpy_refuses_fails(f):
    x = np.ones((2, 2))
    with pytest.raises((ValueError, np.linalg.LinAlgError)):
        f(x)
    with pytest.raises(ValueError):
        sct.forward(f)(x, np.ones_like(x))
    with pytest.raises(ValueError):
        sct.reverse(f)(x)


def multi_dot_listed(x):
    arrays = [x, x.T]
    return np.linalg.multi_dot(arrays)


def test_a_list_not_written_in_the_call_is_refused():
    with pytest.raises(sct.SCTError, match="written in the call"):
        sct.grad(multi_dot_listed)
