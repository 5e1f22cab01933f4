"""Index writes (``x[i] = v``, ``x[idx] += v``, masks, slices) get exact derivatives in every mode, or a
transform-time refusal (tests/test_sound_index_*.py).

What a write selects: an index that reads the array it writes (``y[y > 1] = 1``) must be the one
from before the write in both sweeps; a fancy index that repeats an element keeps only the write numpy
keeps; a value broadcast into a selection gets its adjoint summed back to its own shape; and the second
derivatives of such writes.
"""
import numpy as np
import pytest
from index_support import X3, X4, check_all, into_buffer, numeric_gradient
from oracle import central_difference, parameter_names, relative_error

import sct


# ------------------------------------------------------------- the index reads the array being written
def clip_mask(x):
    y = x * 1.0
    y[y > 1.0] = 1.0
    return np.sum(y * y)


def clip_two(x):
    y = x * 2.0
    y[y > 0.5] = 0.5
    return np.sum(y * x)


def zero_argmax(x):
    y = x * 1.0
    y[np.argmax(y)] = 0.0
    return np.sum(y * x)


def abs_by_mask(x):
    y = x * 1.0
    y[y < 0] *= -1
    return np.sum(y * y * x)


def add_at_argmin(x):
    y = np.sin(x)
    y[np.argmin(y)] += x[0] * 3.0
    return np.sum(y * y)


def halve_in_loop(x):
    y = x * 1.0
    for _ in range(3):
        y[y > 0.6] = y[y > 0.6] * 0.5
    return np.sum(y * x)


def slice_bound_reads_array(x):
    y = x * 1.0
    y[:int(np.argmax(y))] = 0.0
    return np.sum(y * y)


def augmented_slice_bound(x):
    y = x * 1.0
    y[:int(np.argmax(y))] += np.sin(x[0])
    return np.sum(y * y)


def augmented_call_index(x):
    y = np.cos(x)
    y[np.argmax(y), ] *= x[1]
    return np.sum(y * x)


def matrix_mask(x):
    Y = np.outer(x, x)
    Y[Y < 0.0] = 0.0
    return np.sum(Y * Y)


def mask_vector_value(x):
    y = x * 1.0
    y[y > 0.0] = np.sin(y[y > 0.0])
    return np.sum(y * x)


@pytest.mark.parametrize("f, x", [(clip_mask, X3), (clip_two, X4), (zero_argmax, X3), (abs_by_mask, X4),
                                  (add_at_argmin, X4), (halve_in_loop, X4), (slice_bound_reads_array, X3),
                                  (matrix_mask, X3), (mask_vector_value, X4), (augmented_slice_bound, X4),
                                  (augmented_call_index, X4)])
def test_index_from_before_the_write(f, x):
    check_all(f, x)


def test_index_named_once_before_the_write():
    source = sct.reverse(clip_two).source
    assert "y[y > 0.5]" not in source.split("def diff_clip_two")[1]


# ------------------------------------------------------------------------------ repeated fancy indices
def repeated_set(x):
    y = np.zeros(3)
    y[[0, 0, 1]] = x
    return np.sum(y * np.array([1.0, 2.0, 3.0]))


def repeated_add(x):
    y = np.ones(3)
    idx = np.array([0, 0, 2])
    y[idx] += x
    return np.sum(y * y)


def repeated_scalar(x):
    y = x * 1.0
    y[[2, 2, 0]] = x[1] * 2.0
    return np.sum(y * y)


def repeated_2d(x):
    Y = np.zeros((2, 3))
    Y[[0, 0, 1], [1, 1, 2]] = x
    return np.sum(Y * np.arange(1.0, 7.0).reshape(2, 3))


def repeated_in_loop(x):
    y = np.zeros(4)
    idx = np.array([1, 3, 1])
    for k in range(2):
        y[idx] += x * (k + 1.0)
    return np.sum(y * y)


def repeated_fortran_order(x):
    Y = np.zeros((3, 3), order="F")
    Y[np.array([[0, 0], [1, 0]]), np.array([[1, 1], [2, 1]])] = np.outer(x[:2], x[1:]).T
    return np.sum(Y * np.arange(1.0, 10.0).reshape(3, 3))


def repeated_rows(x):
    Y = np.zeros((3, 3))
    Y[[0, 0, 2], :] = np.outer(x, x[::-1])
    return np.sum(Y * np.arange(1.0, 10.0).reshape(3, 3))


