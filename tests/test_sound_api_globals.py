"""The API and the emitted module see what the function sees, and change nothing the caller gave
(tests/test_sound_api_*.py).

Derivatives that kept a module global, array, helper, closure value or default value from the time
they were emitted (also at higher order, and a global that shadows a builtin later).
"""
from __future__ import annotations

import numpy as np
import pytest
from api_support import numeric_gradient
from oracle import central_difference, check_both_modes, relative_error

import sct

SCALE = 2.0
WEIGHTS = np.array([1.0, 2.0, 3.0])


def helper(x):
    return x * 2.0


def uses_globals(x):
    return SCALE * np.sum(WEIGHTS * x) + helper(x[0])


def with_default(x, a=SCALE):
    return a * np.sin(x)


# ------------------------------------------------------------------------------ stale derivatives
@pytest.mark.parametrize("rebind", ["scalar", "array", "helper", "all"])
def test_rebound_globals_are_seen(monkeypatch, rebind):
    x = np.array([0.3, -1.2, 2.0])
    existing = sct.grad(uses_globals)
    forward = sct.forward(uses_globals)
    existing(x)  # emitted and used before the rebinding
    forward(x, np.ones(3))

    def tripled(x):
        return x * 3.0 + x ** 2

    if rebind in ("scalar", "all"):
        monkeypatch.setitem(globals(), "SCALE", -5.0)
    if rebind in ("array", "all"):
        monkeypatch.setitem(globals(), "WEIGHTS", np.array([0.5, 0.0, -4.0]))
    if rebind in ("helper", "all"):
        monkeypatch.setitem(globals(), "helper", tripled)
    expected = numeric_gradient(uses_globals, (x,))
    assert relative_error(existing(x), expected) < 1e-6
    assert relative_error(sct.grad(uses_globals)(x), expected) < 1e-6
    _, tangent = forward(x, np.array([1.0, 0.0, 0.0]))
    assert relative_error(tangent, expected[0]) < 1e-6
    check_both_modes(uses_globals, (x,))


def test_rebound_helper_in_a_helper_is_redifferentiated(monkeypatch):
    def outer(x):
        return helper(x) * x

    gradient = sct.grad(outer)
    assert relative_error(gradient(1.5), 6.0) < 1e-12
    monkeypatch.setitem(globals(), "helper", np.cos)  # a library function now: its rule applies
    assert relative_error(gradient(1.5), np.cos(1.5) - 1.5 * np.sin(1.5)) < 1e-12
    monkeypatch.setitem(globals(), "helper", lambda v: v)  # a lambda: refused, not silently stale
    with pytest.raises(sct.SCTError):
        gradient(1.5)


def test_closure_values_are_read_when_called():
    def make():
        k = 2.0
        w = np.array([1.0, -1.0])

        def f(x):
            return k * np.sum(w * x ** 2)

        def set_(new_k, new_w):
            nonlocal k, w
            k, w = new_k, new_w
        return f, set_

    f, set_ = make()
    x = np.array([0.5, 2.0])
    g = sct.grad(f)
    df = sct.forward(f)
    assert relative_error(g(x), numeric_gradient(f, (x,))) < 1e-6
    set_(-3.0, np.array([4.0, 0.25]))
    assert relative_error(g(x), numeric_gradient(f, (x,))) < 1e-6
    assert relative_error(df(x, np.ones(2))[1], np.sum(numeric_gradient(f, (x,)))) < 1e-6


def test_default_values_are_the_functions_own(monkeypatch):
    monkeypatch.setitem(globals(), "SCALE", 10.0)  # the default was evaluated at def time: 2.0
    assert with_default(1.0) == 2.0 * np.sin(1.0)
    assert relative_error(sct.grad(with_default)(0.4), 2.0 * np.cos(0.4)) < 1e-12
    assert relative_error(sct.forward(with_default)(0.4, 1.0)[1], 2.0 * np.cos(0.4)) < 1e-12
    with_default.__defaults__ = (-1.5,)
    try:
        assert relative_error(sct.grad(with_default)(0.4), -1.5 * np.cos(0.4)) < 1e-12
    finally:
        with_default.__defaults__ = (2.0,)

    def calls_default(x):
        return with_default(x) * x

    expected = central_difference(calls_default, (0.7,), 0, 1.0)
    assert relative_error(sct.grad(calls_default)(0.7), expected) < 1e-6


def test_higher_derivatives_follow_a_rebound_helper(monkeypatch):
    def outer(x):
        return np.sum(helper(x) * x)

    x = np.array([0.5, -1.0])
    held = sct.hessian(outer)
    assert relative_error(held(x), 4.0 * np.eye(2)) < 1e-12
    monkeypatch.setitem(globals(), "helper", np.sin)
    expected = np.diag(2 * np.cos(x) - x * np.sin(x))
    assert relative_error(held(x), expected) < 1e-12
    assert relative_error(sct.hessian(outer)(x), expected) < 1e-12
    assert relative_error(sct.hvp(outer)(x, np.ones(2)), expected @ np.ones(2)) < 1e-12
    assert relative_error(sct.jacobian(outer)(x), 2 * x * 0 + np.sin(x) + x * np.cos(x)) < 1e-12


def counts(x):
    return np.sum(x) * len(x)


def test_a_global_that_shadows_a_builtin_later_is_seen(monkeypatch):
    x = np.ones(3)
    g = sct.grad(counts)
    assert g(x).tolist() == [3.0, 3.0, 3.0]
    monkeypatch.setitem(globals(), "len", lambda v: 2.0)
    with pytest.raises(sct.SCTError):  # a lambda now: sct cannot see into it, and says so
        g(x)
    monkeypatch.setitem(globals(), "len", np.size)
    assert g(x).tolist() == [3.0, 3.0, 3.0]
    monkeypatch.delitem(globals(), "len")
    assert g(x).tolist() == [3.0, 3.0, 3.0]
