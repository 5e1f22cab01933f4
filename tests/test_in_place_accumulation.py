"""Adjoint accumulations added into arrays the sweep owns (``accumulate``), and zeros by ``zeros_of``: the
pass alone on small marked functions (run before and after on the same inputs: the values must be the
very same), the runtime helpers' fallbacks, and whole derivatives against divided differences."""
import ast
import sys
from pathlib import Path

import numpy as np
import pytest
from every_mode import check_every_mode, richardson_grad
from marked_code import derivative_function as _marked
from oracle import richardson_difference

import sct
from sct.frontend.value_spellings import value_spellings
from sct.ir import annotations as anno
from sct.optimize.in_place import accumulate_in_place
from sct.runtime import accumulate, contract, einsum_fit, seed_like, unbroadcast, zeros_of

ROOT = Path(__file__).resolve().parents[1]


def _run(func: ast.FunctionDef, *args):
    namespace = {"np": np, "accumulate": accumulate, "seed_like": seed_like, "keep": lambda v: v,
                 "contract": contract, "einsum_fit": einsum_fit, "unbroadcast": unbroadcast}
    exec(compile(ast.fix_missing_locations(ast.Module(body=[func], type_ignores=[])), "<test>", "exec"),
         namespace)
    return namespace[func.name](*args)


def _rewritten(source: str, *args):
    """The rewritten text, checked to give exactly the original's results on ``args``."""
    before = _run(_marked(source), *[np.copy(a) for a in args])
    func = accumulate_in_place(_marked(source))
    after = _run(func, *[np.copy(a) for a in args])
    for b, a in zip(before if isinstance(before, tuple) else (before,), after if isinstance(after, tuple)
                    else (after,)):
        np.testing.assert_array_equal(a, b)
    return ast.unparse(func)


X, G = np.array([0.5, -1.5, 0.0, 2.0]), np.array([1.0, 0.25, -3.0, 0.0])


def test_an_adjoint_made_by_zeros_or_arithmetic_is_added_into():
    out = _rewritten("""
        def f(x, g):
            a = np.zeros_like(x)
            a = a + g
            b = 2.0 * g
            b = g * x + b
            return a, b
        """, X, G)
    assert "a = accumulate(a, g)" in out and "b = accumulate(b, g * x)" in out


def test_zeros_bound_to_two_names_are_not_added_into():
    out = _rewritten("""
        def f(x, g):
            a = b = np.zeros_like(x)
            a = a + g
            return a, b
        """, X, G)
    assert "accumulate" not in out


def test_an_adjoint_another_name_holds_is_not_added_into():
    out = _rewritten("""
        def f(x, g):
            a = 2.0 * g
            b = a
            a = a + g
            return a, b
        """, X, G)
    assert "accumulate" not in out


@pytest.mark.parametrize("use", ["c = keep(a)", "c = a[1:]", "c = a.T", "c = (a, x)", "c = [a]"])
def test_a_read_that_may_keep_the_array_stops_adding_into_it(use):
    out = _rewritten(f"""
        def f(x, g):
            a = 2.0 * g
            {use}
            a = a + g
            return a, c
        """, X, G)
    assert "accumulate" not in out


@pytest.mark.parametrize("made, new", [
    ("contract('ij,j->i', m, g)", True),              # a product of operands: a new array
    ("contract('ij->i', m)", False),                  # one operand: einsum may give a view of it
    ("einsum_fit(2.0 * m, m)", True),                 # its argument, a new one
    ("einsum_fit(m, m)", False),                      # its argument, the caller's
    ("unbroadcast(m * 1.0, m[0])", True),             # a new sum of a new array
    ("unbroadcast(m, m)", False),                     # the caller's array itself
])
def test_calls_that_give_new_arrays_are_added_into(made, new):
    m = np.outer(X, G) + 1.0
    out = _rewritten(f"""
        def f(m, g):
            a = {made}
            a = a + 1.0
            return a, m
        """, m, G)
    assert ("a = accumulate(a, 1.0)" in out) == new


def test_reads_that_make_new_values_keep_adding_into_it():
    out = _rewritten("""
        def f(x, g):
            a = 2.0 * g
            c = a * x - a
            n = np.shape(a)
            a = a + c
            return a, c, n
        """, X, G)
    assert "a = accumulate(a, c)" in out


