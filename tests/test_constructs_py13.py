"""Python constructs that sct accepts by rewriting them (list comprehensions, generator expressions, ...),
each in every mode against differences (tests/every_mode.py), and those it still refuses, with the message."""
from __future__ import annotations

import operator

import numpy as np
import pytest
from every_mode import check_every_mode

import sct

X = np.array([0.7, -1.3, 0.4, 1.9, -0.6])


# -- list comprehensions and generator expressions -----------------------------------------------------

def squares(x):
    n = x.shape[0]
    return np.array([x[i] ** 2 for i in range(n)])


def weighted_sum(x):
    w = 1.5
    return sum(w * xi * xi for xi in x)


def weighted_sums(x):
    return np.stack([sum(x[j] * xi for xi in x[j:]) for j in range(len(x))])


def index_table(x):
    idx = [i for i in range(len(x)) if i % 2 == 0]
    return x[idx] * x[1]


def nested_for(x):
    n = len(x)
    return np.array([x[i] * np.sin(x[j]) for i in range(n) for j in range(i, n) if i != j])


def nested_comprehension(x):
    rows = [[x[i] * x[j] + j for j in range(3)] for i in range(len(x))]
    return np.array(rows)


def keeps_outer_name(x):
    i = 2
    values = [x[i] * x[i] for i in range(4)]
    return np.array(values) * x[i]


def zipped(x):
    return np.array([a * np.exp(b) for a, b in zip(x, x[1:])])


def enumerated(x):
    return sum(k * xi ** 3 for k, xi in enumerate(x))


def loop_over_comprehension(x):
    total = 0.0
    for v in [np.cos(xi) for xi in x if xi > -1.0]:
        total = total + v * v
    return total


def _norms(x):
    return [np.sqrt(1.0 + xi * xi) for xi in x]


def calls_helper(x):
    return np.stack(_norms(x)) * x


def squares_g(x):
    y = squares(x)
    return np.sum(y * y * x[0])


def weighted_sums_g(x):
    y = weighted_sums(x)
    return np.sum(y * y * x[0])


def index_table_g(x):
    y = index_table(x)
    return np.sum(y * y * x[0])


def nested_for_g(x):
    y = nested_for(x)
    return np.sum(y * y * x[0])


def nested_comprehension_g(x):
    y = nested_comprehension(x)
    return np.sum(y * y * x[0])


def keeps_outer_name_g(x):
    y = keeps_outer_name(x)
    return np.sum(y * y * x[0])


def zipped_g(x):
    y = zipped(x)
    return np.sum(y * y * x[0])


def calls_helper_g(x):
    y = calls_helper(x)
    return np.sum(y * y * x[0])


VECTOR = [(f, globals()[f.__name__ + "_g"]) for f in (
    squares, weighted_sums, index_table, nested_for, nested_comprehension, keeps_outer_name, zipped,
    calls_helper)]
SCALAR = [weighted_sum, enumerated, loop_over_comprehension]


@pytest.mark.parametrize("f, g", VECTOR, ids=lambda f: f.__name__)
def test_comprehension_every_mode(f, g):
    check_every_mode(f, g, X)


@pytest.mark.parametrize("f", SCALAR, ids=lambda f: f.__name__)
def test_scalar_comprehension_every_mode(f):
    check_every_mode(f, f, X)


def test_comprehension_keeps_python_semantics():
    """The values are Python's: targets are the comprehension's own, conditions and nested loops in order."""
    for f in (squares, index_table, nested_for, nested_comprehension, keeps_outer_name, zipped):
        out, _ = sct.forward(f)(X, np.ones_like(X))
        assert np.array_equal(out, f(X)), f.__name__
    for f in (weighted_sum, enumerated, loop_over_comprehension):
        assert sct.forward(f)(X, np.ones_like(X))[0] == f(X), f.__name__


def test_comprehensions_are_loops_in_the_stages():
    import contextlib
    import io

    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        sct.reverse(squares, verbose=2)
    text = err.getvalue()
    after = text.split("squares: comprehensions ---")[1].split("# ---")[0]
    assert ".append(" in after and "for i_1 in range(n)" in after and "[x[i]" not in after


# -- unpacking, casts, operator ------------------------------------------------------------------------

def unpacks_argument(x):
    a, b, c = x
    return np.array([a * b, b * c, np.sin(a) * c])


def unpacks_expression(x):
    first, second = x[1:] * 2.0
    return np.array([first * second, np.exp(second)])


def unpacks_in_a_loop(x):
    total = 0.0
    for k in range(2):
        a, b = x[k:k + 2]
        total = total + a * b ** 2
    return total


