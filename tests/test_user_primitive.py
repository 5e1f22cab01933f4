"""A primitive declared once, in this file, through the public API, used by every mode.

``sct.primitive`` makes a function (the user's own, or a numpy function sct has no rule for) a primitive
differentiated by the rules given with it, never through its body; jacobian and hessian take it batched
(asserted: no per-direction loop or fallback). The oracle is central differences (tests/every_mode.py).
"""
# ruff: noqa: F821, F841  (rule bodies use names bound when they are spliced)
from __future__ import annotations

import numpy as np
import pytest
from every_mode import check_every_mode

import sct


def _sigmoid(x):
    return 1 / (1 + np.exp(-x))


@pytest.fixture
def softplus():
    """log(1 + e^x) by its tangent and adjoint rules (batch-safe: they are elementwise expressions)."""
    @sct.primitive(batch="safe")
    def softplus(x):
        return np.logaddexp(0.0, x)

    @softplus.tangent
    def _(z, x):
        z_dot = x_dot / (1 + np.exp(-x))

    @softplus.adjoint
    def _(z, x):
        x_bar = z_bar / (1 + np.exp(-x))

    globals()["softplus"] = softplus  # the functions below call it by this name, as a user's module would
    yield softplus
    softplus.remove()
    del globals()["softplus"]


@pytest.fixture
def sum_of_squares():
    """sum(x ** 2, axis): declared with an axis argument, batched along it."""
    @sct.primitive(batch=sct.Axes("axis"))
    def sum_of_squares(x, axis=None):
        return np.sum(x * x, axis=axis)

    @sum_of_squares.tangent
    def _(z, x, axis=None):
        z_dot = np.sum(2 * x * x_dot, axis=axis)

    @sum_of_squares.adjoint
    def _(z, x, axis=None):
        x_bar = 2 * x * unreduce(z_bar, x, axis=axis)

    globals()["sum_of_squares"] = sum_of_squares
    yield sum_of_squares
    sum_of_squares.remove()
    del globals()["sum_of_squares"]


def through_softplus(x):
    return softplus(x * 1.5) * np.cos(x)  # bound by the fixture


def through_softplus_total(x):
    return np.sum(softplus(x) ** 2) + np.sum(x)


def through_squares(x):
    return sum_of_squares(np.sin(x), axis=0) * 2.0


def through_squares_total(x):
    return np.sum(sum_of_squares(x * 0.5, axis=-1) ** 2)


@pytest.mark.parametrize("shape", [(3,), (2, 3), (2, 1, 2)])
def test_tangent_and_adjoint_rules_serve_every_mode(softplus, shape):
    x = np.random.default_rng(1).standard_normal(shape)
    check_every_mode(through_softplus, through_softplus_total, x)


@pytest.mark.parametrize("shape", [(3,), (3, 2), (2, 2, 2)])
def test_a_rule_batched_along_its_axis_argument(sum_of_squares, shape):
    x = np.random.default_rng(2).standard_normal(shape)
    check_every_mode(through_squares, through_squares_total, x)


def test_the_primitive_is_called_not_inlined(softplus):
    source = sct.reverse(through_softplus_total).source
    assert "softplus(x)" in source and "logaddexp" not in source


def test_partials_of_an_elementwise_primitive():
    @sct.primitive
    def gelu_like(x):
        return x * _sigmoid(1.702 * x)

    @gelu_like.elementwise  # a rule reads no helper of its module (see test_user_primitive_sound.py)
    def _(z, x):
        return (1 + 1.702 * x * (1 - 1 / (1 + np.exp(-1.702 * x)))) / (1 + np.exp(-1.702 * x))

    globals()["gelu_like"] = gelu_like
    try:
        x = np.linspace(-1.5, 2.0, 4)
        check_every_mode(gelu_times_x, gelu_total, x)
    finally:
        gelu_like.remove()
        del globals()["gelu_like"]


def gelu_times_x(x):
    return gelu_like(x) * x


def gelu_total(x):
    return np.sum(gelu_like(x) ** 2)


