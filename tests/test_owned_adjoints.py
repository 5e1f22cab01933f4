"""A first contribution that no other name holds becomes the adjoint's own array: ``a_bar = np.zeros_like(a);
a_bar += v`` is ``a_bar = owned_adjoint(v, a)`` (sct/optimize/first_contributions.py), which keeps ``v``'s
array only when it is writeable and of ``a``'s shape and dtype (sct/runtime/broadcasting.py)."""
import ast

import numpy as np
import pytest
from every_mode import check_every_mode
from marked_code import derivative_function

import sct
from sct.optimize.dead_code import optimize
from sct.runtime import owned_adjoint, zeros_of


def _optimized(source: str) -> str:
    return ast.unparse(optimize(derivative_function(source, True), None))


# ------------------------------------------------------------------------------ the helper alone
def _reference(term, x):
    total = zeros_of(x)
    total += term
    return total


@pytest.mark.parametrize("term, x, kept", [
    (np.array([1.0, -2.0]), np.zeros(2), True),
    (np.array([[0.5]]), np.ones((1, 1)), True),
    (np.broadcast_to(np.array([2.0]), (3,)), np.zeros(3), False),  # read-only: a later write would fail
    (np.array([1.0]), np.zeros(3), False),  # smaller: the zeros broadcast it
    (np.array([1, 2]), np.zeros(2), False),  # another dtype: cast into the zeros'
    (np.array([1.5, 2.5]), np.zeros(2, dtype=np.float32), False),
    (2.0, np.zeros(2), False),
    (np.array(3.0), np.array(0.0), True),
    (np.array([1.0, 2.0]), [0.0, 0.0], False),  # not an array: np.zeros_like's own
])
def test_the_term_is_kept_only_when_its_array_will_do(term, x, kept):
    before = np.array(term, copy=True)
    out = owned_adjoint(term, x)
    expected = _reference(np.array(term, copy=True), x)
    assert (out is term) is kept
    assert type(out) is type(expected) and out.dtype == expected.dtype and out.shape == expected.shape
    assert np.array_equal(out, expected) and np.array_equal(term, before)
    out[...] = 7.0  # the result is writeable, and a write into a copy leaves the term alone
    assert kept or np.array_equal(term, before)


def test_a_term_too_large_fails_as_the_addition_does():
    with pytest.raises(ValueError):
        owned_adjoint(np.ones((2, 3)), np.zeros(3))


# ------------------------------------------------------------------------------ the pass alone
@pytest.mark.parametrize("contribution", [
    "unbroadcast_product(a, g, x) * np.cos(x)",
    "einsum_fit(contract('ij,jk->ik', a, g), x)",  # may be a read-only broadcast: the helper copies it
    "-unbroadcast(g, x)",
])
def test_a_new_first_contribution_is_owned_even_when_written_later(contribution):
    out = _optimized(f"""
        def f(x, a, g):
            x_bar = np.zeros_like(x)
            x_bar += {contribution}
            x_bar[0] += g
            return x_bar
        """)
    assert f"x_bar = owned_adjoint({contribution}, x)" in out and "zeros" not in out


def test_a_name_bound_once_to_a_new_object_and_read_once_is_owned():
    out = _optimized("""
        def f(x, a, g):
            t = a * g
            x_bar = np.zeros_like(x)
            x_bar += t
            x_bar[0] += g
            return x_bar
        """)
    assert "owned_adjoint(" in out and "zeros" not in out


@pytest.mark.parametrize("binding, contribution", [
    ("t = a * g", "t\n            u = t"),  # read twice: u holds the array too
    ("t = a * g\n            t = t * g", "t"),  # bound twice
    ("t = np.reshape(a, np.shape(x))", "t"),  # a view of a
    ("t = a", "t"),
    ("t = a * g", "g"),  # a parameter: the caller's array
    ("t = a * g", "seed[1]"),  # an item of the caller's seed
    ("t = a * g", "np.reshape(t, np.shape(x))"),
    ("t = a * g", "x_bar * t"),  # reads the zeros
])
def test_a_first_contribution_another_name_may_hold_keeps_its_zeros(binding, contribution):
    out = _optimized(f"""
        def f(x, a, g, seed):
            {binding}
            x_bar = np.zeros_like(x)
            x_bar += {contribution}
            x_bar[0] += g
            return x_bar, t
        """)
    assert "x_bar = zeros_of(x)" in out and "owned_adjoint" not in out


