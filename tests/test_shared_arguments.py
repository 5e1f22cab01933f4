"""One array passed for two parameters, one of which the function writes into: Python sees the write
through both names, the derivative follows each argument as an array of its own, so the call raises
ValueError in every mode (once a value of 3.5 where Python gave 14, without an error). Distinct arrays,
or a function that writes into neither, are fine.
"""
import numpy as np
import pytest

import sct
from sct.errors import SCTError


def writes_first(a, b):
    a[0] = 10.0 * a[0]
    return np.sum(a * b)


def reads_both(a, b):
    return np.sum(a * b)


X = np.array([1.0, 2.0])


@pytest.mark.parametrize("call", [
    lambda: sct.reverse(writes_first)(X, X),
    lambda: sct.forward(writes_first)(X, X, X),
    lambda: sct.grad(writes_first, wrt=("a", "b"))(X, X),
    lambda: sct.grad(writes_first, wrt="b")(X, X[:]),
    lambda: sct.hessian(writes_first, wrt="a")(X, X),
    lambda: sct.hvp(writes_first, wrt="a")(X, X, X),
    lambda: sct.jacobian(writes_first, wrt="a")(X, X),
])
def test_an_array_passed_twice_to_a_writing_function_is_refused(call):
    with pytest.raises(ValueError, match="shares memory"):
        call()
    assert np.array_equal(X, [1.0, 2.0])


def test_distinct_arrays_and_reading_functions_are_fine():
    value, (a_bar, b_bar) = sct.reverse(writes_first, wrt=("a", "b"))(X, X.copy())
    assert value == writes_first(X.copy(), X.copy())
    assert np.allclose(a_bar, [10.0 * 1.0, 2.0]) and np.allclose(b_bar, [10.0, 2.0])
    assert np.allclose(sct.grad(reads_both, wrt=("a", "b"))(X, X)[0], X)


def appends_both(a, b):
    parts = []
    parts.append(a)
    parts.append(np.sin(b))
    return np.sum(np.stack(parts) * a)


def writes_through_a_list(a, b):
    parts = []
    parts.append(a)
    parts[0][1] = 3.0 * parts[0][1]
    return np.sum(a * b)


def test_a_list_holding_an_input_is_not_a_write_into_it():
    """``parts.append(a)`` changes the list only; the same array for both parameters is fine."""
    expected = sct.grad(appends_both, wrt="a")(X, X.copy())
    assert np.allclose(sct.grad(appends_both, wrt="a")(X, X), expected)


def test_a_write_into_an_input_held_by_a_list_is_refused():
    """Refused at transform time (sct follows arrays by name), else as a write into ``a``."""
    with pytest.raises((ValueError, SCTError)):
        sct.grad(writes_through_a_list, wrt="b")(X, X)
    assert np.array_equal(X, [1.0, 2.0])


@pytest.mark.parametrize("body, written", [
    ("parts = []\n    parts.append(a)", set()),
    ("rng = np.random.default_rng(0)\n    rng.shuffle(a)", {"a"}),
    ("np.copyto(b, a)\n    a.sort()", {"a", "b"}),
    ("parts = [b]\n    parts.pop()", set()),
])
def test_statement_calls_write_their_first_argument_and_object_but_list_methods_only_the_list(body, written):
    import ast

    from sct.frontend.inputs import written_inputs
    func = ast.parse(f"def f(a, b):\n    {body}\n    return a\n").body[0]
    assert written_inputs(func) == written