@pytest.mark.parametrize("f, x", [(repeated_set, X3), (repeated_add, X3), (repeated_scalar, X3),
                                  (repeated_2d, X3), (repeated_in_loop, X3), (repeated_fortran_order, X3),
                                  (repeated_rows, X3)])
def test_repeated_fancy_index(f, x):
    check_all(f, x)


def test_repeated_add_is_one_write_per_element():
    """numpy's ``y[idx] += x`` is ``y[idx] = y[idx] + x``: the later duplicate wins, nothing accumulates."""
    value, (x_bar,) = sct.reverse(repeated_add, wrt=("x",))(X3)
    assert np.isclose(value, repeated_add(X3))
    assert x_bar[0] == 0.0


# -------------------------------------------------------------------- a value broadcast into a selection
def scalar_into_slice(x):
    v = np.zeros((4, 3))
    v[:, 1:] = x
    return np.sum(v)


def row_into_block(x):
    v = np.zeros((4, 3))
    v[1:3] = np.sin(x)
    return np.sum(v * v)


def scalar_into_row(x):
    z = np.zeros((2, 3))
    z[0] = x[0] * 2
    return np.sum(z * z)


def rows_in_loop(x):
    h = np.zeros((3, 4))
    for t in range(3):
        h[t] = x[t]
    return np.sum(h * h)


def column_from_length_one(x):
    v = np.ones((4, 2))
    v[:, 0] = x[1:2] * 3.0
    return np.sum(v * v)


@pytest.mark.parametrize("f, x", [(scalar_into_slice, 0.7), (row_into_block, X3), (scalar_into_row, X3),
                                  (rows_in_loop, X3), (column_from_length_one, X3)])
def test_write_adjoint_summed_to_value_shape(f, x):
    check_all(f, x)


def test_scalar_into_slice_value():
    assert np.isclose(sct.grad(scalar_into_slice)(0.7), 8.0)
    assert np.shape(sct.grad(scalar_into_slice)(0.7)) == ()


@pytest.mark.parametrize("mode", ["forward", "reverse"])
def test_jacobian_of_broadcast_write(mode):
    expected = sct.jacobian(rows_in_loop_vector, mode="forward")(X3)
    numeric = np.array([central_difference(rows_in_loop_vector, (X3,), 0, e) for e in np.eye(3)]).T
    got = sct.jacobian(rows_in_loop_vector, mode=mode)(X3)
    assert relative_error(got, numeric) < 1e-6 and relative_error(expected, numeric) < 1e-6


def rows_in_loop_vector(x):
    h = np.zeros((3, 2))
    for t in range(3):
        h[t] = x[t] * x[0]
    h[[0, 0]] = x[:2]
    return np.sum(h, axis=1)


# ----------------------------------------------------------------------------- second derivatives
def numeric_hessian(f, args, index=0):
    gradient = sct.grad(f, wrt=parameter_names(f)[index])
    x = np.asarray(args[index], dtype=float)
    return np.array([central_difference(gradient, args, index, e) for e in np.eye(x.size)])


def repeated_augmented_2d(x):
    Y = np.ones((2, 3))
    Y[:1] = x[0]
    Y[[0, 0], [1, 1]] *= x[1]
    return np.sum(Y * Y * x)


@pytest.mark.parametrize("f, args", [(clip_two, (X4,)), (repeated_add, (X3,)), (rows_in_loop, (X3,)),
                                     (repeated_augmented_2d, (X3,)), (halve_in_loop, (X4,)),
                                     (into_buffer, (X3, np.array([1, 2, 3]))),
                                     (into_buffer, (X3, np.array([1.0, 2.0, 3.0])))])
def test_second_derivatives_of_index_writes(f, args):
    integers = np.asarray(args[-1]).dtype.kind == "i"  # the truncated write: its derivatives are all zero
    n = np.size(args[0])
    expected = np.zeros((n, n)) if integers else numeric_hessian(f, args)
    assert relative_error(sct.hessian(f, wrt="x")(*args), expected) < 1e-6
    v = np.linspace(0.5, 1.5, np.size(args[0]))
    for method in ("forward-over-reverse", "reverse-over-forward"):
        assert relative_error(sct.hvp(f, wrt="x", method=method)(*args, v), expected @ v) < 1e-6
    for mode in ("forward", "reverse"):
        expected = [1.0, 1.0, 3.0] if integers else numeric_gradient(f, args)  # b after the write
        assert relative_error(sct.jacobian(f, wrt="x", mode=mode)(*args), expected) < 1e-6
