"""``unbroadcast(a * b, x)`` run as ``unbroadcast_product(a, b, x)`` (one ``np.einsum`` when only leading
axes are summed): the helper against the plain spelling, the rewrite, the read-back, whole derivatives."""
import ast
import textwrap

import numpy as np
import pytest
from every_mode import check_every_mode

import sct
from sct.frontend.value_spellings import value_spellings
from sct.ir import annotations as anno
from sct.optimize.products_into import products_into_zeros
from sct.optimize.run_spellings import faster_spellings
from sct.runtime import product_into, unbroadcast, unbroadcast_product

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


# ------------------------------------------------------------------ products written into their zeros
@pytest.mark.parametrize("a, b, x, view", [
    (RNG.standard_normal(3), RNG.standard_normal(3), np.ones(3), np.zeros(5)[1:4]),          # multiplied in
    (RNG.standard_normal((2, 3)), RNG.standard_normal((2, 3)), np.ones(3), np.zeros(4)[:3]),  # summed first
    (RNG.standard_normal(3), RNG.standard_normal(3), np.ones(3), np.zeros(4, np.float32)[1:]),  # cast
    (RNG.standard_normal(3), 2.0, np.ones(3), np.zeros(4)[1:]),                              # a number
])
def test_product_into_is_the_plain_assignment(a, b, x, view):
    expected = np.copy(view)
    expected[...] = unbroadcast(a * b, x)
    product_into(view, a, b, x)
    np.testing.assert_array_equal(view, expected)


def _pass(text: str) -> str:
    return ast.unparse(products_into_zeros(_function(textwrap.dedent(text))))


def test_a_product_read_once_into_new_zeros_is_multiplied_into_them():
    out = _pass("""
        def f(g, x, y):
            _t2_bar = unbroadcast(g[1:] * x[:-1], x[:-1])
            _t3_bar = unbroadcast(y[1:] * g[1:], y[1:])
            y_bar = np.zeros_like(y)
            y_bar[:-1] = _t3_bar
            x_bar = np.zeros_like(x)
            x_bar[1:] = _t2_bar
            return x_bar, y_bar
        """)
    assert "product_into(y_bar[:-1], y[1:], g[1:], y[1:])" in out and "product_into(x_bar[1:], " in out
    assert "_t2_bar" not in out and "_t3_bar" not in out


@pytest.mark.parametrize("between, into", [
    ("x = 2.0 * x", "v[1:] = _t1_bar"),                     # binds what the product reads
    ("w = keep(v)", "v[1:] = _t1_bar"),                     # a call between
    ("", "g[1:] = _t1_bar"),                                # not new zeros
    ("", "v[0] = _t1_bar"),                                 # not a slice: maybe no view
    ("", "v[1:] = _t1_bar + 1.0"),                          # not the whole value
    ("v[2:] = x", "v[1:] = _t1_bar"),                       # zeros bound before the product
])
def test_other_products_stay_as_they_are(between, into):
    order = ["v = np.zeros_like(x)", "_t1_bar = unbroadcast(g * x, x)"] if "v[2:]" in between \
        else ["_t1_bar = unbroadcast(g * x, x)", "v = np.zeros_like(x)"]
    lines = order + ([between] if between else []) + [into, "return v"]
    out = _pass("def f(g, x):\n" + "".join(f"    {line}\n" for line in lines))
    assert "product_into" not in out


def test_product_into_is_read_back_as_the_assignment():
    class Resolver:
        def qualname_of(self, node):
            return type("Binding", (), {"qualname": "sct.runtime." + node.id, "obj": None})()

    func = ast.parse("def f(v, a, b, x):\n    product_into(v[1:], a, b, x)\n    return v").body[0]
    assert "v[1:] = unbroadcast(a * b, x)" in ast.unparse(value_spellings(func, Resolver(), "np"))
