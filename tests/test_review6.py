"""Adjoints whose updates interleave are each assigned (sct/optimize/first_contributions.py)."""
import ast

import numpy as np
import pytest
from every_mode import check_every_mode
from marked_code import derivative_function

import sct
from sct.optimize.dead_code import optimize


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
