"""Constant factors of an adjoint moved out of the runtime calls that sum it (``unbroadcast``,
``matmul_adjoint``): the pass alone, checked against the code it rewrites, and whole derivatives against
divided differences."""
import ast
import textwrap

import numpy as np
import pytest
from every_mode import check_every_mode

import sct
from sct.ir import annotations as anno
from sct.optimize.scale_out import scale_after_summing
from sct.runtime import matmul_adjoint, unbroadcast


def _run(text: str, *args):
    namespace = {"np": np, "unbroadcast": unbroadcast, "matmul_adjoint": matmul_adjoint}
    exec(text, namespace)
    return namespace["f"](*args)


def _rewritten(source: str, *args, derivative: bool = True) -> str:
    func = ast.parse(textwrap.dedent(source)).body[0]
    for node in ast.walk(func):
        if isinstance(node, ast.stmt) and node is not func:
            anno.mark(node, "derivative", derivative)
    before = _run(ast.unparse(func), *args)
    func.body = scale_after_summing(func.body)
    text = ast.unparse(ast.fix_missing_locations(func))
    np.testing.assert_allclose(_run(text, *args), before, rtol=1e-15, atol=0)
    return text


G = np.array([[0.5, -1.0, 2.0], [0.0, 3.0, -0.25]])
A = np.array([[1.0, -2.0], [0.5, 0.0], [3.0, 1.0], [-1.0, 2.0]])
B = np.array([[2.0, 0.0, -1.0], [1.0, 1.0, 0.5]])


def test_a_factor_of_a_summed_adjoint_multiplies_the_sum():
    out = _rewritten("""
        def f(g, x):
            return unbroadcast(-2.0 * g, x)
        """, G, np.ones(3))
    assert "return -2.0 * unbroadcast(g, x)" in out


def test_a_factor_seen_through_a_transpose_multiplies_the_product():
    out = _rewritten("""
        def f(g, a, b):
            return matmul_adjoint((3 * g).T, a, b, 1)
        """, np.ones((3, 4)) * 0.5, A, B)
    assert "return 3 * matmul_adjoint(g.T, a, b, 1)" in out


def test_factors_of_nested_sums_come_out_of_both():
    out = _rewritten("""
        def f(g, x, y):
            return unbroadcast(unbroadcast(0.5 * g, x), y)
        """, G, np.ones((1, 3)), np.ones(3))
    assert "return 0.5 * unbroadcast(unbroadcast(g, x), y)" in out


@pytest.mark.parametrize("body", ["return unbroadcast(g * 2.0 + g, x)", "return unbroadcast(g, x) * 2.0"])
def test_no_factor_of_the_adjoint_leaves_the_call(body):
    out = _rewritten(f"""
        def f(g, x):
            {body}
        """, G, np.ones(3))
    assert out.endswith(body)


def test_the_users_statements_are_left_alone():
    out = _rewritten("""
        def f(g, x):
            return unbroadcast(-2.0 * g, x)
        """, G, np.ones(3), derivative=False)
    assert "unbroadcast(-2.0 * g, x)" in out


def kmeans_like(x, c):
    d = np.sum(x ** 2, 1)[None, :] + np.sum(c ** 2, 1)[:, None] - 2 * np.matmul(x, c.T).T
    return np.min(d, axis=0)


def kmeans_like_cost(x, c):
    return np.sum(kmeans_like(x, c))


def broadcast_scaled(x, y):
    return np.sin(-2.0 * (x[:, None] + y)) * 3.0


def broadcast_scaled_sum(x, y):
    return np.sum(broadcast_scaled(x, y) ** 2)


def test_the_kmeans_cost_scales_the_small_product():
    source = sct.reverse(kmeans_like, wrt="x").source
    assert "-2 * matmul_adjoint(" in source
    x, c = np.array([[0.5, -1.0], [2.0, 0.0], [-1.5, 1.0]]), np.array([[0.0, 0.0], [1.0, -1.0]])
    check_every_mode(kmeans_like, kmeans_like_cost, x, c, second_order=False)


@pytest.mark.parametrize("x", [np.array([0.3, -1.2, 0.0]), np.array([-0.7])])
def test_a_broadcast_sum_scaled_after_summing_is_exact_in_every_mode(x):
    y = np.array([0.5, -1.0, 2.0, 0.0])
    assert "-2.0 * unbroadcast_product(" in sct.reverse(broadcast_scaled, wrt="x").source
    check_every_mode(broadcast_scaled, broadcast_scaled_sum, x, y)
