"""``sct.primitive`` never gives a silently wrong derivative: each way a rule could be misread is exact in
every mode (central differences, tests/every_mode.py) or refused with a message that says what to change.

Rule bodies are spliced into the caller's code, so they read no free names; a rule covers every argument
(or the argument is declared ``nondiff``); adjoints and tangents are checked against their value's shape;
batched rules see their arguments' tangents lined up as numpy broadcasting lines up the arguments.
Declaring again and removing: tests/test_user_primitive_declarations.py.
"""
# ruff: noqa: F821, F841  (rule bodies use names bound when they are spliced)
from __future__ import annotations

import numpy as np
import pytest
from every_mode import check_every_mode

import sct

K = 2.0  # a module constant a rule must not read: the caller may have a K of its own


def declare(name: str, handle):
    """Bind ``handle`` as this module's global ``name`` (the functions below call it so)."""
    globals()[name] = handle
    return handle


@pytest.fixture
def scaled():
    """x * y for operands that broadcast against each other, batch-safe."""
    @sct.primitive(batch="safe")
    def scaled(x, y):
        return x * y

    @scaled.tangent
    def _(z, x, y):
        z_dot = y * x_dot + x * y_dot

    @scaled.adjoint
    def _(z, x, y):
        x_bar = unbroadcast(z_bar * y, x)
        y_bar = unbroadcast(z_bar * x, y)

    yield declare("scaled", scaled)
    scaled.remove()


def scaled_by_matrix(x, y):
    return scaled(np.sin(x), y) + x


def scaled_by_matrix_total(x, y):
    return np.sum(np.cos(scaled(x, y)))


def quadratic_form(x, y):
    return x @ scaled(x, y) @ x


def scaled_in_matrix(x, v):
    return scaled(v, x) * 1.5


def scaled_in_matrix_total(x, v):
    return np.sum(scaled(v, x) ** 2)


# ------------------------------------------------------- A2: batched rules of broadcasting primitives
@pytest.mark.parametrize("x_shape, y_shape", [((2,), (2, 2)), ((3,), (2, 3)), ((2, 1), (2, 2)), ((), (3,))])
def test_a_batched_rule_of_a_broadcasting_primitive_is_exact(scaled, x_shape, y_shape):
    rng = np.random.default_rng(7)
    x, y = rng.standard_normal(x_shape), rng.standard_normal(y_shape)
    check_every_mode(scaled_by_matrix, scaled_by_matrix_total, x, y)  # asserts vectorised jacobians/hessian
    check_every_mode(scaled_in_matrix, scaled_in_matrix_total, y, x)


def test_hessian_of_a_quadratic_form_through_a_batched_primitive(scaled):
    x, y = np.array([1.0, 2.0]), np.array([[1.0, 2.0], [3.0, 4.0]])
    hessian = sct.hessian(quadratic_form, wrt="x")
    # quadratic_form = sum_ij y_ij x_i x_j^2, whose hessian is, by hand:
    expected = 2 * y * x[None, :] + 2 * np.diag(y.T @ x) + 2 * x[:, None] * y.T
    assert np.allclose(hessian(x, y), expected) and hessian.vectorized and hessian.note == ""
    assert np.allclose(sct.jacobian(quadratic_form, wrt="x", mode="forward")(x, y),
                       sct.grad(quadratic_form, wrt="x")(x, y))


def test_a_rule_that_is_not_batch_safe_is_refused_when_it_runs():
    @sct.primitive(batch="safe")  # wrongly: x_dot[..., None] puts the directions in the wrong place
    def columns(x, y):
        return x[..., None] * y

    @columns.tangent
    def _(z, x, y):
        z_dot = x_dot[..., None] * y + x[..., None] * y_dot

    declare("columns", columns)
    try:
        x, y = np.array([1.0, 2.0]), np.ones((2, 3))
        assert np.allclose(sct.forward(uses_columns)(x, y, np.array([1.0, 0.0]))[1], [[1, 1, 1], [0, 0, 0]])
        with pytest.raises(ValueError, match="does not work unchanged on a leading axis of directions"):
            sct.jacobian(uses_columns, mode="forward")(x, y)
    finally:
        columns.remove()


def uses_columns(x, y):
    return columns(x, y)


def test_batch_is_refused_for_several_outputs():
    def both(x):
        return x, 2 * x

    with pytest.raises(sct.DeclarationError, match="one output"):
        sct.primitive(both, batch="safe", outputs=2)


# ------------------------------------------------------------------- A1: free names in rule bodies
def _slope(x):
    return K * np.cos(x)


def ksin(x):
    return K * np.sin(x)


@pytest.mark.parametrize("rule", ["constant", "helper", "builtin"])
def test_a_rule_reading_a_free_name_is_refused(rule):
    handle = sct.primitive(ksin)
    try:
        with pytest.raises(sct.DeclarationError, match="may mean something else"):
            if rule == "constant":
                @handle.tangent
                def _(z, x):
                    z_dot = K * np.cos(x) * x_dot
            elif rule == "helper":
                @handle.adjoint
                def _(z, x):
                    x_bar = z_bar * _slope(x)
            else:
                @handle.elementwise
                def _(z, x):
                    return abs(2.0 * np.cos(x))
    finally:
        handle.remove()


@pytest.fixture
def ksin_rules():
    """2 sin(x), its rules with the constant as a literal and a local name of their own (``slope``)."""
    handle = sct.primitive(ksin, batch="safe")

    @handle.tangent
    def _(z, x):
        slope = 2.0 * np.cos(x)
        z_dot = slope * x_dot

    @handle.adjoint
    def _(z, x):
        slope = 2.0 * np.cos(x)
        x_bar = z_bar * slope

    yield handle
    handle.remove()


