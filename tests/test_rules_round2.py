"""Second round of numpy and scipy rules: what the rule walk (tests/rule_inputs.py) cannot express —
lowered functions (np.hsplit, ...), list and tuple outputs, several outputs with different seeds."""
from __future__ import annotations

import numpy as np
import pytest
from every_mode import check_every_mode
from oracle import relative_error, richardson_difference

import sct

LOWERED_HERE = ("numpy.hsplit", "numpy.vsplit", "numpy.dsplit")


# ------------------------------------------------------------------------------------------- splitting
def hsplit(x):
    a, b = np.hsplit(x, 2)
    return a * np.cos(b)


def vsplit(x):
    a, b = np.vsplit(x, [1])
    return np.sum(a, axis=0) * b


def dsplit(x):
    a, b, c = np.dsplit(x, [1, 3])
    return a * c + np.sum(b, axis=2, keepdims=True)


def _total(f):
    def total(x):
        return np.sum(f(x) ** 2) * 0.5
    return total


@pytest.mark.parametrize("f, shape", [(hsplit, (4,)), (hsplit, (2, 4)), (hsplit, (2, 2, 3)), (vsplit, (3, 2)),
                                      (vsplit, (2, 2, 2)), (dsplit, (2, 1, 4)), (dsplit, (1, 2, 4, 2))])
def test_lowered_splits_in_every_mode(f, shape):
    x = np.random.default_rng(len(shape)).standard_normal(shape)
    out, _ = sct.forward(f)(x, np.ones(shape))
    assert np.array_equal(out, f(x))
    check_every_mode(f, _total(f), x)


def test_splits_numpy_refuses_are_refused():
    for f, x in ((vsplit, np.ones(3)), (dsplit, np.ones((2, 4))), (hsplit, np.ones(3))):
        with pytest.raises((ValueError, IndexError)):
            f(x)
        with pytest.raises((ValueError, IndexError)):
            sct.forward(f)(x, np.ones_like(x))


def pieces(x):
    return np.split(x * 2.0, [1, 3])


def pieces_of_a_matrix(x):
    return np.array_split(np.sin(x), 3, axis=1)


@pytest.mark.parametrize("f, shape", [(pieces, (4,)), (pieces, (5, 2)), (pieces_of_a_matrix, (2, 4)),
                                      (pieces_of_a_matrix, (1, 2))])
def test_a_list_of_pieces_returned(f, shape):
    x = np.random.default_rng(1).standard_normal(shape)
    v = np.random.default_rng(2).standard_normal(shape)
    value = f(x)
    out, tangent = sct.forward(f)(x, v)
    assert all(np.array_equal(p, q) for p, q in zip(out, value)) and len(tangent) == len(value)
    numeric = richardson_difference(lambda z: np.concatenate([np.ravel(p) for p in f(z)]), (x,), {0: v})
    assert relative_error(np.concatenate([np.ravel(t) for t in tangent]), numeric) < 1e-7
    seeds = [np.random.default_rng(3 + i).standard_normal(np.shape(p)) for i, p in enumerate(value)]
    bf = sct.reverse(f)
    for used in range(len(value)):  # one piece seeded at a time (the others unused), then all of them
        only = tuple(s if i == used else np.zeros_like(s) for i, s in enumerate(seeds))
        _, x_bar = bf(x, seed=only)
        along = richardson_difference(lambda z, k=used: f(z)[k], (x,), {0: v})
        assert abs(np.sum(x_bar * v) - np.sum(seeds[used] * along)) < 1e-7
    _, x_bar = bf(x, seed=tuple(seeds))
    assert abs(np.sum(x_bar * v) - np.dot(np.concatenate([np.ravel(s) for s in seeds]), numeric)) < 1e-7
