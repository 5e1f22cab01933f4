"""Values bounded away from zero (sct/analysis/positive_values.py): their singular partials get no guard.

``1 / (1 + np.exp(-x))`` (the logistic) under a selection: the denominator is at least 1, so ``1 / y``'s
partial is finite and its term needs no guard; each function is checked in every mode against
differences. ``np.exp`` alone is not positive (it
underflows to 0): there the guard stays, and the derivative is still exact. So it does where a value is
bounded away from zero by too little (a partial overflows), reduced along an axis its method names, a mean
(NaN over no entries) or an integer sum (it wraps around): each gives NaN unguarded.
"""
import ast
import re

import numpy as np
import pytest
from every_mode import check_every_mode

import sct
from sct.analysis.positive_values import positive_values

pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")
GUARD = re.compile(r"(?<!def )zero_where_undefined\(")


def logistic(x):
    return 1.0 / (1.0 + np.exp(-x))


def logistic_branch(x):  # the helper's seed is an exact zero where x <= 0.5
    return np.where(x > 0.5, logistic(x) + logistic(30.0 * x), -x)


def sum_logistic_branch(x):
    return np.sum(logistic_branch(x))


def inline_branch(x):
    return np.where(x > 0.5, np.log(np.sum(np.exp(x)) + 2.0) + np.sqrt(np.cosh(x)), x * x)


def sum_inline_branch(x):
    return np.sum(inline_branch(x))


def underflow_branch(x):  # exp(x - 1000) is 0 here: log's partial is infinite in the branch not taken
    return np.where(x > 2000.0, np.log(np.exp(x - 1000.0)), x)


def sum_underflow_branch(x):
    return np.sum(underflow_branch(x))


def method_sum_branch(x):  # the method's receiver is what it sums
    return np.where(x > 0.5, np.log(np.exp(x).sum(axis=0) + 1.0) * x, x)


def sum_method_sum_branch(x):
    return np.sum(method_sum_branch(x))


X = np.array([-1.3, 0.0, 0.7, 2.2, 0.9])


# the guards left are those of exp's and cosh's terms, which may overflow (tests/test_overflow_guards.py)
@pytest.mark.parametrize("f, g, guards", [(logistic_branch, sum_logistic_branch, 1),
                                          (inline_branch, sum_inline_branch, 2),
                                          (underflow_branch, sum_underflow_branch, 2),
                                          (method_sum_branch, sum_method_sum_branch, 2)],
                         ids=["logistic helper", "log and sqrt of positives", "exp underflows",
                              "a method's sum"])
def test_every_mode_and_the_guards_left(f, g, guards):
    check_every_mode(f, g, X)
    assert len(GUARD.findall(sct.grad(g).source)) == guards


def _qualname(node):
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        numpy = isinstance(node.func.value, ast.Name) and node.func.value.id == "np"
        return ("numpy." if numpy else "method.") + node.func.attr
    return None


def _positive(source, unbounded=(), infinite=()):
    unbounded = set(unbounded)
    return positive_values(ast.parse(source).body[0], _qualname, unbounded, unbounded | set(infinite))


@pytest.mark.parametrize("body, found", [
    ("e = np.exp(-x)\n t = 1.0 + e\n u = np.maximum(x, 1.0)\n c = np.cosh(x)", {"t", "u", "c"}),
    ("u = np.maximum(x, 1e-3)\n v = 1e-3 + np.exp(x)", set()),  # too close to 0: see the docstring
    ("s = np.exp(x).sum(axis=0) + 1.0\n m = np.max(np.exp(x), 0) + 1.0", {"s", "m"}),
    ("s = x.sum(0) + 1.0\n m = x.max(0) + 1.0", set()),  # the method's argument is an axis
    ("s = np.mean(np.exp(x)) + 1.0\n d = np.sum(np.exp(x), dtype=np.int8) + 1.0", set()),
    ("k = np.maximum(x, 1)\n t = k + 255\n u = k + 255.0", {"k", "u"}),  # integers wrap around
    ("s = np.sum(np.exp(x), axis=0) + 2\n m = s + 2.0 * np.exp(x) * s", {"s", "m"}),
    # inf * 0 and inf - inf are NaN
    ("m = 1.0 + np.exp(x) * np.exp(-x)\n n = np.maximum(np.exp(x) - np.exp(x), 1.0)", set()),
    ("m = np.fmax(np.exp(x) - np.exp(x), 1.0)\n n = np.maximum(x, 1.0)\n o = np.maximum(np.exp(x), 1.0)",
     {"m", "n", "o"}),
    ("e = np.exp(x)\n z = 0.0 + e\n a = np.abs(x) + 1.0\n q = x ** 2 + 1.0\n r = np.sqrt(x) + 1.0", set()),
    ("t = 1.0 + np.exp(x)\n t = t - 5.0", set()),  # every assignment must be positive
    ("t = 1.0 + np.exp(x)\n t[0] = -1.0", set()),
    ("t = 1.0 + np.exp(x)\n t.fill(-1.0)", set()),
    ("t = 1.0 + np.exp(x)\n np.negative(x, out=t)", set()),
    ("t = 2.0\n for t in x:\n  pass", set()),
    ("x = 1.0 + np.exp(x)", set()),  # a parameter
    # powers by literals >= 0 of values >= 1 (>= 1 of values >= 0), np.where of two
    ("e = np.exp(x)\n t = (1.0 + e) ** 3\n u = np.power(1.0 + e, 0.5)\n v = e ** 2 + 1.0\n"
     " w = np.where(x > 0, t, 1.0)", {"t", "u", "v", "w"}),
    ("e = np.exp(x)\n t = (1.0 + e) ** -1\n u = e ** 0.5 + 1.0\n w = np.where(x > 0, x, 1.0)\n"
     " k = np.maximum(x, 1) ** 3\n p = (1.0 + e) ** x", set()),  # k: an integer's wraps around
])
def test_positive_names(body, found):
    assert _positive(f"def f(x):\n {body}") == found


