"""The stable-logsumexp idiom (analysis/idioms.py) treats the shift ``m`` as a constant only where the
function written is invariant in ``m``.

``log(sum(exp(a - m), axis)) + m`` equals logsumexp only when the ``m`` added back is, entry for entry,
the shift the sum removed. Each case below breaks that (a missing ``keepdims`` on a square array makes
``a - m`` broadcast along the wrong axis; a reshape that reorders or picks entries; a broadcast add), and
sct dropped ``m``'s derivative. The idiom now checks this; each case keeps
m's derivative.
"""
import numpy as np
import pytest
from oracle import relative_error, richardson_difference

import sct

A = np.array([[0.5, -1.3, 2.0], [0.7, 0.1, -0.4], [1.1, 2.5, 0.3]])
WEIGHTS = np.array([1.0, 2.0, 3.0])


def shift_without_keepdims(a):
    m = np.max(a, axis=1)
    r = np.log(np.sum(np.exp(a - m), axis=1)) + m
    return np.sum(r * WEIGHTS)


def shift_added_back_reversed(a):
    m = np.max(a, axis=1, keepdims=True)
    r = np.log(np.sum(np.exp(a - m), axis=1)) + m[::-1, 0]
    return np.sum(r * WEIGHTS)


def shift_added_back_broadcast(a):
    m = np.max(a, axis=1, keepdims=True)
    r = np.log(np.sum(np.exp(a - m), axis=1)) + m
    return np.sum(r * WEIGHTS)


def shift_added_back_first_row(a):
    m = np.max(a, axis=1, keepdims=True)
    r = np.log(np.sum(np.exp(a - m), axis=1)) + m[0]
    return np.sum(r * WEIGHTS)


def _numeric_gradient(f, a):
    rows = [richardson_difference(f, (a,), {0: e.reshape(a.shape)}) for e in np.eye(a.size)]
    return np.reshape(rows, a.shape)


@pytest.mark.parametrize("f", [shift_without_keepdims, shift_added_back_reversed, shift_added_back_broadcast,
                               shift_added_back_first_row])
def test_shift_that_does_not_cancel_keeps_its_derivative(f):
    numeric = _numeric_gradient(f, A)
    try:
        gradient = sct.grad(f)(A)
    except sct.SCTError:
        return  # refused at transform time: right too
    assert relative_error(gradient, numeric) < 1e-7
    v = np.arange(9.0).reshape(3, 3) - 4
    _, tangent = sct.forward(f)(A, v)
    assert abs(float(tangent) - float(np.sum(numeric * v))) < 1e-7 * max(1.0, abs(float(np.sum(numeric * v))))
