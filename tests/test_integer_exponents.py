"""An integer exponent reaching ``**`` (``np.power``, ``pow``) through a helper's parameter, a loop counter
or a recursion: the exponent may become active (a taped value, in a second derivative) with a zero
tangent, and its term ``z * log(x) * y_dot`` must then be exactly zero, also at a negative base where
``log(x)`` is NaN. Checked in every mode against differences at negative, zero and positive bases."""
import numpy as np
import pytest
from every_mode import check_every_mode

import sct


def power_of(t, n):
    return t ** n


def through_a_parameter(x, w):
    return power_of(x, 3) * w + power_of(x, 2)


def through_a_loop(x, w):
    s = x * 0.0
    for k in range(4):
        s = s + x ** k * w
    return s


def np_power_in_a_loop(x, w):
    s = x * 0.0
    for k in range(3):
        s = s + np.power(x, k + 1) - pow(x * w, k)
    return s


def recursive_power(t, n):
    if n == 0:
        return t * 0.0 + 1.0
    return recursive_power(t, n - 1) * t ** 1 + t ** n


def through_a_recursion(x, w):
    return recursive_power(x, 3) * w


def exponent_from_a_loop_in_a_helper(x, w):
    s = x * 0.0
    for k in range(1, 4):
        s = s + power_of(x * w, k)
    return s


def through_a_parameter_g(x, w):
    return np.sum(through_a_parameter(x, w) ** 2)


def through_a_loop_g(x, w):
    return np.sum(through_a_loop(x, w) ** 2)


def np_power_in_a_loop_g(x, w):
    return np.sum(np_power_in_a_loop(x, w) ** 2)


def through_a_recursion_g(x, w):
    return np.sum(through_a_recursion(x, w) ** 2)


def exponent_from_a_loop_in_a_helper_g(x, w):
    return np.sum(exponent_from_a_loop_in_a_helper(x, w) ** 2)


FUNCS = [through_a_parameter, through_a_loop, np_power_in_a_loop, through_a_recursion,
         exponent_from_a_loop_in_a_helper]
POINTS = [(np.array([-1.5, 0.0, 2.0]), np.array([0.5, -1.0, 1.5])),   # negative and zero bases
          (np.array([[-0.7]]), np.array([[-2.0, 0.3]])),               # size-1 axes, broadcast
          (np.array([-2.0, -0.5]), 1.5)]


@pytest.mark.parametrize("x, w", POINTS)
@pytest.mark.parametrize("f", FUNCS, ids=lambda f: f.__name__)
def test_an_integer_exponent_at_negative_and_zero_bases_in_every_mode(f, x, w):
    with np.errstate(invalid="ignore", divide="ignore"):
        check_every_mode(f, globals()[f.__name__ + "_g"], x, w)


def power(x, y):
    return np.sum(x ** y)


def test_a_truly_active_exponent_at_a_negative_base_has_no_real_derivative():
    x, y = np.array([-1.5, 2.0]), np.array([3.0, 2.0])
    with np.errstate(invalid="ignore", divide="ignore"):
        assert np.isnan(sct.grad(power, wrt="y")(x, y)[0])
        assert np.isnan(sct.hessian(power, wrt="y")(x, y)[0, 0])
        for method in ("forward-over-reverse", "reverse-over-forward"):
            assert np.isnan(sct.hvp(power, wrt="y", method=method)(x, y, np.array([1.0, 0.0]))[0])
        # the positive base's entry stays finite and right
        along = sct.hvp(power, wrt="y")(x, y, np.array([0.0, 1.0]))
        assert np.isclose(along[1], 4.0 * np.log(2.0) ** 2)
