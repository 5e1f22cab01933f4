"""Aliasing and numpy's in-place semantics (tests/test_sound_alias_*.py): a write through one name that
reaches memory another name still to be read holds is refused at transform time.

numpy changes storage, sct follows values by name: a write (``y[i] = v``, ``y += v``, ``L.append``, a helper
writing into its argument) through one name must not reach memory another name still to be read holds
(``y = x``, a view ``z[1:]``, ``z.reshape``, ``np.flip``, a helper returning its argument, a conditional
expression, tuple assignment, a list).
"""
from __future__ import annotations

import numpy as np
import pytest
from alias_support import X4, bump, same

import sct

W = np.array([1.0, 2.0, 3.0, 4.0])


X23 = np.array([[0.3, -0.7, 1.1], [0.5, 1.3, -0.2]])


def bump_in_place(a):
    a += 1.0
    return 0.0


# ------------------------------------------------------------------------------------------ refused
def aug_through_name(x):
    y = x
    y += 1.0
    return np.sum(x * y)


def aug_times_through_name(x):
    y = x
    y *= x
    return np.sum(x + y)


def aug_slice_view(x):
    z = x * 1.0
    v = z[1:]
    v += 2.0 * x[1:]
    return np.sum(z * x)


def aug_reshape_view(x):
    z = x * 1.0
    r = z.reshape(4)
    r += 1.0
    return np.sum(z * z)


def write_base_of_view(x):
    z = x * 1.0
    v = z[0:2]
    z[0] = 0.0
    return np.sum(v * x[:2])


def through_helper(x):
    z = x * 1.0
    y = same(z)
    y[0] = 0.0
    return np.sum(z * x)


def through_conditional(x):
    z = x * 1.0
    w = x * 2.0
    y = z if x[0] > 0 else w
    y[1] = 0.0
    return np.sum(z * w)


def through_branch(x):
    z = x * 1.0
    if x[0] > 0:
        y = z
    else:
        y = x * 3.0
    y[1] = 0.0
    return np.sum(z * x)


def through_tuple(x):
    z = x * 1.0
    a, b = z, z
    a[0] = 0.0
    return np.sum(b * x)


def through_loop_carried(x):
    z = x * 1.0
    y = x * 2.0
    for i in range(2):
        y[i] = 0.0
        y = z
    return np.sum(z * x)




def flip_view(x):
    z = x * 1.0
    v = np.flip(z)
    v[0] = 0.0
    return np.sum(z * x)


def real_view(x):
    z = x * 1.0
    v = np.real(z)
    v += 1.0
    return np.sum(z * x)


def transpose_attr(x):
    z = x * 1.0
    v = z.T
    v[0] = 0.0
    return np.sum(z * x)


def transpose_function(x):
    z = x * 1.0
    v = np.transpose(z)
    v *= 2.0
    return np.sum(z * x)


def asarray_view(x):
    z = x * 1.0
    v = np.asarray(z)
    v[0] = 0.0
    return np.sum(z * x)


def ravel_view(x):
    z = x * 1.0
    v = z.ravel()
    v[0] = 0.0
    return np.sum(z * x)


def squeeze_view(x):
    z = x * 1.0
    v = np.squeeze(z)
    v += x
    return np.sum(z * x)


def ellipsis_view(x):
    z = x * 1.0
    v = z[...]
    v[0] = 0.0
    return np.sum(z * x)


def index_name_may_be_view(x):
    z = x * 1.0
    i = 1
    v = z[i:]
    v[0] = 0.0
    return np.sum(z * x)


def list_alias_append(x):
    a = [x * 1.0]
    b = a
    b.append(x * 2.0)
    return a[0] * a[-1]


def list_item_written(x):
    y = x * 1.0
    rows = []
    rows.append(y)
    y[0] = 5.0
    return np.sum(rows[0] * x)


def helper_writes_argument(x):
    z = x * 1.0
    s = bump(z)
    return s * np.sum(z)


def helper_adds_in_place(x):
    z = x * 1.0
    s = bump_in_place(z)
    return s + np.sum(z * z)


def write_into_iterated(x):
    s = 0.0
    for row in x:
        x[0] = 2.0
        s = s + row
    return s


def write_into_global(x):
    v = W
    v[0] = x[0]
    return np.sum(v * x)


def list_index_alias(x):
    rows = [x * 1.0, x * 2.0]
    same_rows = rows
    same_rows[0] = x * 3.0
    return np.sum(rows[0])


def tuple_item_written(x):
    pair = (x * 1.0, x * 2.0)
    first = pair[0]
    first[0] = 5.0
    return np.sum(pair[0] * x)


def while_loop_carried(x):
    z = x * 1.0
    y = x * 2.0
    n = 0
    while n < 2:
        y[n] = 0.0
        y = z
        n = n + 1
    return np.sum(z * x)


def global_written_directly(x):
    W[0] = x[0]
    return np.sum(W * x)


REFUSED = [list_index_alias, tuple_item_written, while_loop_carried, global_written_directly,
           aug_through_name, aug_times_through_name, aug_slice_view, aug_reshape_view, write_base_of_view,
           through_helper, through_conditional, through_branch, through_tuple, through_loop_carried,
           flip_view, real_view, transpose_attr, transpose_function, asarray_view, ravel_view, squeeze_view,
           ellipsis_view, index_name_may_be_view, list_alias_append, list_item_written,
           helper_writes_argument, helper_adds_in_place, write_into_global]


@pytest.mark.parametrize("func", REFUSED, ids=lambda f: f.__name__)
def test_write_through_an_alias_is_refused(func):
    """Refused at transform time in every mode, naming the place and how to write it instead."""
    for make in (sct.forward, sct.reverse):
        location = r"test_sound_alias_refused\.py:\d+:\d+: "
        with pytest.raises(sct.SCTError, match=location + r".*\n\s*hint: ") as info:
            make(func)
        assert "alias" in info.value.construct or "global" in info.value.construct \
            or "loop row" in info.value.construct


def test_aug_assignment_through_alias_example_value():
    """`y = x; y += 1` on arrays changes x: sct refuses rather than return numpy's value computed wrongly."""
    with pytest.raises(sct.SCTError, match=r"hint: copy it first: y = np.copy\(x\)"):
        sct.grad(aug_through_name)(X4.copy())
