"""``np.concatenate`` of an array with a literal list that holds numbers and entries of the array: every
mode, including the vectorised Jacobians and Hessian, whose batched tangent of a list is a list of batches.
"""
from __future__ import annotations

import numpy as np
import pytest
from every_mode import check_every_mode


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
