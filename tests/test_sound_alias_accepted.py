"""Aliasing and numpy's in-place semantics (tests/test_sound_alias_*.py): the analysis follows the data
flow in statement order, so a view bound after the write, a copy, fancy indexing and arithmetic are
accepted and differentiated exactly, also at second order; a helper's tangents do not alias the caller's.
"""
from __future__ import annotations

import numpy as np
import pytest
from alias_support import X4, bump, same
from oracle import check_both_modes

import sct

SCALE = 3.0


def double(a):
    return a * 2.0


# -------------------------------------------------------------------- accepted, and differentiated exactly
def aug_on_fresh_local(x):
    y = x * 1.0
    y += x
    y *= x
    return np.sum(y * y)


def aug_on_scalar(x):
    s = 0.0
    for i in range(4):
        s += x[i] * x[i]
    t = np.sum(x)
    t *= 2.0
    return s + t


def view_bound_after_write(x):
    z = x * 1.0
    z[0] = 0.0
    v = z[0:2]
    return np.sum(v * x[:2])


def view_copied_before_write(x):
    z = x * 1.0
    v = np.copy(z[0:2])
    z[0] = 0.0
    return np.sum(v * z[:2])


def fancy_index_is_a_copy(x):
    z = x * 1.0
    v = z[[0, 1]]
    m = z[z > 0.4]
    z[0] = 0.0
    return np.sum(v * z[:2]) + np.sum(m)


def arithmetic_is_a_copy(x):
    z = x * 1.0
    v = z * 1.0
    w = z.T.copy()
    z[1] = 3.0 * z[1]
    return np.sum(v * z * w)


def view_dead_after_write(x):
    z = x * 1.0
    v = z[1:]
    s = np.sum(v * v)
    z[1] = 0.0
    return s + np.sum(z)


def rebound_in_loop(x):
    z = x * 1.0
    for i in range(3):
        z = z
        z[i] = z[i] * 2.0
    return np.sum(z * x)


def alias_rebound_before_write(x):
    z = x * 1.0
    y = z
    y = y * 2.0
    y[0] = 1.0
    return np.sum(z * y)


def helper_returns_new(x):
    z = x * 1.0
    y = double(z)
    y[0] = 0.0
    return np.sum(y * z)


def branches_both_copy(x):
    z = x * 1.0
    if x[0] > 0:
        y = np.copy(z)
    else:
        y = z * 2.0
    y[1] = 0.0
    return np.sum(z * y)


def list_items_still_read(x):
    p = x * 1.0
    q = x * 2.0
    rows = []
    rows.append(p)
    rows.append(q)
    return np.sum(p * q) + np.sum(rows[0] * rows[1])


def loop_over_rebound_array(x):
    s = 0.0
    for row in x:
        s = s + row * row
        x = x * 2.0
    return s + np.sum(x)


def returned_view_of_written(x):
    z = x * 1.0
    z[1] += 5.0 * x[0]
    return z[1:]


def returned_item_of_written(x):
    z = x * 1.0
    z[1] += 5.0 * x[0]
    return z[1] * 1.0 + z[1]


def aug_on_a_global_number(x):
    t = SCALE
    t += np.sum(x * x)
    return t * SCALE


def printed(x):
    y = np.sin(x)
    print("y is", y.shape)
    return np.sum(y)


ACCEPTED = [aug_on_fresh_local, aug_on_scalar, view_bound_after_write, view_copied_before_write,
            fancy_index_is_a_copy, arithmetic_is_a_copy, view_dead_after_write, rebound_in_loop,
            alias_rebound_before_write, helper_returns_new, branches_both_copy, list_items_still_read,
            loop_over_rebound_array, returned_view_of_written, returned_item_of_written,
            aug_on_a_global_number, printed]


@pytest.mark.parametrize("func", ACCEPTED, ids=lambda f: f.__name__)
def test_unaliased_writes_are_exact(func, capsys):
    """Forward and reverse mode agree with central differences; the value is numpy's."""
    x = X4.copy()
    check_both_modes(func, (x,))
    assert np.array_equal(x, X4)
    expected = func(X4.copy())
    value, _ = sct.reverse(func)(X4.copy())
    assert np.allclose(value, expected, rtol=1e-12)
    default = sct.grad(func)(X4.copy()) if np.ndim(expected) == 0 else sct.reverse(func)(X4.copy())[1]
    u = np.ones(np.shape(expected))
    _, seeded = sct.reverse(func)(X4.copy(), seed=u)
    assert np.allclose(default, seeded)


def written_view(a):
    z = a * 1.0
    z[0] = 2.0 * z[0]
    return z[0:2]


def calls_written_view(x):
    y = written_view(x)
    return np.sum(y * y * x[:2])


def test_helper_returning_a_view_of_an_array_it_wrote():
    """The helper's reverse sweep writes back into ``z``; the value handed to the caller is a copy."""
    check_both_modes(calls_written_view, (X4.copy(),))
    assert np.allclose(sct.reverse(written_view)(X4.copy(), seed=np.ones(2))[0], written_view(X4.copy()))


def scaled_by_one_into_writing_helper(x):
    z = x * 1.0
    s = bump(z)
    return s + np.sum(x * x * x)


def writes_its_parameter(x):
    x[0] = 2.0 * x[1]
    return np.sum(x * x)


def test_helper_writing_into_a_tangent_that_aliases_the_callers():
    """``z = x * 1.0`` has tangent ``x_dot``; the helper writing into its parameter by index must not
    write into the caller's ``x_dot``."""
    f = scaled_by_one_into_writing_helper
    check_both_modes(f, (X4.copy(),))
    numeric = np.array([(f(X4 + e) - f(X4 - e)) / 2e-6 for e in np.eye(4) * 1e-6])
    assert np.allclose(sct.jacobian(f)(X4.copy()), numeric, rtol=1e-6)


def writes_its_parameter_through_a_helper(x):
    x = same(x)
    x[0] = 2.0 * x[1]
    return np.sum(x * x)


def test_forward_mode_leaves_the_callers_tangent_alone():
    """A parameter written by index, by its name or through an alias, gets a tangent of its own."""
    for func in (writes_its_parameter, writes_its_parameter_through_a_helper):
        tangent = np.array([1.0, 0.0, 0.0, 0.0])
        _, dot = sct.forward(func)(X4.copy(), tangent)
        assert np.array_equal(tangent, [1.0, 0.0, 0.0, 0.0])
        assert dot == pytest.approx(0.0)  # x[0] is overwritten: the first input no longer matters


@pytest.mark.parametrize("func", [aug_on_fresh_local, rebound_in_loop, fancy_index_is_a_copy,
                                  scaled_by_one_into_writing_helper, calls_written_view],
                         ids=lambda f: f.__name__)
def test_second_order_of_unaliased_writes(func):
    """The emitted derivative, transformed again, keeps the same storage discipline."""
    def gradient(x):
        return np.array([(func(x + e) - func(x - e)) / 2e-5 for e in np.eye(4) * 1e-5])

    numeric = np.array([(gradient(X4 + e) - gradient(X4 - e)) / 2e-4 for e in np.eye(4) * 1e-4])
    assert np.allclose(sct.hessian(func)(X4.copy()), numeric, rtol=1e-5, atol=1e-5)
