"""The runtime helpers' fast paths (an int index, axis 0, a scalar's adjoint, a term without NaN) give what
their general paths give, and a recurrent loop that takes them has the gradient of central differences."""
from __future__ import annotations

import numpy as np
import pytest
from oracle import check_both_modes

from sct.runtime.broadcasting import unbroadcast, unreduce
from sct.runtime.guards import zero_where_undefined
from sct.runtime.indexing import accumulate_at, shape_of, split_like, written_adjoint

RNG = np.random.default_rng(7)


def test_unguarded_term_is_returned_as_it_is():
    term = RNG.standard_normal(5)
    assert zero_where_undefined(np.zeros(5), term) is term
    assert zero_where_undefined(0.0, 2.5) == 2.5


def test_guard_still_zeroes_nan_where_the_factor_is_zero():
    factor = np.array([0.0, 1.0, 0.0])
    term = np.array([np.nan, np.nan, 3.0])
    out = zero_where_undefined(factor, term)
    assert out[0] == 0.0 and np.isnan(out[1]) and out[2] == 3.0
    assert zero_where_undefined(0.0, float("nan")) == 0.0


@pytest.mark.parametrize("index", [1, np.int64(1), (1, slice(None)), np.array([1, 1])])
def test_accumulate_at_an_int_as_any_index(index):
    target, value = RNG.standard_normal((3, 4)), RNG.standard_normal(4)
    expected = target.copy()
    np.add.at(expected, index, value)
    accumulate_at(target, index, value)
    assert np.array_equal(target, expected)


def test_written_adjoint_at_an_int_is_a_copy():
    g = RNG.standard_normal((3, 4))
    item = written_adjoint(g, 2)
    g[2] = 0.0
    assert item.any() and item.shape == (4,)


@pytest.mark.parametrize("shape", [(9,), (9, 2)])
def test_split_like_along_axis_0(shape):
    g = RNG.standard_normal(shape)
    parts = [np.ones((n,) + shape[1:]) for n in (2, 3, 4)]
    for piece, expected in zip(split_like(g, parts, 0), np.split(g, [2, 5])):
        assert np.array_equal(piece, expected)


@pytest.mark.parametrize("x", [2.0, np.float64(2.0), np.array(2.0)])
def test_unbroadcast_to_a_scalar_sums_everything(x):
    g = RNG.standard_normal((3, 4))
    assert np.shape(unbroadcast(g, x)) == () and np.isclose(unbroadcast(g, x), np.sum(g))


@pytest.mark.parametrize("g", [2.0, np.float32(3.0), np.array(4.0), np.arange(3.0)[1:2].reshape(()), 5, True])
def test_unreduce_of_a_scalar_is_a_read_only_broadcast(g):
    x = np.ones((3, 4))
    spread, expected = unreduce(g, x), np.broadcast_to(np.asarray(g), x.shape)
    assert spread.dtype == expected.dtype and np.array_equal(spread, expected)
    assert not spread.flags.writeable


def test_shape_of_a_small_array():
    value = RNG.standard_normal((2, 3)).astype(np.float32)
    stand_in = shape_of(value)
    assert stand_in.shape == value.shape and stand_in.dtype == value.dtype and not stand_in.any()


def _sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def _cell(w, h, c):
    gates = np.concatenate((h, h)) * w
    n = h.shape[0]
    c = c * _sigmoid(gates[:n]) + np.tanh(gates[n:])
    return np.tanh(c) * _sigmoid(gates[:n]), c


def recurrent(w, state):
    """Rows of ``state`` rewritten in a loop by a helper (an int index, a concatenation, a guarded
    sigmoid): the shape of GradBench's lstm."""
    s = state.copy()
    total = 0.0
    for i in range(0, len(s), 2):
        s[i], s[i + 1] = _cell(w[i], s[i], s[i + 1])
        total += np.sum(s[i]) - np.log(np.sum(np.exp(s[i])) + 2)
    return total


def test_recurrent_loop_gradient_matches_differences():
    w, state = RNG.standard_normal((4, 6)), RNG.standard_normal((4, 3))
    check_both_modes(recurrent, (w, state), wrt_index=0)
    check_both_modes(recurrent, (w, state), wrt_index=1)
