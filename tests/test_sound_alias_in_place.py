"""Aliasing and numpy's in-place semantics (tests/test_sound_alias_*.py): calls that change an array in
place (``sort``, ``out=``, ``list.pop``...) and calls whose result is discarded are refused.
"""
from __future__ import annotations

import numpy as np
import pytest
from alias_support import bump

import sct


# ------------------------------------------------------------------------------------- in-place calls
def sorts(x):
    y = x * 1.0
    y.sort()
    return y[0]


def fills(x):
    y = x * 1.0
    y.fill(x[0])
    return np.sum(y)


def fills_diagonal(x):
    y = np.outer(x, x)
    np.fill_diagonal(y, 0.0)
    return np.sum(y)


def copies_to(x):
    y = np.zeros(4)
    np.copyto(y, x)
    return np.sum(y * y)


def puts(x):
    y = x * 1.0
    np.put(y, [0, 1], x[:2] * 3.0)
    return np.sum(y)


def adds_at(x):
    y = np.zeros(4)
    np.add.at(y, [0, 0, 1], x[:3])
    return np.sum(y * y)


def out_keyword(x):
    y = np.zeros(4)
    np.multiply(x, x, out=y)
    return np.sum(y)


def out_keyword_assigned(x):
    y = np.zeros(4)
    z = np.multiply(x, x, out=y)
    return np.sum(y + z)


def resizes(x):
    y = x * 1.0
    y.resize(2)
    return np.sum(y)


def places(x):
    y = x * 1.0
    np.place(y, y > 0.4, 0.0)
    return np.sum(y)


def putmasks(x):
    y = x * 1.0
    np.putmask(y, y > 0.4, x)
    return np.sum(y)


def extends(x):
    rows = [x]
    rows.extend([x * 2.0])
    return np.sum(rows[0] * rows[1])


def discarded_helper(x):
    y = x * 1.0
    bump(y)
    return np.sum(y)


def shape_assigned(x):
    y = x * 1.0
    y.shape = (2, 2)
    return np.sum(y[0] * x[:2])


def discarded_method(x):
    y = x * 1.0
    y.clip(0.0, 1.0)
    return np.sum(y)


IN_PLACE = [sorts, fills, fills_diagonal, copies_to, puts, adds_at, out_keyword, out_keyword_assigned,
            shape_assigned, resizes, places, putmasks, extends, discarded_helper, discarded_method]


@pytest.mark.parametrize("func", IN_PLACE, ids=lambda f: f.__name__)
def test_in_place_calls_are_refused(func):
    """Never a silent zero: an in-place call, or a call whose result is thrown away, is refused."""
    for make in (sct.forward, sct.reverse):
        with pytest.raises(sct.SCTError, match=r"test_sound_alias_in_place\.py:\d+:\d+: "
                                               r".*(in place|discarded).*\n\s*hint: "):
            make(func)


def pops_a_list(x):
    rows = []
    rows.append(x * 2.0)
    rows.append(x * 3.0)
    rows.pop()
    return np.sum(rows[-1] * x)


def test_a_discarded_pop_is_refused():
    """Reverse mode has no adjoint for a list shrunk in place (it failed when called): refused up front."""
    for make in (sct.forward, sct.reverse):
        with pytest.raises(sct.SCTError, match=r"rows.pop\(\)` is discarded.*\n.*rows = rows\[:-1\]"):
            make(pops_a_list)
