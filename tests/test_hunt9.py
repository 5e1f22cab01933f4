"""Everyday code that made sct crash or return a wrong derivative, each against differences in every mode.

* A name holding a list or tuple on some paths only (``z = x if flag else (x, y)``) may hold a container
  or an array: a helper it is passed to, and the caller itself, make its adjoint item by item
  (``zeros_items``, ``add_lists``), which is numpy's zeros and ``+`` on an array; a numpy function reads
  its tangent as one array (``np.array``; in vector mode ``batch_array``, the directions first). Reverse
  mode died in ``np.zeros_like`` of the tuple; the forward Jacobian of ``np.sum(z)`` summed over the
  directions too (a wrong result); its zero adjoint ``zeros_list(z)`` counts as a list only where ``z``
  does (second derivatives refused an array's ``+=``).
* The eigenvalues of ``np.linalg.eigh`` at repeated eigenvalues have no derivative (it depends on the
  direction): forward mode returned a finite wrong tangent (``diag(V^T A_dot V)`` for an arbitrary basis
  of the repeated eigenspace). They raise ValueError there, as ``np.linalg.eigvalsh``'s do.
* A differentiated tuple or list whose items do not stack (``((W1, b1), (W2, b2))``) was a TypeError in
  reverse mode: the call goes to a derivative made for those parameters, which makes their adjoints item
  by item as a helper does for a parameter its caller gives a container. Higher derivatives, whose rows
  and columns run over one array, keep the TypeError naming the argument.
* ``y = y`` in reverse mode (a branch of ``y = y if c else f(y)``, in a loop) zeroed ``y``'s adjoint when
  ``y`` was read by index or was a list: a wrong gradient, with no error. Its adjoint is the identity.
* A singular partial of a selected constant (``np.sqrt(np.maximum(x, 0.0))`` at ``x < 0``) gave NaN for
  a finite derivative: forward mode guards the root's term, reverse mode the selection's zero partial.
* ``sct.hessian``, ``sct.jacobian``, ``sct.hvp`` and ``sct.grad_and_hvp`` differentiate with respect to
  the first parameter by default, as ``sct.grad`` does.
"""
import numpy as np
import pytest
from every_mode import check_every_mode
from oracle import relative_error, richardson_difference

import sct


def item_sum(z):
    return np.sum(z[0] * 2.0) + np.sum(z[1] ** 2)


def squares(z):
    s = 0.0
    for item in z:
        s = s + np.sum(item ** 2)
    return s


def either_passed(x, y, flag):
    z = x if flag else (x, y)
    return squares(z) * np.sin(x)


def either_passed_scalar(x, y, flag):
    return np.sum(either_passed(x, y, flag))


def either_rebound(x, y, flag):
    z = (x, y)
    if flag:
        z = x
    return item_sum(z) * squares(z) + np.cos(x)


def either_rebound_scalar(x, y, flag):
    return np.sum(either_rebound(x, y, flag))


def either_list(x, y, flag):
    z = x if flag else [x, y]
    return squares(z) * x


def either_list_scalar(x, y, flag):
    return np.sum(either_list(x, y, flag) ** 2)


X = np.array([[1.0, -0.4], [0.3, 0.7]])
Y = np.array([0.5, -1.2, 0.8])  # another shape: the tuple's items do not stack


@pytest.mark.parametrize("flag", [True, False])
@pytest.mark.parametrize("f, g", [(either_passed, either_passed_scalar),
                                  (either_rebound, either_rebound_scalar),
                                  (either_list, either_list_scalar)])
def test_a_name_holding_a_tuple_on_some_paths_in_every_mode(f, g, flag):
    check_every_mode(f, g, X, Y, flag)


def summed_either(x, y, flag):
    z = x if flag else [x, y]
    return np.sum(z) * x  # numpy reads the list as one array: its tangents stack after the directions


def summed_either_scalar(x, y, flag):
    return np.sum(summed_either(x, y, flag) ** 2)


def passes_on(z, y):
    return squares(z) * np.sum(y)


def either_passed_on(x, y, flag):
    z = x if flag else [x, y]
    return passes_on(z, y) + squares(z)  # the helper's parameter, given either, passed on


def either_in_a_loop(x, y):
    total = 0.0
    for i in range(3):
        z = x if i % 2 == 0 else (x, y)
        total = total + squares(z) * i
    return total


def unpacked_either(x, flag):
    z = x if flag else (x[0], x[1])
    a, b = z  # its zero adjoint is zeros_list(z): a list exactly when z is one
    return a * b ** 2 + a ** 3


V2 = np.array([0.4, -1.3])


@pytest.mark.parametrize("flag", [True, False])
@pytest.mark.parametrize("f, g, y", [(summed_either, summed_either_scalar, np.array([0.5, 2.0])),
                                     (either_passed_on, either_passed_on, Y),
                                     (either_passed_on, either_passed_on, np.array([0.5, 2.0]))])
