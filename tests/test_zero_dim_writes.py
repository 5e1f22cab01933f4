"""A 0-d array written by index (``y[()] = ...``, ``y[...] = ...``) after ``y += v``: the augmented
assignment, rewritten ``y = y + v``, keeps it an array (numpy's ``+`` of a 0-d array gives a scalar, and
the Hessian's write into the first derivative's ``y_bar`` failed with a TypeError). Every mode against
differences."""
import numpy as np
import pytest
from every_mode import check_every_mode


def written_by_empty_index(x):
    y = np.zeros(())
    y[()] = x[0] * x[1] ** 2
    return y * x


def written_by_ellipsis(x):
    y = np.array(0.0)
    y[...] = x[0] * x[2]
    return y * x


def augmented_then_written(x):
    y = np.zeros(())
    y += x[0] * x[1]
    y[()] = y * x[2]
    return y * x


def item_augmented(x):
    y = np.zeros(())
    y[()] += x[0] * x[1]
    return y * x


def written_in_a_loop(x):
    y = np.zeros(())
    for i in range(3):
        y[()] = y + x[i] ** 2
    return y * x


def vector_augmented_then_written(x):
    y = np.zeros(3)
    y += x * x[0]
    y[1] = x[2] ** 2
    return y * x


CASES = [written_by_empty_index, written_by_ellipsis, augmented_then_written, item_augmented,
         written_in_a_loop, vector_augmented_then_written]


@pytest.mark.parametrize("f", CASES, ids=lambda f: f.__name__)
@pytest.mark.parametrize("x", [np.array([0.5, -1.2, 2.0]), np.array([-0.7, 0.0, 1.3])], ids=["x", "zero"])
def test_zero_dim_write_every_mode(f, x):
    def weighted(x):
        y = f(x)
        return np.sum(y * np.cos(y))

    check_every_mode(f, weighted, x)


def scalar_of_zero_dim(x):
    y = np.zeros(())
    y[()] = x[0] * x[1] ** 2
    return y * 1.0


def scalar_of_zero_dim_array(x):
    return np.atleast_1d(scalar_of_zero_dim(x))


def test_scalar_zero_dim_every_mode():
    check_every_mode(scalar_of_zero_dim_array, scalar_of_zero_dim, np.array([0.5, -1.2, 2.0]))
