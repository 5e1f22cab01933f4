"""A differentiated value written into an integer array: the write truncates, so its derivative is zero.

sct reads the dtype wherever numpy takes it: by keyword, in numpy's position for it (``np.zeros(3,
np.int64)``, ``np.empty(3, int)``, ``np.zeros_like(x, int)``, ``np.array(x, int)``) and from
``.astype(int)`` / ``.astype("int32")``; each case is refused or differentiated as the truncation it is,
in forward mode and both Jacobians, against central differences.
"""
import numpy as np
import pytest
from oracle import relative_error, richardson_difference

import sct

X = np.array([0.53, -1.21, 2.31])   # 7.3 * X stays clear of integers, so differences see no jump


def zeros_positional_dtype(x):
    a = np.zeros(3, np.int64)
    a[0] = x[0] * 7.3
    return np.sum(a * x)


def empty_positional_dtype(x):
    a = np.empty(3, int)
    a[:] = x * 7.3
    return np.sum(a * x)


def zeros_like_positional_dtype(x):
    a = np.zeros_like(x, int)
    a[0] = x[0] * 7.3
    return np.sum(a * x)


def array_positional_dtype(x):
    a = np.array(x, int)
    a[0] = x[0] * 7.3
    return np.sum(a * x)


def astype_int(x):
    a = x.astype(int)
    a[0] = x[0] * 7.3
    return np.sum(a * x)


def astype_int32_by_name(x):
    a = x.astype("int32")
    a[0] = x[0] * 7.3
    return np.sum(a * x)


CASES = [zeros_positional_dtype, empty_positional_dtype, zeros_like_positional_dtype, array_positional_dtype,
         astype_int, astype_int32_by_name]


def _numeric_gradient(f, x):
    return np.array([richardson_difference(f, (x,), {0: e}) for e in np.eye(x.size)])


@pytest.mark.parametrize("f", CASES)
def test_forward_through_a_write_into_integers(f):
    try:
        _, tangent = sct.forward(f)(X, np.ones(3))
    except sct.SCTError:
        return  # refused at transform time: right too
    expected = float(np.sum(_numeric_gradient(f, X)))
    assert abs(float(tangent) - expected) < 1e-7 * max(1.0, abs(expected))


@pytest.mark.parametrize("mode", ["forward", "reverse"])
@pytest.mark.parametrize("f", CASES)
def test_jacobian_through_a_write_into_integers(f, mode):
    try:
        jacobian = sct.jacobian(f, mode=mode)(X)
    except sct.SCTError:
        return  # refused at transform time: right too
    assert relative_error(jacobian, _numeric_gradient(f, X)) < 1e-7
