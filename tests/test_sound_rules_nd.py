"""Rules against numpy's own definitions at N-d inputs: np.dot contracts numpy's axes at any rank, every
np.linalg.norm order, tangents with the output's shape, stacked linalg, tuple axes, and batched rules
(jacobians in both modes) giving the same derivatives as the scalar ones."""
from __future__ import annotations

import importlib.util
import math

import numpy as np
import pytest
from oracle import central_difference, check_rule

import sct

RNG = np.random.default_rng(17)
V3 = np.array([0.37, -1.23, 2.61])
M23 = RNG.standard_normal((2, 3))
T234 = RNG.standard_normal((2, 3, 4))


# ------------------------------------------------------------------------------------- N-d semantics
T342 = RNG.standard_normal((3, 4, 2))


def dot(a, b):
    return np.dot(a, b)


@pytest.mark.parametrize("a, b", [
    (M23, T234), (V3, T234), (T234, RNG.standard_normal(4)), (T234, RNG.standard_normal((4, 2))),
    (T234, T342), (RNG.standard_normal((2, 2, 3)), T234),
], ids=lambda v: str(np.shape(v)))
def test_dot_contracts_numpy_axes_at_any_rank(a, b):
    check_rule(dot, (a, b), complex_ok=True)
    jacobian = sct.jacobian(dot, wrt="a", mode="reverse")(a, b)
    forward = sct.jacobian(dot, wrt="a", mode="forward")(a, b)
    assert np.allclose(jacobian, forward)


def modulo(x, y):
    return x % y


def fmod(x, y):
    return np.fmod(x, y)


def math_fmod(x, y):
    return math.fmod(x, y) * 2.0


@pytest.mark.parametrize("f", [modulo, fmod])
def test_tangent_of_a_broadcast_elementwise_call_has_the_output_shape(f):
    check_rule(f, (1.7, np.array([0.5, 0.9, 3.0])), wrt=[0])
    check_rule(f, (np.array([1.7, -0.4]), 0.9), wrt=[0])


@pytest.mark.parametrize("f, args", [
    (modulo, (np.array([-1.7, 1.7, -0.4]), np.array([0.5, -0.7, 0.3]))),
    (fmod, (np.array([-1.7, 1.7, -0.4]), np.array([0.5, -0.7, 0.3]))),
    (math_fmod, (-1.7, 0.5)), (math_fmod, (1.7, -0.7)),
], ids=lambda v: getattr(v, "__name__", ""))
def test_remainders_round_their_quotient_as_numpy_does(f, args):
    check_rule(f, args)


ORDERS = [(None, (4,), None), (1, (4,), None), (3, (3, 4), 1), (0.5, (3, 4), 0), (-1, (4,), None),
          (np.inf, (3, 4), -1), (-np.inf, (4,), None), (0, (4,), None),
          ("fro", (3, 4), None), ("nuc", (3, 4), None), (2, (3, 4), None), (-2, (2, 3, 4), (1, 2)),
          (1, (3, 2, 4), (2, 0)), (-1, (3, 4), None), (np.inf, (2, 3, 4), (2, 1)), (-np.inf, (3, 4), None)]


@pytest.mark.parametrize("ord, shape, axis", ORDERS, ids=lambda v: str(v))
def test_every_norm_order_is_differentiated(tmp_path, ord, shape, axis):
    for keepdims in (False, True):
        f = _norm_function(tmp_path, ord, axis, keepdims)
        x = np.random.default_rng(len(shape)).standard_normal(shape)
        check_rule(f, (x,), rtol=1e-5)


def _norm_function(tmp_path, ord, axis, keepdims):
    """``np.linalg.norm`` with literal arguments, in a file of its own (sct reads its source)."""
    order = repr(ord).replace("inf", "np.inf")
    path = tmp_path / f"norm_{abs(hash((order, axis, keepdims)))}.py"
    path.write_text(f"import numpy as np\n\n\ndef norm(x):\n"
                    f"    return np.linalg.norm(x, ord={order}, axis={axis!r}, keepdims={keepdims})\n")
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.norm


