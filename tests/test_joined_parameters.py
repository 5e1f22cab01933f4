"""A list or tuple given for a parameter that ``+`` or ``*`` join or repeat is refused, in every mode.

``xs + xs`` and ``xs * 2`` join or repeat a list: a derivative that took them for arithmetic would be the
derivative of another function. The same parameters given arrays are differentiated as arithmetic.
"""
import numpy as np
import pytest
from every_mode import check_every_mode

import sct
from sct.errors import SCTError


def doubled_by_joining(xs, w):
    ys = xs + xs
    return np.sum(np.asarray(ys) * np.asarray(xs) * w)


def repeated(xs):
    return np.sum(np.asarray(xs * 2) ** 3)


def through_a_copy_and_slice(xs):
    ys = xs
    return np.sum(np.asarray(ys[1:] + ys[:1]) ** 2)


def twice(a):
    return a + a


def through_a_helper(xs):
    return np.sum(np.asarray(twice(xs)) ** 2)


def list_built_for_a_helper(x):
    items = [x[0], x[1]]
    return np.sum(np.asarray(twice(items)) ** 2)


def stacked(xs):
    return np.sum(np.asarray(xs) ** 3)


W = np.array([0.3, -0.7])
CALLS = {
    "grad": lambda f, x, *rest: sct.grad(f)(x, *rest),
    "reverse": lambda f, x, *rest: sct.reverse(f)(x, *rest),
    "forward": lambda f, x, *rest: sct.forward(f)(x, *rest, [1.0] * len(x)),
    "jacobian": lambda f, x, *rest: sct.jacobian(f)(x, *rest),
    "hessian": lambda f, x, *rest: sct.hessian(f)(x, *rest),
    "hvp": lambda f, x, *rest: sct.hvp(f)(x, *rest, np.ones(len(x))),
    "hvp reverse-over-forward": lambda f, x, *rest: sct.hvp(f, method="reverse-over-forward")(
        x, *rest, np.ones(len(x))),
    "grad_and_hvp": lambda f, x, *rest: sct.grad_and_hvp(f)(x, *rest, np.ones(len(x))),
}


@pytest.mark.parametrize("call", CALLS.values(), ids=list(CALLS))
@pytest.mark.parametrize("f, rest", [(doubled_by_joining, (W,)), (repeated, ()),
                                     (through_a_copy_and_slice, ()), (through_a_helper, ())])
@pytest.mark.parametrize("container", [list, tuple])
def test_a_joined_list_is_refused_in_every_mode(call, f, rest, container):
    xs = container([np.array([1.0, -2.0])]) if f is doubled_by_joining else container([1.0, -2.0])
    with pytest.raises(TypeError, match="joins or repeats"):
        call(f, xs, *rest)


def test_a_helper_given_a_list_it_joins_is_refused_at_transform_time():
    with pytest.raises(SCTError, match="'twice' adds or multiplies its parameter 'a'"):
        sct.grad(list_built_for_a_helper)


@pytest.mark.parametrize("call", CALLS.values(), ids=list(CALLS))
def test_a_list_that_is_only_converted_still_works(call):
    call(stacked, [1.0, -2.0])
    assert np.allclose(sct.grad(stacked)([1.0, -2.0]), [3.0, 12.0])


def tripled_repeat(x):
    return np.asarray(x * 2) ** 3


def tripled_repeat_g(x):
    return np.sum(tripled_repeat(x))


def squared_twice(x):
    return np.asarray(twice(x)) ** 2


def squared_twice_g(x):
    return np.sum(squared_twice(x))


@pytest.mark.parametrize("x", [np.array([0.5, -1.5, 0.0]), np.array([[2.0]])])
def test_the_same_functions_given_arrays_are_arithmetic(x):
    check_every_mode(tripled_repeat, tripled_repeat_g, x)
    check_every_mode(squared_twice, squared_twice_g, x)
