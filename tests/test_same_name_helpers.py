"""Two different helpers of one name (each module its own ``act``): derivatives are named after the
function, so one would run the other's derivative — a wrong value and gradient, no error. Refused."""

import numpy as np
import pytest
from programs.same_name_helper import act as tanh_act
from programs.same_name_helper import layer

import sct
from sct.errors import SCTError


def act(z):
    return z ** 3


def model(x):
    return layer(x) + np.sum(act(x))


def model_of_both_acts(x):
    return np.sum(act(x) + tanh_act(x) * 3.0)


def model_of_one_act(x):
    return np.sum(act(x)) * 2.0


@pytest.mark.parametrize("make", [sct.grad, sct.reverse, sct.forward, sct.hessian,
                                  lambda f: sct.jacobian(f, mode="reverse")])
@pytest.mark.parametrize("func", [model, model_of_both_acts])
def test_two_functions_of_one_name_are_refused(make, func):
    with pytest.raises(SCTError, match="two different functions named 'act'") as info:
        make(func)
    assert "test_same_name_helpers.py" in str(info.value)


def test_one_function_of_that_name_is_differentiated():
    x = np.array([0.3, -0.5, 0.0])
    assert np.allclose(sct.grad(model_of_one_act)(x), 6 * x ** 2)
