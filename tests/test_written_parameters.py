"""written_parameters skips the storage flow for a function with nothing the flow counts as a write: it
must find what the whole flow finds, on functions with and without each kind of write, and forward mode
must still give a parameter written in place a tangent of its own."""
from __future__ import annotations

import ast

import numpy as np
import pytest

import sct
from sct.analysis.aliasing import _Flow, written_parameters
from sct.analysis.storage import may_write
from sct.frontend.desugar import desugar
from sct.frontend.names import Namer, names_in
from sct.frontend.source import ModuleResolver

HELPERS = """
import numpy as np

def scale_first(q):
    q[0] = 2.0 * q[0]
    return q

def pure(q):
    return q * 2.0
"""

CASES = {  # body of f(x, y) -> the parameters it writes into, and whether a write is there to see
    "return np.sum(np.sin(x) * y)": (set(), False),
    "z = pure(x)\n    return np.sum(z * y)": (set(), True),
    "x[0] = y[1]\n    return np.sum(x)": ({"x"}, True),
    "x += y\n    return np.sum(x)": ({"x"}, True),
    "v = x\n    v[1] = 3.0\n    return np.sum(v * y)": ({"x"}, True),
    "z = scale_first(y)\n    return np.sum(z * x)": ({"y"}, True),
    "rows = [x]\n    rows.append(y)\n    return np.sum(rows[0])": (set(), True),
    "for i in range(2):\n        y[i] = x[i] * y[i]\n    return np.sum(y)": ({"y"}, True),
}


def _desugared(body: str):
    text = HELPERS + "\ndef f(x, y):\n    " + body + "\n"
    source = ModuleResolver(ast.parse(text), "<test>", text).function("f")
    func = desugar(source.node, source.context, Namer(names_in(source.node)))
    return func, source.resolver


@pytest.mark.parametrize("body", list(CASES))
def test_written_parameters_agree_with_the_whole_flow(body):
    func, resolver = _desugared(body)
    written, writes = CASES[body]
    assert may_write(func, resolver) is writes
    assert written_parameters(func, resolver) == _Flow(func, resolver, None).mutated_params == written


def test_forward_mode_copies_the_tangent_of_a_parameter_written_by_index():
    def f(x):
        x[0] = 3.0 * x[1]
        return np.sum(x * x)

    given = np.array([1.0, 0.0, 0.0])
    value, tangent = sct.forward(f)(np.array([1.0, 2.0, 3.0]), given.copy())
    assert np.array_equal(given, [1.0, 0.0, 0.0])  # the caller's tangent is left as it was
    assert value == pytest.approx(36.0 + 4.0 + 9.0) and tangent == 0.0  # x[0] is overwritten
    _, tangent = sct.forward(f)(np.array([1.0, 2.0, 3.0]), np.array([0.0, 1.0, 0.0]))
    assert tangent == pytest.approx(2 * 6.0 * 3.0 + 2 * 2.0)  # d/dx1 of (3 x1)^2 + x1^2 + x2^2
