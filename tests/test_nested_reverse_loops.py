"""``sct.grad(sct.grad(f))`` of a scalar function with a loop: reverse mode over the stack the first
gradient keeps is refused, naming the construct and pointing to forward over reverse, which is exact."""
from __future__ import annotations

import numpy as np
import pytest
from oracle import relative_error, richardson_difference

import sct
from sct.errors import SCTError


def looped(x):
    s = 0.0
    for i in range(3):
        s = s + np.sin(x * i) * x
    return s


def while_looped(x):
    s = x
    i = 0
    while i < 3:
        s = s * x + 1.0
        i += 1
    return s


def doubling_until_large(x):
    s = x
    while s < 10.0:  # ends for every x: s is (x + 1) ** 2 after one step, then grows by 1 or more
        s = s * 2.0 + x * x + 1.0
    return s


def straight(x):
    return np.sin(x) * x ** 2


def _second_derivative(f, x):
    first = sct.grad(f)
    return richardson_difference(lambda t: first(t), (x,), {0: 1.0})


@pytest.mark.parametrize("f", [looped, while_looped, doubling_until_large], ids=lambda f: f.__name__)
def test_reverse_over_reverse_of_a_loop_is_refused(f):
    with pytest.raises(SCTError) as info:
        sct.grad(sct.grad(f))(0.7)
    message = str(info.value)
    assert "method.pop" not in message
    assert "reverse mode over the reverse-mode derivative" in message and "loop" in message
    assert "sct.hessian" in message and "sct.forward(sct.grad(f))" in message
    assert info.value.construct.startswith("sct.grad(sct.grad(f))")


@pytest.mark.parametrize("f", [looped, while_looped, doubling_until_large], ids=lambda f: f.__name__)
@pytest.mark.parametrize("x", [0.7, 0.0, -1.3])
def test_forward_over_reverse_of_the_loop_is_exact(f, x):
    numeric = _second_derivative(f, x)
    _, second = sct.forward(sct.grad(f))(x, 1.0)
    assert relative_error(second, numeric) < 1e-7
    assert relative_error(sct.hessian(f)(x), numeric) < 1e-7


@pytest.mark.parametrize("x", [0.7, 0.0, -1.3])
def test_reverse_over_reverse_without_a_loop_still_works(x):
    assert relative_error(sct.grad(sct.grad(straight))(x), _second_derivative(straight, x)) < 1e-7
