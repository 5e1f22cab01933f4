"""Evaluation order: what the derivative evaluates, and when, must be what the function evaluates.

Tuple assignment evaluates the whole right side before binding any target (swaps, time steppers,
nested tuples, subscript targets), in loops, branches and at top level.
"""
import numpy as np
import pytest
from oracle import central_difference, relative_error
from order_support import check_all

import sct


# ------------------------------------------------------------------------------------ tuple assignment
def fibonacci_like(x):
    a, b = 1.0, 1.0
    for _ in range(4):
        a, b = b, a + b * x
    return b


def oscillator(x, v):
    dt = 0.1
    for _ in range(6):
        x, v = x + dt * v, v - dt * x
    return x * v


def oscillator_array(x, v):
    dt = 0.05
    for _ in range(5):
        x, v = x + dt * v, v - dt * np.sin(x)
    return np.sum(x * v)


def swap_top_level(a, b):
    a, b = b, a
    return a * 2.0 + b * 3.0 + a * b


def swap_twice_then_update(x):
    a, b = x, 2 * x
    a, b = b, a
    a, b = b + a, a * b
    return a + b


def top_level_step(a, b, x):
    a, b = b, a + b * x
    return a * b


def nested_tuples(a, b):
    (a, b), c = (b, a * b), a
    return a + 2 * b + 3 * c


def swap_list_display(x):
    a, b = 1.0, x
    a, b = [b, a * a]
    return a + b


def branch_swap(x):
    a, b = x[0], x[1]
    if a > 0:
        a, b = b * a, a - b
    else:
        a, b = b, a
    return a * b


def loop_elementwise(x):
    a, b = 0.0, 1.0
    for _ in range(3):
        a, b = np.sin(b), a * x
    return a + b


def subscript_swap(y):
    y = y * 1.0
    for _ in range(3):
        y[0], y[1] = y[1], y[0] * y[2]
    return y


def subscript_then_name(x):
    z = x * 1.0
    w = z
    z[0], b = 5.0, w[0] * 1.0
    return b * z


def subscript_then_view(x):
    z = x * 1.0
    w = z
    z[0], b = 5.0, w[0]  # w[0] of an N-d z is a view: the write would change b too
    return b * z


def index_bound_first(x):
    y = np.zeros(3)
    i = 0
    i, y[i] = 1, x
    return y * np.arange(3.0)


def while_stepper(x, n):
    s, p, k = 0.0, x, 0
    while k < n:
        s, p, k = s + p, p * x, k + 1
    return s


def pair(u):
    return u * 2.0, u * u


def nested_call_reads_rebound(x):
    a = x
    (a, b), c = pair(a), a
    return a + b * c


def list_target_from_call(x):
    [a, b] = pair(x)
    return a * b


def subscript_target_from_call(x):
    y = np.zeros(3)
    i = 0
    y[i], i = pair(x)
    return y[0] * 2.0 + i


def subscript_targets_in_loop(x):
    y = np.zeros(3)
    for k in range(2):
        y[k], y[k + 1] = pair(x * y[k] + 1.0)
    return np.sum(y)


def nested_pair(u):
    return (u * 2.0, u * u), u + 1.0


def nested_unpack_of_a_call(x):
    (a, b), c = nested_pair(x)
    return a + b * c


TUPLE_CASES = [
    (fibonacci_like, (1.3,), 0),
    (oscillator, (1.0, 0.5), 0),
    (oscillator, (1.0, 0.5), 1),
    (oscillator_array, (np.array([0.3, -1.2, 2.0]), np.array([1.0, 0.5, -0.2])), 0),
    (swap_top_level, (1.0, 2.0), 0),
    (swap_twice_then_update, (1.3,), 0),
    (top_level_step, (1.0, 2.0, 3.0), 0),
    (top_level_step, (1.0, 2.0, 3.0), 2),
    (nested_tuples, (1.5, 2.0), 0),
    (nested_tuples, (1.5, 2.0), 1),
    (swap_list_display, (1.3,), 0),
    (branch_swap, (np.array([1.5, 2.0]),), 0),
    (branch_swap, (np.array([-1.5, 2.0]),), 0),
    (loop_elementwise, (1.3,), 0),
    (subscript_swap, (np.array([1.0, 2.0, 3.0]),), 0),
    (subscript_then_name, (np.array([1.0, 2.0]),), 0),
    (index_bound_first, (1.3,), 0),
    (while_stepper, (1.3, 4), 0),
    (nested_call_reads_rebound, (1.3,), 0),
    (list_target_from_call, (1.3,), 0),
    (subscript_target_from_call, (1.3,), 0),
    (subscript_targets_in_loop, (1.3,), 0),
]


@pytest.mark.parametrize("f, args, wrt_index", TUPLE_CASES, ids=lambda c: getattr(c, "__name__", None))
def test_tuple_assignment_evaluates_the_right_side_first(f, args, wrt_index):
    check_all(f, args, wrt_index)


def test_tuple_assignment_reading_a_number_of_a_written_array_is_exact():
    """``w[0]`` of a 1-d array is a number: a copy, read before the write (tests/test_element_reads.py)."""
    check_all(subscript_then_view, (np.array([1.0, 2.0, 3.0]),), 0)


@pytest.mark.parametrize("mode", ["forward", "reverse"])
def test_tuple_assignment_reading_a_view_of_a_written_array_is_refused(mode):
    x = np.array([[1.0, 2.0], [3.0, 4.0]])
    args = (x, np.ones_like(x)) if mode == "forward" else (x,)
    with pytest.raises(ValueError, match="reads an array"):
        getattr(sct, mode)(subscript_then_view)(*args)


def test_nested_unpacking_of_a_differentiable_value():
    """``(a, b), c = f(x)``: the inner pair is unpacked by index, its length checked as Python does."""
    check_all(nested_unpack_of_a_call, (1.3,), 0)
    check_all(nested_unpack_of_a_call, (np.array([0.4, -1.1]),), 0)


def test_time_stepper_second_derivatives():
    """The stepper goes through every stage: Jacobians in both modes and Hessian-vector products."""
    x, v = np.array([0.3, -1.2, 2.0]), np.array([1.0, 0.5, -0.2])
    jf = sct.jacobian(oscillator_array, wrt="x", mode="forward")(x, v)
    jr = sct.jacobian(oscillator_array, wrt="x", mode="reverse")(x, v)
    assert np.allclose(jf, jr)
    hv = sct.hvp(oscillator_array, wrt="x")(x, v, np.ones(3))
    grad = sct.grad(oscillator_array, wrt="x")
    numeric = central_difference(lambda y: grad(y, v), (x,), 0, np.ones(3))
    assert relative_error(hv, numeric) < 1e-6
