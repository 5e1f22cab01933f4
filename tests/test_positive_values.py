"""Values bounded away from zero (sct/analysis/positive_values.py): their singular partials get no guard.

``1 / (1 + np.exp(-x))`` (the logistic) under a selection: the denominator is at least 1, so ``1 / y``'s
partial is finite and its term needs no guard; each function is checked in every mode against
differences. ``np.exp`` alone is not positive (it
underflows to 0): there the guard stays, and the derivative is still exact.
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


X = np.array([-1.3, 0.0, 0.7, 2.2, 0.9])


@pytest.mark.parametrize("f, g, guards", [(logistic_branch, sum_logistic_branch, 0),
                                          (inline_branch, sum_inline_branch, 0),
                                          (underflow_branch, sum_underflow_branch, 1)],
                         ids=["logistic helper", "log and sqrt of positives", "exp underflows"])
def test_every_mode_and_the_guards_left(f, g, guards):
    check_every_mode(f, g, X)
    assert len(GUARD.findall(sct.grad(g).source)) == guards


def _qualname(node):
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
            and isinstance(node.func.value, ast.Name) and node.func.value.id == "np":
        return "numpy." + node.func.attr
    return None


def _positive(source, unbounded=()):
    return positive_values(ast.parse(source).body[0], _qualname, set(unbounded))


@pytest.mark.parametrize("body, found", [
    ("e = np.exp(-x)\n t = 1.0 + e\n u = np.maximum(x, 1e-3)\n c = np.cosh(x)", {"t", "u", "c"}),
    ("s = np.sum(np.exp(x), axis=0) + 2\n m = s + np.exp(x) * np.exp(x)", {"s", "m"}),
    ("e = np.exp(x)\n z = 0.0 + e\n a = np.abs(x) + 1.0\n q = x ** 2 + 1.0\n r = np.sqrt(x) + 1.0", set()),
    ("t = 1.0 + np.exp(x)\n t = t - 5.0", set()),  # every assignment must be positive
    ("t = 1.0 + np.exp(x)\n t[0] = -1.0", set()),
    ("t = 1.0 + np.exp(x)\n t.fill(-1.0)", set()),
    ("t = 1.0 + np.exp(x)\n np.negative(x, out=t)", set()),
    ("t = 2.0\n for t in x:\n  pass", set()),
    ("x = 1.0 + np.exp(x)", set()),  # a parameter
])
def test_positive_names(body, found):
    assert _positive(f"def f(x):\n {body}") == found


def test_a_value_that_may_be_nan_is_not_positive():
    assert _positive("def f(x):\n u = np.log(x)\n t = 1.0 + np.exp(u)", unbounded={"u", "t"}) == set()
