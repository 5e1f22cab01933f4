"""Shape manipulation, joining and indexing reads, against central differences, the complex step and the
other mode: transposes, reshapes, concatenate/stack, and every kind of index numpy offers."""
from __future__ import annotations

import numpy as np
import pytest
from oracle import check_rule

import sct

RNG = np.random.default_rng(5)
V = RNG.standard_normal(6)
M = RNG.standard_normal((3, 4))
N = RNG.standard_normal((2, 4))
T = RNG.standard_normal((2, 3, 4))
S = RNG.standard_normal((1, 3, 1))
MASK = np.array([True, False, True, True, False, False])
IDX = np.array([0, 2, 2, 5, 0])


# ------------------------------------------------------------------------------------------------ shapes
def dot_t(x):
    return x.T * 2.0


def transpose(x):
    return np.transpose(x)


def transpose_axes(x):
    return np.transpose(x, (1, 2, 0))


def transpose_axes_keyword(x):
    return np.transpose(x, axes=[2, 0, 1])


def transpose_method(x):
    return x.transpose(0, 2, 1)


def transpose_negative_axes(x):
    return np.transpose(x, (-1, 0, -2))


def transpose_method_plain(x):
    return x.transpose()


def transpose_method_tuple(x):
    return x.transpose((2, 1, 0))


def reshape_function(x):
    return np.reshape(x, (4, 3))


def reshape_minus_one(x):
    return np.reshape(x, (-1, 2))


def reshape_method_tuple(x):
    return x.reshape((6, 2))


def reshape_method_varargs(x):
    return x.reshape(2, -1, 3)


def reshape_keyword(x):
    return np.reshape(x, shape=(12,))


def ravel(x):
    return np.ravel(x) + x.ravel() * x.flatten()


def squeeze(x):
    return np.squeeze(x) + x.squeeze()


def expand_dims(x):
    return np.expand_dims(x, 1)


def expand_dims_keyword(x):
    return np.expand_dims(x, axis=(0, 2))


def squeeze_keyword(x):
    return np.squeeze(x, axis=0) * x.squeeze(axis=2)[0]


def flip(x):
    return np.flip(x) + np.flip(x, axis=0) * np.flip(x, 1)


def diag_of_vector(x):
    return np.diag(x) + np.diag(x[:3], k=1)


def diag_of_matrix(x):
    return np.diag(x) * np.diag(x, -1)[0] + np.diag(x, k=2)[0]


def atleast_2d(x):
    return np.atleast_2d(x)


def swapaxes(x):
    return np.swapaxes(x, 0, 2) + x.swapaxes(2, 0)


def moveaxis(x):
    return np.moveaxis(x, 0, -1)


def broadcast_to(x):
    return np.broadcast_to(x, (5, 3, 4))


def copy(x):
    return np.copy(x) * x.copy()


def cumsum(x):
    return np.cumsum(x)


def cumsum_axis(x):
    return np.cumsum(x, axis=1) + x.cumsum(axis=-1)


def matrix_transpose(x):
    return x.mT * 2.0


def real_part(x):
    return x.real * np.real(x) + 0.0 * x.imag


def array_of_list(x, y):
    return np.array([x, y, x * y])


def asarray(x):
    return np.asarray(x) * 2.0


SHAPES = [
    (dot_t, (M,)), (dot_t, (T,)), (transpose, (M,)), (transpose, (T,)), (transpose_axes, (T,)),
    (transpose_axes_keyword, (T,)), (transpose_method, (T,)), (transpose_method_tuple, (T,)),
    (transpose_negative_axes, (T,)), (transpose_method_plain, (M,)),
    (reshape_function, (M,)), (reshape_minus_one, (M,)), (reshape_method_tuple, (M,)),
    (reshape_method_varargs, (M,)), (reshape_keyword, (M,)), (ravel, (M,)), (squeeze, (S,)),
    (expand_dims, (M,)), (expand_dims_keyword, (M,)), (squeeze_keyword, (S,)), (flip, (M,)),
    (diag_of_vector, (V[:4],)), (diag_of_matrix, (M,)), (diag_of_matrix, (M.T,)),
    (atleast_2d, (V,)), (swapaxes, (T,)), (moveaxis, (T,)), (broadcast_to, (M,)),
    (broadcast_to, (N[:1],)), (copy, (M,)), (cumsum, (M,)), (cumsum_axis, (T,)),
    (array_of_list, (N[0], N[1])),
    (array_of_list, (0.5, 2.0)),
    (asarray, (V,)),
]


# ------------------------------------------------------------------------------------------------ joining
def concatenate(x, y):
    return np.concatenate([x, y])


def concatenate_axis(x, y):
    return np.concatenate((x, y, x), axis=1)


def concatenate_negative_axis(x, y):
    return np.concatenate([x, 2.0 * y], axis=-1)


def concatenate_inactive(x):
    return np.concatenate([x, np.ones((2, 4))], axis=0)


def stack(x, y):
    return np.stack([x, y])


def stack_axis(x, y):
    return np.stack((x, y, x * y), axis=1)


