"""An element read, then a write into that element (``y0 = y[0]`` then ``y[0] = ...``): a number read
from an array is a copy, so sct's derivatives (which follow values by name) are exact, in every mode; a
row read that way is a view the write changes, refused with a ValueError naming the read when it runs
(the shape decides, known only then); an item of a list is refused when the function is transformed."""
from __future__ import annotations

import numpy as np
import pytest
from every_mode import check_every_mode

import sct


def swap_first(x):
    x = x * 1.0
    y0 = x[0]
    x[0] = x[-1] * 2.0
    x[-1] = y0
    return x * y0


def recurrence(x):
    x = np.sin(x)
    for i in range(1, np.shape(x)[0]):
        previous = x[i - 1]
        x[i - 1] = previous * x[i]
        x[i] = x[i] + previous ** 2
    return x


def recurrence_copied(x):
    """As the user copies the read: the vectorised Hessian's tangent of ``x[i]`` (a sct temporary) was a
    view of the batch that the next write changed."""
    x = np.sin(x)
    for i in range(1, np.shape(x)[0]):
        previous = np.copy(x[i - 1])
        x[i - 1] = previous * x[i]
        x[i] = x[i] + previous ** 2
    return x


def entry_of_a_matrix(x):
    x = x * 1.0
    corner = x[0, -1]
    x[0, -1] = np.cos(x[-1, 0])
    return x * corner


def iterated_then_written(x):
    x = x * 1.0
    s = 0.0
    for value in x:
        x[0] = 2.0 * value
        s = s + value * x[0]
    return s * x


def _total(f):
    def total(x):
        return np.sum(np.cos(f(x)))
    return total


swap_first_total = _total(swap_first)
recurrence_total = _total(recurrence)
recurrence_copied_total = _total(recurrence_copied)
entry_of_a_matrix_total = _total(entry_of_a_matrix)
iterated_then_written_total = _total(iterated_then_written)
VECTORS = [np.array([0.7, -1.2, 0.0]), np.array([-0.4]), np.array([1.3, 0.5])]


@pytest.mark.parametrize("x", VECTORS, ids=["three", "one", "two"])
@pytest.mark.parametrize("f, g", [(swap_first, swap_first_total), (recurrence, recurrence_total),
                                  (recurrence_copied, recurrence_copied_total),
                                  (iterated_then_written, iterated_then_written_total)],
                         ids=["swap", "recurrence", "copied", "iterated"])
def test_a_number_read_before_its_write_in_every_mode(f, g, x):
    out, _ = sct.forward(f)(x, np.ones_like(x))
    assert np.allclose(out, f(x), rtol=1e-14)
    check_every_mode(f, g, x)


@pytest.mark.parametrize("x", [np.array([[0.3, -1.1, 0.0], [0.8, 0.5, -0.6]]), np.array([[0.4]]),
                               np.array([[0.2], [-0.9]])], ids=["2x3", "1x1", "2x1"])
def test_an_entry_of_a_matrix_in_every_mode(x):
    check_every_mode(entry_of_a_matrix, entry_of_a_matrix_total, x)


@pytest.mark.parametrize("mode", ["forward", "reverse"])
def test_a_row_read_before_its_write_is_refused_when_it_runs(mode):
    x = np.array([[0.3, -1.1], [0.8, 0.5]])
    derivative = sct.forward(swap_first) if mode == "forward" else sct.reverse(swap_first)
    args = (x, np.ones_like(x)) if mode == "forward" else (x,)
    refusal = r"test_element_reads.py:\d+:\d+: `y0 = x\[0\]` reads an array"
    with pytest.raises(ValueError, match=refusal) as info:
        derivative(*args)
    assert "y0 = np.copy(x[0])" in str(info.value)


def list_item_then_written(x):
    rows = [x * 1.0, x * 2.0]
    first = rows[0]
    first[0] = 3.0
    return np.sum(rows[0]) + np.sum(first)


def test_an_item_of_a_list_is_refused_when_transformed():
    with pytest.raises(sct.SCTError, match="first"):
        sct.grad(list_item_then_written)
