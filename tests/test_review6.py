"""Adjoints whose updates interleave are each assigned (sct/optimize/first_contributions.py), and
``power_term`` on no rows, on orders past every exponent and at zero coefficients (sct/runtime/powers.py)."""
import ast
import random

import numpy as np
import pytest
from every_mode import check_every_mode
from marked_code import derivative_function

import sct
import sct.runtime
from sct.optimize.dead_code import optimize
from sct.runtime.powers import power_term


def _optimized(source: str) -> str:
    return ast.unparse(optimize(derivative_function(source, True), None))


def test_updates_of_two_adjoints_that_interleave_are_each_assigned():
    out = _optimized("""
        def f(x, y, g, h, k, m):
            y_bar = np.zeros_like(y)
            y_bar[1:] += g
            x_bar = np.zeros_like(x)
            x_bar[1:] += h
            y_bar[:1] += k
            x_bar[:1] += m
            return x_bar, y_bar
        """)
    assert "y_bar = np.empty_like(y)" in out and "x_bar = np.empty_like(x)" in out, out
    assert all(f"{a}_bar[{s}] = {v}" in out for a, s, v in
               [("y", "1:", "g"), ("x", "1:", "h"), ("y", ":1", "k"), ("x", ":1", "m")]), out


def test_a_first_addition_between_another_adjoints_updates_is_assigned():
    out = _optimized("""
        def f(x, z, g, k, u):
            x_bar = np.zeros_like(x)
            x_bar[1:] += g
            z_bar = np.zeros_like(z)
            z_bar += unbroadcast(u, z)
            x_bar[:1] += k
            return x_bar, z_bar
        """)
    assert "z_bar = unbroadcast(u, z)" in out and "+=" not in out, out


_INDICES = [":1", "1:", "0", "1", "-1", "-2", ":1", "1:", ":-1", "-1:", "1:3", "2:", ":2", "-2:", "1:-1", ":",
            "::2", "1::2", "0, :", "1:, :", ":1, 0", "2:5", "5:", ":5", "3:1", "-3:-1", "[0, 1]", "[1, 1]",
            ":, 1:", ":, :1"]  # the complementary halves twice: blocks that cover, and read, more often


def _random_block(rng: random.Random) -> str:
    """Zeros of two adjoints, then updates of either by random indices, some reading an adjoint, and other
    statements between them."""
    lines = ["a_bar = np.zeros_like(a)", "b_bar = np.zeros_like(b)"]
    rng.shuffle(lines)
    for _ in range(rng.randint(1, 6)):
        name, read = rng.choice("ab"), rng.choice("ab")
        value = rng.choice(["g", "h * 2.0", "k", f"{read}_bar[{rng.choice(['0', '-1:', ':1', '1:'])}] * 0.5"])
        lines.append(rng.choice([f"{name}_bar[{rng.choice(_INDICES)}] += {value}"] * 6
                                + ["k = k * 1.5", f"{name}_bar += g", f"h = h + {name}_bar[0]"]))
    body = "".join(f"    {line}\n" for line in lines)
    return f"def f(a, b, g, h, k):\n{body}    return a_bar, b_bar, h\n"


def _run(func: ast.FunctionDef, args, monkeypatch):
    """``func``'s results at ``args``, with ``np.empty_like`` filled with NaN; or the error it raises."""
    empty_like = np.empty_like

    def poisoned(a, *rest, **named):
        return np.full_like(empty_like(a, *rest, **named), np.nan)

    monkeypatch.setattr(np, "empty_like", poisoned)
    space = dict(vars(sct.runtime), np=np)
    module = ast.fix_missing_locations(ast.Module(body=[func], type_ignores=[]))
    exec(compile(module, "<block>", "exec"), space)
    try:
        with np.errstate(all="ignore"):
            return [np.asarray(r, dtype=float) for r in space["f"](*args)]
    except (IndexError, ValueError) as error:
        return type(error)
    finally:
        monkeypatch.setattr(np, "empty_like", empty_like)