def stack_negative_axis(x, y):
    return np.stack([x, y], axis=-1)


def stack_of_list_variable(x, y):
    parts = []
    parts.append(x)
    parts.append(np.sin(y))
    return np.stack(parts, axis=0)


def concatenate_of_list_variable(x, y):
    parts = []
    parts.append(x)
    parts.append(np.sin(y))
    return np.concatenate(parts, axis=0)


JOINS = [
    (concatenate, (M, N)), (concatenate, (V, V[:2])), (concatenate_axis, (M.T[:2], N)),
    (concatenate_negative_axis, (M, M[:, :2])), (concatenate_inactive, (N,)), (stack, (M, M[::-1])),
    (stack, (1.5, 0.5)), (stack_axis, (N, N[::-1])), (stack_negative_axis, (V, V[::-1])),
    (stack_of_list_variable, (N, N[::-1])), (concatenate_of_list_variable, (M, N)),
]


# ------------------------------------------------------------------------------------------------ indexing
def int_index(x):
    return x[1]


def negative_index(x):
    return x[-1] * x[-2]


def two_ints(x):
    return x[1, -2]


def slice_(x):
    return x[1:3]


def slice_step(x):
    return x[::2] + x[1::2]


def negative_slice(x):
    return x[-3:-1]


def reversed_(x):
    return x[::-1]


def column(x):
    return x[:, 1]


def block(x):
    return x[1:, :-1]


def newaxis(x):
    return x[:, None] * x[None, :]


def np_newaxis(x):
    return x[np.newaxis, :, np.newaxis]


def ellipsis(x):
    return x[..., 0]


def fancy_repeated(x, idx):
    return x[idx]


def fancy_list(x):
    return x[[0, 0, 3, 1]]


def fancy_rows(x, idx):
    return x[idx[:3] % 3]


def fancy_pairs(x):
    return x[np.array([0, 2, 2]), np.array([1, 1, 3])]


def fancy_repeated_pairs(x):
    return x[np.array([0, 0, -1]), np.array([1, 1, -2])]


def fancy_columns(x):
    return x[:, [0, 0, 2]]


def fancy_2d_index(x):
    return x[np.array([[0, 1], [1, 1]])]


def slice_and_fancy(x):
    return x[1:, np.array([3, 3])]


def computed_index(x):
    k = np.argmax(x[0])
    return x[0, k] * x[1, k] + x[x[:, 0] > 0]


def boolean_mask(x, mask):
    return x[mask]


def boolean_mask_computed(x, data):
    return x[data > 0]


def index_in_loop(x):
    total = 0.0
    for i in range(3):
        total = total + x[i] * x[i + 1]
    return total


def row_then_element(x):
    row = x[1]
    return row[2] * x[0, 0]


def mixed(x):
    return x[1, :, ::2] + x[0, 1:, 1::2].sum()


INDEXING = [
    (int_index, (V,)), (int_index, (M,)), (negative_index, (V,)), (two_ints, (M,)), (slice_, (V,)),
    (slice_, (M,)), (slice_step, (V,)), (negative_slice, (V,)), (reversed_, (M,)), (column, (M,)),
    (block, (M,)), (newaxis, (V,)), (np_newaxis, (V,)), (ellipsis, (T,)), (fancy_repeated, (V, IDX)),
    (fancy_list, (V,)), (fancy_rows, (M, IDX)), (fancy_pairs, (M,)), (boolean_mask, (V, MASK)),
    (fancy_repeated_pairs, (M,)), (fancy_columns, (M,)), (fancy_2d_index, (M,)), (slice_and_fancy, (M,)),
    (computed_index, (M,)),
    (boolean_mask_computed, (M, M[::-1])), (index_in_loop, (V,)), (row_then_element, (M,)), (mixed, (T,)),
]


def _id(case) -> str:
    f, args = case
    return "-".join([f.__name__] + ["x".join(map(str, np.shape(a))) or "scalar" for a in args])


@pytest.mark.parametrize("case", SHAPES + JOINS + INDEXING, ids=_id)
def test_rule(case):
    f, args = case
    check_rule(f, args, complex_ok=True)


@pytest.mark.skipif(not hasattr(M, "mT"), reason="ndarray.mT is numpy >= 2")
def test_matrix_transpose_attribute():
    check_rule(matrix_transpose, (T,), complex_ok=True)


def test_real_part():
    """``.real`` and ``np.real`` pass real data through; ``.imag`` of real data is constant zero."""
    check_rule(real_part, (M,))


def test_fancy_index_adds_repeated_adjoints():
    _, g = sct.reverse(fancy_repeated)(V, IDX, seed=np.ones(5))
    np.testing.assert_array_equal(g, [2.0, 0.0, 2.0, 0.0, 0.0, 1.0])


def test_boolean_mask_adjoint_is_zero_off_the_mask():
    _, g = sct.reverse(boolean_mask)(V, MASK, seed=np.arange(1.0, 4.0))
    np.testing.assert_array_equal(g, [1.0, 0.0, 2.0, 3.0, 0.0, 0.0])