def casts(x):
    return x * float(x[0]) + int(x[1]) * x + np.int64(x[2]) * x ** 2 + float(np.sum(x)) * np.float64(x[1])


def slogdet_item(x):
    a = np.reshape(x[:4], (2, 2)) + 3.0 * np.eye(2)
    return np.linalg.slogdet(a)[1] * x + np.linalg.slogdet(a)[0] + np.linalg.slogdet(a)[-1]


def operators(x):
    y = operator.mul(operator.add(x, 1.0), operator.sub(x, 0.5))
    return operator.truediv(y, 2.0) + operator.neg(operator.pow(x, 2)) + operator.pos(x) * x[0]


def operator_matmul(x):
    return operator.matmul(np.reshape(x[:4], (2, 2)), x[1:3])


OPERATORS = {"operator.add", "operator.sub", "operator.mul", "operator.truediv", "operator.pow",
             "operator.neg", "operator.pos", "operator.matmul"}  # what `operators` and `operator_matmul` call

def unpacks_argument_g(x):
    y = unpacks_argument(x)
    return np.sum(y * y * x[0])


def unpacks_expression_g(x):
    y = unpacks_expression(x)
    return np.sum(y * y * x[0])


def casts_g(x):
    y = casts(x)
    return np.sum(y * y * x[0])


def slogdet_item_g(x):
    y = slogdet_item(x)
    return np.sum(y * y * x[0])


def operators_g(x):
    y = operators(x)
    return np.sum(y * y * x[0])


def operator_matmul_g(x):
    y = operator_matmul(x)
    return np.sum(y * y * x[0])


def _g(f):
    return globals()[f.__name__ + "_g"]


CONSTRUCTS = [(unpacks_argument, X[:3]), (unpacks_expression, X[:3]), (casts, X), (slogdet_item, X),
              (operators, X), (operator_matmul, X)]


@pytest.mark.parametrize("f, x", CONSTRUCTS, ids=lambda v: getattr(v, "__name__", ""))
def test_construct_every_mode(f, x):
    check_every_mode(f, _g(f), x)


def test_unpacking_in_a_loop_every_mode():
    check_every_mode(unpacks_in_a_loop, unpacks_in_a_loop, X[:3])


def test_unpacking_checks_the_length_as_python_does():
    with pytest.raises(ValueError):
        unpacks_argument(X)
    with pytest.raises(ValueError, match="expected 3 values to unpack"):
        sct.reverse(unpacks_argument)(X, seed=np.ones(3))


def test_every_operator_lowering_is_tested_here():
    from sct.rules.lowering import LOWERINGS

    assert {q for q in LOWERINGS if q.startswith("operator.")} == OPERATORS


# -- what stays refused, and says what to write --------------------------------------------------------

def generator_to_numpy(x):
    return np.stack(xi * 2.0 for xi in x)


def comprehension_in_a_branch(x):
    return x if x[0] > 0.0 else np.array([xi * 2.0 for xi in x])


def comprehension_after_or(x):
    return np.sum(x) > 0.0 or sum([xi for xi in x])


def comprehension_in_while(x):
    k = 0
    while k < len([xi for xi in x if xi > 0.0]):
        k = k + 1
    return x * k




def draws_in_two_orders(x):
    return np.random.normal() * x + np.array([np.random.normal() * xi for xi in x])


def draws_once(x):
    np.random.seed(3)
    noise = [np.random.normal() * xi for xi in x]
    return np.array(noise) + np.random.normal() * x


REFUSED = [
    (generator_to_numpy, ["generator expression", "list comprehension"]),
    (comprehension_in_a_branch, ["comprehension", "if ... else", "if statement"]),
    (comprehension_after_or, ["comprehension", "and`/`or", "if statement"]),
    (comprehension_in_while, ["comprehension", "while", "if statement"]),
    (draws_in_two_orders, ["comprehension", "random", "own line"]),
]


@pytest.mark.parametrize("f, words", REFUSED, ids=lambda v: getattr(v, "__name__", ""))
def test_refused_with_what_to_write(f, words):
    with pytest.raises(sct.SCTError) as info:
        sct.reverse(f)(X, seed=1.0)
    message = str(info.value) + info.value.hint
    assert all(w in message for w in words), message


def test_a_comprehension_on_its_own_line_may_draw():
    np.random.seed(3)
    expected = draws_once(X)
    out, _ = sct.forward(draws_once)(X, np.ones_like(X))
    assert np.array_equal(out, expected)
