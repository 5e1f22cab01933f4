"""Updates by disjoint constant slices after an adjoint's zeros are assigned, and zeros that they overwrite
entirely are ``np.empty_like`` (sct/optimize/first_contributions.py, sct/optimize/disjoint_slices.py)."""
import ast
import itertools

import numpy as np
import pytest
from every_mode import check_every_mode
from marked_code import derivative_function

import sct
from sct.optimize.dead_code import optimize
from sct.optimize.disjoint_slices import covers_first_axis, disjoint, span_of

INDICES = ["0", "1", "-1", "-2", ":1", "1:", ":-1", "-1:", "1:3", "2:", ":2", "-2:", "1:-1", ":", "::2",
           "0, :", "1:, :", ":1, 0", "i", "i:", "::-1"]


def _taken(index: str, n: int):
    """The rows of an ``n`` x 2 array that ``a[index] = 1`` writes into, or None when it raises; and whether
    it writes whole rows."""
    marks = np.zeros((n, 2))
    try:
        marks[eval(f"np.s_[{index}]", {"np": np, "i": 1})] = 1.0
    except IndexError:
        return None, False
    rows = set(np.flatnonzero(marks.any(axis=1)).tolist())
    return rows, bool(all(marks[r].all() for r in rows))


def _span(index: str):
    return span_of(ast.parse(f"a[{index}]", mode="eval").body.slice)


@pytest.mark.parametrize("first,second", list(itertools.combinations(INDICES, 2)))
def test_disjoint_spans_take_no_position_in_common_at_any_length(first, second):
    if disjoint(_span(first), _span(second)):
        for n in range(8):
            (a, _), (b, _) = _taken(first, n), _taken(second, n)
            assert a is None or b is None or not a & b, (first, second, n)


def test_spans_that_are_recognised_and_not():
    assert disjoint(_span("1:"), _span(":1")) and disjoint(_span(":-1"), _span("-1"))
    assert not disjoint(_span(":2"), _span("-1:"))  # overlap in an array of one or two rows
    assert _span("::2") is None and _span("i") is None and _span("::-1") is None


@pytest.mark.parametrize("indices", [c for k in (1, 2, 3) for c in itertools.combinations(INDICES, k)])
def test_covering_spans_take_every_element_at_any_length(indices):
    spans = [_span(i) for i in indices]
    if None in spans or not all(disjoint(a, b) for a, b in itertools.combinations(spans, 2)) \
            or not covers_first_axis(spans):
        return
    for n in range(1, 8):
        taken = [_taken(i, n) for i in indices]
        if any(t is None for t, _ in taken):
            continue  # the update raises, as the original does
        assert all(whole for _, whole in taken) and set().union(*(t for t, _ in taken)) == set(range(n))


def _optimized(source: str) -> str:
    return ast.unparse(optimize(derivative_function(source, True), None))


def test_updates_of_complementary_slices_are_assigned_into_empty():
    out = _optimized("""
        def f(x, g, h, k):
            x_bar = np.zeros_like(x)
            x_bar[1:] += g
            k_bar = 2.0 * k
            x_bar[:1] += h * k_bar
            return x_bar
        """)
    assert "x_bar = np.empty_like(x)" in out and "x_bar[1:] = g" in out and "x_bar[:1] = h * " in out


@pytest.mark.parametrize("updates,assigned,kept", [
    (["x_bar[:2] += g", "x_bar[-1:] += h"], ["x_bar[:2] = g"], ["x_bar[-1:] += h"]),  # may overlap
    (["x_bar[2:] += g", "x_bar[:1] += h"], ["x_bar[2:] = g", "x_bar[:1] = h"], []),  # row 1 stays zero
    (["x_bar[1:] += g", "x_bar[:1] += x_bar[-1:]"], ["x_bar[1:] = g", "x_bar[:1] = x_bar[-1:]"], []),
    (["x_bar[1:] += g", "h = h * x_bar", "x_bar[:1] += h"], ["x_bar[1:] = g"], ["x_bar[:1] += h"]),
    (["x_bar[i] += g", "x_bar[:1] += h"], ["x_bar[i] = g"], ["x_bar[:1] += h"]),
    (["x_bar[1:, 0] += g", "x_bar[:1] += h"], ["x_bar[1:, 0] = g", "x_bar[:1] = h"], []),
])
def test_updates_that_may_overlap_or_read_the_zeros_keep_them(updates, assigned, kept):
    body = "\n".join(f"            {u}" for u in updates)
    out = _optimized(f"""
        def f(x, g, h, i):
            x_bar = np.zeros_like(x)
{body}
            return x_bar
        """)
    assert "empty_like" not in out and "zeros_of(x)" in out
    assert all(a in out for a in assigned) and all(k in out for k in kept), out


def rolled(x):
    return np.concatenate([x[-1:] * x[:1], x[1:-1] ** 2, np.sin(x[:1])])


def rolled_cubed(x):
    return np.sum(rolled(x) ** 3)


def halves(x):
    return np.concatenate([x[:1] * 2.0, x[1:] ** 2], axis=0) * 1.5


def halves_cubed(x):
    return np.sum(halves(x) ** 3)


def test_the_adjoint_of_two_halves_fills_empty():
    source = sct.reverse(halves, wrt="x").source
    assert "x_bar = np.empty_like(x)" in source and "x_bar[:1] = " in source, source


@pytest.mark.parametrize("f,g", [(rolled, rolled_cubed), (halves, halves_cubed)], ids=["rolled", "halves"])
@pytest.mark.parametrize("x", [np.array([0.4, -1.3, 0.7, 2.1]),
                               np.array([[0.5, 1.0], [-2.0, 0.3], [1.1, 0.2]]), np.array([0.8, -0.6])],
                         ids=["vector", "rows", "two"])
def test_disjoint_updates_in_every_mode(f, g, x):
    check_every_mode(f, g, x)
