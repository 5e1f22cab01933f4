"""Declaring, re-declaring and removing ``sct.primitive`` rules: derivatives follow every change, ufuncs are
declared by their inputs, names that would clash with sct's own are refused or kept apart. The oracle is
central differences (tests/every_mode.py) or derivatives known by hand.
"""
# ruff: noqa: F821, F841  (rule bodies use names bound when they are spliced)
from __future__ import annotations

import numpy as np
import pytest
from every_mode import check_every_mode

import sct


def declare(name: str, handle):
    """Bind ``handle`` as this module's global ``name`` (the functions below call it so)."""
    globals()[name] = handle
    return handle


def ksin(x):
    return 2.0 * np.sin(x)


# --------------------------------------------------------------- A3, B3: re-declared and removed rules
def square(x):
    return x * x


def through_square(x):
    return np.sum(square(x))


def test_derivatives_follow_rules_declared_again_and_removed():
    x = np.array([1.0, 2.0])
    handle = sct.primitive(square, batch="safe")
    declare("square", handle)
    try:
        @handle.tangent
        def _(z, x):
            z_dot = 3 * x * x_dot  # deliberately not the body's derivative: the rules are what counts

        @handle.adjoint
        def _(z, x):
            x_bar = 3 * x * z_bar

        assert np.allclose(sct.grad(through_square)(x), 3 * x)
        assert np.allclose(sct.hessian(through_square)(x), 3 * np.eye(2))

        @handle.tangent
        def _(z, x):
            z_dot = 2 * x * x_dot

        @handle.adjoint
        def _(z, x):
            x_bar = 2 * x * z_bar

        assert np.allclose(sct.grad(through_square)(x), 2 * x)
        assert np.isclose(sct.forward(through_square)(x, np.ones(2))[1], 6.0)
        assert np.allclose(sct.jacobian(through_square, mode="reverse")(x), 2 * x)
        assert np.allclose(sct.hessian(through_square)(x), 2 * np.eye(2))
    finally:
        handle.remove()
    assert np.allclose(sct.grad(through_square)(np.array([3.0, 1.0])), [6.0, 2.0])  # through its body
    assert "square(" not in sct.reverse(through_square).source.split("def diff_through_square")[1]

    def fresh(x):
        return np.sum(square(x) * x)

    assert np.allclose(sct.grad(fresh)(x), 3 * x ** 2)  # the handle, now plain, is differentiated through
    numpy_handle = sct.primitive(np.vecdot)
    numpy_handle.remove()
    with pytest.raises(sct.SCTError, match="vecdot"):  # a numpy function is back to having no rule
        sct.grad(uses_vecdot)(x)


def uses_vecdot(x):
    return np.vecdot(x, x)


# ------------------------------------------------------------------------- B1: numpy ufuncs
def test_a_ufunc_is_declared_by_its_inputs():
    vecdot = sct.primitive(np.vecdot)
    try:
        with pytest.raises(sct.DeclarationError, match="the ufunc takes 2 input"):
            @vecdot.tangent
            def _(z, x1, x2, out=None, axis=None):
                z_dot = np.vecdot(x1_dot, x2) + np.vecdot(x1, x2_dot)

        @vecdot.elementwise
        def _(z, a, b):
            return b, a

        x = np.array([1.0, 2.0])
        assert np.allclose(sct.grad(uses_vecdot)(x), 2 * x)
        with pytest.raises(sct.SCTError, match="out="):
            sct.grad(vecdot_into)(x)
    finally:
        vecdot.remove()


def vecdot_into(x):
    out = np.zeros(())
    return np.vecdot(x, x, out=out)


# ------------------------------------------------------------ B5: names of sct's runtime helpers
def test_a_primitive_named_like_a_runtime_helper_is_refused():
    def unbroadcast(x):
        return x ** 3

    def renamed(x):
        return x ** 3

    with pytest.raises(sct.DeclarationError, match="'unbroadcast' is the name of one of sct's runtime"):
        sct.primitive(unbroadcast)
    with pytest.raises(sct.DeclarationError, match="'lift'"):
        sct.primitive(renamed, name="tests.lift")


@pytest.fixture
def cube_as_lift():
    """A primitive the caller calls by a runtime helper's name."""
    def cube(x):
        return x ** 3

    handle = sct.primitive(cube)

    @handle.elementwise
    def _(z, x):
        return 3 * x ** 2

    yield declare("lift", handle)
    handle.remove()
    del globals()["lift"]


def through_lift(x):
    return lift(x) * np.sin(x)


def through_lift_total(x):
    return np.sum(np.sin(x) ** 2 * lift(x))


def test_a_primitive_bound_to_a_runtime_helpers_name(cube_as_lift):
    check_every_mode(through_lift, through_lift_total, np.array([0.3, -1.2, 0.5]))


# ------------------------------------------------------------------------------ declarations
def test_partials_are_one_return_statement():
    handle = sct.primitive(ksin)
    try:
        with pytest.raises(sct.DeclarationError, match="one `return` statement"):
            @handle.elementwise
            def _(z, x):
                slope = 2.0 * np.cos(x)
                return slope
    finally:
        handle.remove()
