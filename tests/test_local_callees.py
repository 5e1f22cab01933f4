"""Calls through a local name are refused at transform time, with the construct and its location.

``np_ = np; np_.sum(x * x)``, ``import numpy as onp`` inside the function, ``f = x.sum; f()``,
``r = x.reshape; r(2, 2)`` once gave a zero derivative without an error (the call was read as a constant).
"""
import numpy as np
import pytest

import sct

X = np.array([0.53, -1.37, 2.21, 0.77])


def numpy_under_a_local_name(x):
    np_ = np
    return np_.sum(x * x)


def numpy_imported_inside(x):
    import numpy as onp
    return onp.sum(onp.sin(x) * x)


def bound_sum_called_later(x):
    f = x.sum
    return f() * 2.0


def bound_reshape_called_later(x):
    r = x.reshape
    return np.sum(r(2, 2) @ r(2, 2))


def bound_max_of_a_result(x):
    y = x * 2
    m = y.max
    return m() * 3.0


def numpy_function_under_a_local_name(x):
    s = np.sin
    return np.sum(s(x))


CASES = [(numpy_under_a_local_name, "binding the module `np`"), (numpy_imported_inside, "import"),
         (bound_sum_called_later, "`f`"), (bound_reshape_called_later, "`r`"),
         (bound_max_of_a_result, "`m`"), (numpy_function_under_a_local_name, "`s`")]


@pytest.mark.parametrize("f, words", CASES)
@pytest.mark.parametrize("transform", [sct.grad, sct.forward, sct.reverse])
def test_call_through_a_local_name_is_refused(f, words, transform):
    with pytest.raises(sct.SCTError) as info:
        transform(f)(X) if transform is sct.grad else transform(f)(X, X) if transform is sct.forward \
            else transform(f)(X)
    message = str(info.value)
    assert words in message and "test_local_callees.py:" in message and "hint:" in message, message
