"""Values that overflow to infinity at a finite input, met by an exact-zero adjoint or tangent.

``np.where(x > 0.5, 1 / (1 + np.exp(-800 * x)), -x)`` at ``x = -1.3``: ``np.exp(1040)`` is ``inf`` in the
branch not taken, whose adjoint is an exact zero there, and ``0 * inf`` in ``exp``'s adjoint would be NaN
where the derivative is -1. The rules that may overflow declare ``overflows`` (sct/analysis/exact_zeros.py).
Each function is checked in every mode (tests/every_mode.py) at points where the overflowing branch is
not taken and at points where it is taken and finite; the differences there are those of the taken branch.
"""
import re

import autograd
import autograd.numpy as anp
import numpy as np
import pytest
from every_mode import check_every_mode
from scipy import special

import sct

pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")
GUARD = re.compile(r"(?<!def )zero_where_undefined\(")


def logistic(t):
    return 1 / (1 + np.exp(-t))


def logistic_branch(x):
    return np.where(x > 0.5, 1 / (1 + np.exp(-800 * x)), -x)


def helper_branch(x):
    return np.where(x > 0.5, logistic(800 * x), -x)


# the overflowing operands are pushed far (800 and more) where their branch is not taken, by an inactive
# offset: the differences are then taken at moderate points, in the branch taken


def cosh_branch(x):
    far = np.where(np.abs(x) < 1.5, 0.0, 800.0)
    return np.where(np.abs(x) < 1.5, np.cosh(x + far), x * x)


def sinh_branch(x):
    far = np.where(np.abs(x) < 1.5, 0.0, 800.0)
    return np.where(np.abs(x) < 1.5, np.sinh(x + far), 2.0 * x)


def power_branch(x):  # a cube overflows at 1e200, its partial too
    far = np.where(x < 1.5, 0.0, 1e200)
    return np.where(x < 1.5, np.power(x + far, 3.0), -x)


def operator_power_branch(x):
    far = np.where(x < 1.5, 0.0, 2000.0)
    return np.where(x < 1.5, 2.0 ** (x + far), x * x)


def exp2_branch(x):
    return np.where(x > 0.5, 1 / (1 + np.exp2(-2000 * x)), -x)


def expm1_branch(x):
    far = np.where(x < 1.5, 0.0, 800.0)
    return np.where(x < 1.5, np.expm1(x + far), -x)


def select_of_logistic(x):
    return np.select([x > 0.5, x < -0.5], [logistic(800 * x), -x], 0.25 * x)


def larger_than_exp(x):
    far = np.where(x > 1.5, 800.0, 0.0)
    return np.maximum(-np.exp(x + far), x)


def overwritten_exp(x):
    y = np.exp(x + np.where(x > 1.5, 800.0, 0.0))
    y[x > 1.5] = 0.0
    return y + x


def logistic_times_mask(x):
    far = np.where(x > 1.5, 800.0, 0.0)
    return (x < 1.5) * (1 / (1 + np.exp(x + far)))


def exp_branch_underflow(x):  # exp underflows to 0 in the branch taken below -1.5, overflows above 1.5
    far = np.where(x < -1.5, -800.0, np.where(x > 1.5, 800.0, 0.0))
    return np.where(x < 1.5, np.exp(x + far), 0.0)


def polygamma_branch(x):  # infinite at the poles 0 and -1 (and overflowing near them), here not taken
    return np.where(x > 0.5, special.polygamma(2, x), -x)


def gammaln_branch(x):  # gammaln overflows beyond 2.5e305; the product's partial in x reads it
    far = np.where(x < 1.5, 0.0, 3e305)
    return np.where(x < 1.5, special.gammaln(x * x + far + 2.0) * x, -x)


def sum_polygamma_branch(x):
    return np.sum(polygamma_branch(x))


def sum_gammaln_branch(x):
    return np.sum(gammaln_branch(x))


def sum_logistic_branch(x):
    return np.sum(logistic_branch(x))


def sum_helper_branch(x):
    return np.sum(helper_branch(x))


def sum_cosh_branch(x):
    return np.sum(cosh_branch(x))