def test_an_adjoint_kept_on_a_tape_in_a_loop_is_not_added_into():
    """The second trip adds into the array the first trip put on the list: never in place."""
    out = _rewritten("""
        def f(x, g, n):
            a = seed_like(g, x)
            kept = []
            for i in range(n):
                a = a + x
                kept.append(a)
            return a, np.array(kept)
        """, X, G, 3)
    assert "accumulate" not in out


def test_an_adjoint_rebound_in_each_trip_is_added_into_after_the_rebinding():
    out = _rewritten("""
        def f(x, g, n):
            total = np.zeros_like(x)
            for i in range(n):
                a = 0.5 * g
                kept = keep(a)
                a = x * x + a
                total = total + a
                a = a + kept
            return total, a
        """, X, G, 3)
    # ``kept`` holds the array ``0.5 * g``, not the new one ``x * x + a``: that one is added into
    assert "total = accumulate(total, a)" in out and "a = x * x + a" in out
    assert "a = accumulate(a, kept)" in out


def test_a_branch_that_shares_it_stops_adding_after_the_branch():
    out = _rewritten("""
        def f(x, g, flag):
            a = 2.0 * g
            if flag:
                b = a
            else:
                b = x
            a = a + g
            return a, b
        """, X, G, True)
    assert "accumulate" not in out


def test_a_loop_with_break_is_left_alone():
    out = _rewritten("""
        def f(x, g, n):
            a = 2.0 * g
            for i in range(n):
                a = a + g
                if i == 1:
                    break
            return a
        """, X, G, 3)
    assert "accumulate" not in out


def test_statements_of_the_users_code_are_left_alone():
    func = _marked("""
        def f(x, g):
            a = 2.0 * g
            a = a + g
            return a
        """)
    for node in ast.walk(func):
        anno.mark(node, "derivative", False)
    assert "accumulate" not in ast.unparse(accumulate_in_place(func))


@pytest.mark.parametrize("total, term", [
    (np.ones(3, dtype=np.float32), np.ones(3)),           # the sum is float64: a new array
    (np.ones(3), np.ones((2, 3))),                         # the sum broadcasts to (2, 3)
    (np.ones(3), np.ones(3) * 1j),                         # complex
    (np.array(2.0), np.array(3.0)),                        # 0-d: numpy's sum is a scalar
    (np.ones(3, dtype=int), 0.5),                          # an integer array plus a float
    (np.ones(3), [1.0, 2.0, 3.0]),                         # a list
    (2.0, np.ones(3)),                                     # a number
])
def test_accumulate_falls_back_to_a_new_sum(total, term):
    expected = total + term
    kept = np.copy(total)
    found = accumulate(total, term)
    assert type(found) is type(expected) and np.asarray(found).dtype == np.asarray(expected).dtype
    np.testing.assert_array_equal(found, expected)
    np.testing.assert_array_equal(total, kept)  # not written into


@pytest.mark.parametrize("term", [np.array([0.5, -1.0, 0.0]), 2.0, -3])
def test_accumulate_adds_into_an_array_of_the_sums_shape_and_dtype(term):
    total = np.array([1.0, 2.0, -0.0])
    expected = total + term
    found = accumulate(total, term)
    assert found is total
    np.testing.assert_array_equal(found, expected)


def test_zeros_of_is_zeros_like():
    arrays = (np.ones((2, 3), dtype=np.float32), np.asfortranarray(np.ones((2, 3))), np.array(3j))
    for x in arrays + (1.5, [1, 2]):
        expected = np.zeros_like(x)
        found = zeros_of(x)
        assert found.dtype == expected.dtype and found.shape == expected.shape and not found.any()


def test_a_further_transformation_reads_the_values_back():
    text = "def f(a, g, x):\n    return accumulate(a, g) + zeros_of(x) + accumulate(x, 1.0)"
    func = ast.parse(text).body[0]

    class Resolver:
        def qualname_of(self, node):
            return type("Binding", (), {"qualname": "sct.runtime." + node.id, "obj": None})()

    out = ast.unparse(value_spellings(func, Resolver(), "np"))
    assert out.endswith("return a + g + np.zeros_like(x) + (x + 1.0)")
    assert "accumulate" in ast.unparse(func)  # the input is left as it was


def test_a_users_own_accumulate_is_not_read_as_a_sum():
    func = ast.parse("def f(a, g):\n    return accumulate(a, g)").body[0]

    class Resolver:
        def qualname_of(self, node):
            return type("Binding", (), {"qualname": "mymodule." + node.id, "obj": None})()

    assert ast.unparse(value_spellings(func, Resolver(), "np")) == ast.unparse(func)


