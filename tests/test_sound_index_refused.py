"""Index writes (``x[i] = v``, ``x[idx] += v``, masks, slices) get exact derivatives in every mode, or a
transform-time refusal (tests/test_sound_index_*.py).

Writes into integer arrays carry no derivative (refused when active, checked when run where the dtype
is known only then); writes into expressions (``y[0][1] = v``) are refused.
"""
import numpy as np
import pytest
from index_support import X3, check_all, into_buffer

import sct


# ------------------------------------------------------------------------------------ integer arrays
def into_int_zeros(x):
    y = np.zeros(3, dtype=int)
    y[0] = x[1] * 3.0
    return np.sum(y * x)


def into_arange(x):
    y = np.arange(3)
    y[1:] = x[:2]
    return np.sum(y * x)


@pytest.mark.parametrize("f", [into_int_zeros, into_arange])
@pytest.mark.parametrize("mode", ["forward", "reverse"])
def test_active_write_into_integers_refused(f, mode):
    with pytest.raises(sct.SCTError, match="holds integers") as info:
        getattr(sct, mode)(f)
    assert "float array" in str(info.value) and "test_sound_index_refused.py" in str(info.value)


def test_unknown_dtype_checked_when_run():
    ints = np.array([1, 2, 3])
    assert np.allclose(sct.grad(into_buffer, wrt="x")(X3, ints), [1.0, 1.0, 3.0])  # b after the write
    _, tangent = sct.forward(into_buffer, wrt="x")(X3, ints, np.ones(3))
    assert np.isclose(tangent, 5.0)
    check_all(into_buffer, X3, np.array([1.0, 2.0, 3.0]))


# ----------------------------------------------------------------------- writes into an expression
def chained(x):
    y = np.zeros((2, 2))
    y[0][1] = x
    return np.sum(y)


def chained_augmented(x):
    y = np.zeros((2, 2))
    y[0][1] += x
    return np.sum(y)


def through_transpose(x):
    y = np.zeros((2, 2))
    y.T[0] = x
    return np.sum(y)


def through_flat(x):
    y = np.zeros((2, 2))
    y.flat[0] = x
    return np.sum(y)


@pytest.mark.parametrize("f, hint", [(chained, "y[0, 1] = "), (chained_augmented, "y[0, 1] = "),
                                     (through_transpose, "by name"), (through_flat, "by name")])
@pytest.mark.parametrize("mode", ["forward", "reverse"])
def test_write_into_expression_refused(f, hint, mode):
    with pytest.raises(sct.SCTError, match="cannot differentiate the write into") as info:
        getattr(sct, mode)(f)
    assert hint in str(info.value)