# ------------------------------------------------------------- batched rules (jacobian) and hessians
def _numeric_jacobian(f, x):
    x = np.asarray(x, dtype=float)
    columns = [central_difference(f, (x,), 0, e.reshape(x.shape)) for e in np.eye(x.size)]
    return np.moveaxis(np.array(columns), 0, -1).reshape(np.shape(f(x)) + x.shape)


def linspace_vector(a):
    return np.linspace(a, 2.0, 4) ** 2


def full_of_vector(v):
    return np.full((2, 3), v) * np.arange(3.0)


def casts_vector(x):
    return x.astype(int) * x + np.asarray(x, dtype=np.int64) + x.astype(float) ** 2


def powers_vector(x):
    return x ** 0 + 2.0 * x ** 1 + x ** np.array([0.0, 2.0, 3.0])


def std_columns(x):
    return np.std(x, axis=0)


def dot_3d(a):
    return np.dot(a, T342)


def modulo_vector(x):
    return x % 0.9


def trace_stack(x):
    return np.trace(x) * np.arange(1.0, 5.0)


@pytest.mark.parametrize("f, x", [
    (linspace_vector, V3), (full_of_vector, V3), (casts_vector, V3), (powers_vector, np.zeros(3)),
    (std_columns, np.ones((1, 3))), (dot_3d, M23 @ np.ones((3, 4)) / 3), (modulo_vector, V3),
    (trace_stack, RNG.standard_normal((3, 2, 4))),
], ids=lambda v: getattr(v, "__name__", ""))
def test_jacobians_in_both_modes_use_the_same_semantics(f, x):
    expected = _numeric_jacobian(f, x)
    for mode in ("forward", "reverse"):
        got = sct.jacobian(f, mode=mode)(x)
        assert np.shape(got) == np.shape(expected), (mode, np.shape(got))
        assert np.allclose(got, expected, atol=1e-6), mode


# ------------------------------------------------------------- more rules against numpy's N-d meaning
S233 = RNG.standard_normal((2, 3, 3)) + 3 * np.eye(3)
B243 = RNG.standard_normal((2, 4, 3))


def outer_flattens(x):
    return np.outer(x, x[0])


def matmul_stacks(x):
    return x @ B243


def reductions_tuple_axes(x):
    return (np.sum(x, axis=(0, 2)) + np.mean(x, axis=(0, -1)) + np.prod(x, axis=(0, 2))
            + np.var(x, axis=(0, 2), ddof=1) + np.std(x, axis=(2, 0)) + np.max(x, axis=(0, 2)))


def reductions_keepdims(x):
    return (np.sum(x, axis=1, keepdims=True) * x + np.max(x, axis=-1, keepdims=True) * x
            + np.mean(x, axis=(0, -1), keepdims=True) + np.std(x, axis=(0, 2), keepdims=True))


def clip_array_bounds(x):
    return np.clip(x, np.array([0.0, -1.0, 0.0]), np.array([1.0, 0.0, 2.5]))


def clip_moving_bounds(lo):
    return np.clip(np.array([0.3, -1.2, 2.0]), lo, lo + 1.0)


def where_broadcast(x):
    return np.where(x > 0, x, 2.0 * x[0])


def linalg_stacks(x):
    sign, logdet = np.linalg.slogdet(x)
    solved = np.linalg.solve(x, np.ones((2, 3, 2)))
    return np.sum(np.linalg.inv(x), axis=(1, 2)) + np.sum(solved, axis=(1, 2)) + np.linalg.det(x) + logdet


def solve_stacked_vector(a):
    return np.linalg.solve(a, np.array([0.3, 1.0, -0.5]))


def solve_vector_into_stack(b):
    return np.linalg.solve(S233, b) * np.arange(1.0, 4.0)


def einsum_batch(x):
    return np.einsum("ijk,ik->ij", x, x[:, 0, :])


def diagonal_offset(x):
    return np.diagonal(x, offset=1, axis1=1, axis2=2)


