"""``unbroadcast(a * b, x)`` run as ``unbroadcast_product(a, b, x)`` (one ``np.einsum`` when only leading
axes are summed): the helper against the plain spelling, the rewrite, the read-back, whole derivatives."""
import ast

import numpy as np
import pytest
from every_mode import check_every_mode

import sct
from sct.frontend.value_spellings import value_spellings
from sct.ir import annotations as anno
from sct.optimize.run_spellings import faster_spellings
from sct.runtime import unbroadcast, unbroadcast_product

RNG = np.random.default_rng(5)


@pytest.mark.parametrize("a, b, x", [
    (RNG.standard_normal((4, 3, 2)), RNG.standard_normal((4, 3, 2)), np.ones((3, 2))),   # einsum
    (RNG.standard_normal((4, 3)), RNG.standard_normal((4, 3)), np.array(1.0)),           # to 0-d
    (RNG.standard_normal((4, 1, 2)), RNG.standard_normal((4, 1, 2)), np.ones((1, 2))),   # size-1 axis
    (RNG.standard_normal((4, 3)), RNG.standard_normal((4, 3)), np.ones((4, 3))),         # nothing summed
    (RNG.standard_normal((4, 3)), RNG.standard_normal((4, 3)), np.ones((1, 3))),         # kept axis of 1
    (RNG.standard_normal((4, 3)), RNG.standard_normal(3), np.ones(3)),                   # shapes differ
    (RNG.standard_normal((4, 3)), 2.5, np.ones(3)),                                      # a number
    (RNG.standard_normal((4, 3)), RNG.standard_normal((4, 3)), 1.5),                     # x a number
    (np.arange(12).reshape(4, 3), np.arange(12).reshape(4, 3), np.ones(3, dtype=int)),   # integers
    (RNG.standard_normal((4, 3)) * 1j, RNG.standard_normal((4, 3)), np.ones(3)),          # complex
])
def test_unbroadcast_product_is_the_plain_spelling(a, b, x):
    expected = unbroadcast(a * b, x)
    found = unbroadcast_product(a, b, x)
    assert np.shape(found) == np.shape(expected) and np.asarray(found).dtype == np.asarray(expected).dtype
    np.testing.assert_allclose(found, expected, rtol=1e-13, atol=1e-13)


def _function(text: str, derivative: bool = True) -> ast.FunctionDef:
    func = ast.parse(text).body[0]
    for node in ast.walk(func):
        if isinstance(node, ast.stmt) and node is not func:
            anno.mark(node, "derivative", derivative)
    return func


def test_the_rewrite_and_the_read_back():
    text = "def f(g, y, x):\n    x_bar = unbroadcast(g * y, x)\n    return x_bar"
    out = ast.unparse(faster_spellings(_function(text)))
    assert "x_bar = unbroadcast_product(g, y, x)" in out
    assert "unbroadcast(g * y, x)" in ast.unparse(faster_spellings(_function(text, derivative=False)))

    class Resolver:
        def qualname_of(self, node):
            return type("Binding", (), {"qualname": "sct.runtime." + node.id, "obj": None})()

    back = ast.unparse(value_spellings(ast.parse(out).body[0], Resolver(), "np"))
    assert "x_bar = unbroadcast(g * y, x)" in back


def scaled_rows(x, w):
    """The adjoint of ``x`` sums a product over the leading axis ``x`` was broadcast along."""
    return np.exp(x) * w + x * w


def scaled_rows_sum(x, w):
    return np.sum(scaled_rows(x, w) ** 2)


@pytest.mark.parametrize("x", [np.array([[0.3, -1.2], [0.0, 2.0]]), np.array([[-0.7]])])
def test_a_summed_product_adjoint_is_exact_in_every_mode(x):
    w = np.linspace(-1.0, 1.5, 3 * x.size).reshape((3,) + x.shape)
    assert "unbroadcast_product(" in sct.reverse(scaled_rows, wrt="x").source
    check_every_mode(scaled_rows, scaled_rows_sum, x, w)
