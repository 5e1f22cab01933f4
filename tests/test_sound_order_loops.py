"""Evaluation order: what the derivative evaluates, and when, must be what the function evaluates.

A loop bound or loop variable rebound in the body: the reverse sweep replays the iterations that ran.
"""
import numpy as np
import pytest
from order_support import check_all


# -------------------------------------------------------------- loop headers the body changes
def bound_rebound(x):
    n = 3
    s = 0.0
    for i in range(n):
        s = s + x * i
        n = 1
    return s


def start_and_bound_rebound(x):
    n = 4
    s = x
    for i in range(1, n):
        s = s * (x + i)
        n = n - 1
    return s


def bound_grows(x, w):
    s = 0.0
    n = 2
    for i in range(n):
        n = n + 1
        s = s + x[i] * w
        w = w * 2.0
    return s


def loop_variable_rebound(x):
    s = 0.0
    for i in range(3):
        i = i * 2
        s = s + x ** i
    return s


def nested_loop_variables_rebound(x):
    s = 0.0
    for i in range(3):
        for j in range(i):
            j = j + 1
            s = s + x * j
        i = 5
    return s


def bound_from_active_shape(x):
    s = 0.0
    for _ in range(x.shape[0] - 1):
        s = s + x[0] * x[1]
        x = x[1:] * 1.5
    return s


def bound_from_length_rebound(x):
    s = x
    y = x * 1.0
    for i in range(len(y)):
        y = np.concatenate([y, y])
        s = s * 1.1 + y[i]
    return np.sum(s)


def loop_variable_read_before(x):
    i = 2
    y = x[i] * x
    s = 0.0
    for i in range(3):
        s = s + x[i]
    return np.sum(y) + s


def same_variable_nested(x):
    s = 0.0
    for i in range(2):
        for i in range(3):
            s = s + x[i] * s
        s = s + x[i] * 2.0
    return s


def loop_variable_read_after(x):
    s = 0.0
    for i in range(3):
        s = s + x[i] * x[0]
    return s * x[i]


def break_with_rebound_bound(x):
    n = 5
    s = x
    for _i in range(n):
        n = 2
        s = s * x
        if s > 4.0:
            break
    return s


def while_condition_rebound(x):
    k = 0
    s = x
    while k < 3:
        s = s * x
        k = k + 2
        if s > 100.0:
            k = k - 1
    return s


def rebound_in_outer_loop(x):
    n = 1
    s = x
    for _ in range(3):
        for _ in range(n):
            s = s * x
        n = n + 1
    return s


LOOP_CASES = [
    (bound_rebound, (1.5,), 0),
    (start_and_bound_rebound, (1.5,), 0),
    (bound_grows, (np.array([1.0, 2.0, 3.0]), 1.3), 0),
    (bound_grows, (np.array([1.0, 2.0, 3.0]), 1.3), 1),
    (loop_variable_rebound, (1.5,), 0),
    (nested_loop_variables_rebound, (1.5,), 0),
    (bound_from_active_shape, (np.array([1.0, -2.0, 3.0, 0.5]),), 0),
    (bound_from_length_rebound, (np.array([1.0, 2.0]),), 0),
    (loop_variable_read_before, (np.array([1.0, 2.0, 3.0]),), 0),
    (same_variable_nested, (np.array([1.0, 2.0, 3.0]),), 0),
    (loop_variable_read_after, (np.array([1.0, 2.0, 3.0]),), 0),
    (break_with_rebound_bound, (1.5,), 0),
    (break_with_rebound_bound, (2.5,), 0),
    (while_condition_rebound, (1.5,), 0),
    (while_condition_rebound, (5.0,), 0),
    (rebound_in_outer_loop, (1.1,), 0),
]


@pytest.mark.parametrize("f, args, wrt_index", LOOP_CASES, ids=lambda c: getattr(c, "__name__", None))
def test_reverse_sweep_replays_the_iterations_that_ran(f, args, wrt_index):
    check_all(f, args, wrt_index)