# --------------------------------------------------------------------------- whole derivatives
def sine_times_square(x):
    return np.sum(np.sin(x) * x ** 2)


@pytest.mark.parametrize("x", [np.array([0.7, 0.0, -1.3]), np.array([2.0])])
def test_a_gradient_that_adds_in_place_is_differentiated_again_as_sums(x):
    gradient = sct.grad(sine_times_square)
    assert "accumulate(" in gradient.source
    for mode in ("reverse", "forward"):
        hessian = sct.jacobian(gradient, mode=mode)(x)
        expected = np.stack([richardson_difference(gradient, (x,), {0: e}) for e in np.eye(x.size)], axis=1)
        np.testing.assert_allclose(hessian, expected, rtol=1e-7, atol=1e-9)

def steps(x, s):
    """Adjoints accumulate over a loop and over several calls of one helper (the ode eval's shape)."""
    y = np.zeros_like(x)
    for _ in range(s):
        k1 = shifted_product(x, y)
        k2 = shifted_product(x, y + 0.5 * k1)
        y = y + 0.25 * (k1 + 2 * k2)
    return y


def steps_scalar(x, s):
    y = steps(x, s)
    return np.sum(y * y) + np.sum(np.sin(y))


def shifted_product(x, y):
    return np.concatenate([x[:1], x[1:] * y[:-1]])


@pytest.mark.parametrize("x", [np.array([0.3, -1.2, 2.0, 0.0]), np.array([-0.7]), np.zeros(3)])
def test_a_loop_of_helper_calls_is_exact_in_every_mode(x):
    source = sct.reverse(steps, wrt="x").source
    assert "accumulate(" in source and "zeros_of(" in source and "product_into(" in source
    check_every_mode(steps, steps_scalar, x, 3)


def test_the_ode_gradient_adds_into_its_adjoints_and_stays_exact():
    sys.path.insert(0, str(ROOT))
    from gradbench.evals import ode
    x = np.array([0.5, -1.0, 2.0, 0.0, 1.5])
    reverse = sct.reverse(ode.primal, wrt="x")
    assert reverse.source.count("accumulate(") >= 8
    seed = np.zeros_like(x)
    seed[-1] = 1.0
    found = reverse(x, 4, seed=seed)[1]
    expected = richardson_grad(lambda v, s: ode.primal(v, s)[-1], (x, 4))
    np.testing.assert_allclose(found, expected, rtol=1e-7, atol=1e-9)


# --------------------------------------------------------------------------- extremum adjoint
def _extremum_adjoint_by_slices(g, x, axis):
    """``g`` shared equally by the entries attaining each slice's minimum (a NaN slice: none)."""
    moved, gs = np.moveaxis(x, axis, -1), np.asarray(g)
    out = np.zeros_like(moved)
    for index in np.ndindex(moved.shape[:-1]):
        row = moved[index]
        hits = row == np.min(row)
        if hits.any():
            out[index] = np.where(hits, gs[index] / hits.sum(), 0.0)
    return np.moveaxis(out, -1, axis)


@pytest.mark.parametrize("x", [
    np.array([[1.0, np.nan], [1.0, 2.0], [3.0, 4.0]]),     # a NaN column and a tie: as many hits as columns
    np.array([[0.0, 2.0], [-0.0, 1.0], [5.0, 1.0]]),       # ties in both columns (0.0 == -0.0)
    np.array([[2.0, -1.0, 0.5]]).T,                        # one column, one hit
    np.array([[1.5], [-2.0]]),
])
def test_extremum_adjoint_shares_ties_slice_by_slice(x):
    from sct.runtime import extremum_adjoint
    g = np.arange(1.0, x.shape[1] + 1.0)
    found = extremum_adjoint(g, x, np.min(x, axis=0), axis=0)
    np.testing.assert_allclose(found, _extremum_adjoint_by_slices(g, x, 0), rtol=0, atol=0)


def test_accumulate_adds_into_an_array_only_in_the_terms_memory_order():
    total, term = np.ones((3, 2)), np.arange(6.0).reshape(2, 3).T
    expected = total + term
    found = accumulate(total, term)
    assert found is not total
    np.testing.assert_array_equal(found, expected)
    total = np.asfortranarray(np.ones((3, 2)))
    assert accumulate(total, np.asfortranarray(term)) is total