def test_a_name_bound_outside_the_loop_that_reads_it_keeps_its_zeros():
    out = _optimized("""
        def f(x, a, g, n):
            t = a * g
            for i in range(n):
                x_bar = np.zeros_like(x)
                x_bar += t
                x_bar[0] += g
                g = g * x_bar
            return g
        """)
    assert "owned_adjoint" not in out, out


def test_what_is_owned_is_decided_after_scales_fold():
    # -(-p_bar) folds to p_bar, which holds the array q_bar reads after x_bar[0] is written
    out = _optimized("""
        def f(x, z_bar, a_bar, q):
            p_bar = unbroadcast(z_bar, x)
            q_bar = unbroadcast(z_bar, q)
            m_bar = -p_bar
            x_bar = np.zeros_like(x)
            x_bar += -m_bar
            x_bar[0] += a_bar
            x_bar += q_bar
            return x_bar
        """)
    assert "owned_adjoint" not in out, out


def test_float_zeros_of_an_integer_array_keep_their_zeros():
    out = _optimized("""
        def f(x, a, g):
            x_bar = np.zeros_like(x, dtype=float)
            x_bar += a * g
            x_bar[0] += g
            return x_bar
        """)
    assert "owned_adjoint" not in out


# ------------------------------------------------------------------------------ in emitted code
def scaled_then_item(x):
    y = x * 2.0
    return y[0] * np.sin(y)


def scaled_then_item_sum(x):
    return np.sum(scaled_then_item(x) ** 2)


def zero_dim_item(x):
    y = x * 2.0
    return y[()] * np.sin(y) * y


def zero_dim_item_sum(x):
    return np.sum(zero_dim_item(x) ** 2)


def broadcast_label(x, a):
    s = x[0]
    w = np.einsum('ij,j->i', a, x)  # a's length-1 axis broadcasts against x: x's adjoint is a broadcast
    return s * w + w ** 2


def broadcast_label_sum(x, a):
    return np.sum(broadcast_label(x, a) ** 2)


def contracted_into_written(x, a):
    m = np.zeros((2, 3))
    m[:, 1:] = x
    t = m[0, 1]
    y = np.einsum('ij,kj->ki', m, a)
    return y * t + x[1, 0]


def contracted_into_written_sum(x, a):
    return np.sum(contracted_into_written(x, a) ** 2)


def folded_negations(x):
    q = np.sin(x)
    a = x[0]
    m = -x
    p = -m  # the adjoint -(-p_bar) folds to p_bar, an alias of q_bar
    return (p + q) * a


def folded_negations_sum(x):
    return np.sum(folded_negations(x) ** 2)


@pytest.mark.parametrize("f, g, args", [
    (folded_negations, folded_negations_sum, (np.array([1.0, 2.0, 3.0]),)),
    (folded_negations, folded_negations_sum, (np.array([[0.0], [-0.7]]),)),
    (folded_negations, folded_negations_sum, (np.array([-0.9]),)),
])
def test_a_folded_first_contribution_another_name_holds_in_every_mode(f, g, args):
    check_every_mode(f, g, *args)


@pytest.mark.parametrize("f, g, wrt, args", [
    (scaled_then_item, scaled_then_item_sum, ("x",), (np.array([0.4, -1.3, 2.0]),)),
    (scaled_then_item, scaled_then_item_sum, ("x",), (np.array([[0.0], [-0.7]]),)),
    (scaled_then_item, scaled_then_item_sum, ("x",), (np.array([-0.9]),)),
    (zero_dim_item, zero_dim_item_sum, ("x",), (np.array(0.7),)),
    (zero_dim_item, zero_dim_item_sum, ("x",), (np.array(-1.2),)),
    (broadcast_label, broadcast_label_sum, ("x", "a"), (np.array([0.3, -1.0, 2.0, 0.0]),
                                                        np.array([[1.0], [2.0], [-0.5]]))),
    (broadcast_label, broadcast_label_sum, ("x", "a"), (np.array([-0.6]), np.array([[1.5], [-2.0]]))),
    (contracted_into_written, contracted_into_written_sum, ("x", "a"),
     (np.array([[0.5, -1.0], [0.0, 2.0]]), np.array([[1.0, -0.3, 0.2], [0.0, 0.7, -1.1]]))),
])
def test_owned_first_contributions_in_every_mode(f, g, wrt, args):
    source = sct.reverse(f, wrt=wrt).source
    assert "owned_adjoint(" in source, source
    check_every_mode(f, g, *args)