def test_a_rule_for_a_numpy_function_sct_lacks():
    """np.vecdot (a ufunc of two inputs: the rules name them) by exact bilinear rules: every mode, batched."""
    assert "numpy.vecdot" not in sct.rules.registry.RULES
    vecdot = sct.primitive(np.vecdot, batch="safe")

    @vecdot.tangent
    def _(z, a, b):
        z_dot = np.sum(a_dot * b, axis=-1) + np.sum(a * b_dot, axis=-1)

    @vecdot.adjoint
    def _(z, a, b):
        a_bar = unbroadcast(z_bar[..., None] * b, a)
        b_bar = unbroadcast(z_bar[..., None] * a, b)

    try:
        x = np.random.default_rng(4).standard_normal((2, 3))
        check_every_mode(uses_vecdot, uses_vecdot_total, x)
    finally:
        vecdot.remove()
    assert "numpy.vecdot" not in sct.rules.registry.RULES


def uses_vecdot(x):
    return np.vecdot(x, np.sin(x)) * np.vecdot(x[0], x)


def uses_vecdot_total(x):
    return np.sum(np.vecdot(x * 2.0, x[::-1]) ** 2)


# ---------------------------------------------------------------------------------------------- errors
def test_a_name_with_a_rule_is_refused():
    with pytest.raises(sct.DeclarationError, match="sct already has a rule for 'numpy.sin'"):
        sct.primitive(np.sin)
    with pytest.raises(ValueError, match="numpy.floor"):  # non-differentiable ones too
        sct.primitive(np.floor)


def test_rules_must_name_the_functions_arguments():
    @sct.primitive
    def scale(x, k):
        return x * k

    try:
        with pytest.raises(sct.DeclarationError, match=r"takes \(x\) after its output.*\(x, k\)"):
            @scale.tangent
            def _(z, x):
                z_dot = x_dot
        with pytest.raises(sct.DeclarationError, match="must assign z_dot"):
            @scale.tangent
            def _(z, x, k):
                y_dot = x_dot * k
        with pytest.raises(sct.DeclarationError, match="not q_bar"):
            @scale.adjoint
            def _(z, x, k):
                q_bar = z_bar
        with pytest.raises(sct.DeclarationError, match="reads 'kk'"):
            @scale.adjoint
            def _(z, x, k):
                x_bar = z_bar * kk
        with pytest.raises(sct.DeclarationError, match="one partial per argument"):
            @scale.elementwise
            def _(z, x, k):
                return k
    finally:
        scale.remove()


def test_malformed_declarations_are_refused():
    with pytest.raises(sct.DeclarationError, match="batch='sometimes'"):
        sct.primitive(gelu_times_x, batch="sometimes")
    with pytest.raises(sct.DeclarationError, match="needs a function"):
        sct.primitive(3.0)


def test_a_primitive_without_the_rule_a_mode_needs_says_so():
    @sct.primitive
    def cube(x):
        return x ** 3

    @cube.tangent
    def _(z, x):
        z_dot = 3 * x ** 2 * x_dot

    globals()["cube"] = cube
    try:
        out, tangent = sct.forward(uses_cube)(np.array([2.0]), np.array([1.0]))
        assert np.allclose(tangent, 12.0)
        with pytest.raises(sct.SCTError, match="no reverse-mode rule for '.*cube'"):
            sct.reverse(uses_cube)
        jacobian = sct.jacobian(uses_cube)  # no batch declared: one direction at a time, and it says so
        assert np.allclose(jacobian(np.array([1.0, 2.0])), np.diag([3.0, 12.0]))
        assert "one direction at a time" in jacobian.note
    finally:
        cube.remove()
        del globals()["cube"]


def uses_cube(x):
    return cube(x)


def test_sct_own_declarations_are_checked_too():
    from sct.rules import core
    from sct.rules.linear import linear

    with pytest.raises(core.DeclarationError, match="unknown declaration colour"):
        core.primitive("numpy.sum", colour="red")
    with pytest.raises(core.DeclarationError, match="use 'safe' or Axes"):
        core.primitive("numpy.sum", batch="always")
    with pytest.raises(core.DeclarationError, match="name its arguments differently"):
        @core.adjoint("numpy.sum")
        def _(z, a, axis=None, keepdims=False):
            a_bar = z_bar
    with pytest.raises(core.DeclarationError, match="no parameter h"):
        linear(np.sum, "h")
    assert list(sct.rules.registry.lookup("numpy.sum").adjoint.params.parameters) == ["x", "axis", "keepdims"]
