"""Augmented assignment to a container element (``ys[0] *= 2``): Python runs the element's in-place
operator, so an array held in a list or dict changes in place and every other name or element holding it
sees the change. sct refuses those; it keeps the safe forms (numbers in a list or dict, arrays made by
the element's own update, an array's own element, rebinding an element) exact in every mode.
"""
import numpy as np
import pytest
from every_mode import check_every_mode

import sct


def list_element_scaled(x):
    y = x * 1.0
    ys = [y]
    ys[0] *= 2
    return np.sum(y * x)


def dict_value_incremented(x):
    y = x * 1.0
    d = {"a": y}
    d["a"] += x
    return np.sum(y * x)


def appended_then_incremented(x):
    y = x * 1.0
    ys = []
    ys.append(y)
    ys[0] += 1.0
    return np.sum(y * x)


def list_holds_the_array_twice(x):
    y = x * 1.0
    ys = [y, y]
    ys[0] *= 2
    return np.sum(ys[1] * x)


def element_copied_to_another(x):
    ys = [0.0, 0.0]
    ys[0] = x * 2.0
    ys[1] = ys[0]
    ys[0] *= 3.0
    return np.sum(ys[1] * x)


def element_read_into_a_name(x):
    ys = [x * 2.0]
    z = ys[0]
    ys[0] *= 3.0
    return np.sum(z * x)


def parameter_in_a_list(x):
    ys = [x]
    ys[0] *= 2
    return np.sum(ys[0] * x)


def list_of_row_views_scaled(x):
    rows_of = x.reshape(2, 2).copy()
    rows = [rows_of[0], rows_of[1]]
    rows[1] *= 3
    return np.sum(rows_of.ravel() * x)


def dict_of_a_row_view_scaled(x):
    rows_of = x.reshape(2, 2).copy()
    d = {"r": rows_of[0]}
    d["r"] *= 2
    return np.sum(rows_of.ravel() * x)


REFUSED = [list_element_scaled, dict_value_incremented, appended_then_incremented, list_holds_the_array_twice,
           element_copied_to_another, element_read_into_a_name, parameter_in_a_list, list_of_row_views_scaled,
           dict_of_a_row_view_scaled]
X = np.array([0.53, -1.37, 2.21, 0.77])


@pytest.mark.parametrize("f", REFUSED)
def test_in_place_update_of_a_shared_container_element_is_refused(f):
    with pytest.raises(sct.SCTError, match="augmented assignment to a container element|container in place"):
        sct.reverse(f)(X.copy())


def test_the_refusal_is_located_and_says_what_to_write():
    with pytest.raises(sct.SCTError) as caught:
        sct.grad(list_element_scaled)(X.copy())
    assert f"{__file__}:16:5" in str(caught.value) and "ys[0] = ys[0] * ..." in str(caught.value)


# ------------------------------------------------------------------------------------- still exact
def floats_in_a_list(x):
    acc = [0.0, 0.0]
    for i in range(x.shape[0]):
        acc[i % 2] += x[i] * x[i]
    return np.sum((acc[0] * acc[1] + x * acc[1]) ** 2)


def floats_in_a_dict(x):
    d = {"k": 0.0}
    for i in range(x.shape[0]):
        d["k"] += np.sin(x[i])
    d["k"] *= 2.0
    return np.sum((x * d["k"]) ** 2)


def arrays_made_by_the_update(x):
    parts = {}
    parts["a"] = x * 0.0
    for _ in range(2):
        parts["a"] += x * x
    parts["a"] *= 1.5
    return np.sum(parts["a"] * x)


def an_arrays_own_element(x):
    acc = np.zeros(x.shape[0])
    for i in range(x.shape[0]):
        acc[i] += x[i] * 2.0
    return np.sum(acc * x * x)


def rebinding_an_element(x):
    d = {"k": x * 1.0}
    d["k"] = d["k"] + x
    return np.sum(d["k"] * x * x)


SAFE = [floats_in_a_list, floats_in_a_dict, arrays_made_by_the_update, an_arrays_own_element,
        rebinding_an_element]


@pytest.mark.parametrize("point", [np.array([0.53, -1.37, 2.21, 0.77]), np.array([-0.4]),
                                   np.array([0.0, -2.0])], ids=["four", "one", "zero-negative"])
@pytest.mark.parametrize("f", SAFE)
def test_safe_element_updates_in_every_mode(f, point):
    check_every_mode(f, f, point)
