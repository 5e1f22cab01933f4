"""Singular partials met by an exact-zero adjoint or tangent (sct/analysis/exact_zeros.py).

``np.where(x > 0.1, np.sqrt(x), 0.0)`` at ``x <= 0``: the branch not taken has a partial that is
infinite (at 0) or NaN (beyond the domain), and its adjoint is an exact zero there; ``0 * inf`` would be
NaN where the derivative is 0. Each function is checked in every mode (tests/every_mode.py) at points
with entries at the singular point, beyond the domain, and where the branch is taken; ``JAX`` and
``PyTorch`` give NaN here. The last tests check that code without a selection gets no guard.
"""
import importlib
import re

import numpy as np
import pytest
from every_mode import check_every_mode

import sct

pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")
GUARD = re.compile(r"(?<!def )zero_where_undefined\(")


def root_branch(x):
    return np.where(x > 0.1, np.sqrt(x), 0.0)


def log_branch(x):
    return np.where(x > 0.5, np.log(x), x)


def arcsin_branch(x):
    return np.where(np.abs(x) < 0.9, np.arcsin(x), 0.5 * x)


def reciprocal_branch(x):
    return np.where(np.abs(x) > 0.5, 1.0 / x, x)


def quotient_branch(x):
    return np.where(np.abs(x) > 0.5, (x + 2.0) / (x * x), 3.0 * x)


def half_power_branch(x):
    return np.where(x > 0.2, x ** 0.5 + x ** 1.5, 2.0 * x)


def own_power_branch(x):
    return np.where(x > 0.2, x ** x, x)


def arctanh_branch(x):
    return np.where(np.abs(x) < 0.5, np.arctanh(x), x * x)


def cbrt_times_comparison(x):
    return (x > 0.5) * np.cbrt(x)


def root_times_named_mask(x):
    keep = (x > 0.5) & (x < 5.0)
    return np.sqrt(np.abs(x)) * keep.astype(float)


def root_after_index_write(x):
    y = np.sqrt(x)
    y[x < 0.1] = 0.0
    return y + x


def logs_of_the_rest(x):
    return np.log(x)[1:]


def select_of_roots(x):
    return np.select([x > 0.5, x < -0.5], [np.sqrt(x), np.log(-x)], 0.25 * x)


def larger_of_cbrt(x):
    return np.maximum(np.cbrt(x), x + 2.0)


def root(x):
    return np.sqrt(x)


def helper_branch(x):
    return np.where(x > 0.1, root(x), -x)


def loop_of_branches(x):
    total = 0.0
    for i in range(x.shape[0]):
        total = total + np.where(x[i] > 0.1, np.sqrt(x[i]), x[i])
    return total


def sum_root_branch(x):
    return np.sum(root_branch(x))


def sum_log_branch(x):
    return np.sum(log_branch(x))


def sum_arcsin_branch(x):
    return np.sum(arcsin_branch(x))


def sum_reciprocal_branch(x):
    return np.sum(reciprocal_branch(x))


def sum_quotient_branch(x):
    return np.sum(quotient_branch(x))


def sum_half_power_branch(x):
    return np.sum(half_power_branch(x))


def sum_own_power_branch(x):
    return np.sum(own_power_branch(x))


def sum_arctanh_branch(x):
    return np.sum(arctanh_branch(x))


def sum_cbrt_times_comparison(x):
    return np.sum(cbrt_times_comparison(x))


def sum_root_times_named_mask(x):
    return np.sum(root_times_named_mask(x))


def sum_root_after_index_write(x):
    return np.sum(root_after_index_write(x))


def sum_logs_of_the_rest(x):
    return np.sum(logs_of_the_rest(x))


def sum_select_of_roots(x):
    return np.sum(select_of_roots(x))


def sum_larger_of_cbrt(x):
    return np.sum(larger_of_cbrt(x))


def sum_helper_branch(x):
    return np.sum(helper_branch(x))


X = np.array([0.0, -1.3, 0.7, 2.2])
EDGES = np.array([1.0, -1.0, 2.0, 0.3, -0.2])
CASES = [
    (root_branch, X), (log_branch, X), (arcsin_branch, EDGES),
    (reciprocal_branch, np.array([0.0, 2.0, -0.7])),
    (quotient_branch, np.array([0.0, 1.5, -0.8])), (half_power_branch, X), (own_power_branch, X),
    (arctanh_branch, EDGES), (cbrt_times_comparison, X), (root_times_named_mask, X),
    (root_after_index_write, np.array([0.0, -1.3, 0.9])), (logs_of_the_rest, np.array([0.0, 0.7, 1.9])),
    (select_of_roots, np.array([0.0, 0.2, 1.3, -1.1, 0.6])), (larger_of_cbrt, np.array([0.0, -8.5, 1.5])),
    (helper_branch, X),
]
SHAPES = {"1-d": lambda x: x, "1xn": lambda x: x.reshape(1, -1), "nx1": lambda x: x.reshape(-1, 1)}
ONE_D = (root_after_index_write, logs_of_the_rest)  # written for 1-d arrays
RUNS = [pytest.param(f, SHAPES[shape](x), id=f"{shape}-{f.__name__}") for f, x in CASES for shape in SHAPES
        if shape == "1-d" or f not in ONE_D]


