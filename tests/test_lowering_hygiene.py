"""A composite lowered to primitives (sct/rules/lowering.py) binds names of its own (``i`` in the
generator of np.take_along_axis): the caller's arguments spliced into it keep their meaning even when the
caller calls them by those names. Before, ``i = np.argmax(...)`` passed as the indices was read as the
generator's counter, and every mode returned another selection (its value and derivatives) silently."""
from __future__ import annotations

import ast

import numpy as np
import pytest
from every_mode import check_every_mode

import sct
from sct.ir.astutil import Substitute


def indices_named_i(x):
    i = np.argmax(x, axis=-1)[..., None]
    return np.take_along_axis(x, i, axis=-1) * x


def array_named_i(x):
    i = x * 2.0
    order = np.argsort(x, axis=-1)
    return np.take_along_axis(i, order, axis=-1) * x


def both_named_i_and_i_1(x):
    i_1 = x * x
    i = np.argmin(x, axis=0)[None, ...]
    return np.take_along_axis(i_1, i, axis=0) + x


def _total(f):
    def total(x):
        return np.sum(np.sin(f(x)))
    return total


FUNCTIONS = [indices_named_i, array_named_i, both_named_i_and_i_1]
for _f in FUNCTIONS:
    globals()[_f.__name__ + "_total"] = _total(_f)

POINTS = [np.array([[0.3, -1.2], [0.8, 2.1]]), np.array([[-0.4, 0.0, 0.9]]),
          np.array([[0.5], [-1.3]]), np.array([[0.0, -0.7, 1.6], [-2.0, 0.4, -0.1]])]


@pytest.mark.parametrize("x", POINTS, ids=lambda x: "x".join(map(str, np.shape(x))))
@pytest.mark.parametrize("f", FUNCTIONS, ids=lambda f: f.__name__)
def test_the_callers_names_keep_their_meaning(f, x):
    out, _ = sct.forward(f)(x, np.ones(np.shape(x)))
    assert np.array_equal(out, f(x))
    check_every_mode(f, globals()[f.__name__ + "_total"], x)


def test_substitute_renames_a_bound_name_that_would_capture():
    template = ast.parse("tuple(a[i] + b for i in range(n))", mode="eval").body
    values = {"a": ast.Name(id="i", ctx=ast.Load()), "b": ast.Name(id="i_1", ctx=ast.Load()),
              "n": ast.Constant(value=3)}
    spliced = ast.fix_missing_locations(ast.Expression(Substitute(values, "np").visit(template)))
    assert eval(compile(spliced, "<spliced>", "eval"), {"i": [10, 20, 30], "i_1": 1}) == (11, 21, 31)
