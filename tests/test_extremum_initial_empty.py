"""``np.max(a, axis, initial=c)`` of an empty ``a`` is ``c`` in numpy; sct rewrote it as
``np.maximum(np.max(a), c)``, whose ``np.max`` of the empty array raised a ValueError in every mode. Now the
extremum of ``a`` joined with ``c`` along the axis. Every mode against differences (points away from ties);
an axis sct cannot read in the call is refused with the line."""
import numpy as np
import pytest
from every_mode import check_every_mode

import sct


def empty_max(x):
    return np.max(x[:0], initial=2.0) * x


def empty_max_of_active(x):
    return np.max(x[:0], initial=x[1]) * x


def empty_max_kept(x):
    return np.max(np.reshape(x, (3, 1))[:, :0], initial=x[0], keepdims=True) * x


def empty_rows_min(x):
    return np.min(np.reshape(x, (3, 1))[:, :0], axis=1, initial=-0.5) * x


def method_max(x):
    return np.reshape(x, (1, 3)).max(axis=-1, initial=x[1]) * x


def columns_amax_kept(x):
    grid = np.reshape(x, (3, 1)) * x
    return np.sum(np.amax(grid, axis=0, initial=0.3, keepdims=True) * grid, axis=0)


def flat_min(x):
    return np.min(x * x[0], initial=0.1) * x


CASES = [empty_max, empty_max_of_active, empty_max_kept, empty_rows_min, method_max, columns_amax_kept,
         flat_min]


@pytest.mark.parametrize("f", CASES, ids=lambda f: f.__name__)
@pytest.mark.parametrize("x", [np.array([0.5, -1.2, 2.0]), np.array([-0.3, 0.0, 1.7])], ids=["x", "zero"])
def test_extremum_with_initial_every_mode(f, x):
    def weighted(x):
        y = f(x)
        return np.sum(y * np.cos(y))

    check_every_mode(f, weighted, x)


def max_along_axes(x):
    return np.max(np.reshape(x, (3, 1)), axis=(0, 1), initial=0.0) * x


def test_axes_not_written_as_one_are_refused():
    with pytest.raises(sct.SCTError, match="initial") as info:
        sct.grad(lambda_free_max_along_axes)
    assert "test_extremum_initial_empty.py" in str(info.value) and info.value.hint


def lambda_free_max_along_axes(x):
    return np.sum(max_along_axes(x))
