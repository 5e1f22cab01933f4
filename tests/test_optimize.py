"""The optimizer: constant factors of adjoint chains fold into their single use, first contributions are
assigned instead of added into zeros, empty loops of the reverse sweep go; results unchanged."""
import ast
import sys
from pathlib import Path

import numpy as np
import pytest
from every_mode import check_every_mode
from marked_code import derivative_function
from oracle import check_both_modes
from programs import idiom_programs as ip

import sct
from sct.optimize.dead_code import optimize
from sct.optimize.first_contributions import changed_in_place
from sct.rules.structural_rules import keeps_every_element

ROOT = Path(__file__).resolve().parents[1]


def test_constant_factors_fold_into_one_use():
    source = sct.reverse(ip.scale_chain).source
    body = source[source.index("def diff_scale_chain"):]
    assert "z_bar" not in body and "y_bar" not in body  # -1 * 0.5 * 2 multiplied out into x_bar's line
    assert "x_bar = -w_bar" in body and body.rstrip().endswith("x_bar")
    check_both_modes(ip.scale_chain, (np.array([0.3, -1.2, 2.0]),))


def test_a_value_read_twice_is_not_folded():
    source = sct.reverse(ip.scale_used_twice).source
    assert "y_bar = " in source
    check_both_modes(ip.scale_used_twice, (np.array([0.3, -1.2, 2.0]),))


# ------------------------------------------------------------- passes alone, on small marked ASTs
def _derivative_function(source: str, reverse_blocks: bool = True) -> ast.FunctionDef:
    return derivative_function(source, reverse_blocks)


def _optimized(source: str, reverse_blocks: bool = True) -> str:
    return ast.unparse(optimize(_derivative_function(source, reverse_blocks), None))


def test_a_reshaped_first_contribution_is_assigned():
    out = _optimized("""
        def f(x, g):
            x_bar = np.zeros_like(x)
            x_bar += np.reshape(-g, np.shape(x))
            return x_bar
        """)
    assert "zeros_" not in out and "x_bar = np.reshape(-g, np.shape(x))" in out


def test_a_contribution_summed_to_the_shape_and_scaled_is_assigned_also_into_float_zeros():
    out = _optimized("""
        def f(x, g):
            x_bar = np.zeros_like(x, dtype=float)
            x_bar += 2.0 * -unbroadcast(g, x) / 3
            return x_bar
        """)
    assert "zeros_" not in out and "x_bar = 2.0 * -unbroadcast(g, x) / 3" in out


@pytest.mark.parametrize("contribution", [
    "g",  # may be smaller than x: zeros + g broadcasts it
    "np.einsum('ij->ij', g)",  # its shape is not shown by its form
    "unbroadcast(g, y)",  # the shape of another variable
    "np.reshape(g, np.shape(y))",
    "np.reshape(g, (3,))",
    "g * unbroadcast(g, x)",  # g may broadcast the product
    "unbroadcast(x_bar, x)",  # reads the zeros
])
def test_a_contribution_whose_shape_is_not_shown_keeps_its_zeros(contribution):
    out = _optimized(f"""
        def f(x, y, g):
            x_bar = np.zeros_like(x)
            x_bar += {contribution}
            return x_bar
        """)
    # a new object (the product) may still be kept, by owned_adjoint, which checks its shape as it runs
    assert "x_bar = zeros_of(x)" in out or f"x_bar = owned_adjoint({contribution}, x)" in out


@pytest.mark.parametrize("later", [
    "x_bar[0] += g[0]", "x_bar[:, 1] = 0.0", "x_bar += g", "accumulate_at(x_bar, idx, g)",
    "x_bar = add_at(x_bar, idx, g)", "np.copyto(x_bar, g)", "x_bar.fill(0.0)", "np.add(g, g, out=x_bar)"])
def test_an_adjoint_changed_in_place_elsewhere_keeps_its_zeros(later):
    # x_bar = reshape(g) would be a view of g: a later write into x_bar would change g too
    out = _optimized(f"""
        def f(x, g, idx):
            x_bar = np.zeros_like(x)
            x_bar += np.reshape(g, np.shape(x))
            {later}
            return x_bar, g
        """)
    assert "x_bar = zeros_of(x)" in out


def test_an_addition_that_does_not_follow_its_zeros_is_left_alone():
    out = _optimized("""
        def f(x, g):
            x_bar = np.zeros_like(x)
            for i in range(3):
                x_bar += np.reshape(g, np.shape(x))
            return x_bar
        """, reverse_blocks=False)
    assert "x_bar = zeros_of(x)" in out


def test_changes_in_place_are_counted_in_every_form():
    func = _derivative_function("""
        def f(a, b, c, d, e, g):
            a += 1
            b[0] = 2
            c.real[1] = 3
            t = add_items(d, 0, g)
            e.sort()
            helper(g)
        """)
    assert changed_in_place(func) == {"a": 1, "b": 1, "c": 1, "d": 1, "e": 1, "g": 1}