@pytest.mark.parametrize("f, x", RUNS)
def test_every_mode_of_a_singular_unselected_branch(f, x):
    check_every_mode(f, globals()["sum_" + f.__name__], x)


def root_where_both_positive(x, c):  # x (3, 1) and c (1, 4): a broadcast condition
    return np.where((x > 0.1) & (c > 0.0), np.sqrt(x), x * c)


def sum_root_where_both_positive(x, c):
    return np.sum(root_where_both_positive(x, c))


def log_where_matrix(x, c):  # x (2, 3), c (3,): a 2-d value, a condition broadcast along its rows
    return np.where(x > c, np.log(x), x)


def sum_log_where_matrix(x, c):
    return np.sum(log_where_matrix(x, c))


@pytest.mark.parametrize("f, g, x, c", [
    (root_where_both_positive, sum_root_where_both_positive, np.array([[0.0], [-1.2], [0.8]]),
     np.array([[1.0, -1.0, 2.0, 0.5]])),
    (log_where_matrix, sum_log_where_matrix, np.array([[0.0, -1.3, 2.5], [1.7, 0.0, -0.4]]),
     np.array([0.5, 1.0, 0.2]))], ids=["broadcast condition", "2-d"])
def test_every_mode_of_broadcast_and_two_dimensional_conditions(f, g, x, c):
    check_every_mode(f, g, x, c)


def test_every_mode_of_branches_in_a_loop():
    check_every_mode(branches_item_by_item, loop_of_branches, np.array([0.0, -1.3, 0.7]))


def branches_item_by_item(x):
    return np.stack([np.where(x[i] > 0.1, np.sqrt(x[i]), x[i]) for i in range(x.shape[0])])


def scaled_roots(a, s, t):
    return a * np.sqrt(s) + a ** 2 * np.log(t) + a * np.arcsin(t)


def through_constant_roots(x):  # s = 0, t = 1: sqrt, log and arcsin at their singular points
    return scaled_roots(x, 0.0, 1.0) + x ** 3


def sum_through_constant_roots(x):
    return np.sum(through_constant_roots(x))


def test_every_mode_of_a_helper_with_singular_constant_arguments():
    check_every_mode(through_constant_roots, sum_through_constant_roots, np.array([0.4, -1.1, 0.0]))


def plain(x, y):  # no selection: singular partials without a zero adjoint or tangent in sight
    return np.sum(np.sqrt(x) * np.log(y) / x + x ** 0.5 * np.arcsin(y / 4.0) + (x * y) ** 1.5)


@pytest.mark.parametrize("make", [
    lambda: sct.grad(plain, wrt="x"), lambda: sct.forward(plain, wrt="x"),
    lambda: sct.jacobian(plain, wrt="x", mode="reverse"), lambda: sct.hessian(plain, wrt="x"),
    lambda: sct.hvp(plain, wrt="x"), lambda: sct.hvp(plain, wrt="x", method="reverse-over-forward")],
    ids=["grad", "forward", "jacobian", "hessian", "hvp", "hvp reverse-over-forward"])
def test_code_without_a_selection_gets_no_guard(make):
    assert GUARD.findall(make().source) == []


@pytest.mark.parametrize("name", ["gmm", "lse", "ode", "kmeans"])
def test_the_benchmarks_get_no_guard(name):
    functions = importlib.import_module(f"gradbench.evals.{name}").define()
    derivative = next(f.compute for key, f in functions.items() if key not in ("objective", "primal", "cost"))
    source = getattr(derivative, "source", None) or _closure_source(derivative)
    assert "def diff" in source and GUARD.findall(source) == []


def _closure_source(function) -> str:
    """The emitted source of the sct derivative a benchmark's wrapper calls."""
    cells = [c.cell_contents for c in function.__closure__ or ()]
    return "".join(c.source for c in cells if hasattr(c, "source"))


def test_only_the_selected_branch_is_guarded():
    source = sct.grad(branch_and_plain).source
    guards = GUARD.findall(source)
    body = source[source.index("def diff_branch_and_plain"):]
    assert len(guards) == 1 and "0.5 /" in body.split("zero_where_undefined(")[1].splitlines()[0]


def branch_and_plain(x):
    return np.sum(np.where(x > 0.1, np.sqrt(x), 0.0)) + np.sum(np.log(x + 5.0))


def root_times_itself_selected(x):
    return np.sqrt(x + 2.0)[:2] * x[:2]


def sum_root_times_itself_selected(x):
    return np.sum(root_times_itself_selected(x))


def test_a_guarded_adjoint_that_is_zero_with_a_tangent_is_exact_at_second_order():
    # the adjoint of the root, x, is exactly 0 at x = 0 while its tangent is not: the guard must not
    # drop the tangent's term (once H[0, 0] = 0 instead of 1/sqrt(2), without an error)
    x = np.array([0.0, -0.7, 1.3])
    check_every_mode(root_times_itself_selected, sum_root_times_itself_selected, x)
    assert abs(sct.hessian(sum_root_times_itself_selected)(x)[0, 0] - 1.0 / np.sqrt(2.0)) < 1e-12
