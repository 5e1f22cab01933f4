"""The logsumexp shift is dropped only where it provably cancels; every spelling is exact in every mode.

Recognised spellings lose the max's adjoint; lookalikes whose ``m`` does not cancel (a missing keepdims on
a square array, an add-back that reorders, picks or broadcasts entries, ``initial=``, a rebound source)
keep it and are compared with Richardson differences, like the cancelling ones, in every mode. Ties in
the max (a zero array: every entry ties) leave a cancelling shift's derivative exact.
"""
import numpy as np
import pytest
from every_mode import check_every_mode
from oracle import relative_error
from programs import shift_programs as sp

import sct

RNG = np.random.default_rng(11)
SQUARE = np.array([[0.5, -1.3, 2.0], [0.7, 0.1, -0.4], [1.1, 2.5, 0.3]])


def _points(func):
    three_axes = func in (sp.keep_both_axis_tuple_reordered, sp.leading_axes_no_keepdims)
    shapes = [(2, 1, 3), (1, 2, 2), (3, 2, 1)] if three_axes else [(3, 3), (1, 3), (3, 1), (1, 1), (4, 2)]
    points = [RNG.standard_normal(shape) - 0.5 for shape in shapes]
    return points + [np.zeros(shapes[0]), -np.abs(points[0])]


def _scalar(func):
    def g(x):
        return np.sum(np.cos(func(x)))
    return g


def _recognised(func) -> bool:
    return "extremum_adjoint" not in sct.reverse(func, wrt="x").source


@pytest.mark.parametrize("func", sp.CANCELLING)
def test_cancelling_shift_exact_in_every_mode_including_ties(func):
    assert _recognised(func) == (func in sp.RECOGNISED)
    for x in _points(func):
        check_every_mode(func, _scalar(func), x)
        _, default_seed = sct.reverse(_scalar(func), wrt="x")(x)
        assert relative_error(default_seed, sct.grad(_scalar(func), wrt="x")(x)) < 1e-12


@pytest.mark.parametrize("func", sp.NOT_CANCELLING)
def test_shift_that_does_not_cancel_keeps_its_derivative_in_every_mode(func):
    assert not _recognised(func)
    for x in (SQUARE, -SQUARE[::-1], SQUARE + 3.0 * np.eye(3)):
        check_every_mode(func, _scalar(func), x)
        _, default_seed = sct.reverse(_scalar(func), wrt="x")(x)
        assert relative_error(default_seed, sct.grad(_scalar(func), wrt="x")(x)) < 1e-12


def summed_rows(x):
    m = np.max(x, axis=1, keepdims=True)
    return np.sum(np.log(np.sum(np.exp(x - m), axis=1)) + m[:, 0])


def test_ties_do_not_change_a_recognised_gradient():
    x = np.array([[1.0, 1.0, 0.5], [2.0, -1.0, 2.0], [0.0, 0.0, 0.0]])
    assert _recognised(summed_rows)
    softmax = np.exp(x) / np.sum(np.exp(x), axis=1, keepdims=True)
    assert np.allclose(sct.grad(summed_rows, wrt="x")(x), softmax, rtol=1e-14)
