"""Rule semantics (tests/test_sound_rules_*.py): partials are exact (not NaN, not an exception) at
the points where they are finite.
"""
from __future__ import annotations

import numpy as np
import pytest
from oracle import check_rule

import sct


# ------------------------------------------------------------------- exact partials at special points
def polynomial(x):
    c = np.array([1.5, 2.0, 3.0])
    s = 0.0
    for k in range(3):
        s = s + c[k] * x ** k
    return s


def constant_powers(x):
    return 2.0 * x ** 0 + 3.0 * x ** 1 + x ** 2


def zero_base(y):
    return np.power(0.0, y)


def zero_power_array(x):
    return np.sum(np.power(x, 0) + x ** np.array([0.0, 1.0, 2.0]))


def variable_power(x, y):
    return np.sum(x ** y)


def std_one(x):
    return np.std(x)


def std_rows(x):
    return np.sum(np.std(x, axis=0) + np.var(x, axis=0))


@pytest.mark.parametrize("f, args, expected", [
    (polynomial, (0.0,), 2.0), (constant_powers, (0.0,), 3.0), (zero_base, (0.5,), 0.0),
    (zero_base, (2.0,), 0.0), (zero_power_array, (np.zeros(3),), np.array([0.0, 1.0, 0.0])),
    (std_one, (np.array([2.0]),), np.array([0.0])), (std_rows, (np.ones((1, 3)),), np.zeros((1, 3))),
], ids=lambda v: getattr(v, "__name__", ""))
def test_partials_are_exact_where_numpy_formulas_give_nan(f, args, expected):
    with np.errstate(all="raise"):
        grad = sct.grad(f)(*args)
        _, tangent = sct.forward(f)(*args, *(np.ones_like(a) if np.ndim(a) else 1.0 for a in args))
    assert np.allclose(grad, expected) and np.shape(grad) == np.shape(args[0])
    assert np.isclose(tangent, np.sum(expected))
    import autograd
    import autograd.numpy as anp
    if f is zero_base:
        assert np.isclose(autograd.grad(lambda y: anp.power(0.0, y))(args[0]), grad)


def test_partials_of_a_power_at_zero_base_and_exponent():
    x, y = np.array([0.0, 0.0, 2.0]), np.array([0.0, 2.0, 0.0])
    with np.errstate(all="raise"):
        gx, gy = sct.grad(variable_power, wrt="x, y")(x, y)
    assert np.allclose(gx, [0.0, 0.0, 0.0]) and np.allclose(gy, [0.0, 0.0, np.log(2.0)])
    check_rule(variable_power, (np.array([0.5, 1.3, 2.0]), np.array([0.0, 2.0, -1.5])))


def norm_of(x):
    return np.linalg.norm(x)


def abs_of(x):
    return np.abs(x)


def test_norm_at_zero_is_zero_as_abs():  # tests/test_zero_norms.py: every mode, other orders and axes
    with np.errstate(all="raise"):
        assert np.array_equal(sct.grad(norm_of)(np.zeros(3)), np.zeros(3))
        assert sct.grad(norm_of)(np.zeros(1)) == sct.grad(abs_of)(0.0) == 0.0


def test_hessian_of_a_polynomial_at_zero():
    with np.errstate(divide="ignore"):
        assert np.isclose(sct.hessian(polynomial)(0.0), 6.0)
        assert np.allclose(sct.hvp(zero_power_array)(np.zeros(3), np.ones(3)), [0.0, 0.0, 2.0])


def square_root_power(x):
    return x ** 0.5 + x ** 1.5


def test_an_infinite_partial_is_inf_not_an_exception():
    with np.errstate(divide="ignore", invalid="ignore"):
        assert np.isinf(sct.grad(square_root_power)(0.0))
        assert np.isinf(sct.forward(square_root_power)(0.0, 1.0)[1])
    assert "2 * x" in sct.forward(constant_powers).source  # literal exponents still fold