def test_a_value_that_may_be_nan_is_not_positive():
    assert _positive("def f(x):\n u = np.log(x)\n t = 1.0 + np.exp(u)", unbounded={"u", "t"}) == set()


@pytest.mark.parametrize("body, infinite, found", [
    ("e = np.exp(x)\n f = np.exp(-x)\n m = 1.0 + e * f", {"e", "f"}, set()),  # inf * 0 is NaN
    ("e = np.exp(x)\n f = np.exp(-x)\n m = 1.0 + e * f", set(), {"m"}),
    ("e = np.exp(x)\n c = np.maximum(x, 1.0)\n m = 1.0 + e * c", {"e"}, {"c", "m"}),  # c: finite, never 0
    ("e = np.exp(x)\n c = np.cosh(x)\n m = 1.0 + e * c", {"e", "c"}, {"c"}),  # exp(-800) * cosh(-800)
    ("e = np.exp(x)\n d = e - e\n m = np.maximum(d, 1.0)", {"e", "d"}, set()),  # inf - inf is NaN
])
def test_a_product_or_maximum_of_a_value_that_may_overflow(body, infinite, found):
    assert _positive(f"def f(x):\n {body}", infinite=infinite) == found


def reciprocal_tiny(x):  # np.maximum(x, 1e-200) >= 1e-200, but the partial -z ** 2 overflows there
    return np.where(x > 0.5, np.reciprocal(np.maximum(x, 1e-200)), x)


def log_of_axis_sum(x):  # x.sum(0) + 1.0 is 0 here: the sum of x (along axis 0), not of 0
    return np.where(x > 0.5, np.log(x.sum(0) + 1.0) * x, x)


def log_of_empty_mean(x):  # the mean of no entries is NaN
    return np.where(x > 0.5, np.log(np.mean(np.exp(x[:0])) + 1.0) * x, x)


def quotient_of_wrapped(x, k):  # np.maximum(k, 1) + 255 is 0 in uint8 at k = 1
    return np.where(x > 0.5, x / (np.maximum(k, 1) + 255), x)


def sum_reciprocal_tiny(x):
    return np.sum(reciprocal_tiny(x))


def sum_log_of_axis_sum(x):
    return np.sum(log_of_axis_sum(x))


def sum_log_of_empty_mean(x):
    return np.sum(log_of_empty_mean(x))


def sum_quotient_of_wrapped(x, k):
    return np.sum(quotient_of_wrapped(x, k))


XS = np.array([-1.5, 0.25, 0.25])  # sums to -1; no entry above 0.5
K = np.array([1, 3, 1], dtype=np.uint8)


@pytest.mark.parametrize("f, g, rest", [
    (reciprocal_tiny, sum_reciprocal_tiny, ()), (log_of_axis_sum, sum_log_of_axis_sum, ()),
    (log_of_empty_mean, sum_log_of_empty_mean, ()), (quotient_of_wrapped, sum_quotient_of_wrapped, (K,))],
    ids=["partial overflows", "axis of a method", "empty mean", "integer sum wraps"])
def test_guards_kept_where_not_bounded_away_from_zero(f, g, rest):
    check_every_mode(f, g, XS, *rest)
    assert np.array_equal(sct.grad(g)(XS, *rest), np.ones(3))


def sum_float32_log(x):  # 1e-46 is 0 in float32
    return np.sum(np.where(x > 0.5, np.log(np.maximum(x, 1e-46)), x))


def sum_float32_reciprocal(x):  # at 1e-30, the partial -z ** 2 overflows float32
    return np.sum(np.where(x > 0.5, np.reciprocal(np.maximum(x, 1e-30)), x))


@pytest.mark.parametrize("g", [sum_float32_log, sum_float32_reciprocal])
def test_float32_floors(g):
    assert np.array_equal(sct.grad(g)(XS.astype(np.float32)), np.ones(3))
