"""``np.clip`` whose two bounds are equal.

The rule sends the adjoint to every operand equal to the result other than the clipped value: when
``a_min == a_max`` (bounds from the range of a size-1 sample, or one variable passed twice) and the value
is outside, both bounds get it, so the derivative is counted twice. ``np.clip(c, t, t) = t`` has
derivative 1 in ``t``; sct gives 2 in every mode. These tests were strict xfails until equal bounds
share the derivative (as ties of ``np.maximum`` do).

A value equal to both bounds is no kink: ``np.clip(x, c, c)`` is ``c`` for every ``x``, so the derivative in
``x`` is 0 there too, and in bounds that move with a variable the result follows the bound. sct gave the
value the derivative (1) at ``x == c``, in every mode. The functions below are smooth at their points (the
bounds are equal), so differences check them exactly.
"""
import numpy as np
import pytest
from every_mode import check_every_mode
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


def value_at_both_constant_bounds(x):
    return np.clip(x, 0.3, 0.3) * x + np.clip(x, -0.0, 0.0) + x.clip(-1.2, -1.2) * x ** 2


def values_at_a_bound_passed_twice(x):
    return np.clip(x[:3], x[3], x[3]) * np.sin(x[:3])


def value_between_its_own_extremes(x):
    return np.clip(x, np.min(x), np.max(x)) ** 2 * np.cos(x)


def _total(f):
    def total(x):
        return np.sum(np.sin(f(x)))
    return total


value_at_both_constant_bounds_total = _total(value_at_both_constant_bounds)
values_at_a_bound_passed_twice_total = _total(values_at_a_bound_passed_twice)
value_between_its_own_extremes_total = _total(value_between_its_own_extremes)


@pytest.mark.parametrize("f, x", [
    (value_at_both_constant_bounds, np.array([0.3, 0.0, -1.2, 0.7, -0.0])),
    (values_at_a_bound_passed_twice, np.array([-0.4, 1.5, -0.4, -0.4])),
    (values_at_a_bound_passed_twice, np.array([0.0, 0.0, 2.0, 0.0])),
    (value_between_its_own_extremes, np.array([-0.8])),
    (value_between_its_own_extremes, np.array([0.0])),
], ids=["constant-bounds", "bound-twice", "bound-twice-at-zero", "size-1-range", "size-1-range-at-zero"])
def test_a_value_at_both_bounds_follows_the_bounds(f, x):
    check_every_mode(f, globals()[f.__name__ + "_total"], x)
