"""Functions from the test suites of other AD tools, in every mode against Richardson differences.

Bug classes covered: an index whose arrays (or integers) stand apart, a slice between them
(``x[3, 2:, [1, 3]]``), puts the axes they select first, so a batch's leading slice landed behind them and
every vectorised Jacobian and Hessian crashed or read the wrong axes. ``np.cross`` of 2-vectors (a number
per pair) or of a 2-vector with a 3-vector: its adjoint crossed a 3-vector with a number (a ValueError in
reverse mode, grad, Jacobians and Hessians), its batched tangent broadcast a 2-vector to the output's shape.
A rule's own tangent variable made of inactive arguments' tangents (``m_dot`` of solve_triangular's matrix,
when only the right-hand side is differentiated) was dropped as zero but still read: forward mode died with
StopIteration, the forward Jacobian with NameError (solve_triangular, cho_solve, lstsq in ``b`` alone).
``np.triu_indices_from`` (and ``tril_``, ``diag_indices_from``) of a differentiated array were refused in
forward mode and accepted in reverse mode: they read its shape only. A helper given a tuple of arrays of
several shapes (``W1, b1, W2 = params``, or nested: ``(W1, b1), W2 = params``) made its adjoint by
np.zeros_like of the tuple (a ValueError in reverse mode, grad and the Hessian); forward mode made the
zero tangent of an inactive tuple inside a tuple written out (``((W1, b1), W2)``) by np.zeros_like of it.
"""
import numpy as np
import pytest
import scipy.linalg as sla
from every_mode import check_every_mode
from oracle import relative_error, richardson_difference

import sct
from sct.runtime.higher import batch_index

RNG = np.random.default_rng(7)
X564 = RNG.standard_normal((5, 6, 4)) * 0.5
SQUARE = RNG.standard_normal((3, 3))
TALL = RNG.standard_normal((5, 3))


def apart_read(x):
    return np.sin(x[3, 2:, [1, 3]]) * x[[0, 2], 1:5, [1, 3]]


def apart_read_scalar(x):
    return np.sum(np.sin(apart_read(x)) * x[0, :4, [0, 0]])


def apart_written(x):
    y = x * x
    y[1, 1:, [0, 2]] = np.cos(x[2, :5, [1, 1]])
    return y * x


def apart_written_scalar(x):
    return np.sum(apart_written(x) ** 2)


def apart_separators(x):
    mask = np.array([True, False, True, True])
    parts = [np.exp(x[[0, 2], ..., [1, 3]]), x[[1, 0], None, [2, 2]] ** 2, x[4, 1:3, mask] * x[0, 0, 1]]
    return np.concatenate([np.ravel(part) for part in parts])


def apart_separators_scalar(x):
    return np.sum(np.cos(apart_separators(x)))


def apart_in_loop(x):
    s = np.zeros((2, 4))
    for i in range(3):
        s = s + x[i, 2:, [1, i]] * x[i + 1, 2:, [i, 0]]
    return s


def apart_in_loop_scalar(x):
    return np.sum(apart_in_loop(x) ** 2)


def planar_cross(x):
    return np.cross(x, np.sin(x[::-1])) * np.cross(x ** 2, x)


def planar_cross_scalar(x):
    return np.sum(planar_cross(x) ** 2)


def mixed_cross(x):
    return np.cross(x, np.array([0.5, -1.0, 2.0])) + np.cross(np.array([[1.5, 0.3, -0.2]]), x ** 2)


def mixed_cross_scalar(x):
    return np.sum(np.cos(mixed_cross(x)))


def triangular_rhs(x, a):
    return sla.solve_triangular(np.tril(a) + 3.0 * np.eye(3), np.sin(x), lower=True)


def cho_rhs(x, a):
    return sla.cho_solve(sla.cho_factor(a @ a.T + np.eye(3)), x ** 2)


def lstsq_rhs(x, a):
    return np.linalg.lstsq(a, np.cos(x), rcond=None)[0]


def triangular_rhs_scalar(x, a):
    return np.sum(triangular_rhs(x, a) ** 2)


def cho_rhs_scalar(x, a):
    return np.sum(np.sin(cho_rhs(x, a)))


def lstsq_rhs_scalar(x, a):
    return np.sum(lstsq_rhs(x, a) ** 3)


def triangle_indices(x):
    y = x * 1.0
    y[np.diag_indices_from(y)] = 0.0
    return np.concatenate([x[np.triu_indices_from(x, k=1)] ** 2, np.sin(x[np.tril_indices_from(x)]),
                           np.ravel(y * x)])


def triangle_indices_scalar(x):
    return np.sum(np.cos(triangle_indices(x)))


def _network(params, inputs):
    W1, b1, W2 = params
    return np.tanh(inputs @ W1 + b1) @ W2


def network(x, W1, W2, inputs):
    return _network((W1, x, W2), inputs) ** 2


def network_scalar(x, W1, W2, inputs):
    return np.sum(network(x, W1, W2, inputs))


def _nested_network(params, inputs):
    (W1, b1), W2 = params
    return np.tanh(inputs @ W1 + b1) @ W2


def nested_network(x, W1, b1, inputs):
    return _nested_network(((W1, b1), x), inputs)


def apart_passed(x, index):
    return np.tanh(x[index])


@pytest.mark.parametrize("f, g", [(apart_read, apart_read_scalar), (apart_written, apart_written_scalar),
                                  (apart_separators, apart_separators_scalar),
                                  (apart_in_loop, apart_in_loop_scalar)], ids=lambda f: f.__name__)