def sum_sinh_branch(x):
    return np.sum(sinh_branch(x))


def sum_power_branch(x):
    return np.sum(power_branch(x))


def sum_operator_power_branch(x):
    return np.sum(operator_power_branch(x))


def sum_exp2_branch(x):
    return np.sum(exp2_branch(x))


def sum_expm1_branch(x):
    return np.sum(expm1_branch(x))


def sum_select_of_logistic(x):
    return np.sum(select_of_logistic(x))


def sum_larger_than_exp(x):
    return np.sum(larger_than_exp(x))


def sum_overwritten_exp(x):
    return np.sum(overwritten_exp(x))


def sum_logistic_times_mask(x):
    return np.sum(logistic_times_mask(x))


def sum_exp_branch_underflow(x):
    return np.sum(exp_branch_underflow(x))


X = np.array([-1.3, 0.7, 2.0, 0.0])
MODERATE = np.array([-2.0, 0.7, 1.2, 3.0, -0.4])
NEAR = np.array([-1.3, 0.2, 2.0, 1.0])
CASES = [
    (logistic_branch, X), (helper_branch, X), (cosh_branch, MODERATE), (sinh_branch, MODERATE),
    (power_branch, MODERATE), (operator_power_branch, MODERATE), (exp2_branch, X), (expm1_branch, MODERATE),
    (select_of_logistic, np.array([-1.3, 0.7, 0.2, 2.0])),
    (larger_than_exp, np.array([2.0, 0.5, -1.0, -3.0, 3.0])), (overwritten_exp, NEAR),
    (logistic_times_mask, NEAR), (exp_branch_underflow, np.array([-2.0, 0.2, 2.0, 1.0])),
    (polygamma_branch, np.array([0.0, -1.0, 1.5, 2.3, -0.4])), (gammaln_branch, MODERATE),
]
SHAPES = {"1-d": lambda x: x, "1xn": lambda x: x.reshape(1, -1), "nx1": lambda x: x.reshape(-1, 1)}
ONE_D = (overwritten_exp,)  # written for 1-d arrays
RUNS = [pytest.param(f, SHAPES[shape](x), id=f"{shape}-{f.__name__}") for f, x in CASES for shape in SHAPES
        if shape == "1-d" or f not in ONE_D]


@pytest.mark.parametrize("f, x", RUNS)
def test_every_mode_of_an_overflowing_unselected_value(f, x):
    check_every_mode(f, globals()["sum_" + f.__name__], x)


def test_the_gradient_is_exact_where_the_branch_is_unselected():
    assert np.array_equal(sct.grad(sum_logistic_branch, wrt="x")(np.array([-1.3, -3.0])), [-1.0, -1.0])
    assert np.array_equal(sct.grad(sum_polygamma_branch, wrt="x")(np.array([0.0, -1.0])), [-1.0, -1.0])


def polygamma_of_an_active_order(x):
    return special.polygamma(x, 2.0)


def test_an_active_order_of_polygamma_is_refused():
    with pytest.raises(sct.SCTError, match="constant"):
        sct.grad(polygamma_of_an_active_order, wrt="x")


def autograd_logistic_branch(x):
    return anp.sum(anp.where(x > 0.5, 1 / (1 + anp.exp(-800 * x)), -x))


def test_guarded_values_are_those_of_the_product_where_it_is_finite():
    x = np.array([0.5005, 0.501, 0.502, -0.2, 0.4])  # finite everywhere: the guard changes nothing
    assert np.allclose(sct.grad(sum_logistic_branch, wrt="x")(x), autograd.grad(autograd_logistic_branch)(x),
                       rtol=1e-14, atol=0.0)


def sum_square_branch(x):
    return np.sum(np.where(x > 0.5, x ** 2 + 3.0 * x, -x))


def sum_exp(x):
    return np.sum(np.exp(800 * x))


@pytest.mark.parametrize("f", [sum_square_branch, sum_exp])
def test_no_guard_without_an_overflow_meeting_a_selection(f):
    assert not GUARD.search(sct.grad(f, wrt="x").source)