@pytest.mark.parametrize("seed", range(6))
def test_random_update_blocks_compute_what_they_did(seed, monkeypatch):
    """The optimised block (rewritten updates, NaN where an empty array is not written) returns what the
    block as written does, wherever that does not raise."""
    rng = random.Random(seed)
    for trial in range(60):
        source = _random_block(rng)
        rows = rng.choice([0, 1, 2, 3, 4, 6])
        values = np.random.default_rng(trial).standard_normal(2)
        args = (np.ones((rows, 2)), np.ones((rows, 2)), values, 0.7, 1.3)
        want = _run(derivative_function(source, True), args, monkeypatch)
        if isinstance(want, type):
            continue  # the update raises as written (a dropped statement may not)
        got = _run(optimize(derivative_function(source, True), None), args, monkeypatch)
        assert not isinstance(got, type), source
        assert all(np.array_equal(w, g, equal_nan=True) for w, g in zip(want, got)), source


def paired(x):
    t = x * 2.0
    return np.concatenate([t[:1] * x[:1], np.sin(t[1:]) * x[1:]])


def paired_cubed(x):
    return np.sum(paired(x) ** 3)


def test_interleaved_adjoints_fill_empty_arrays():
    source = sct.reverse(paired, wrt="x").source
    assert "x_bar = np.empty_like(x)" in source and "t_bar = np.empty_like(t)" in source, source


@pytest.mark.parametrize("x", [np.array([0.4, -1.3, 0.7, 2.1]), np.array([0.9]),
                               np.array([[0.5, 1.0], [-2.0, 0.3], [1.1, 0.2]])],
                         ids=["vector", "one", "rows"])
def test_interleaved_adjoints_in_every_mode(x):
    check_every_mode(paired, paired_cubed, x)


def polynomial(x):
    return (x[:, None] ** np.arange(10)) * 0.5


def polynomial_sum(x):
    return np.sum((x[:, None] ** np.arange(10)) ** 2 * 0.5)


def test_powers_of_no_rows_in_every_mode():
    """The products' table of no rows has shape (0, columns); its width cannot be inferred from no data."""
    assert "power_term" in sct.grad(polynomial_sum, wrt="x").source
    empty = np.zeros(0)
    assert sct.grad(polynomial_sum, wrt="x")(empty).shape == (0,)
    assert np.shape(sct.hessian(polynomial_sum, wrt="x")(empty)) == (0, 0)
    for mode in ("forward", "reverse"):
        assert np.shape(sct.jacobian(polynomial, wrt="x", mode=mode)(empty)) == (0, 10, 0)
    check_every_mode(polynomial, polynomial_sum, np.array([0.3, -1.2, 0.8]))


@pytest.mark.parametrize("order", [0, 1, 2, 8, 9, 12])
@pytest.mark.parametrize("y", [np.arange(8), np.arange(3, 13), np.array([5, 0, 3, 3, 9, 1, 2, 7])],
                         ids=["0..7", "3..12", "scattered"])
def test_power_term_is_the_rule_at_no_rows_and_any_order(y, order):
    """Orders past every exponent give zeros (+0, as the rule's integer coefficient does); no rows give an
    empty result of the rule's shape."""
    x = np.array([0.0, -0.0, 0.5, -2.0, 3.0, -1.0])[:, None]
    coefficient = np.ones(y.shape, dtype=int)
    for i in range(order):
        coefficient = coefficient * (y - i)
    with np.errstate(all="ignore"):
        want = x ** y if order == 0 else coefficient * np.power(np.where(coefficient == 0, 1.0, x), y - order)
        got = power_term(x, y, order)
    assert got.shape == want.shape and np.allclose(got, want, rtol=1e-14, atol=0.0)
    zero = want == 0
    assert np.array_equal(np.signbit(got[zero]), np.signbit(want[zero]))
    for shape in [(0, 1), (2, 0, 1)]:
        assert power_term(np.zeros(shape), y, order).shape == shape[:-1] + y.shape