def test_index_arrays_apart_every_mode(f, g):
    check_every_mode(f, g, X564)


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # numpy's own np.cross of 2-vectors
@pytest.mark.parametrize("f, g, x", [(planar_cross, planar_cross_scalar, RNG.standard_normal((3, 2))),
                                     (planar_cross, planar_cross_scalar, RNG.standard_normal(2)),
                                     (mixed_cross, mixed_cross_scalar, RNG.standard_normal((4, 2)))],
                         ids=["rows", "vector", "with 3-vectors"])
def test_cross_of_2_vectors_every_mode(f, g, x):
    check_every_mode(f, g, x)


@pytest.mark.parametrize("f, g, x, a", [(cho_rhs, cho_rhs_scalar, RNG.standard_normal(3), SQUARE),
                                        (lstsq_rhs, lstsq_rhs_scalar, RNG.standard_normal(5), TALL)],
                         ids=["cho_solve", "lstsq"])
def test_solves_in_the_right_hand_side_alone(f, g, x, a):
    check_every_mode(f, g, x, a)


def test_triangular_solve_in_the_right_hand_side_alone():
    """Its Jacobians loop over the directions (one sweep each): forward mode and both Jacobians."""
    x, v = RNG.standard_normal(3), RNG.standard_normal(3)
    along = richardson_difference(triangular_rhs, (x, SQUARE), {0: v})
    _, tangent = sct.forward(triangular_rhs, wrt="x")(x, SQUARE, v)
    assert relative_error(tangent, along) < 1e-7
    for mode in ("forward", "reverse"):
        jac = sct.jacobian(triangular_rhs, wrt="x", mode=mode)(x, SQUARE)
        assert relative_error(jac @ v, along) < 1e-7, mode
    product = sct.hvp(triangular_rhs_scalar, wrt="x")(x, SQUARE, v)
    gradient = sct.grad(triangular_rhs_scalar, wrt="x")
    assert relative_error(product, richardson_difference(gradient, (x, SQUARE), {0: v})) < 1e-6


def test_indices_of_a_shape_every_mode():
    check_every_mode(triangle_indices, triangle_indices_scalar, SQUARE)


NETWORK = (RNG.standard_normal((3, 4)), RNG.standard_normal(4), RNG.standard_normal((5, 3)))


def test_helper_given_a_tuple_of_arrays_of_several_shapes_every_mode():
    W1, W2, inputs = NETWORK
    check_every_mode(network, network_scalar, RNG.standard_normal(4), W1, W2, inputs)


def test_tangent_of_a_nested_tuple_written_out():
    W1, b1, inputs = NETWORK[0], RNG.standard_normal(4), NETWORK[2]
    x, v = RNG.standard_normal(4), RNG.standard_normal(4)
    args = (x, W1, b1, inputs)
    along = richardson_difference(nested_network, args, {0: v})
    _, tangent = sct.forward(nested_network, wrt="x")(*args, v)
    assert relative_error(tangent, along) < 1e-7
    jac = sct.jacobian(nested_network, wrt="x", mode="forward")(*args)
    assert relative_error(jac @ v, along) < 1e-7


def nested_network_scalar(x, W1, b1, inputs):
    return np.sum(np.sin(nested_network(x, W1, b1, inputs)))


def test_helper_given_nested_tuples():
    """Reverse mode, grad, the reverse Jacobian and both Hessian-vector products (the vectorised Hessian
    through nested tuples of arrays of several shapes is not supported yet)."""
    W1, b1, inputs = NETWORK[0], RNG.standard_normal(4), NETWORK[2]
    x, v = RNG.standard_normal(4), RNG.standard_normal(4)
    args = (x, W1, b1, inputs)
    along = richardson_difference(nested_network, args, {0: v})
    u = RNG.standard_normal(np.shape(along))
    _, x_bar = sct.reverse(nested_network, wrt="x")(*args, seed=u)
    assert abs(np.sum(x_bar * v) - np.sum(u * along)) < 1e-7
    jac = sct.jacobian(nested_network, wrt="x", mode="reverse")(*args)
    assert relative_error(jac @ v, along) < 1e-7
    gradient = sct.grad(nested_network_scalar, wrt="x")
    numeric = richardson_difference(nested_network_scalar, args, {0: v})
    assert abs(np.sum(gradient(*args) * v) - numeric) < 1e-7
    expected = richardson_difference(gradient, args, {0: v})
    for method in ("forward-over-reverse", "reverse-over-forward"):
        product = sct.hvp(nested_network_scalar, wrt="x", method=method)(*args, v)
        assert relative_error(product, expected) < 1e-6, method


def test_index_arrays_apart_given_at_run_time():
    index = (3, slice(2, None), [1, 3])
    jac = sct.jacobian(apart_passed, wrt="x", mode="forward")(X564, index)
    assert jac.shape == (2, 4) + X564.shape
    rows = np.cosh(X564[index]) ** -2  # the derivative of tanh, at the selected entries
    expected = np.zeros(jac.shape)
    for a in range(2):
        for b in range(4):
            expected[a, b, 3, 2 + b, index[2][a]] = rows[a, b]
    assert np.abs(jac - expected).max() < 1e-12


def test_batch_index_keeps_the_batch_first():
    batch = RNG.standard_normal((3,) + X564.shape)
    for index in [(3, slice(2, None), [1, 3]), ([0, 2], Ellipsis, [1, 3]), ([1, 0], None, [2, 2]),
                  (slice(None), [0, 2], [1, 3]), ([0, 1], slice(None)), 2, (0, slice(1, 3))]:
        member = X564[index]
        assert batch[batch_index(index, 3)].shape == (3,) + member.shape
        assert np.array_equal(batch[batch_index(index, 3)][1], batch[1][index])
