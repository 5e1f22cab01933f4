"""``np.concatenate`` of an array with a literal list that holds numbers and entries of the array: every
mode, including the vectorised Jacobians and Hessian, whose batched tangent of a list is a list of batches.
"""
from __future__ import annotations

import numpy as np
import pytest
from every_mode import check_every_mode

from sct.runtime.indexing import split_like


def appended_entries(x):
    return np.concatenate((x, [1.0, x[0]]))


def scalar_appended_entries(x):
    return np.sum(np.sin(appended_entries(x)) * appended_entries(x))


def list_first(x):
    return np.concatenate([[x[-1] * 2.0, -0.5], x * x])


def scalar_list_first(x):
    return np.sum(list_first(x) ** 3)


def rows(x):
    return np.concatenate((x, [[x[0, 0], 2.0]]), axis=0)


def scalar_rows(x):
    return np.sum(np.cos(rows(x)) * x[0, 1])


@pytest.mark.parametrize("f, g", [(appended_entries, scalar_appended_entries),
                                  (list_first, scalar_list_first)], ids=["appended", "first"])
@pytest.mark.parametrize("x", [np.array([0.7, -1.2, 0.0]), np.array([-0.4]), np.array([1.3, 0.5])],
                         ids=["three", "one", "two"])
def test_concatenate_with_a_literal_list(f, g, x):
    check_every_mode(f, g, x)


@pytest.mark.parametrize("x", [np.array([[0.7, -1.2]]), np.array([[0.0, 0.3], [-0.8, 1.1]])],
                         ids=["1x2", "2x2"])
def test_concatenate_rows_with_a_literal_row(x):
    check_every_mode(rows, scalar_rows, x)


@pytest.mark.parametrize("axis", [0, 1, 2, -1, -3, np.int64(1), np.int64(-2)])
def test_split_like_gives_np_splits_views(axis):
    """The adjoint's pieces, sliced directly, are ``np.split``'s: the same values and shapes, and views."""
    g = np.arange(2.0 * 3 * 4).reshape(2, 3, 4)
    sizes = [1, 0, g.shape[axis] - 1]
    parts = [np.zeros(g.shape[:axis % 3] + (k,) + g.shape[axis % 3 + 1:]) for k in sizes]
    pieces = split_like(g, parts, axis)
    expected = np.split(g, np.cumsum(sizes)[:-1], axis=axis)
    assert [p.shape for p in pieces] == [e.shape for e in expected]
    assert all(np.array_equal(p, e) for p, e in zip(pieces, expected))
    assert all(np.shares_memory(p, g) for p in pieces if p.size)


@pytest.mark.parametrize("axis", [3, -4])
def test_split_like_refuses_an_axis_out_of_range(axis):
    with pytest.raises(ValueError, match="out of bounds"):
        split_like(np.zeros((2, 3, 4)), [np.zeros((2, 3, 4))], axis)


def joined(x):
    return np.concatenate([x[:1] * 2.0, x[1:] * x[:-1], np.sin(x[-1:])])


def joined_sum(x):
    return np.sum(joined(x) ** 2)


@pytest.mark.parametrize("x", [np.array([0.0, -1.3, 0.7, 2.1]), np.array([0.8])], ids=["vector", "one"])
def test_concatenated_slices_in_every_mode(x):
    check_every_mode(joined, joined_sum, x)
