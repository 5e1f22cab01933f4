"""Function-valued arguments (sct.specialise): a derivative called with a function for a parameter it
calls, or passes on to a helper, is made for that function; helpers called with functions are derived
for each; two functions never share a derivative. Checked in every mode against Richardson differences,
a nested saddle-like solve in the four combinations of modes against its closed form, and the refusals."""
from __future__ import annotations

import numpy as np
import pytest
from every_mode import check_every_mode, richardson_grad
from oracle import relative_error, richardson_difference

import sct
from sct.errors import SCTError

C = np.array([0.5, -1.5, 2.0])
X = np.array([0.3, -0.7, 1.1])
POINTS = [X, np.array([0.0, -0.4, 0.0]), np.array([[-1.2]])]  # a zero, negatives, size-1 axes


def soft(x):
    return np.tanh(x) * x


def wave(x):
    return np.sin(3.0 * x) + x ** 2


def apply(x, act):
    """An array-valued function calling its function argument."""
    return act(x) * np.cos(x) + act(2.0 * x)


def total(x, act):
    return np.sum(apply(x, act) ** 2) + np.sum(act(x))


def through_helper(act, x):
    """A helper that calls the function it is given."""
    return act(x) * x


def passes_on(x, act):
    """Passes its function argument to a helper."""
    return through_helper(act, x) + np.exp(0.1 * x)


def sum_passes_on(x, act):
    return np.sum(passes_on(x, act) ** 2)


@pytest.mark.parametrize("point", POINTS, ids=["x", "zero", "size-1"])
@pytest.mark.parametrize("act", [soft, wave])
def test_plain_function_in_every_mode(act, point):
    check_every_mode(apply, total, point, act)


@pytest.mark.parametrize("act", [soft, wave])
def test_function_passed_on_to_a_helper_in_every_mode(act):
    check_every_mode(passes_on, sum_passes_on, X, act)


def test_two_functions_two_derivatives():
    """The cache is keyed by the functions passed: alternate calls never reuse the other's code."""
    gradient = sct.grad(total, wrt="x")
    forward = sct.forward(apply, wrt="x")
    v = np.array([1.0, -0.5, 0.25])
    for act in (soft, wave, soft, wave):
        assert relative_error(gradient(X, act), richardson_grad(total, (X, act))) < 1e-7
        numeric = richardson_difference(apply, (X, act), {0: v})
        assert relative_error(forward(X, act, v)[1], numeric) < 1e-7
    assert relative_error(gradient(X, soft), gradient(X, wave)) > 1e-3


def inner(x, c):
    return np.sum(np.sin(c * x) * x)


def uses_derivative(x, derivative):
    """Calls the derivative it is given: nested AD through a function argument."""
    return np.sum(derivative(x, C) ** 2) + np.sum(x)


def scaled_derivative(x, derivative):
    return derivative(x, C) * C


@pytest.mark.parametrize("made", [sct.grad(inner), sct.jacobian(inner, mode="forward")],
                         ids=["grad", "forward-jacobian"])
def test_derivative_as_argument_in_every_mode(made):
    check_every_mode(scaled_derivative, uses_derivative, X, made)


def cubed(x):
    return x ** 3


def squared(x):
    return x * x


def twice(x):
    """One caller, one helper, two functions: two derivatives of the helper."""
    return through_helper(cubed, x) + through_helper(squared, x) * 2.0


def test_helper_specialised_on_two_functions():
    check_every_mode(twice, sum_twice, X)
    source = sct.reverse(twice).source
    assert "through_helper__cubed" in source and "through_helper__squared" in source


def sum_twice(x):
    return np.sum(twice(x))


# ------------------------------------------------------------------ a saddle-like nested solve, four ways
def saddle(p1, p2):
    return np.sum(p1 ** 2) - np.sum((p2 - 0.5 * p1) ** 2) + np.sum(p1 * p2)


def negated(p2, p1):
    return -saddle(p1, p2)