@pytest.mark.parametrize("f, x", [
    (outer_flattens, M23), (matmul_stacks, T234), (reductions_tuple_axes, T234), (reductions_keepdims, T234),
    (clip_array_bounds, np.array([0.3, -1.2, 2.0])), (clip_moving_bounds, np.array([0.1, -0.5, 1.2])),
    (where_broadcast, M23), (linalg_stacks, S233), (einsum_batch, T234), (diagonal_offset, T234),
    (trace_stack, RNG.standard_normal((3, 2, 4))), (solve_stacked_vector, S233),
    (solve_vector_into_stack, V3),
], ids=lambda v: getattr(v, "__name__", ""))
def test_rules_follow_numpy_at_nd_inputs(f, x):
    check_rule(f, (x,))
    expected = _numeric_jacobian(f, x)
    for mode in ("forward", "reverse"):
        assert np.allclose(sct.jacobian(f, mode=mode)(x), expected, atol=1e-6), mode


def maximum_tie(x):
    return np.maximum(x, 1.0) + np.minimum(x, 1.0) * 2.0


def absolute(x):
    return np.abs(x)


def test_kinks_follow_autograd():
    import autograd
    import autograd.numpy as anp
    x = np.array([1.0, 0.5, 2.0])
    ours = sct.grad(sum_of_maximum_tie)(x)
    theirs = autograd.grad(lambda v: anp.sum(anp.maximum(v, 1.0) + anp.minimum(v, 1.0) * 2.0))(x)
    assert np.allclose(ours, theirs) and np.isclose(ours[0], 1.5)
    assert np.allclose(sct.reverse(absolute)(np.array([0.0, -2.0]), seed=np.ones(2))[1], [0.0, -1.0])


def sum_of_maximum_tie(x):
    return np.sum(maximum_tie(x))


B432 = RNG.standard_normal((4, 3, 2))


def hessian_full(x):
    return np.sum(np.full((2, 3), x[0]) ** 3) + np.sum(np.full_like(x, x[1]) * x)


def hessian_linspace(x):
    return np.sum(np.linspace(x, 2 * x, 4) ** 3)


def hessian_casts(x):
    return np.sum(x.astype(int) * x ** 2 + np.asarray(x, dtype=float) ** 3 + np.copysign(x, -1.0) ** 3)


def hessian_dot(x):
    return np.sum(np.dot(x.reshape(2, 3), B432 * x[0]) ** 2)


@pytest.mark.parametrize("f, x", [
    (hessian_full, V3), (hessian_linspace, V3), (hessian_casts, V3),
    (hessian_dot, np.array([0.37, -1.23, 2.61, 0.5, 0.8, -0.3])),
], ids=lambda v: getattr(v, "__name__", ""))
def test_second_derivatives_of_the_new_rules(f, x):
    gradient = sct.grad(f)
    v = RNG.standard_normal(x.shape)
    expected = central_difference(gradient, (x,), 0, v)
    assert np.allclose(sct.hvp(f)(x, v), expected, atol=1e-5)
    assert np.allclose(sct.hessian(f)(x) @ v, expected, atol=1e-5)


# ------------------------------------------------ integer casts in vector reverse mode carry no derivative
def cast_intermediate_asarray(x):
    return np.asarray(np.sin(x) * 3.0, dtype=np.int64) * x + x


def cast_input_array(x):
    return np.array(x, dtype=int) + x ** 2


def cast_float_kinds(x):
    return x.astype(float) * np.float64(x) + np.asarray(x, dtype=np.float64) + np.asarray(x, dtype=np.int32)


@pytest.mark.parametrize("f", [cast_intermediate_asarray, cast_input_array, cast_float_kinds],
                         ids=lambda f: f.__name__)
def test_jacobian_of_an_integer_cast_is_zero_in_both_modes(f):
    x = np.array([0.37, -1.23, 2.61])
    expected = _numeric_jacobian(f, x)
    for mode in ("forward", "reverse"):
        assert np.allclose(sct.jacobian(f, mode=mode)(x), expected, atol=1e-6), mode