def test_a_name_holding_a_list_on_some_paths_read_by_numpy_and_helpers(f, g, y, flag):
    check_every_mode(f, g, V2, y, flag)


def test_a_name_holding_a_tuple_on_some_iterations_in_every_mode():
    check_every_mode(either_in_a_loop, either_in_a_loop, V2, Y)


@pytest.mark.parametrize("flag", [True, False])
def test_a_tuple_on_some_paths_unpacked_in_every_mode(flag):
    check_every_mode(unpacked_either, unpacked_either, V2, flag)


def top_eigenvalue(a):
    w, v = np.linalg.eigh(a)
    return w[-1]


def eigenvalue_spread(a):
    w, v = np.linalg.eigh(a + a.T)
    return w[0] * 2.0 + w[1]


@pytest.mark.parametrize("f", [top_eigenvalue, eigenvalue_spread])
def test_eigh_eigenvalues_at_repeated_ones_are_refused_in_every_mode(f):
    a = np.diag([1.0, 2.0, 2.0]) if f is top_eigenvalue else np.diag([0.5, 0.5, 1.0])
    v = np.ones((3, 3))
    runs = [lambda: sct.forward(f)(a, v), lambda: sct.reverse(f)(a), lambda: sct.grad(f)(a),
            lambda: sct.jacobian(f, mode="forward")(a), lambda: sct.jacobian(f, mode="reverse")(a),
            lambda: sct.hessian(f)(a), lambda: sct.hvp(f)(a, v),
            lambda: sct.hvp(f, method="reverse-over-forward")(a, v), lambda: sct.grad_and_hvp(f)(a, v)]
    for run in runs:
        with pytest.raises(ValueError, match="repeated eigenvalues"):
            run()


def test_eigh_eigenvalues_where_distinct_in_every_mode():
    a = np.array([[2.0, 0.3, -0.1], [0.3, 1.0, 0.2], [-0.1, 0.2, -0.5]])
    check_every_mode(weighted_eigenvalues, weighted_eigenvalues_scalar, a)


def weighted_eigenvalues(x):
    w, v = np.linalg.eigh(x @ x.T)
    return w * np.array([1.0, -2.0, 0.5])


def weighted_eigenvalues_scalar(x):
    return np.sum(weighted_eigenvalues(x) ** 2)


def weighted_cubes(x, y):
    return np.sum(x ** 3 * y)


@pytest.mark.parametrize("mode", ["forward", "reverse"])
def test_higher_derivatives_default_to_the_first_parameter(mode):
    x, y = np.array([0.5, -1.0, 2.0]), np.array([1.5, 0.2, -0.3])
    v = np.array([0.1, 0.7, -0.4])
    assert np.array_equal(sct.jacobian(weighted_cubes, mode=mode)(x, y),
                          sct.jacobian(weighted_cubes, wrt="x", mode=mode)(x, y))
    assert np.allclose(sct.jacobian(weighted_cubes, mode=mode)(x, y), 3 * x ** 2 * y, rtol=1e-14)
    assert np.allclose(sct.hessian(weighted_cubes)(x, y), np.diag(6 * x * y), rtol=1e-14)
    assert np.allclose(sct.hvp(weighted_cubes)(x, y, v), 6 * x * y * v, rtol=1e-14)
    gradient, product = sct.grad_and_hvp(weighted_cubes)(x, y, v)
    assert np.allclose(gradient, sct.grad(weighted_cubes)(x, y), rtol=1e-14)
    assert np.allclose(product, 6 * x * y * v, rtol=1e-14)


def network(params, x):
    (w1, b1), (w2, b2) = params
    return np.sum((w2 @ np.tanh(w1 @ x + b1) + b2) ** 2)


def layer(params, x):
    w, b = params
    return np.sin(w @ x + b)


RNG = np.random.default_rng(9)
W1, B1, W2, B2 = RNG.standard_normal((3, 2)), RNG.standard_normal(3), RNG.standard_normal((2, 3)), \
    RNG.standard_normal(2)
POINT = RNG.standard_normal(2)


def _along(f, params, directions, rest):
    """The derivative of ``f`` along ``directions`` (nested like ``params``), by differences."""
    def shifted(t, p, d):
        if isinstance(p, (tuple, list)):
            return type(p)(shifted(t, a, b) for a, b in zip(p, d))
        return p + t * d
    return richardson_difference(lambda t: f(shifted(t, params, directions), *rest), (0.0,), {0: 1.0})


def _dot(grads, directions) -> float:
    if isinstance(grads, (tuple, list)):
        return sum(_dot(g, d) for g, d in zip(grads, directions))
    return float(np.sum(grads * directions))


