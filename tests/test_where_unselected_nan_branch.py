"""Wrong reverse-mode derivatives (NaN, no error) found by review: ``np.where`` guarding a branch that is
not finite where it is not taken.

``np.where(x > 0, np.sqrt(x), 0.0)`` at ``x < 0`` and ``np.where(x != 0, np.sin(x) / x, 1.0)`` at ``x = 0``:
forward mode gives the exact 0 for the entry the guard excludes; reverse mode sends a zero adjoint
through the partial of the branch not taken, ``0 * nan``, which sct guards (sct/analysis/exact_zeros.py).
"""
import numpy as np
import pytest
from oracle import relative_error, richardson_difference

import sct


def root_where_positive(x):
    return np.sum(np.where(x > 0, np.sqrt(x), 0.0))


def sinc_guarded_at_zero(x):
    return np.sum(np.where(x != 0, np.sin(x) / x, 1.0))


CASES = [(root_where_positive, np.array([0.53, -1.37, 2.21])), (sinc_guarded_at_zero, np.array([0.0, 1.0]))]


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@pytest.mark.parametrize("f, x", CASES)
def test_reverse_mode_of_a_guarded_branch(f, x):
    numeric = np.array([richardson_difference(f, (x,), {0: e}) for e in np.eye(x.size)])
    forward = np.array([sct.forward(f)(x, e)[1] for e in np.eye(x.size)])
    assert relative_error(forward, numeric) < 1e-7          # forward mode is right already
    gradient = sct.grad(f)(x)
    assert np.all(np.isfinite(gradient)) and relative_error(gradient, numeric) < 1e-7