def argmin(f, gradient, x, data):
    """Gradient descent until the gradient is small: a loop whose exits read differentiated values."""
    fx = f(x, data)
    gx = gradient(x, data)
    while True:
        if np.sqrt(np.sum(gx ** 2)) <= 1e-10:
            return x
        x_new = x - 0.25 * gx
        fx_new = f(x_new, data)
        if fx_new < fx:
            x = x_new
            fx = fx_new
            gx = gradient(x, data)
        else:
            return x


def max_saddle(p1, start, inner_gradient):
    return saddle(p1, argmin(negated, inner_gradient, start, p1))


def gradient_by(mode, func, wrt):
    return sct.grad(func, wrt=wrt) if mode == "r" else sct.jacobian(func, wrt=wrt, mode="forward")


@pytest.mark.parametrize("modes", ["ff", "fr", "rf", "rr"])
def test_nested_solve_four_ways(modes):
    """The max over p2 is at p2 = p1, 1.75 |p1|^2, whose gradient is 3.5 p1: taken through the solve (it
    stops at a tolerance: the inner argmin is exact to about 1e-10)."""
    inner_gradient = gradient_by(modes[1], negated, "p2")
    outer = gradient_by(modes[0], max_saddle, "p1")
    p1, start = np.array([0.4, -0.8]), np.array([0.0, 0.0])
    assert relative_error(outer(p1, start, inner_gradient), 3.5 * p1) < 1e-8


# --------------------------------------------------------------------------------------- the refusals
def test_no_function_passed_is_refused():
    gradient = sct.grad(total, wrt="x")
    with pytest.raises(SCTError, match="called with a function for 'act'"):
        gradient(X, 2.0)


def test_function_without_source_is_refused():
    with pytest.raises(SCTError, match="cannot differentiate a lambda"):
        sct.grad(total, wrt="x")(X, lambda x: x ** 2)
    with pytest.raises(SCTError, match="cannot"):
        sct.grad(total, wrt="x")(X, _Opaque())


class _Opaque:
    def __call__(self, x):
        return x * 2.0


def test_function_in_wrt_is_refused():
    with pytest.raises(TypeError, match="is a function"):
        sct.grad(total, wrt="act")(X, soft)


def shadowed(x, soft):
    """A parameter spelled like a global function: the argument, never the global."""
    return soft(x) * 2.0


def rebound_locally(x):
    soft = wave
    return soft(x)


def test_own_names_hide_globals():
    expected = 2.0 * 3.0 * np.cos(3.0 * X) + 4.0 * X
    assert relative_error(sct.grad(sum_shadowed)(X), expected) < 1e-12
    with pytest.raises(SCTError, match="call through the local name `soft`"):
        sct.grad(rebound_locally)(X)


def sum_shadowed(x):
    return np.sum(shadowed(x, wave))


def calls_recursively(f, x, n):
    if n == 0:
        return f(x)
    return calls_recursively(f, x, n - 1)


def starts_recursion(x):
    return np.sum(calls_recursively(soft, x, 2))


def test_recursion_through_a_function_argument_is_refused():
    with pytest.raises(SCTError, match="function argument"):
        sct.grad(starts_recursion)(X)


def with_default(x, act=np.tanh):
    return act(x) * x


def calls_with_another(x):
    """A helper whose function parameter has a default, called with another function."""
    return np.sum(with_default(x, act=np.sin)) + np.sum(with_default(x))


def test_helper_default_replaced_by_the_function_passed():
    expected = np.sin(X) + X * np.cos(X) + np.tanh(X) + X / np.cosh(X) ** 2
    assert relative_error(sct.grad(calls_with_another)(X), expected) < 1e-12
    assert relative_error(sct.grad(calls_with_another)(X), richardson_grad(calls_with_another, (X,))) < 1e-7


def test_function_passed_is_watched(monkeypatch):
    """A global that the function passed calls is rebound: the derivative made for it is made again."""
    gradient = sct.grad(total, wrt="x")
    before = gradient(X, calls_global)
    monkeypatch.setattr(__import__(__name__), "CALLED", wave)
    after = gradient(X, calls_global)
    assert relative_error(before, richardson_grad(total, (X, soft))) < 1e-7
    assert relative_error(after, richardson_grad(total, (X, wave))) < 1e-7


CALLED = soft


def calls_global(x):
    return CALLED(x)