def shadows(x, np):
    """A parameter named ``np`` and locals named like the rule's own: the rule still means numpy."""
    K = 10.0
    slope = np * 0.5
    return ksin(x) * K * slope


def shadows_total(x, np):
    slope = 3.0
    return numpy.sum(ksin(x) ** 2) * np + slope


import numpy  # noqa: E402  (the caller of ksin above reads numpy by this name, its np being a number)


def test_names_of_the_caller_never_replace_the_rules_own(ksin_rules):
    x = np.array([0.3, 1.0, -0.4])
    check_every_mode(shadows, shadows_total, x, 3.0)


# ------------------------------------------------- A4: a rule gives every argument's derivative
def test_a_rule_that_forgets_an_argument_is_refused():
    def mulp(x, y):
        return x * y

    handle = sct.primitive(mulp)
    try:
        with pytest.raises(sct.DeclarationError, match="tangent rule of .*mulp reads no y_dot.*nondiff"):
            @handle.tangent
            def _(z, x, y):
                z_dot = y * x_dot
        with pytest.raises(sct.DeclarationError, match="adjoint rule of .*mulp assigns no y_bar"):
            @handle.adjoint
            def _(z, x, y):
                x_bar = z_bar * y
    finally:
        handle.remove()


@pytest.fixture
def power():
    """x ** n for an integer n declared non-differentiable."""
    @sct.primitive(batch="safe", nondiff=("n",))
    def power(x, n):
        return x ** n

    @power.tangent
    def _(z, x, n):
        z_dot = n * x ** (n - 1) * x_dot

    @power.adjoint
    def _(z, x, n):
        x_bar = z_bar * n * x ** (n - 1)

    yield declare("power", power)
    power.remove()


def cubed(x):
    return power(x, 3) * x


def cubed_total(x):
    return np.sum(power(np.sin(x), 4))


def power_of_itself(x):
    return power(x, x)


def test_an_argument_declared_nondiff(power):
    check_every_mode(cubed, cubed_total, np.array([0.5, -1.2, 2.0]))
    with pytest.raises(sct.SCTError, match="declare its argument n constant"):
        sct.grad(power_of_itself)(2.0)


def test_a_rule_differentiating_a_nondiff_argument_is_refused():
    def shift(x, n):
        return x + n

    handle = sct.primitive(shift, nondiff=("n",))
    try:
        with pytest.raises(sct.DeclarationError, match="with respect to n, which is declared constant"):
            @handle.tangent
            def _(z, x, n):
                z_dot = x_dot + n_dot
    finally:
        handle.remove()
    with pytest.raises(sct.DeclarationError, match="nondiff names m"):
        sct.primitive(shift, nondiff=("m",))


# ---------------------------------------------------------------- A5: adjoints of the wrong shape
@pytest.fixture
def careless():
    """x * y whose adjoint forgets unbroadcast."""
    @sct.primitive(batch="safe")
    def careless(x, y):
        return x * y

    @careless.tangent
    def _(z, x, y):
        z_dot = y * x_dot + x * y_dot

    @careless.adjoint
    def _(z, x, y):
        x_bar = z_bar * y
        y_bar = z_bar * x

    yield declare("careless", careless)
    careless.remove()


def careless_total(x, y):
    return np.sum(careless(x, y)) + np.sum(x)


@pytest.mark.parametrize("x", [np.array([1.0, 2.0, 3.0]), np.array(2.0)])
def test_an_adjoint_of_the_wrong_shape_is_refused(careless, x):
    y = np.array([[1.0], [10.0]]) if np.ndim(x) else np.array([1.0, 2.0, 3.0])
    calls = [lambda: sct.reverse(careless_total)(x, y), lambda: sct.grad(careless_total)(x, y),
             lambda: sct.jacobian(careless_total, mode="reverse")(x, y),
             lambda: sct.hvp(careless_total)(x, y, np.ones_like(x)),
             lambda: sct.hessian(careless_total)(x, y)]
    for call in calls:
        with pytest.raises(ValueError, match=r"adjoint rule of .*careless gives (an )?adjoints? of shape"):
            call()
    out, tangent = sct.forward(careless_total)(x, y, np.ones_like(x))  # its tangent rule is right
    assert np.isclose(tangent, np.sum(np.ones_like(x) * y) + np.size(x))


@pytest.fixture
def plus():
    """x + y whose tangent is narrower than the output when one operand is inactive."""
    @sct.primitive(batch="safe")
    def plus(x, y):
        return x + y

    @plus.tangent
    def _(z, x, y):
        z_dot = x_dot + y_dot

    @plus.adjoint
    def _(z, x, y):
        x_bar = unbroadcast(z_bar, x)
        y_bar = unbroadcast(z_bar, y)

    yield declare("plus", plus)
    plus.remove()


def plus_matrix(x, y):
    return plus(x, y)


def plus_matrix_total(x, y):
    return np.sum(np.sin(plus(x, y)))


def test_a_tangent_narrower_than_its_output(plus):
    check_every_mode(plus_matrix, plus_matrix_total, np.array([0.3, 1.0, 2.0]), np.ones((2, 3)))


def own_rules_with_np_a_number(x, np):
    return numpy.sum(numpy.sin(x) * np)


def test_a_variable_named_np_never_stands_for_numpy_in_derivatives():
    x = numpy.array([0.3, 1.0])
    assert numpy.allclose(sct.grad(own_rules_with_np_a_number)(x, 3.0), 3.0 * numpy.cos(x))
    assert numpy.allclose(sct.hessian(own_rules_with_np_a_number)(x, 3.0), numpy.diag(-3.0 * numpy.sin(x)))
