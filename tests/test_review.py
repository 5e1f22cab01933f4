"""Programs a numeric programmer would write, in both modes; several broke sct during review (nested early
returns, helper calls inside loops, indexing a list built by ``append``)."""
import numpy as np
import pytest
from oracle import central_difference, check_both_modes
from programs import review_programs as rp

import sct

RNG = np.random.default_rng(11)
CASES = [
    (rp.inner_break_outer_continue, (np.array([0.3, 0.45, 0.9, 1.4, 0.2]),)),
    (rp.while_in_for, (1.1,)),
    (rp.return_in_nested, (1.0,)),
    (rp.return_in_nested, (0.1,)),
    (rp.return_in_nested_with_break, (0.5,)),
    (rp.return_in_nested_with_break, (0.05,)),
    (rp.return_in_while_in_for, (0.3,)),
    (rp.return_in_while_in_for, (0.01,)),
    (rp.one_branch, (0.5,)),
    (rp.one_branch, (1.5,)),
    (rp.one_branch, (-0.5,)),
    (rp.reassign_param, (0.7,)),
    (rp.slice_columns, (RNG.standard_normal((3, 4)),)),
    (rp.read_overwritten, (RNG.standard_normal(3),)),
    (rp.helper_twice, (0.7, 1.3)),
    (rp.helper_helper_loop, (0.4,)),
    (rp.stack_rows, (RNG.standard_normal(3),)),
    (rp.where_data, (RNG.standard_normal(5),)),
    (rp.max_abs, (np.array([0.3, -1.2, 0.9]),)),
    (rp.for_rows_enum, (RNG.standard_normal((3, 2)), RNG.standard_normal(3))),
    (rp.int_counter, (0.8,)),
    (rp.math_scalar, (0.8,)),
    (rp.helper_kw_active, (0.7, 1.3)),
    (rp.copy_then_index, (RNG.standard_normal(4),)),
    (rp.zeros_like_fill, (RNG.standard_normal(4),)),
    (rp.builtin_max_min, (0.7, 1.3)),
    (rp.int_start_acc, (RNG.standard_normal(4),)),
    (rp.one_branch_in_loop, (RNG.standard_normal(5),)),
    (rp.norm_loop, (RNG.standard_normal(3),)),
    (rp.list_index_after, (0.4,)),
    (rp.list_in_one_branch, (0.3, 1.0)),
    (rp.list_in_one_branch, (0.3, -1.0)),
    (rp.list_last_item, (0.4,)),
    (rp.list_last_item, (np.array([0.4, 0.1]),)),
    (rp.float_cast, (np.array([0.3, 0.8]),)),
    (rp.while_helper, (0.5,)),
    (rp.matrix_rows_update, (RNG.standard_normal((3, 3)),)),
    (rp.early_return_helper, (0.5,)),
    (rp.early_return_helper, (1.5,)),
    (rp.power_int, (0.7,)),
    (rp.exp_sum, (RNG.standard_normal(4),)),
    (rp.cumulative, (RNG.standard_normal(4),)),
    (rp.nested_if_loop, (RNG.standard_normal(3),)),
    (rp.dot_loop, (RNG.standard_normal((3, 2, 2)), RNG.standard_normal(2))),
    (rp.math_mix, (0.8,)),
]


@pytest.mark.parametrize("func,args", CASES, ids=[f"{c[0].__name__}-{i}" for i, c in enumerate(CASES)])
def test_review_program(func, args):
    for index in [i for i, a in enumerate(args) if np.asarray(a).dtype.kind == "f"]:
        check_both_modes(func, args, wrt_index=index)


def test_tuple_output_both_modes():
    """A tuple-valued program: forward gives a tuple of tangents, reverse takes a tuple seed."""
    x, v = np.array([0.3, -0.7]), np.array([1.0, 2.0])
    u = (np.array([1.0, -1.0]), np.array([0.5, 2.0]))
    numeric = central_difference(rp.tuple_out, (x,), 0, v)
    _, tangent = sct.forward(rp.tuple_out)(x, v)
    for t, n in zip(tangent, numeric):
        assert np.allclose(t, n, rtol=1e-6)
    _, adjoint = sct.reverse(rp.tuple_out)(x, seed=u)
    assert np.dot(adjoint, v) == pytest.approx(sum(np.dot(a, t) for a, t in zip(u, tangent)), rel=1e-12)


def test_helpers_in_loops_second_order():
    """Forward over reverse through a helper whose tape is pushed and popped inside a loop."""
    x, h = 0.4, 1e-5
    numeric = (sct.grad(rp.helper_helper_loop)(x + h) - sct.grad(rp.helper_helper_loop)(x - h)) / (2 * h)
    assert sct.hessian(rp.helper_helper_loop)(x) == pytest.approx(numeric, rel=1e-6)


def test_indexed_list_second_order():
    """The Hessian through a list read at a computed index: the list's tangents are batches, item by item."""
    x, h = np.array([0.4, 0.2]), 1e-5
    gradient = sct.grad(rp.list_last_sum)
    numeric = np.array([(gradient(x + h * e) - gradient(x - h * e)) / (2 * h) for e in np.eye(2)])
    assert np.allclose(sct.hessian(rp.list_last_sum)(x), numeric, rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("func", [rp.alias_param, rp.write_into_rows])
def test_index_write_through_an_alias_is_refused(func):
    """y = x (or a row view of X) written by index would change both arrays: sct refuses, with the fix."""
    for mode in (sct.forward, sct.reverse):
        with pytest.raises(sct.SCTError, match=r"(may share its array|a row of the array).*\n.*hint: "):
            mode(func)


def test_index_write_into_a_copy_is_differentiated():
    check_both_modes(rp.write_into_own_copy, (np.array([0.3, -0.7, 1.1]),))


@pytest.mark.parametrize("shape", [(1,), (3,)])
def test_scalar_seed_on_a_vector_output_gives_the_gradient_of_the_sum(shape):
    x = np.linspace(0.2, 0.9, int(np.prod(shape))).reshape(shape)
    _, gradient = sct.reverse(rp.vector_sines)(x)
    assert np.allclose(gradient, 2.0 * np.cos(x) + 1.0, rtol=1e-13)


@pytest.mark.parametrize("wrt_index", [0, 1])
def test_user_variables_named_like_derivatives(wrt_index):
    """Variables the user named `*_bar`/`*_dot` are primal values, never taken for derivatives."""
    args = (np.array([0.4, -0.3, 0.8]), np.array([1.2, -0.5, 0.7]))
    check_both_modes(rp.user_names_like_derivatives, args, wrt_index=wrt_index)
