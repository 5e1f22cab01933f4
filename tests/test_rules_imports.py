"""numpy imported as ``numpy`` (no ``np`` anywhere in this module) and ``math`` by module and by name: calls
resolve to the same rules, and the emitted code uses the user's own spelling."""
from __future__ import annotations

import math
from math import exp as math_exp

import numpy
import pytest
from oracle import check_rule

import sct

X = numpy.array([0.3, -0.7, 1.2])


def numpy_calls(x):
    return numpy.sum(numpy.sin(x) * numpy.exp(x)) + numpy.linalg.norm(x) ** 2


def numpy_linalg(a):
    return numpy.linalg.det(a @ a.T + numpy.eye(3))


def math_calls(x):
    return math.sin(x) * math_exp(x) + math.log(x) / math.sqrt(x)


CASES = [(numpy_calls, (X,)), (numpy_linalg, (numpy.arange(9.0).reshape(3, 3) / 7,)), (math_calls, (0.8,))]


@pytest.mark.parametrize("f, args", CASES, ids=lambda c: getattr(c, "__name__", ""))
def test_module_spelled_numpy(f, args):
    check_rule(f, args)


def test_emitted_code_uses_the_users_alias():
    forward = sct.forward(numpy_calls).source
    body = forward[forward.index("def diff_numpy_calls"):]
    assert "numpy.cos(x)" in body and "np." not in body.replace("numpy.", "")
    assert "import numpy\n" in forward
    reverse = sct.reverse(math_calls).source
    assert "math.cos(x)" in reverse or "numpy.cos(x)" in reverse
