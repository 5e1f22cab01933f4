"""A lambda bound to a local name and only called is inlined (sct/frontend/lambdas.py): exact in every
mode against Richardson differences; any other lambda is refused with what to write instead."""
import numpy as np
import pytest
from every_mode import check_every_mode

import sct


def called_once(x):
    act = lambda v: v * np.tanh(v)  # noqa: E731
    return act(x * 2.0) + x


def called_twice_with_free_names(x):
    scale = np.sum(x * x)
    f = lambda a, b: a * scale - np.sin(b)  # noqa: E731
    scale = scale + 1.0  # read when called, as Python does
    return f(x, x * 3.0) + f(x * x, x)


def called_in_a_loop_and_a_comprehension(x):
    g = lambda t: t ** 2 + 1.0  # noqa: E731
    total = x * 0.0
    for i in range(2):
        total = total + g(x) * i
    return total + sum([g(x) * k for k in range(2)])


def swapped_arguments(x):
    h = lambda a, b: a - 2.0 * b  # noqa: E731
    a, b = x * 1.5, np.cos(x)
    return h(b, a)


CASES = [called_once, called_twice_with_free_names, called_in_a_loop_and_a_comprehension, swapped_arguments]
POINTS = {"scalar": np.array(-0.8), "one": np.array([0.4]), "three": np.array([0.53, 0.0, -1.37]),
          "matrix": np.array([[0.5, -1.2, 0.0], [2.1, 0.3, -0.6]])}


@pytest.mark.parametrize("point", POINTS)
@pytest.mark.parametrize("f", CASES)
def test_an_inlined_lambda_in_every_mode(f, point):
    x = POINTS[point]
    assert np.allclose(sct.forward(f)(x, np.ones_like(x))[0], f(x), rtol=1e-14)

    def total(x):
        return np.sum(np.sin(f(x)))
    check_every_mode(f, total, x)


def passed_on(x):
    act = lambda v: v * 2.0  # noqa: E731
    return np.sum(np.apply_along_axis(act, 0, x))


def rebound(x):
    act = lambda v: v * 2.0  # noqa: E731
    y = act(x)
    act = lambda v: v * 3.0  # noqa: E731
    return act(y)


def with_a_default(x):
    act = lambda v, k=2.0: v * k  # noqa: E731
    return act(x)


def drawing_argument_read_twice(x):
    act = lambda v: v * v  # noqa: E731
    return act(x + np.random.standard_normal())


def shadowed_in_a_comprehension(x):
    t = 2.0
    act = lambda v: v * t  # noqa: E731
    return sum([act(x) for t in range(3)])


def inside_a_branch(x):
    if np.sum(x) > 0:
        act = lambda v: v * 2.0  # noqa: E731
    else:
        act = lambda v: v * 3.0  # noqa: E731
    return act(x)


@pytest.mark.parametrize("f", [passed_on, rebound, with_a_default, drawing_argument_read_twice,
                               shadowed_in_a_comprehension, inside_a_branch])
def test_a_lambda_that_is_not_only_called_is_refused(f):
    with pytest.raises(sct.SCTError, match="a lambda is not supported") as caught:
        sct.reverse(f)(np.ones(3))
    assert "def" in caught.value.hint


def test_the_inlined_lambda_is_gone_from_the_emitted_code():
    source = sct.reverse(called_once).source
    assert "lambda" not in source and "act" not in source.split("def ", 2)[-1].split(":", 1)[1]
