"""``f(x, **options)`` and ``f(*args)`` in a differentiated function are refused: a value passed through
the splat once lost its derivative (the gradient in ``x[0]`` missed ``sum(x ** 2)``)."""
import numpy as np
import pytest

import sct

X = np.array([0.53, -1.37, 2.21, 0.77, -0.41, 1.13])


def scaled_square(a, power=2.0, scale=1.0):
    return a ** power * scale


def scale_passed_through_a_dict(x):
    options = {"scale": x[0]}
    return np.sum(scaled_square(x, **options))


def arguments_passed_through_a_tuple(x):
    args = (x, 2.0)
    return np.sum(scaled_square(*args))


@pytest.mark.parametrize("f, words", [(scale_passed_through_a_dict, "**options"),
                                      (arguments_passed_through_a_tuple, "star-unpacking")])
@pytest.mark.parametrize("mode", ["forward", "reverse"])
def test_splat_in_a_call_is_refused(f, words, mode):
    with pytest.raises(sct.SCTError) as info:
        sct.forward(f)(X, X) if mode == "forward" else sct.grad(f)(X)
    message = str(info.value)
    assert words in message and "test_keyword_splats.py:" in message and "hint:" in message, message
