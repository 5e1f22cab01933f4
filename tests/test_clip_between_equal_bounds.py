"""``np.clip`` whose two bounds are equal.

The rule sends the adjoint to every operand equal to the result other than the clipped value: when
``a_min == a_max`` (bounds from the range of a size-1 sample, or one variable passed twice) and the value
is outside, both bounds get it, so the derivative is counted twice. ``np.clip(c, t, t) = t`` has
derivative 1 in ``t``; sct gives 2 in every mode. These tests were strict xfails until equal bounds
share the derivative (as ties of ``np.maximum`` do).
"""
import numpy as np
import pytest
from oracle import relative_error, richardson_difference

import sct

VALUES = np.array([-2.0, 0.3, 4.0])


def clipped_to_the_range_of_one_sample(x):
    sample = x[:1]
    return np.sum(np.clip(VALUES, np.min(sample), np.max(sample))) + np.sum(x[1:] ** 2)


def clipped_between_one_bound_twice(x):
    return np.sum(np.clip(VALUES, x[0], x[0]) * x[1])


@pytest.mark.parametrize("f", [clipped_to_the_range_of_one_sample, clipped_between_one_bound_twice])
@pytest.mark.parametrize("mode", ["forward", "reverse"])
def test_clip_between_equal_bounds(f, mode):
    x = np.array([0.53, -1.37])
    numeric = np.array([richardson_difference(f, (x,), {0: e}) for e in np.eye(2)])
    if mode == "reverse":
        got = sct.grad(f)(x)
    else:
        got = np.array([sct.forward(f)(x, e)[1] for e in np.eye(2)])
    assert relative_error(got, numeric) < 1e-7