def test_an_empty_reverse_loop_goes_but_its_count_is_still_popped():
    out = _optimized("""
        def f(d, _stack, g):
            _trips = _stack.pop()
            for c in reversed(range(d - 1)[:_trips]):
                pass
            for k in reversed(range(d)):
                t_bar = 2 * g
            return g
        """)
    assert "for" not in out and "_trips = _stack.pop()" in out


@pytest.mark.parametrize("loop", [
    "for c in reversed(range(n)):\n                y = _stack.pop()",  # pops: the tape stays balanced
    "for c in reversed(helper(n)):\n                pass",  # a call that may do anything
    "for c in reversed(range(n)):\n                pass\n            g = g + c",  # its variable is read
])
def test_a_reverse_loop_that_does_something_stays(loop):
    out = _optimized(f"""
        def f(n, _stack, g):
            {loop}
            return g
        """)
    assert "for c in" in out


def test_only_loops_and_branches_of_the_reverse_sweep_are_dropped():
    source = """
        def f(n, g):
            for c in range(n):
                pass
            if n > 2:
                pass
            return g
        """
    assert "for c in range(n)" in _optimized(source, reverse_blocks=False)
    assert "if n > 2" in _optimized(source, reverse_blocks=False)
    out = _optimized(source)
    assert "for" not in out and "if" not in out


@pytest.mark.parametrize("index, keeps", [
    ("None", True), ("...", True), ("None, ...", True), (":, None", True), (":, :", True),
    ("None, :, None", True), ("::", False), (":", False), ("0", False), ("1:", False), ("::-1", False),
    (":, 0", False), ("i", False), ("None, i", False), (":, ::2", False)])
def test_an_index_keeps_every_element_by_its_form(index, keeps):
    node = ast.parse(f"x[{index}]", mode="eval").body.slice
    assert keeps_every_element(node) is keeps


# ------------------------------------------------------------------------- in emitted code
def view_of_mean(mu, x):
    centered = x[:, None, :] - mu[None, ...]
    return np.sum(centered ** 2)


def view_and_items(x):
    return np.sum(x[None, :] * x[0]) + x[-1]


def test_the_adjoint_of_a_view_is_a_reshape_assigned():
    source = sct.reverse(view_of_mean, wrt="mu").source
    body = source[source.index("def diff_view_of_mean"):]
    assert "mu_bar = np.reshape(" in body and "zeros_of(mu)" not in body and "mu_bar[" not in body
    mu, x = np.array([[0.5, -1.0], [2.0, 0.0]]), np.array([[1.0, 2.0], [-0.5, 0.3], [0.0, 1.5]])
    check_both_modes(view_of_mean, (mu, x))


def test_a_view_adjoint_added_to_other_contributions_starts_from_zeros():
    source = sct.reverse(view_and_items).source
    assert "x_bar = zeros_of(x)" in source and "x_bar += np.reshape(" in source
    check_both_modes(view_and_items, (np.array([0.3, -1.2, 2.0]),))


def test_the_gmm_reverse_sweep_has_no_empty_loop_and_no_zeros_for_mu():
    sys.path.insert(0, str(ROOT))
    from gradbench.evals import gmm
    source = sct.reverse(gmm.gmm_objective, wrt=("alpha", "mu", "q", "l")).source
    body = source[source.index("def diff_gmm_objective"):]
    assert "        pass" not in body and "reversed(" not in body
    assert "zeros_of(mu)" not in body and "zeros_like(mu)" not in body


def test_a_first_update_by_index_into_fresh_zeros_is_assigned():
    out = _optimized("""
        def f(x, g, h):
            x_bar = np.zeros_like(x)
            x_bar[1:] += g
            x_bar[:1] += h
            return x_bar
        """)
    assert "x_bar[1:] = g" in out and "x_bar[:1] = h" in out and "x_bar = np.empty_like(x)" in out


def shifted_product(x):
    return np.concatenate([x[:1], x[1:] * x[:-1]])


def shifted_product_cubed(x):
    return np.sum(shifted_product(x) ** 3)


@pytest.mark.parametrize("x", [np.array([0.0, -1.3, 0.7, 2.1]), np.array([[0.5], [-2.0]]), np.array([0.8])])
def test_a_first_update_by_index_in_every_mode(x):
    source = sct.reverse(shifted_product, wrt="x").source
    assert any(first in source for first in ("x_bar[1:] = ", "x_bar[:-1] = ", "product_into(x_bar[1:], ",
                                             "product_into(x_bar[:-1], ")), source
    check_every_mode(shifted_product, shifted_product_cubed, x)