def _like(params):
    if isinstance(params, (tuple, list)):
        return type(params)(_like(p) for p in params)
    return RNG.standard_normal(np.shape(params))


def _shapes(value):
    if isinstance(value, (tuple, list)):
        return type(value)(_shapes(v) for v in value)
    return np.shape(value)


@pytest.mark.parametrize("params", [((W1, B1), (W2, B2)), [(W1, B1), [W2, B2]]])
def test_a_tuple_of_arrays_of_several_shapes_in_reverse_mode(params):
    directions = _like(params)
    exact = _along(network, params, directions, (POINT,))
    gradient = sct.grad(network)(params, POINT)
    assert _shapes(gradient) == _shapes(params)
    assert abs(_dot(gradient, directions) - exact) < 1e-7 * max(1.0, abs(exact))
    value, adjoint = sct.reverse(network)(params, POINT, seed=2.5)
    assert abs(_dot(adjoint, directions) - 2.5 * exact) < 1e-7 * max(1.0, abs(exact))
    by_name = sct.grad(network)(params=params, x=POINT)
    assert abs(_dot(by_name, directions) - exact) < 1e-7 * max(1.0, abs(exact))


def test_a_tuple_of_several_shapes_beside_an_array_with_a_vector_seed():
    params = (W1, B1)
    directions, u = _like(params), RNG.standard_normal(3)
    exact = _along(lambda p, x: np.sum(u * layer(p, x)), params, directions, (POINT,))
    value, (adjoint, x_bar) = sct.reverse(layer, wrt=("params", "x"))(params, POINT, seed=u)
    assert abs(_dot(adjoint, directions) - exact) < 1e-7 * max(1.0, abs(exact))
    numeric = richardson_difference(lambda x: np.sum(u * layer(params, x)), (POINT,), {0: np.ones(2)})
    assert abs(float(np.sum(x_bar)) - numeric) < 1e-7
    out, tangent = sct.forward(layer)(params, POINT, directions)
    assert relative_error(tangent, _along(layer, params, directions, (POINT,))) < 1e-7


@pytest.mark.parametrize("make", [sct.hessian, sct.jacobian])
def test_higher_derivatives_name_a_tuple_of_several_shapes(make):
    with pytest.raises(TypeError, match="argument 'params' is a tuple whose items have different shapes.*"
                                        "pass them as separate arguments"):
        make(network)(((W1, B1), (W2, B2)), POINT)


def root_of_relu(x):
    return np.sqrt(np.maximum(x, 0.0)) + x


def root_of_selection(x):
    return np.where(x > 0, x, 0.0) ** 0.5 * x


def root_of_masked(x):
    return np.sqrt((x > 0) * x) + np.sqrt(np.clip(x, 0.0, 1.5)) - np.sqrt(-np.minimum(x, 0.0))


def sum_of_squares(x):
    return np.sum(root_of_relu(x) ** 2) + np.sum(root_of_selection(x) ** 2) + np.sum(root_of_masked(x) ** 2)


POINTS = np.array([-1.0, -0.3, 0.5, 2.0])  # the roots read exact zeros where x < 0, and are constant there


@pytest.mark.parametrize("f", [root_of_relu, root_of_selection, root_of_masked])
def test_a_singular_partial_of_a_selected_constant_in_every_mode(f):
    """The tangent of ``np.maximum(x, 0.0)`` is an exact zero where ``x < 0`` (the root's partial is
    infinite there): forward mode guards the root's term; reverse mode guards the selection's zero partial,
    which meets the root's infinite adjoint. Both gave NaN for a derivative that is finite."""
    check_every_mode(f, sum_of_squares, POINTS)


def kept_or_updated(x):
    y = x * 1.0
    first = 0.0
    for i in range(3):
        y = y if i % 2 else np.sin(y) * x  # `y = y` on one branch; y is also read by index
        first = first + y[0]
    return y * first


def kept_or_swapped(x):
    acc = [x, x * 2.0]
    for i in range(3):
        acc = acc if i % 2 else [acc[1], acc[0] * 3.0]
    return acc[0] * np.sum(acc[1] ** 2)


def kept_or_updated_scalar(x):
    return np.sum(kept_or_updated(x) ** 2)


def kept_or_swapped_scalar(x):
    return np.sum(kept_or_swapped(x))


@pytest.mark.parametrize("f, g", [(kept_or_updated, kept_or_updated_scalar),
                                  (kept_or_swapped, kept_or_swapped_scalar)])
def test_a_value_kept_on_one_branch_of_a_loop_in_every_mode(f, g):
    """``y = y`` (a branch of ``y if c else f(y)``) in reverse mode: the target's adjoint was zeroed as
    the first contribution to it, then added to itself: the gradient lost everything that flowed back
    (an array read by index, a list), with no error."""
    check_every_mode(f, g, X[0])
